// Lead capture and continuity: pure functions, no I/O, no clock (callers pass `now`).
export * from "./buyer-response.ts";
export * from "./dates.ts";
export * from "./digest.ts";
export * from "./evaluate-extractor.ts";
export * from "./extract-note.ts";
export * from "./follow-up-draft.ts";
export * from "./funnel.ts";
export * from "./llm-extraction.ts";
export * from "./merge-fields.ts";
export * from "./priority.ts";
export * from "./routing.ts";
export * from "./sla.ts";
export * from "./stakeholders.ts";
export * from "./text.ts";
export * from "./vocabulary.ts";
