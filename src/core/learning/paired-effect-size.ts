import { type LearnerScore, matchLearners } from "./scores.ts";
import { mean, ratio, sampleVariance } from "./stats.ts";

/** Cohen's d_z on matched pre/post percents. dz is null below 2 pairs or when every difference is the same. */
export interface PairedEffectSize {
  n: number;
  meanDifference: number | null;
  sdDifference: number | null;
  dz: number | null;
}

/** d_z = mean(post_i − pre_i) / sd(post_i − pre_i), sd with the n − 1 denominator, over matched learners. */
export function pairedEffectSize(
  pre: readonly LearnerScore[],
  post: readonly LearnerScore[],
): PairedEffectSize {
  const diffs = matchLearners(pre, post).map((p) => p.second - p.first);
  const meanDifference = mean(diffs);
  const variance = sampleVariance(diffs);
  const sdDifference = variance === null ? null : Math.sqrt(variance);
  // Identical differences give sd 0 (or rounding noise): the standardized effect is undefined, not infinite.
  const dz =
    meanDifference === null || sdDifference === null || sdDifference < 1e-9
      ? null
      : ratio(meanDifference, sdDifference);
  return { n: diffs.length, meanDifference, sdDifference, dz };
}
