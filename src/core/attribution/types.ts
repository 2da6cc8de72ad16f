/**
 * Public shapes of the attribution engine. Everything here is plain data: the engine is pure (no I/O, no clock,
 * randomness only from an explicit seed), so the same input always yields the same credits.
 */

/** One marketing touch of a journey. */
export interface Touch {
  /** Channel name; must be non-empty after trimming. */
  channel: string;
  /** Free-form touch kind (e.g. "webinar", "email_click"); used by the `custom` model's kind weights. */
  kind?: string;
  /** Epoch milliseconds. Either every touch of a journey has it or none does. */
  occurredAt?: number;
  /** False for offline touches (events, calls, direct mail); see `compareOnlineOnly`. */
  online: boolean;
  /** Id of the event (or other object) this touch belongs to; a possible credit key. */
  eventId?: string;
  /** Campaign this touch belongs to; a possible credit key. */
  campaign?: string;
  /** This touch created the lead (W-shaped and full-path milestone). */
  isLeadCreation?: boolean;
  /** This touch created the opportunity (W-shaped and full-path milestone). */
  isOppCreation?: boolean;
  /** This touch is the closed-won milestone touch (full-path milestone). */
  isClosedWon?: boolean;
}

/**
 * One journey (or one aggregated path standing for many identical journeys): its touches, how many of the
 * journeys converted, the value of those conversions, and how many journeys with this path did not convert.
 */
export interface Journey {
  touches: readonly Touch[];
  /** Number of conversions; finite and >= 0 (fractions allowed, as in aggregated data). */
  conversions: number;
  /** Value of the conversions; finite and >= 0, and 0 when `conversions` is 0. Defaults to 0. */
  value?: number;
  /** Number of non-converting journeys with this same path; finite and >= 0. Defaults to 0. */
  nulls?: number;
}

/** What credit is keyed by: the touch's channel, its event id, or its campaign. */
export type KeyBy = "channel" | "event" | "campaign";

/** Key used when a touch lacks the chosen key (no event id, no campaign): grouped, never dropped. */
export const MISSING_KEY = "(none)";

/** The models the engine knows, in the order `all` runs them. */
export const modelNames = [
  "first_touch",
  "last_touch",
  "linear",
  "time_decay",
  "u_shaped",
  "w_shaped",
  "full_path",
  "custom",
  "markov",
  "shapley",
] as const;
export type ModelName = (typeof modelNames)[number];

/** Conversions and value that no touch could take, with how many journeys they came from. */
export interface Unattributed {
  conversions: number;
  value: number;
  journeys: number;
}

/** Result of one model, keyed by the caller's key (channel, event or campaign); keys are sorted by name. */
export interface AttributionResult {
  model: string;
  keyBy: KeyBy;
  conversions: Record<string, number>;
  value: Record<string, number>;
  /** Totals of the input: attributed credits + unattributed = total. */
  total: { conversions: number; value: number };
  /** Journeys with no touch (or, for `custom`, with all touch weights 0): reported, never dropped silently. */
  unattributed: Unattributed;
  /** Markov only: removal effect per channel (always keyed by channel). */
  removalEffect?: Record<string, number>;
  /** Markov only: probability of reaching conversion from the start state. */
  pConversion?: number;
  /** Shapley only: whether the exact solution or the Monte-Carlo estimate was used. */
  method?: "exact" | "sampled";
  /** Shapley sampled only: number of permutations drawn. */
  samples?: number;
  /** Shapley sampled only: standard error of each channel's credit (keyed by channel, like removalEffect). */
  standardError?: { conversions: Record<string, number>; value: Record<string, number> };
}
