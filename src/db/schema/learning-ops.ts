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
import { people } from "./crm.ts";
import { events } from "./events.ts";
import { assessmentItems, assessments } from "./learning.ts";
import { organizations } from "./tenancy.ts";

/**
 * Operations around learning measurement: the fixed measurement schedule, reinforcement drills (kept apart from
 * measurement), per-event learning settings, accreditation data for ACCME-style exports, and link-signing keys.
 */

/**
 * The fixed measurement schedule of an assessment: one window per phase (and per delay for delayed checks),
 * created when the assessment is set up. Answers are accepted only inside the window.
 */
export const assessmentWindows = pgTable(
  "assessment_windows",
  {
    orgId: orgId(),
    id: id(),
    assessmentId: uuid("assessment_id").notNull(),
    phase: text("phase", { enum: ["pre", "post", "delayed"] }).notNull(),
    /** 0 for pre and post; the nominal delay in days for delayed checks. */
    delayDays: integer("delay_days").notNull().default(0),
    opensAt: ts("opens_at").notNull(),
    closesAt: ts("closes_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("assessment_windows_key").on(t.orgId, t.assessmentId, t.phase, t.delayDays),
    foreignKey({
      columns: [t.orgId, t.assessmentId],
      foreignColumns: [assessments.orgId, assessments.id],
    }).onDelete("cascade"),
    check("assessment_windows_phase_check", sql`${t.phase} in ('pre','post','delayed')`),
    check("assessment_windows_dates_check", sql`${t.closesAt} > ${t.opensAt}`),
  ],
);

/** Per-event learning settings: follow-up and reminder delays, and the credit rule (compliance). */
export const learningSettings = pgTable(
  "learning_settings",
  {
    orgId: orgId(),
    eventId: uuid("event_id").notNull(),
    /** Default delayed checks, in days after the activity ends, for assessments that name none. */
    delayDays: jsonb("delay_days").$type<number[]>().notNull().default([30, 90]),
    commitmentFollowUpDays: integer("commitment_follow_up_days").notNull().default(30),
    reminderAfterDays: integer("reminder_after_days").notNull().default(3),
    /** Days a post or delayed check stays open after it opens. */
    windowDays: integer("window_days").notNull().default(14),
    creditType: text("credit_type").notNull().default("AMA PRA Category 1 Credit"),
    minSessionShare: numeric("min_session_share", { precision: 4, scale: 3, mode: "number" })
      .notNull()
      .default(0.75),
    minTotalMinutes: integer("min_total_minutes").notNull().default(60),
    creditIncrement: numeric("credit_increment", { precision: 4, scale: 2, mode: "number" })
      .notNull()
      .default(0.25),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.eventId] }),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** Accreditation data of one CME activity (an event), as the ACCME PARS activity record asks for it. */
export const accreditationActivities = pgTable(
  "accreditation_activities",
  {
    orgId: orgId(),
    eventId: uuid("event_id").notNull(),
    providerActivityId: text("provider_activity_id").notNull(),
    /** PARS activity type, e.g. "Course", "Regularly Scheduled Series", "Internet Live Course". */
    activityType: text("activity_type").notNull().default("Course"),
    providership: text("providership", { enum: ["Direct", "Joint"] })
      .notNull()
      .default("Direct"),
    jointProviders: jsonb("joint_providers").$type<string[]>().notNull().default([]),
    city: text("city"),
    state: text("state"),
    country: text("country"),
    /** Hours of instruction; defaults to the sum of session hours when null. */
    hoursOfInstruction: numeric("hours_of_instruction", { precision: 6, scale: 2, mode: "number" }),
    /** AMA PRA Category 1 Credits designated; defaults to the sum of session credit hours when null. */
    creditsDesignated: numeric("credits_designated", { precision: 6, scale: 2, mode: "number" }),
    /** What the activity was designed to change: any of competence, performance, patient_outcomes. */
    designedToChange: jsonb("designed_to_change").$type<string[]>().notNull().default([]),
    /** What change was evaluated; derived from the measured outcome level when empty. */
    changesEvaluated: jsonb("changes_evaluated").$type<string[]>().notNull().default([]),
    competencies: jsonb("competencies").$type<string[]>().notNull().default([]),
    commercialSupport: boolean("commercial_support").notNull().default(false),
    commercialSupporters: jsonb("commercial_supporters")
      .$type<{ name: string; monetaryAmount?: number; inKind?: string }[]>()
      .notNull()
      .default([]),
    description: text("description"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.eventId] }),
    uniqueIndex("accreditation_activities_provider_id_key").on(t.orgId, t.providerActivityId),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** Learner identity that accredited-credit reporting needs and a CRM contact does not carry. */
export const learnerProfiles = pgTable(
  "learner_profiles",
  {
    orgId: orgId(),
    personId: uuid("person_id").notNull(),
    licenseState: text("license_state"),
    licenseNumber: text("license_number"),
    certifyingBoard: text("certifying_board"),
    boardId: text("board_id"),
    birthMonth: smallint("birth_month"),
    birthDay: smallint("birth_day"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.personId] }),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }).onDelete(
      "cascade",
    ),
    check(
      "learner_profiles_birth_check",
      sql`${t.birthMonth} between 1 and 12 and ${t.birthDay} between 1 and 31`,
    ),
  ],
);

/**
 * Reinforcement drills: one FSRS card per learner × objective of an event. Practice, never measurement: drill
 * answers live in drill_reviews and never in responses.
 */
export const drillCards = pgTable(
  "drill_cards",
  {
    orgId: orgId(),
    id: id(),
    eventId: uuid("event_id").notNull(),
    personId: uuid("person_id").notNull(),
    objective: text("objective").notNull(),
    /** The ts-fsrs card state (dates as ISO strings). */
    fsrs: jsonb("fsrs").$type<Record<string, unknown>>().notNull(),
    dueAt: ts("due_at").notNull(),
    reviews: integer("reviews").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("drill_cards_key").on(t.orgId, t.eventId, t.personId, t.objective),
    index("drill_cards_due_idx").on(t.orgId, t.dueAt),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [events.orgId, events.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
  ],
);

export const drillReviews = pgTable(
  "drill_reviews",
  {
    orgId: orgId(),
    id: id(),
    cardId: uuid("card_id").notNull(),
    itemId: uuid("item_id").notNull(),
    /** The day the card was due: one review per card and due day, so a reused link cannot review twice. */
    dueDay: text("due_day").notNull(),
    answer: jsonb("answer").$type<number[]>().notNull(),
    correct: boolean("correct").notNull(),
    confidence: smallint("confidence").notNull(),
    rating: text("rating", { enum: ["again", "hard", "good", "easy"] }).notNull(),
    reviewedAt: ts("reviewed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("drill_reviews_card_day_key").on(t.orgId, t.cardId, t.dueDay),
    foreignKey({ columns: [t.orgId, t.cardId], foreignColumns: [drillCards.orgId, drillCards.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.orgId, t.itemId],
      foreignColumns: [assessmentItems.orgId, assessmentItems.id],
    }).onDelete("cascade"),
    check("drill_reviews_confidence_check", sql`${t.confidence} between 1 and 4`),
  ],
);

/** The HMAC key that signs an organization's learner links (assessments, commitments, drills, credits). */
export const learningLinkKeys = pgTable(
  "learning_link_keys",
  {
    orgId: orgId().references(() => organizations.id),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId] })],
);
