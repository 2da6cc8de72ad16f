/**
 * The world's baselines: fixed, documented constants (docs/demo-world.md) that the planted effects are measured
 * against. Effects are parameters (effects.json); these are not, so that every effect has a stable reference.
 */

export const HISTORY_DAYS = 365;

export const SEGMENTS = ["smb", "mid_market", "enterprise"] as const;
export const SEGMENT_SHARE = [0.5, 0.35, 0.15];
/** People per account, inclusive range, by segment. */
export const PEOPLE_PER_ACCOUNT: readonly [number, number][] = [
  [2, 4],
  [4, 8],
  [8, 16],
];
export const EMPLOYEES: readonly [number, number][] = [
  [10, 200],
  [200, 2000],
  [2000, 50000],
];
/** Volume multiplier by segment (leads, tickets, offline meetings). */
export const SIZE_FACTOR = [0.6, 1, 1.8];

/** Mean days an opportunity spends in a stage, by segment; every stage duration is exponential with this mean. */
export const STAGE_MEAN_DAYS = [20, 32, 45];
/** New (direct or inbound) opportunities per account and year, by segment, before the scale's multiplier. */
export const OPPS_PER_ACCOUNT_YEAR = [1.0, 2.0, 3.5];
/** Median deal size in dollars by segment; amounts are log-normal around it (sigma 0.6). */
export const AMOUNT_MEDIAN = [15_000, 60_000, 250_000];
export const AMOUNT_SIGMA = 0.6;
/**
 * Number of stage changes until an opportunity closes (3, 4 or 5, each after an exponential stay): a close after 5
 * passes through negotiation; after 3 or 4 it skips the remaining stages. Independent of everything else.
 */
export const CHANGES_TO_CLOSE = [3, 4, 5];
export const CHANGES_TO_CLOSE_WEIGHTS = [0.15, 0.25, 0.6];
/** Share of direct opportunities a partner influenced. */
export const PARTNER_INFLUENCED_SHARE = 0.1;

/** Win probability at close: base, plus a linear market drift per year of distance from the kickoff. */
export const WIN_RATE_BASE = 0.28;
export const WIN_RATE_DRIFT_PER_YEAR = 0.03;
/** Share of reps at the sales kickoff; the others are the baseline for drift. */
export const SKO_ATTENDANCE = 0.8;
export const SKO_DAYS_BEFORE_NOW = 150;

/** Share of accounts that are customers (product usage, tickets, training). */
export const CUSTOMER_SHARE = 0.45;
/** Share of customer accounts sent to one customer training. */
export const TRAINED_SHARE = 0.5;
/** Share of a trained account's product users who attend; each attends each session with this probability. */
export const TRAINEE_SHARE = 0.7;
export const SESSION_ATTENDANCE = 0.8;
/** P(at least one independent use of a feature in any 90-day window) for an untrained user. */
export const USAGE_BASE_SHARE_90 = 0.25;
/** Ticket rate multiplier per topic, by segment, is SIZE_FACTOR; the yearly rate per topic comes from the scale. */

/** Lead → opportunity within 90 days for every lead not followed up contextually within 24 hours. */
export const LEAD_BASE_CONVERSION = 0.1;
/** Share of leads whose first follow-up is contextual, is sent within 24 hours, and that get none at all. */
export const CONTEXTUAL_SHARE = 0.5;
export const FAST_SHARE = 0.55;
export const NO_FOLLOW_UP_SHARE = 0.05;
/** A field account's lead is captured in person with this probability, else at the slot's webinar. */
export const IN_PERSON_LEAD_SHARE = 0.6;

/** Roundtable attendance probability of a field account by segment (times the scale's factor). */
export const ROUNDTABLE_ATTENDANCE = [0.05, 0.3, 0.55];
export const ROUNDTABLE_ACCOUNTS_PER_EVENT = 12;
/** Days after a roundtable in which a change counts; planted stalls make no change inside it. */
export const STALL_WINDOW_DAYS = 60;

export const PARTNER_TIERS = ["gold", "silver", "registered"] as const;
export const PARTNER_TIER_SHARE = [0.2, 0.4, 0.4];
/** Deal registrations per 30 days by tier, before any partner event. */
export const REGISTRATIONS_PER_MONTH = [3, 1.5, 0.6];
export const PARTNER_EVENT_ATTENDANCE = [0.7, 0.5, 0.3];

/** CME: pre-test correctness of item i (0..9) is 0.30 + 0.03·(i + 0.5), mean 0.45; learner ability ±0.10. */
export const CME_ITEMS = 10;
export const CME_PRE_MEAN = 0.45;
export const CME_ABILITY = 0.1;

export const FEATURES = [
  "dashboards",
  "workflows",
  "api",
  "permissions",
  "integrations",
  "forecasting",
  "alerts",
  "exports",
] as const;
export const CORE_FEATURES = ["login", "search"] as const;
export const TICKET_TOPICS = [...FEATURES, "billing", "login", "performance"] as const;
