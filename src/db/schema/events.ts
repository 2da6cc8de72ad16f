import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
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
import { people } from "./crm.ts";
import { organizations, users } from "./tenancy.ts";

export const events = pgTable(
  "events",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    externalId: text("external_id"),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    type: text("type", {
      enum: [
        "conference",
        "trade_show",
        "field_event",
        "executive_roundtable",
        "partner_event",
        "sales_kickoff",
        "customer_training",
        "cme_activity",
        "webinar",
      ],
    }).notNull(),
    format: text("format", { enum: ["tactical", "strategic"] }).notNull(),
    status: text("status", { enum: ["draft", "published", "completed", "cancelled"] })
      .notNull()
      .default("draft"),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    /** IANA zone, e.g. Europe/Berlin: every time is shown in it. */
    timeZone: text("time_zone").notNull(),
    venue: text("venue"),
    virtualUrl: text("virtual_url"),
    capacity: integer("capacity"),
    inviteOnly: boolean("invite_only").notNull().default(false),
    ownerUserId: uuid("owner_user_id"),
    description: text("description"),
    /** Custom registration questions: [{ key, label, kind, required, options? }]. */
    registrationQuestions: jsonb("registration_questions").$type<unknown[]>().notNull().default([]),
    /** Ed25519 key pair for ticket tokens: kiosks hold the public key and verify offline. */
    ticketPublicKey: text("ticket_public_key"),
    ticketPrivateKey: text("ticket_private_key"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("events_slug_key").on(t.orgId, t.slug),
    uniqueIndex("events_external_key").on(t.orgId, t.externalId),
    foreignKey({ columns: [t.orgId, t.ownerUserId], foreignColumns: [users.orgId, users.id] }),
    check(
      "events_type_check",
      sql`${t.type} in ('conference','trade_show','field_event','executive_roundtable','partner_event','sales_kickoff','customer_training','cme_activity','webinar')`,
    ),
    check("events_format_check", sql`${t.format} in ('tactical','strategic')`),
    check("events_dates_check", sql`${t.endsAt} >= ${t.startsAt}`),
  ],
);

export const eventSessions = pgTable(
  "event_sessions",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    title: text("title").notNull(),
    track: text("track"),
    room: text("room"),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    capacity: integer("capacity"),
    speakers: jsonb("speakers").$type<string[]>().notNull().default([]),
    learningObjectives: jsonb("learning_objectives").$type<string[]>().notNull().default([]),
    topics: jsonb("topics").$type<string[]>().notNull().default([]),
    /** Product features this session trains (customer training), matched to product usage events. */
    features: jsonb("features").$type<string[]>().notNull().default([]),
    creditHours: numeric("credit_hours", { precision: 5, scale: 2, mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("event_sessions_event_idx").on(t.orgId, t.eventId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const eventCosts = pgTable(
  "event_costs",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    category: text("category", {
      enum: ["venue", "travel", "catering", "sponsorship", "staff", "other"],
    }).notNull(),
    description: text("description"),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: char("currency", { length: 3 }).notNull().default("USD"),
    incurredAt: ts("incurred_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("event_costs_event_idx").on(t.orgId, t.eventId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    check("event_costs_amount_check", sql`${t.amountMinor} >= 0`),
  ],
);

/** Invite-only formats: nominated by a rep, approved or declined by the owner, then sent with an RSVP link. */
export const invitations = pgTable(
  "invitations",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    personId: uuid("person_id").notNull(),
    nominatedBy: uuid("nominated_by"),
    status: text("status", {
      enum: ["nominated", "approved", "declined", "sent", "accepted", "regretted", "cancelled"],
    }).notNull(),
    reason: text("reason"),
    decidedBy: uuid("decided_by"),
    decidedAt: ts("decided_at"),
    rsvpTokenHash: text("rsvp_token_hash"),
    respondedAt: ts("responded_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("invitations_event_person_key").on(t.orgId, t.eventId, t.personId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const registrations = pgTable(
  "registrations",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    personId: uuid("person_id").notNull(),
    status: text("status", { enum: ["registered", "waitlisted", "cancelled"] }).notNull(),
    source: text("source").notNull(),
    externalId: text("external_id"),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull().default({}),
    consent: boolean("consent").notNull().default(false),
    waitlistedAt: ts("waitlisted_at"),
    /** Attendance as reported by an import (webinar minutes); door check-ins live in check_ins. */
    attended: boolean("attended"),
    minutesAttended: integer("minutes_attended"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("registrations_event_person_key").on(t.orgId, t.eventId, t.personId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const tickets = pgTable(
  "tickets",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    registrationId: uuid("registration_id").notNull(),
    issuedAt: ts("issued_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    revokedReason: text("revoked_reason"),
    /**
     * SHA-256 (base64url) of the ticket code as issued. A scanned code that hashes to it is the code the server
     * signed, so check-in need not check its signature again; a code without it (or another code for the same ticket)
     * is checked by its signature.
     */
    codeDigest: text("code_digest"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("tickets_event_idx").on(t.orgId, t.eventId),
    foreignKey({
      columns: [t.orgId, t.registrationId],
      foreignColumns: [registrations.orgId, registrations.id],
    }).onDelete("cascade"),
  ],
);

/** Door (session null) and per-session check-ins, entry and exit. The scan nonce makes kiosk replays idempotent. */
export const checkIns = pgTable(
  "check_ins",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    sessionId: uuid("session_id"),
    personId: uuid("person_id").notNull(),
    ticketId: uuid("ticket_id"),
    direction: text("direction", { enum: ["entry", "exit"] }).notNull(),
    method: text("method", { enum: ["qr", "wedge", "search", "import"] }).notNull(),
    scanNonce: text("scan_nonce").notNull(),
    deviceId: text("device_id"),
    occurredAt: ts("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("check_ins_nonce_key").on(t.orgId, t.scanNonce),
    index("check_ins_event_person_idx").on(t.orgId, t.eventId, t.personId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const polls = pgTable(
  "polls",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    sessionId: uuid("session_id"),
    question: text("question").notNull(),
    options: jsonb("options").$type<string[]>().notNull(),
    status: text("status", { enum: ["draft", "open", "closed"] })
      .notNull()
      .default("draft"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

export const pollAnswers = pgTable(
  "poll_answers",
  {
    orgId: orgId(),
    id: id(),
    pollId: uuid("poll_id").notNull(),
    personId: uuid("person_id").notNull(),
    optionIndex: smallint("option_index").notNull(),
    answeredAt: ts("answered_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("poll_answers_person_key").on(t.orgId, t.pollId, t.personId),
    foreignKey({ columns: [t.orgId, t.pollId], foreignColumns: [polls.orgId, polls.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const questions = pgTable(
  "questions",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    sessionId: uuid("session_id"),
    personId: uuid("person_id"),
    text: text("text").notNull(),
    answered: boolean("answered").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** One upvote per person and question. */
export const questionVotes = pgTable(
  "question_votes",
  {
    orgId: orgId(),
    questionId: uuid("question_id").notNull(),
    personId: uuid("person_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.questionId, t.personId] }),
    foreignKey({
      columns: [t.orgId, t.questionId],
      foreignColumns: [questions.orgId, questions.id],
    }).onDelete("cascade"),
  ],
);

export const feedback = pgTable(
  "feedback",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    sessionId: uuid("session_id"),
    personId: uuid("person_id"),
    rating: smallint("rating").notNull(),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("feedback_event_idx").on(t.orgId, t.eventId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    check("feedback_rating_check", sql`${t.rating} between 1 and 5`),
  ],
);
