// The contract with an optional language model (any OpenAI-compatible chat endpoint): the messages we send and the
// validation of what comes back. The call itself is I/O and lives in the server; a reply that does not pass this
// schema is discarded and the built-in extractor's proposal is used instead.

import { z } from "zod";
import { isoDay, localDay } from "./dates.ts";
import { buyingRoles, buyingStages, type LeadFields, urgencies } from "./vocabulary.ts";

/** One chat message in the OpenAI format. */
export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

const text = z
  .string()
  .transform((s) => s.trim())
  .nullable()
  .transform((s) => (s ? s : null));

/** What the model must answer: exactly the lead fields, dates as YYYY-MM-DD, roles and stages from our lists. */
export const llmFieldsSchema = z.object({
  problem: text,
  useCase: text,
  urgency: z.enum(urgencies).nullable(),
  buyingStage: z.enum(buyingStages).nullable(),
  budget: text,
  timeline: text,
  stakeholders: z.array(z.object({ name: z.string().trim().min(1), role: z.enum(buyingRoles) })).max(20),
  nextStep: text,
  nextStepDate: z
    .string()
    .regex(/^\d{4}-\d\d-\d\d$/, "must be YYYY-MM-DD")
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "must be a real date")
    .nullable(),
});

const WEEKDAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The messages asking a model to fill the lead fields from a note, with today's date in the capture's zone. */
export function extractionMessages(note: string, context: { now: Date; timeZone: string }): ChatMessage[] {
  const today = localDay(context.now, context.timeZone);
  const weekday = WEEKDAY[(((today % 7) + 7 + 3) % 7) as number]; // 1970-01-01 was a Thursday
  const system = [
    "You read a sales rep's notes from a conversation at a business event and return JSON only, no prose.",
    "Return exactly this object (use null or [] when the note does not say):",
    "{",
    '  "problem": string|null,        // the buyer\'s problem in their words, short',
    '  "useCase": string|null,        // what they would use the product for',
    `  "urgency": ${urgencies.map((u) => `"${u}"`).join("|")}|null,`,
    `  "buyingStage": ${buyingStages.map((u) => `"${u}"`).join("|")}|null,`,
    '  "budget": string|null,         // as stated, e.g. "$60k approved", "no budget yet"',
    '  "timeline": string|null,       // the buyer\'s timeline as stated, e.g. "go live by end of Q3"',
    `  "stakeholders": [{"name": string, "role": ${buyingRoles.map((u) => `"${u}"`).join("|")}}],`,
    '  "nextStep": string|null,       // the agreed next step, without its date',
    '  "nextStepDate": "YYYY-MM-DD"|null',
    "}",
    'Stakeholders are other people mentioned, not the person spoken to; name an unnamed one by title ("CFO").',
    `Today is ${weekday} ${isoDay(today)} in ${context.timeZone}. Resolve relative dates against it: "next <weekday>" is`,
    'that weekday in the following week (weeks start on Monday), "next week" its Monday, "end of week" this Friday,',
    '"in two weeks" 14 days later, "end of Q3" the last day of Q3, a month alone its first day.',
    "Urgency: now = within about a month or stated as urgent; this_quarter = before the current quarter ends;",
    "later = after that; none = explicitly no rush or no project.",
  ].join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: note },
  ];
}

/** Result of reading a model's reply: the fields, or why the reply was refused. */
export type LlmParse = { ok: true; fields: LeadFields } | { ok: false; reason: string };

/** Validates a model's reply (JSON, possibly inside a ``` fence) against the field schema. */
export function parseLlmFields(content: string): LlmParse {
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch {
    return { ok: false, reason: "the model did not return JSON" };
  }
  const parsed = llmFieldsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      reason: `the model's ${issue.path.join(".") || "reply"} is invalid: ${issue.message}`,
    };
  }
  return { ok: true, fields: parsed.data };
}

/** A follow-up email written by a model. */
export const llmDraftSchema = z.object({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
});

/** The messages asking a model for a follow-up email that continues the conversation. */
export function followUpMessages(context: {
  recipientName: string | null;
  repName: string;
  eventName: string;
  fields: LeadFields;
  sessions: string[];
}): ChatMessage[] {
  return [
    {
      role: "system",
      content: [
        "You write a short follow-up email from a sales rep to a buyer they met at a business event.",
        "Continue the conversation: name the buyer's problem in their words and confirm the agreed next step and its",
        "date; mention the sessions they attended and the colleagues they named if given. No hype, under 150 words.",
        'Return JSON only: {"subject": string, "body": string}. Sign the email with the rep\'s name.',
      ].join("\n"),
    },
    { role: "user", content: JSON.stringify(context) },
  ];
}

/** Validates a model's draft reply. */
export function parseLlmDraft(
  content: string,
): { ok: true; subject: string; body: string } | { ok: false; reason: string } {
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  try {
    const parsed = llmDraftSchema.safeParse(JSON.parse(unfenced));
    if (!parsed.success) return { ok: false, reason: "the model's draft is missing a subject or a body" };
    return { ok: true, ...parsed.data };
  } catch {
    return { ok: false, reason: "the model did not return JSON" };
  }
}
