import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId, ts } from "./columns.ts";
import { organizations } from "./tenancy.ts";

/** Every email the product sends goes through here, with retries and a visible delivery status. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    purpose: text("purpose").notNull(),
    refId: uuid("ref_id"),
    status: text("status", { enum: ["queued", "sending", "sent", "failed"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
    /** Set by senders that may run twice (a retried job): a second email with the same key is not queued. */
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    uniqueIndex("email_outbox_idempotency_key").on(t.orgId, t.idempotencyKey),
  ],
);

/** Durable scheduled work (delayed checks, reminders, digests): survives a restart. */
export const jobs = pgTable(
  "jobs",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    kind: text("kind").notNull(),
    runAt: ts("run_at").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** Makes scheduling idempotent: the same logical job is scheduled once. */
    dedupeKey: text("dedupe_key"),
    status: text("status", { enum: ["pending", "running", "done", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    finishedAt: ts("finished_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index("jobs_due_idx").on(t.status, t.runAt)],
);

/** One row per import run, with its row-numbered error report. */
export const importRuns = pgTable(
  "import_runs",
  {
    orgId: orgId(),
    id: id(),
    kind: text("kind").notNull(),
    fileName: text("file_name").notNull(),
    mode: text("mode", { enum: ["refuse_whole", "keep_valid"] }).notNull(),
    status: text("status", { enum: ["running", "done", "refused", "failed"] }).notNull(),
    rowsTotal: integer("rows_total").notNull().default(0),
    /** Rows written, new or changed (rows_updated of them changed an existing row). */
    rowsInserted: integer("rows_inserted").notNull().default(0),
    rowsUpdated: integer("rows_updated").notNull().default(0),
    rowsUnchanged: integer("rows_unchanged").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    errors: jsonb("errors").$type<{ row: number; field: string; reason: string }[]>().notNull().default([]),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId], foreignColumns: [organizations.id] }),
  ],
);
