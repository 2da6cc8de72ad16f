import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId, ts } from "./columns.ts";
import { people } from "./crm.ts";
import { events } from "./events.ts";

/** A structured offline touchpoint: what was said, not only who was there. The raw note is never lost. */
export const conversations = pgTable(
  "conversations",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id"),
    personId: uuid("person_id").notNull(),
    accountId: uuid("account_id"),
    repUserId: uuid("rep_user_id"),
    touchpointId: uuid("touchpoint_id"),
    /** Client-generated id of the capture, so an offline replay does not duplicate it. */
    captureNonce: text("capture_nonce").notNull(),
    occurredAt: ts("occurred_at").notNull(),
    rawNote: text("raw_note"),
    problem: text("problem"),
    useCase: text("use_case"),
    urgency: text("urgency", { enum: ["now", "this_quarter", "later", "none"] }),
    buyingStage: text("buying_stage", {
      enum: ["learning", "problem_defined", "evaluating_vendors", "selecting", "purchasing"],
    }),
    budget: text("budget"),
    timeline: text("timeline"),
    stakeholders: jsonb("stakeholders").$type<{ name: string; role: string }[]>().notNull().default([]),
    nextStep: text("next_step"),
    nextStepDate: date("next_step_date"),
    /** What the extractor proposed and which fields the rep confirmed. */
    extraction: jsonb("extraction").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("conversations_nonce_key").on(t.orgId, t.captureNonce),
    index("conversations_event_person_idx").on(t.orgId, t.eventId, t.personId),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/** A person captured at an event; one per person and event (a second scan merges into it). */
export const leads = pgTable(
  "leads",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    personId: uuid("person_id").notNull(),
    accountId: uuid("account_id"),
    capturedBy: uuid("captured_by"),
    ownerUserId: uuid("owner_user_id"),
    tier: text("tier", { enum: ["A", "B", "C"] }),
    score: numeric("score", { precision: 6, scale: 2, mode: "number" }),
    /** The signals behind the score, so every tier can be explained. */
    signals: jsonb("signals").$type<{ signal: string; points: number }[]>().notNull().default([]),
    status: text("status", {
      enum: ["new", "routed", "followed_up", "responded", "opportunity", "disqualified"],
    })
      .notNull()
      .default("new"),
    capturedAt: ts("captured_at").notNull(),
    slaDueAt: ts("sla_due_at"),
    opportunityId: uuid("opportunity_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("leads_event_person_key").on(t.orgId, t.eventId, t.personId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/** Any follow-up the product schedules or records: after a lead, a commitment, a stall, an assessment. */
export const followUps = pgTable(
  "follow_ups",
  {
    orgId: orgId(),
    id: id(),
    purpose: text("purpose", { enum: ["lead", "commitment", "stall", "assessment", "coaching"] }).notNull(),
    leadId: uuid("lead_id"),
    personId: uuid("person_id").notNull(),
    eventId: uuid("event_id"),
    ownerUserId: uuid("owner_user_id"),
    channel: text("channel", { enum: ["email", "call", "meeting", "task"] }).notNull(),
    /** True when the follow-up cites the conversation (problem, next step, stakeholders, sessions). */
    contextual: boolean("contextual").notNull().default(false),
    subject: text("subject"),
    body: text("body"),
    status: text("status", { enum: ["draft", "scheduled", "sent", "done", "cancelled"] }).notNull(),
    dueAt: ts("due_at"),
    sentAt: ts("sent_at"),
    respondedAt: ts("responded_at"),
    outboxId: uuid("outbox_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("follow_ups_lead_idx").on(t.orgId, t.leadId),
    index("follow_ups_person_idx").on(t.orgId, t.personId),
    foreignKey({ columns: [t.orgId, t.leadId], foreignColumns: [leads.orgId, leads.id] }),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
    check("follow_ups_sent_check", sql`${t.status} <> 'sent' or ${t.sentAt} is not null`),
  ],
);
