// An optional language model behind any OpenAI-compatible chat endpoint (OpenAI, Azure, Ollama, vLLM, LM Studio…).
// Configured by THROUGHLINE_LLM_URL (base URL, e.g. http://127.0.0.1:11434/v1), THROUGHLINE_LLM_MODEL, and optionally
// THROUGHLINE_LLM_KEY, checked by src/config.ts and handed over by settings.ts. Without URL and model no note ever
// leaves the server.

import { z } from "zod";
import type { ChatMessage } from "../../core/leads/llm-extraction.ts";

export interface LlmConfig {
  url: string;
  model: string;
  key?: string | undefined;
  /** Abort the call after this long and use the built-in extractor (default 15 s). */
  timeoutMs: number;
}

const replySchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** POSTs the messages to {url}/chat/completions and returns the first choice's text; throws on any failure. */
export async function chatCompletion(
  config: LlmConfig,
  messages: ChatMessage[],
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const endpoint = `${config.url.replace(/\/+$/, "")}/chat/completions`;
  let res: Response;
  try {
    res = await fetchImpl(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(config.key ? { authorization: `Bearer ${config.key}` } : {}),
      },
      body: JSON.stringify({
        model: config.model,
        messages,
        temperature: 0,
        response_format: { type: "json_object" },
      }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (error) {
    throw new Error(unreachable(error, endpoint, config.timeoutMs));
  }
  if (!res.ok) throw new Error(`the model endpoint answered ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch (error) {
    const name = (error as Error)?.name;
    throw new Error(
      name === "TimeoutError" || name === "AbortError"
        ? `the model did not answer within ${config.timeoutMs} ms`
        : "the model endpoint's reply is not JSON",
    );
  }
  const parsed = replySchema.safeParse(body);
  if (!parsed.success) throw new Error("the model endpoint's reply is not a chat completion");
  return parsed.data.choices[0]!.message.content;
}

/** Why the call got no answer, in words: a timeout, or the connection's error code (refused, unknown host…). */
function unreachable(error: unknown, endpoint: string, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return `the model did not answer within ${timeoutMs} ms`;
  }
  const detail = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
  return `the model endpoint ${endpoint} could not be reached (${detail})`;
}
