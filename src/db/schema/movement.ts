import { sql } from "drizzle-orm";
import {
  check,
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
import { events } from "./events.ts";
import { users } from "./tenancy.ts";

/**
 * Movement after the room: the sales kickoff's new positioning (a phrase glossary and a manager observation
 * checklist), managers' observations of reps, and the alerts already sent (so each is sent once).
 */

/** The new positioning of a kickoff: deal notes and call summaries that use these phrases count as adoption. */
export const kickoffPhrases = pgTable(
  "kickoff_phrases",
  {
    orgId: orgId(),
    eventId: uuid("event_id").notNull(),
    phrase: text("phrase").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.eventId, t.phrase] }),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** The manager observation checklist of a kickoff: behaviours a manager looks for on a call or in a deal review. */
export const observationItems = pgTable(
  "observation_items",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    position: integer("position").notNull(),
    label: text("label").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("observation_items_position_key").on(t.orgId, t.eventId, t.position),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** One manager observation of one rep against a kickoff's checklist: item id → seen or not. */
export const managerObservations = pgTable(
  "manager_observations",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    repUserId: uuid("rep_user_id").notNull(),
    observerUserId: uuid("observer_user_id"),
    observedAt: ts("observed_at").notNull(),
    items: jsonb("items").$type<Record<string, boolean>>().notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("manager_observations_event_idx").on(t.orgId, t.eventId, t.repUserId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.repUserId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.observerUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

/**
 * Movement alerts already raised: a stall of an account at N days after an event, or a rep's messaging adoption
 * below the threshold in a week after a kickoff. The unique key makes raising an alert idempotent.
 */
export const movementAlerts = pgTable(
  "movement_alerts",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    kind: text("kind", { enum: ["stall", "adoption"] }).notNull(),
    /** The account (stall) or the rep user (adoption). */
    subjectId: uuid("subject_id").notNull(),
    /** Stall horizon in days, or the last post-event week of the adoption window. */
    period: integer("period").notNull(),
    recipientUserId: uuid("recipient_user_id"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    outboxId: uuid("outbox_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("movement_alerts_key").on(t.orgId, t.eventId, t.kind, t.subjectId, t.period),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    check("movement_alerts_kind_check", sql`${t.kind} in ('stall','adoption')`),
  ],
);
