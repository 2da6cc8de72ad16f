import { type ExtractContext, extractNote } from "../../core/leads/extract-note.ts";
import { extractionMessages, parseLlmFields } from "../../core/leads/llm-extraction.ts";
import type { LeadFieldName, LeadFields } from "../../core/leads/vocabulary.ts";
import { chatCompletion, type LlmConfig } from "./llm-client.ts";

/** The fields proposed for a note, by which extractor, and why the model was not used when it was not. */
export interface Extraction {
  rawNote: string;
  fields: LeadFields;
  evidence: Partial<Record<LeadFieldName, string>>;
  extractor: "builtin" | "llm";
  model?: string;
  /** Set when a model is configured but its answer was not used. */
  fallbackReason?: string;
}

/**
 * Proposes fields for a note: the configured model when there is one and it answers valid JSON in time, else the
 * built-in extractor. Never throws for a model failure, and never changes the raw note.
 */
export async function extractFields(
  rawNote: string,
  context: ExtractContext,
  llm: LlmConfig | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<Extraction> {
  const builtin = extractNote(rawNote, context);
  if (!llm || rawNote.trim() === "") return { ...builtin, extractor: "builtin" };
  let reason: string;
  try {
    const content = await chatCompletion(llm, extractionMessages(rawNote, context), fetchImpl);
    const parsed = parseLlmFields(content);
    if (parsed.ok)
      return { rawNote, fields: parsed.fields, evidence: {}, extractor: "llm", model: llm.model };
    reason = parsed.reason;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
      reason = `the model did not answer within ${llm.timeoutMs} ms`;
  }
  return { ...builtin, extractor: "builtin", fallbackReason: reason };
}
