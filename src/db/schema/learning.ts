import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId, ts } from "./columns.ts";
import { accounts, people } from "./crm.ts";
import { events } from "./events.ts";

export const assessments = pgTable(
  "assessments",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    sessionId: uuid("session_id"),
    title: text("title").notNull(),
    /** Delayed checks, in days after the event ends (default 30 and 90). */
    delayDays: jsonb("delay_days").$type<number[]>().notNull().default([30, 90]),
    closesAt: ts("closes_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const assessmentItems = pgTable(
  "assessment_items",
  {
    orgId: orgId(),
    id: id(),
    assessmentId: uuid("assessment_id").notNull(),
    position: integer("position").notNull(),
    kind: text("kind", { enum: ["single", "multiple", "true_false", "scenario"] }).notNull(),
    prompt: text("prompt").notNull(),
    options: jsonb("options").$type<string[]>().notNull(),
    /** Indexes of the correct options (one for single, true/false and scenario). */
    correct: jsonb("correct").$type<number[]>().notNull(),
    objective: text("objective").notNull(),
    outcomeLevel: text("outcome_level", { enum: ["3A", "3B", "4"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("assessment_items_position_key").on(t.orgId, t.assessmentId, t.position),
    foreignKey({
      columns: [t.orgId, t.assessmentId],
      foreignColumns: [assessments.orgId, assessments.id],
    }).onDelete("cascade"),
  ],
);

/** One person's sitting of one phase of an assessment, reached through a signed link. */
export const assessmentAttempts = pgTable(
  "assessment_attempts",
  {
    orgId: orgId(),
    id: id(),
    assessmentId: uuid("assessment_id").notNull(),
    personId: uuid("person_id").notNull(),
    phase: text("phase", { enum: ["pre", "post", "delayed"] }).notNull(),
    delayDays: integer("delay_days").notNull().default(0),
    sentAt: ts("sent_at"),
    startedAt: ts("started_at"),
    submittedAt: ts("submitted_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("assessment_attempts_key").on(t.orgId, t.assessmentId, t.personId, t.phase, t.delayDays),
    foreignKey({
      columns: [t.orgId, t.assessmentId],
      foreignColumns: [assessments.orgId, assessments.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/** An answer with the learner's confidence (1 guessing … 4 certain). */
export const responses = pgTable(
  "responses",
  {
    orgId: orgId(),
    id: id(),
    attemptId: uuid("attempt_id").notNull(),
    itemId: uuid("item_id").notNull(),
    personId: uuid("person_id").notNull(),
    answer: jsonb("answer").$type<number[]>().notNull(),
    correct: boolean("correct").notNull(),
    confidence: smallint("confidence").notNull(),
    answeredAt: ts("answered_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("responses_attempt_item_key").on(t.orgId, t.attemptId, t.itemId),
    foreignKey({
      columns: [t.orgId, t.attemptId],
      foreignColumns: [assessmentAttempts.orgId, assessmentAttempts.id],
    }).onDelete("cascade"),
    foreignKey({
      columns: [t.orgId, t.itemId],
      foreignColumns: [assessmentItems.orgId, assessmentItems.id],
    }).onDelete("cascade"),
    check("responses_confidence_check", sql`${t.confidence} between 1 and 4`),
  ],
);

export const commitments = pgTable(
  "commitments",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    personId: uuid("person_id").notNull(),
    statement: text("statement").notNull(),
    followUpDueAt: ts("follow_up_due_at"),
    status: text("status", {
      enum: ["pending", "implemented_fully", "implemented_partly", "not_implemented"],
    })
      .notNull()
      .default("pending"),
    barriers: jsonb("barriers").$type<string[]>().notNull().default([]),
    respondedAt: ts("responded_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("commitments_event_idx").on(t.orgId, t.eventId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

/** Compliance, kept apart from learning: credits claimed and issued. */
export const credits = pgTable(
  "credits",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    personId: uuid("person_id").notNull(),
    creditType: text("credit_type").notNull(),
    hours: numeric("hours", { precision: 5, scale: 2, mode: "number" }).notNull(),
    claimedAt: ts("claimed_at").notNull(),
    issuedAt: ts("issued_at"),
    certificateNo: text("certificate_no"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("credits_event_person_key").on(t.orgId, t.eventId, t.personId, t.creditType),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const productUsageEvents = pgTable(
  "product_usage_events",
  {
    orgId: orgId(),
    id: id(),
    externalId: text("external_id"),
    accountId: uuid("account_id").notNull(),
    personId: uuid("person_id"),
    feature: text("feature").notNull(),
    occurredAt: ts("occurred_at").notNull(),
    /** True when the use happened inside a guided session rather than on the customer's own. */
    guided: boolean("guided").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("product_usage_external_key").on(t.orgId, t.externalId),
    index("product_usage_account_idx").on(t.orgId, t.accountId, t.feature, t.occurredAt),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
  ],
);

export const supportTickets = pgTable(
  "support_tickets",
  {
    orgId: orgId(),
    id: id(),
    externalId: text("external_id"),
    accountId: uuid("account_id").notNull(),
    personId: uuid("person_id"),
    topic: text("topic").notNull(),
    subject: text("subject"),
    openedAt: ts("opened_at").notNull(),
    closedAt: ts("closed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("support_tickets_external_key").on(t.orgId, t.externalId),
    index("support_tickets_account_idx").on(t.orgId, t.accountId, t.openedAt),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
  ],
);

/** A learning journey per role: targeted sessions, reinforcement, hands-on tasks, coaching. */
export const journeys = pgTable(
  "journeys",
  {
    orgId: orgId(),
    id: id(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const journeySteps = pgTable(
  "journey_steps",
  {
    orgId: orgId(),
    id: id(),
    journeyId: uuid("journey_id").notNull(),
    position: integer("position").notNull(),
    kind: text("kind", { enum: ["session", "reinforcement", "task", "coaching"] }).notNull(),
    title: text("title").notNull(),
    sessionId: uuid("session_id"),
    /** For hands-on tasks: the product feature whose usage event verifies the task. */
    feature: text("feature"),
    objective: text("objective"),
    offsetDays: integer("offset_days").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("journey_steps_position_key").on(t.orgId, t.journeyId, t.position),
    foreignKey({ columns: [t.orgId, t.journeyId], foreignColumns: [journeys.orgId, journeys.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const journeyEnrollments = pgTable(
  "journey_enrollments",
  {
    orgId: orgId(),
    id: id(),
    journeyId: uuid("journey_id").notNull(),
    personId: uuid("person_id").notNull(),
    enrolledAt: ts("enrolled_at").notNull(),
    /** Completed step ids with when and how each was verified. */
    progress: jsonb("progress")
      .$type<{ stepId: string; at: string; evidence: string }[]>()
      .notNull()
      .default([]),
    mastery: numeric("mastery", { precision: 5, scale: 4, mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("journey_enrollments_key").on(t.orgId, t.journeyId, t.personId),
    foreignKey({ columns: [t.orgId, t.journeyId], foreignColumns: [journeys.orgId, journeys.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);
