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
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, orgId, ts } from "./columns.ts";
import { organizations, users } from "./tenancy.ts";

/** The longest channel or kind a touch may carry (characters). */
export const TOUCH_NAME_MAX = 64;
/** The longest campaign name a touch may carry (characters). */
export const TOUCH_CAMPAIGN_MAX = 255;

export const accounts = pgTable(
  "accounts",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    externalId: text("external_id"),
    name: text("name").notNull(),
    domain: text("domain"),
    segment: text("segment"),
    industry: text("industry"),
    employees: integer("employees"),
    territory: text("territory"),
    ownerUserId: uuid("owner_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("accounts_external_key").on(t.orgId, t.externalId),
    foreignKey({ columns: [t.orgId, t.ownerUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

export const partners = pgTable(
  "partners",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    externalId: text("external_id"),
    name: text("name").notNull(),
    tier: text("tier"),
    managerUserId: uuid("manager_user_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("partners_external_key").on(t.orgId, t.externalId),
    foreignKey({ columns: [t.orgId, t.managerUserId], foreignColumns: [users.orgId, users.id] }),
  ],
);

/** A person (contact). `buyingRole` is their role on the account's buying committee. */
export const people = pgTable(
  "people",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    externalId: text("external_id"),
    accountId: uuid("account_id"),
    partnerId: uuid("partner_id"),
    email: text("email"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    title: text("title"),
    buyingRole: text("buying_role", {
      enum: [
        "economic_buyer",
        "technical_evaluator",
        "champion",
        "executive_sponsor",
        "operational_leader",
        "finance",
        "user",
        "other",
      ],
    }),
    /** Learner profession for accredited education (e.g. MD, DO, NP, RN); physicians are MD or DO. */
    degree: text("degree"),
    npi: text("npi"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("people_external_key").on(t.orgId, t.externalId),
    uniqueIndex("people_email_key").on(t.orgId, sql`lower(${t.email})`),
    index("people_account_idx").on(t.orgId, t.accountId),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ columns: [t.orgId, t.partnerId], foreignColumns: [partners.orgId, partners.id] }),
  ],
);

export const opportunities = pgTable(
  "opportunities",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    externalId: text("external_id"),
    accountId: uuid("account_id").notNull(),
    ownerUserId: uuid("owner_user_id"),
    partnerId: uuid("partner_id"),
    name: text("name").notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull().default(0),
    currency: char("currency", { length: 3 }).notNull().default("USD"),
    stage: text("stage").notNull(),
    /** How the opportunity came to us: direct, partner_sourced, partner_influenced, event, inbound. */
    source: text("source"),
    discountPct: numeric("discount_pct", { precision: 5, scale: 2, mode: "number" }),
    openedAt: ts("opened_at").notNull(),
    closedAt: ts("closed_at"),
    isWon: boolean("is_won"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("opportunities_external_key").on(t.orgId, t.externalId),
    index("opportunities_account_idx").on(t.orgId, t.accountId),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({ columns: [t.orgId, t.ownerUserId], foreignColumns: [users.orgId, users.id] }),
    foreignKey({ columns: [t.orgId, t.partnerId], foreignColumns: [partners.orgId, partners.id] }),
  ],
);

/** Full stage history of an opportunity: analytics read the stage as of any day from here. */
export const stageChanges = pgTable(
  "stage_changes",
  {
    orgId: orgId(),
    id: id(),
    externalId: text("external_id"),
    opportunityId: uuid("opportunity_id").notNull(),
    fromStage: text("from_stage"),
    toStage: text("to_stage").notNull(),
    changedAt: ts("changed_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("stage_changes_external_key").on(t.orgId, t.externalId),
    // Histories are read in (opportunity, time, id) order with the stages left and entered: the migrations add
    // INCLUDE (to_stage, from_stage), which drizzle cannot declare, so a whole pipeline's histories, or those of
    // thousands of given opportunities, come from the index alone (an index-only scan, no sort; about a third less
    // database time per history than through the table).
    index("stage_changes_history_idx").on(t.orgId, t.opportunityId, t.changedAt, t.id),
    foreignKey({
      columns: [t.orgId, t.opportunityId],
      foreignColumns: [opportunities.orgId, opportunities.id],
    }).onDelete("cascade"),
  ],
);

export const dealRegistrations = pgTable(
  "deal_registrations",
  {
    orgId: orgId(),
    id: id(),
    externalId: text("external_id"),
    partnerId: uuid("partner_id").notNull(),
    accountId: uuid("account_id"),
    opportunityId: uuid("opportunity_id"),
    status: text("status", { enum: ["submitted", "approved", "rejected", "converted", "expired"] }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull().default(0),
    currency: char("currency", { length: 3 }).notNull().default("USD"),
    registeredAt: ts("registered_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("deal_registrations_external_key").on(t.orgId, t.externalId),
    index("deal_registrations_partner_idx").on(t.orgId, t.partnerId, t.registeredAt),
    foreignKey({ columns: [t.orgId, t.partnerId], foreignColumns: [partners.orgId, partners.id] }),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    foreignKey({
      columns: [t.orgId, t.opportunityId],
      foreignColumns: [opportunities.orgId, opportunities.id],
    }),
  ],
);

/**
 * The one append-only timeline of every interaction, online and offline, from every source. The application role
 * may insert and read but never update or delete (see the tenancy migration).
 */
export const touchpoints = pgTable(
  "touchpoints",
  {
    orgId: orgId(),
    id: id(),
    /** Idempotency: (source, external_id) is unique, so re-importing the same file adds nothing. */
    source: text("source").notNull(),
    externalId: text("external_id"),
    occurredAt: ts("occurred_at").notNull(),
    channel: text("channel").notNull(),
    kind: text("kind").notNull(),
    online: boolean("online").notNull(),
    personId: uuid("person_id"),
    accountId: uuid("account_id"),
    eventId: uuid("event_id"),
    sessionId: uuid("session_id"),
    opportunityId: uuid("opportunity_id"),
    campaign: text("campaign"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("touchpoints_source_external_key").on(t.orgId, t.source, t.externalId),
    index("touchpoints_person_idx").on(t.orgId, t.personId, t.occurredAt),
    // Journeys are read per account in (time, id) order with every attribute a model uses: the migration adds
    // INCLUDE (channel, kind, online, event_id, campaign), which drizzle cannot declare, so an account's touches
    // come from the index alone, already in order (an index-only scan instead of one table page per touch).
    index("touchpoints_account_idx").on(t.orgId, t.accountId, t.occurredAt, t.id),
    // The same for touches that carry a person but no account (they join their account through the person).
    index("touchpoints_accountless_idx")
      .on(t.orgId, t.personId, t.occurredAt, t.id)
      .where(sql`${t.accountId} is null`),
    // The accounts and people an event touched, and when, from the index alone (the migration adds INCLUDE
    // (account_id, person_id, occurred_at)). Touches with no event are left out: they are most of the timeline, and
    // no read looks them up.
    index("touchpoints_event_idx").on(t.orgId, t.eventId).where(sql`${t.eventId} is not null`),
    // Deal notes and call summaries by time: the kickoff's messaging adoption reads them without scanning every touch.
    index("touchpoints_notes_idx")
      .on(t.orgId, t.occurredAt)
      .where(sql`${t.kind} in ('deal_note', 'call_summary')`),
    foreignKey({ columns: [t.orgId, t.personId], foreignColumns: [people.orgId, people.id] }),
    foreignKey({ columns: [t.orgId, t.accountId], foreignColumns: [accounts.orgId, accounts.id] }),
    // Journeys are shipped as text with chr(30) between touches and chr(31) between fields (load-deals.ts), so the
    // names a touch carries never hold those two characters; and they stay short enough for the journey index.
    check(
      "touchpoints_names_check",
      sql`strpos(${t.channel} || ${t.kind} || coalesce(${t.campaign}, ''), chr(30)) = 0
        and strpos(${t.channel} || ${t.kind} || coalesce(${t.campaign}, ''), chr(31)) = 0`,
    ),
    check(
      "touchpoints_name_lengths_check",
      sql`char_length(${t.channel}) <= ${sql.raw(String(TOUCH_NAME_MAX))} and char_length(${t.kind}) <= ${sql.raw(String(TOUCH_NAME_MAX))}
        and char_length(${t.campaign}) <= ${sql.raw(String(TOUCH_CAMPAIGN_MAX))}`,
    ),
  ],
);
