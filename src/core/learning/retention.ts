import { type LearnerScore, matchLearners, meanPercent } from "./scores.ts";
import { mean, ratio } from "./stats.ts";

/** How much of the post-test score is still there at one delay. Ratios are null when the post mean is 0. */
export interface Retention {
  delayDays: number;
  /** All learners who took the post-test / the delayed check, whether or not they took the other. */
  postMean: number | null;
  delayedMean: number | null;
  postCount: number;
  delayedCount: number;
  /** delayedMean / postMean over everyone who took each test. */
  ratio: number | null;
  /** The same ratio over learners who took both, so drop-outs cannot move it. */
  matched: { n: number; postMean: number | null; delayedMean: number | null; ratio: number | null };
}

/** Retention at one delay: delayed mean / post mean, over all learners and over matched learners. */
export function retention(
  post: readonly LearnerScore[],
  delayed: readonly LearnerScore[],
  delayDays: number,
): Retention {
  const postMean = meanPercent(post);
  const delayedMean = meanPercent(delayed);
  const pairs = matchLearners(post, delayed);
  const mPost = mean(pairs.map((p) => p.first));
  const mDelayed = mean(pairs.map((p) => p.second));
  return {
    delayDays,
    postMean,
    delayedMean,
    postCount: post.length,
    delayedCount: delayed.length,
    ratio: postMean === null || delayedMean === null ? null : ratio(delayedMean, postMean),
    matched: {
      n: pairs.length,
      postMean: mPost,
      delayedMean: mDelayed,
      ratio: mPost === null || mDelayed === null ? null : ratio(mDelayed, mPost),
    },
  };
}
