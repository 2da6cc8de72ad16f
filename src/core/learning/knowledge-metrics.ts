import { type Calibration, calibration } from "./calibration.ts";
import type { LearnerResponse, Phase } from "./model.ts";
import {
  type ClassAverageGain,
  type GainUnavailable,
  gainOfClassAverages,
  type MeanOfLearnerGains,
  meanOfLearnerGains,
} from "./normalized-gain.ts";
import { type PairedEffectSize, pairedEffectSize } from "./paired-effect-size.ts";
import { type Retention, retention } from "./retention.ts";
import { inPhase, learnerPercents, matchLearners, meanPercent } from "./scores.ts";

export interface PhaseMean {
  /** Learners with at least one answer in the phase (any item). */
  n: number;
  /** Mean of the learners' percents (each learner weighs the same); null when n is 0. */
  meanPercent: number | null;
}

/** Knowledge-check results for one set of items (an activity, a session, an objective or a Moore level). */
export interface KnowledgeMetrics {
  itemCount: number;
  responseCount: number;
  pre: PhaseMean;
  post: PhaseMean;
  delayed: (PhaseMean & { delayDays: number })[];
  /** Items asked both pre and post: the only items gains and d_z are computed on. */
  prePostItems: number;
  /** Learners with both a pre and a post score on those items: the sample of both gains and of d_z. */
  matchedPrePost: number;
  gainOfClassAverages: ClassAverageGain;
  meanOfLearnerGains: MeanOfLearnerGains;
  effectSize: PairedEffectSize;
  /** One per delay, on items asked both post and at that delay. */
  retention: Retention[];
  calibration: { pre: Calibration; post: Calibration; delayed: Calibration };
}

/** Items answered by someone in both phases: gains and retention compare like with like. */
function commonItems(
  responses: readonly LearnerResponse[],
  a: Phase,
  b: Phase,
  delayDays?: number,
): Set<string> {
  const inA = new Set(responses.filter((r) => inPhase(r, a)).map((r) => r.itemId));
  return new Set(responses.filter((r) => inPhase(r, b, delayDays) && inA.has(r.itemId)).map((r) => r.itemId));
}

/**
 * Pre, post and delayed means, both normalized gains, d_z, retention per delay and calibration per phase.
 * Phase means use every item; gains and d_z use only items asked both pre and post, and retention only items
 * asked both post and at that delay, so a post-only item can never pass for learning.
 */
export function knowledgeMetrics(
  itemIds: readonly string[],
  responses: readonly LearnerResponse[],
): KnowledgeMetrics {
  const ids = new Set(itemIds);
  const mine = responses.filter((r) => ids.has(r.itemId));
  const pre = learnerPercents(mine, "pre");
  const post = learnerPercents(mine, "post");
  const prePostItems = commonItems(mine, "pre", "post");
  const paired = mine.filter((r) => prePostItems.has(r.itemId));
  const pairedPre = learnerPercents(paired, "pre");
  const pairedPost = learnerPercents(paired, "post");
  // A pre-test on other items than the post-test is a baseline, but not one a gain can be computed against.
  const unavailable: GainUnavailable | null =
    pre.length === 0
      ? { kind: "no_baseline" }
      : prePostItems.size === 0
        ? { kind: "no_matched_learners", preCount: pre.length, postCount: post.length }
        : null;
  const delays = [
    ...new Set(
      mine.flatMap((r) => (r.phase === "delayed" && r.delayDays !== undefined ? [r.delayDays] : [])),
    ),
  ].sort((a, b) => a - b);
  const delayed = delays.map((d) => {
    const common = commonItems(mine, "post", "delayed", d);
    const kept = mine.filter((r) => common.has(r.itemId));
    return {
      delayDays: d,
      scores: learnerPercents(mine, "delayed", d),
      retention: retention(learnerPercents(kept, "post"), learnerPercents(kept, "delayed", d), d),
    };
  });
  return {
    itemCount: ids.size,
    responseCount: mine.length,
    pre: { n: pre.length, meanPercent: meanPercent(pre) },
    post: { n: post.length, meanPercent: meanPercent(post) },
    delayed: delayed.map((d) => ({
      delayDays: d.delayDays,
      n: d.scores.length,
      meanPercent: meanPercent(d.scores),
    })),
    prePostItems: prePostItems.size,
    matchedPrePost: matchLearners(pairedPre, pairedPost).length,
    gainOfClassAverages: unavailable ?? gainOfClassAverages(pairedPre, pairedPost),
    meanOfLearnerGains: unavailable ?? meanOfLearnerGains(pairedPre, pairedPost),
    effectSize: pairedEffectSize(pairedPre, pairedPost),
    retention: delayed.map((d) => d.retention),
    calibration: {
      pre: calibration(mine.filter((r) => r.phase === "pre")),
      post: calibration(mine.filter((r) => r.phase === "post")),
      delayed: calibration(mine.filter((r) => r.phase === "delayed")),
    },
  };
}
