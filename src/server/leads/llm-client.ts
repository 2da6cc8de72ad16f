// An optional language model behind any OpenAI-compatible chat endpoint (OpenAI, Azure, Ollama, vLLM, LM Studio…).
// Configured by environment: THROUGHLINE_LLM_URL (base URL, e.g. http://127.0.0.1:11434/v1), THROUGHLINE_LLM_MODEL, and
// optionally THROUGHLINE_LLM_KEY. Without URL and model no note ever leaves the server. src/config.ts declares these
// names too, so a bad value is refused at start-up, before any request needs the model.

import { z } from "zod";
import type { ChatMessage } from "../../core/leads/llm-extraction.ts";

export interface LlmConfig {
  url: string;
  model: string;
  key?: string | undefined;
  /** Abort the call after this long and use the built-in extractor (default 15 s). */
  timeoutMs: number;
}

const envSchema = z.object({
  THROUGHLINE_LLM_URL: z.url().optional(),
  THROUGHLINE_LLM_MODEL: z.string().min(1).optional(),
  THROUGHLINE_LLM_KEY: z.string().min(1).optional(),
  THROUGHLINE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});

/** The model to use, or undefined when none is configured (both URL and model are needed). */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const picked = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith("THROUGHLINE_LLM_") && v),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`environment variable ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  if (!e.THROUGHLINE_LLM_URL || !e.THROUGHLINE_LLM_MODEL) return undefined;
  return {
    url: e.THROUGHLINE_LLM_URL,
    model: e.THROUGHLINE_LLM_MODEL,
    key: e.THROUGHLINE_LLM_KEY,
    timeoutMs: e.THROUGHLINE_LLM_TIMEOUT_MS,
  };
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
  const res = await fetchImpl(endpoint, {
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
  if (!res.ok) throw new Error(`the model endpoint answered ${res.status}`);
  const parsed = replySchema.safeParse(await res.json());
  if (!parsed.success) throw new Error("the model endpoint's reply is not a chat completion");
  return parsed.data.choices[0]!.message.content;
}
