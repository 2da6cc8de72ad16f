import { z } from "zod";
import { AppError } from "../core/errors.ts";
import {
  CME_PRE_MEAN,
  LEAD_BASE_CONVERSION,
  REGISTRATIONS_PER_MONTH,
  USAGE_BASE_SHARE_90,
  WIN_RATE_BASE,
  WIN_RATE_DRIFT_PER_YEAR,
} from "./constants.ts";
import defaults from "./effects.json" with { type: "json" };

const share = (what: string) => z.number().min(0).max(1).describe(what);

/**
 * The planted effects: each a named parameter whose exact definition (population, formula, recovery) is in
 * docs/demo-world.md. Bounds keep every per-unit probability inside [0, 1] given the baselines in constants.ts.
 */
export const effectsShape = {
  roundtable_velocity_lift: z
    .number()
    .min(0)
    .max(0.95)
    .describe("1 − E[days to next stage | ≤ 60 d, attending] / E[same | comparable non-attending]"),
  roundtable_stall_share: share(
    "share of attending accounts' open opportunities with no stage change in 60 days",
  ),
  contextual_followup_lift: z
    .number()
    .min(-LEAD_BASE_CONVERSION)
    .max(1 - LEAD_BASE_CONVERSION)
    .describe(
      "P(lead → opportunity in 90 d | contextual follow-up ≤ 24 h) minus the same for generic or late",
    ),
  cme_normalized_gain: z.number().min(0).max(0.95).describe("Hake's class-average normalized gain ⟨g⟩"),
  cme_retention_30: share("mean 30-day delayed score / mean post score"),
  cme_retention_90: share("mean 90-day delayed score / mean post score"),
  cme_confident_wrong_share: share("share of post answers that are wrong with confidence ≥ 3"),
  training_independent_use_lift: z
    .number()
    .min(-USAGE_BASE_SHARE_90)
    .max(1 - USAGE_BASE_SHARE_90)
    .describe("share of trained (learner, feature) pairs used independently within 90 d minus untrained"),
  training_ticket_change: z
    .number()
    .min(-1)
    .max(3)
    .describe("relative change of trained-topic tickets per account after vs before, trained minus control"),
  partner_registration_lift: z
    .number()
    .min(-Math.min(...REGISTRATIONS_PER_MONTH))
    .max(30)
    .describe("deal registrations per month per attending partner, after minus before, minus non-attending"),
  sko_win_rate_lift: z
    .number()
    .min(-(WIN_RATE_BASE - WIN_RATE_DRIFT_PER_YEAR))
    .max(1 - WIN_RATE_BASE - WIN_RATE_DRIFT_PER_YEAR)
    .describe(
      "win-rate lift at the kickoff (kept by reinforced reps), difference-in-differences vs absent reps",
    ),
  sko_decay_half_life_weeks: z
    .number()
    .min(0.5)
    .max(520)
    .describe("half-life in weeks of the lift of reps without reinforcement"),
  sko_reinforced_share: share("share of kickoff attendees enrolled in the reinforcement journey"),
  offline_won_revenue_share: z
    .number()
    .min(0.05)
    .max(1)
    .describe("share of won revenue whose account journey before close holds an offline touch"),
};

export type Effects = { [K in keyof typeof effectsShape]: number };

/** Highest post-test mean correctness over items and learners, for the confident-and-wrong bound. */
const postMean = (g: number) => CME_PRE_MEAN + g * (1 - CME_PRE_MEAN);

function checkCombination(e: Effects, ctx: z.RefinementCtx): void {
  const maxWrongConfident = 1 - postMean(e.cme_normalized_gain);
  if (e.cme_confident_wrong_share > maxWrongConfident + 1e-12) {
    ctx.addIssue({
      code: "custom",
      path: ["cme_confident_wrong_share"],
      message: `must be at most the post-test wrong share 1 − (${CME_PRE_MEAN} + g·${1 - CME_PRE_MEAN}) = ${maxWrongConfident.toFixed(4)} for cme_normalized_gain ${e.cme_normalized_gain}`,
    });
  }
}

/** Every effect, all required (the defaults file is checked against it). */
export const effectsSchema = z.object(effectsShape).strict().superRefine(checkCombination);

/** An override file: any subset of the effects; an unknown key is an error naming it. */
export const effectsOverrideSchema = z.object(effectsShape).partial().strict();

/** The documented defaults (src/demo/effects.json). */
export const DEFAULT_EFFECTS: Effects = effectsSchema.parse(defaults);

/** Defaults with the overrides applied, validated as a whole; a bad value is an AppError naming the effect. */
export function resolveEffects(overrides: Partial<Effects> = {}): Effects {
  const partial = effectsOverrideSchema.safeParse(overrides);
  if (!partial.success) throw effectError(partial.error);
  const merged = effectsSchema.safeParse({ ...DEFAULT_EFFECTS, ...partial.data });
  if (!merged.success) throw effectError(merged.error);
  return merged.data as Effects;
}

/** One line naming the effect at fault. */
export function describeEffectsIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    return `unknown effect ${issue.keys.map((k) => `"${k}"`).join(", ")}; known effects: ${Object.keys(effectsShape).join(", ")}`;
  }
  const path = issue.path.map(String).join(".");
  return path ? `effect "${path}": ${issue.message}` : issue.message;
}

function effectError(error: z.ZodError): AppError {
  const issue = error.issues[0]!;
  return new AppError(
    "validation",
    describeEffectsIssue(error),
    issue.path.map(String).join(".") || undefined,
  );
}
