import { type LearnerScore, matchLearners } from "./scores.ts";
import { mean } from "./stats.ts";

/** A pre score at (or within rounding of) 100% leaves no headroom: its gain is undefined, not zero. */
const CEILING = 100 - 1e-9;

/** Normalized gain of one pair of percents, (post − pre) / (100 − pre); null when pre is 100 (no headroom). */
export function normalizedGain(prePercent: number, postPercent: number): number | null {
  if (prePercent >= CEILING) return null;
  return (postPercent - prePercent) / (100 - prePercent);
}

/** Why a gain could not be computed. `no_baseline` means there was no pre-test at all. */
export type GainUnavailable =
  | { kind: "no_baseline" }
  | { kind: "no_matched_learners"; preCount: number; postCount: number }
  | { kind: "no_headroom"; matched: number; excludedAtCeiling: number };

/** Hake's ⟨g⟩ computed once from the matched learners' class averages. */
export type ClassAverageGain =
  | {
      kind: "gain";
      basis: "gain_of_class_averages";
      value: number;
      preMean: number;
      postMean: number;
      matched: number;
    }
  | GainUnavailable;

/** The mean of each matched learner's own gain; learners who scored 100 on the pre-test are left out and counted. */
export type MeanOfLearnerGains =
  | {
      kind: "gain";
      basis: "mean_of_learner_gains";
      value: number;
      included: number;
      excludedAtCeiling: number;
    }
  | GainUnavailable;

function unavailable(
  pre: readonly LearnerScore[],
  post: readonly LearnerScore[],
  matched: number,
): GainUnavailable | null {
  if (pre.length === 0) return { kind: "no_baseline" };
  if (matched === 0) return { kind: "no_matched_learners", preCount: pre.length, postCount: post.length };
  return null;
}

/**
 * ⟨g⟩ = (post − pre) / (100 − pre) on the class averages of learners who took both tests. Only matched learners
 * count, so a learner who skipped the post-test cannot pull the baseline down.
 */
export function gainOfClassAverages(
  pre: readonly LearnerScore[],
  post: readonly LearnerScore[],
): ClassAverageGain {
  const pairs = matchLearners(pre, post);
  const missing = unavailable(pre, post, pairs.length);
  if (missing) return missing;
  const preMean = mean(pairs.map((p) => p.first)) ?? 0;
  const postMean = mean(pairs.map((p) => p.second)) ?? 0;
  const value = normalizedGain(preMean, postMean);
  if (value === null) return { kind: "no_headroom", matched: pairs.length, excludedAtCeiling: pairs.length };
  return { kind: "gain", basis: "gain_of_class_averages", value, preMean, postMean, matched: pairs.length };
}

/** Mean over matched learners of g_i = (post_i − pre_i) / (100 − pre_i), excluding (and counting) pre_i = 100. */
export function meanOfLearnerGains(
  pre: readonly LearnerScore[],
  post: readonly LearnerScore[],
): MeanOfLearnerGains {
  const pairs = matchLearners(pre, post);
  const missing = unavailable(pre, post, pairs.length);
  if (missing) return missing;
  const gains: number[] = [];
  let excludedAtCeiling = 0;
  for (const p of pairs) {
    const g = normalizedGain(p.first, p.second);
    if (g === null) excludedAtCeiling += 1;
    else gains.push(g);
  }
  const value = mean(gains);
  if (value === null) return { kind: "no_headroom", matched: pairs.length, excludedAtCeiling };
  return { kind: "gain", basis: "mean_of_learner_gains", value, included: gains.length, excludedAtCeiling };
}
