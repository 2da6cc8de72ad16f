import { type Calibration, calibration } from "./calibration.ts";
import type { LearnerResponse } from "./model.ts";
import {
  type ClassAverageGain,
  gainOfClassAverages,
  type MeanOfLearnerGains,
  meanOfLearnerGains,
} from "./normalized-gain.ts";
import { type PairedEffectSize, pairedEffectSize } from "./paired-effect-size.ts";
import { type Retention, retention } from "./retention.ts";
import { learnerPercents, matchLearners, meanPercent } from "./scores.ts";

export interface PhaseMean {
  /** Learners with at least one answer in the phase. */
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
  /** Learners with both a pre and a post score: the sample of both gains and of d_z. */
  matchedPrePost: number;
  gainOfClassAverages: ClassAverageGain;
  meanOfLearnerGains: MeanOfLearnerGains;
  effectSize: PairedEffectSize;
  retention: Retention[];
  calibration: { pre: Calibration; post: Calibration; delayed: Calibration };
}

/** Pre, post and delayed means, both normalized gains, d_z, retention per delay and calibration per phase. */
export function knowledgeMetrics(
  itemIds: readonly string[],
  responses: readonly LearnerResponse[],
): KnowledgeMetrics {
  const ids = new Set(itemIds);
  const mine = responses.filter((r) => ids.has(r.itemId));
  const pre = learnerPercents(mine, "pre");
  const post = learnerPercents(mine, "post");
  const delays = [
    ...new Set(
      mine.flatMap((r) => (r.phase === "delayed" && r.delayDays !== undefined ? [r.delayDays] : [])),
    ),
  ].sort((a, b) => a - b);
  const delayed = delays.map((d) => ({ delayDays: d, scores: learnerPercents(mine, "delayed", d) }));
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
    matchedPrePost: matchLearners(pre, post).length,
    gainOfClassAverages: gainOfClassAverages(pre, post),
    meanOfLearnerGains: meanOfLearnerGains(pre, post),
    effectSize: pairedEffectSize(pre, post),
    retention: delayed.map((d) => retention(post, d.scores, d.delayDays)),
    calibration: {
      pre: calibration(mine.filter((r) => r.phase === "pre")),
      post: calibration(mine.filter((r) => r.phase === "post")),
      delayed: calibration(mine.filter((r) => r.phase === "delayed")),
    },
  };
}
