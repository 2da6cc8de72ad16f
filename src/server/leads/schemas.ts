import { z } from "@hono/zod-openapi";
import { buyingRoles, buyingStages, tiers, urgencies } from "../../core/leads/vocabulary.ts";
import { opportunityStages, type Role } from "../../db/schema/vocabulary.ts";

/** Who captures leads and works them. */
export const leadWorkers: readonly Role[] = ["admin", "marketer", "rep"];
/** Who may read the funnel. */
export const funnelReaders: readonly Role[] = ["admin", "marketer", "rep", "viewer"];

const text = (max: number) => z.string().trim().max(max).nullable();

export const stakeholderSchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(buyingRoles),
});

/** The qualification of a conversation. */
export const leadFieldsSchema = z
  .object({
    problem: text(2000),
    useCase: text(2000),
    urgency: z.enum(urgencies).nullable(),
    buyingStage: z.enum(buyingStages).nullable(),
    budget: text(500),
    timeline: text(500),
    stakeholders: z.array(stakeholderSchema).max(30),
    nextStep: text(1000),
    nextStepDate: z.iso.date().nullable(),
  })
  .openapi("LeadFields");

/** Fields the rep confirmed or typed; a field left out takes the extractor's proposal, null clears it. */
export const confirmedFieldsSchema = leadFieldsSchema.partial().strict();

export const typedPersonSchema = z
  .object({
    firstName: z.string().trim().min(1).max(100).optional(),
    lastName: z.string().trim().min(1).max(100).optional(),
    email: z.email().max(320).optional(),
    company: z.string().trim().min(1).max(200).optional(),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((p) => p.firstName || p.lastName || p.email, {
    message: "type at least a name or an email",
    path: ["firstName"],
  });

export const captureSchema = z
  .object({
    /** Made by the phone for each capture; an offline replay carries the same nonce and is recorded once. */
    nonce: z.string().min(8).max(100),
    /** When the conversation happened (the phone may replay it later); defaults to now. */
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    /** The badge's QR code (ticket token) or a ticket id. */
    badge: z.string().trim().min(1).max(400).optional(),
    /** A person found by name search. */
    personId: z.uuid().optional(),
    /** A person typed by the rep (also the fallback when the badge is unknown). */
    person: typedPersonSchema.optional(),
    /** The raw note, kept as typed (PostgreSQL text cannot hold a NUL character, so one is refused, not dropped). */
    note: z
      .string()
      .max(20_000)
      .refine((s) => !s.includes("\u0000"), "the note contains a NUL character, which cannot be stored")
      .default(""),
    fields: confirmedFieldsSchema.optional(),
  })
  .strict()
  .refine((c) => c.badge || c.personId || c.person, {
    message: "give a badge, a personId from search, or the person typed",
    path: ["badge"],
  })
  .openapi("Capture");
export type CaptureInput = z.infer<typeof captureSchema>;

export const signalSchema = z.object({ signal: z.string(), points: z.number() });

export const conversationSchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().nullable(),
    personId: z.uuid(),
    repUserId: z.uuid().nullable(),
    touchpointId: z.uuid().nullable(),
    captureNonce: z.string(),
    occurredAt: z.string(),
    rawNote: z.string().nullable(),
    fields: leadFieldsSchema,
    extraction: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("Conversation");

export const leadSchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid(),
    person: z.object({
      id: z.uuid(),
      name: z.string(),
      email: z.string().nullable(),
      title: z.string().nullable(),
      company: z.string().nullable(),
    }),
    accountId: z.uuid().nullable(),
    ownerUserId: z.uuid().nullable(),
    ownerName: z.string().nullable(),
    capturedBy: z.uuid().nullable(),
    tier: z.enum(tiers).nullable(),
    score: z.number().nullable(),
    signals: z.array(signalSchema),
    status: z.string(),
    capturedAt: z.string(),
    slaDueAt: z.string().nullable(),
    /** due (not yet followed up, still in time), overdue, met, missed (followed up late). */
    slaState: z.enum(["due", "overdue", "met", "missed"]).nullable(),
    firstFollowUpAt: z.string().nullable(),
    opportunityId: z.uuid().nullable(),
    conversations: z.number().int(),
    fields: leadFieldsSchema,
  })
  .openapi("Lead");

export const captureResultSchema = z
  .object({
    /** True when this nonce had been recorded before: nothing was added. */
    replay: z.boolean(),
    /** True when the lead already existed (the same person captured earlier at this event). */
    merged: z.boolean(),
    personCreated: z.boolean(),
    /** How the person was found: badge, search, typed (matched or created), or unknown_badge (typed fallback). */
    matchedBy: z.enum(["badge", "search", "typed", "unknown_badge"]),
    routing: z.string().nullable(),
    lead: leadSchema,
    conversation: conversationSchema,
  })
  .openapi("CaptureResult");

export const extractionSchema = z
  .object({
    rawNote: z.string(),
    fields: leadFieldsSchema,
    evidence: z.record(z.string(), z.string()),
    extractor: z.enum(["builtin", "llm"]),
    model: z.string().optional(),
    fallbackReason: z.string().optional(),
  })
  .openapi("Extraction");

export const followUpSchema = z
  .object({
    id: z.uuid(),
    leadId: z.uuid().nullable(),
    personId: z.uuid(),
    ownerUserId: z.uuid().nullable(),
    channel: z.enum(["email", "call", "meeting", "task"]),
    contextual: z.boolean(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    status: z.enum(["draft", "scheduled", "sent", "done", "cancelled"]),
    dueAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    respondedAt: z.string().nullable(),
    outboxId: z.uuid().nullable(),
    cites: z.array(z.string()).optional(),
  })
  .openapi("FollowUp");

export const draftRequestSchema = z
  .object({
    /** Ask the configured model to write the draft (falls back to the template). */
    useLlm: z.boolean().default(false),
  })
  .strict();

export const followUpRequestSchema = z
  .object({
    /** A draft made by follow-up-draft; its text is used unless subject/body are given. */
    draftId: z.uuid().optional(),
    channel: z.enum(["email", "call", "meeting", "task"]).default("email"),
    subject: z.string().trim().min(1).max(300).optional(),
    body: z.string().trim().min(1).max(20_000).optional(),
    /** send: email through the outbox; done: it happened (a call, a meeting, an email sent elsewhere). */
    action: z.enum(["send", "done"]),
    /** When it was done (defaults to now). */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((r) => r.action !== "send" || r.channel === "email", {
    message: "only an email can be sent; record a call or meeting with action done",
    path: ["action"],
  })
  .refine((r) => r.action !== "send" || r.draftId || (r.subject && r.body), {
    message: "an email needs a subject and a body, or a draftId",
    path: ["body"],
  });

export const outcomeRequestSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("reply"),
      at: z.iso.datetime({ offset: true }).optional(),
      /** The follow-up replied to; defaults to the latest one sent or done. */
      followUpId: z.uuid().optional(),
    }),
    z.object({
      kind: z.literal("meeting"),
      at: z.iso.datetime({ offset: true }).optional(),
      notes: z.string().max(20_000).optional(),
    }),
    z.object({
      kind: z.literal("opportunity"),
      at: z.iso.datetime({ offset: true }).optional(),
      /** Link an existing opportunity… */
      opportunityId: z.uuid().optional(),
      /** …or open one on the lead's account. */
      name: z.string().trim().min(1).max(300).optional(),
      amountMinor: z.number().int().min(0).optional(),
      currency: z.string().length(3).optional(),
      stage: z.enum(opportunityStages).optional(),
    }),
    z.object({
      kind: z.literal("stage_change"),
      at: z.iso.datetime({ offset: true }).optional(),
      toStage: z.enum(opportunityStages),
    }),
  ])
  .openapi("LeadOutcome");
export type OutcomeRequest = z.infer<typeof outcomeRequestSchema>;
