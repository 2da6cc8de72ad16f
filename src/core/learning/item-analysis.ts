import type { LearnerResponse, Phase } from "./model.ts";
import { learnerItemScores } from "./scores.ts";
import { byString, mean, pearson, sampleVariance } from "./stats.ts";

/** Cronbach's α of a learners × items score matrix (rows learners, columns items); null below 2 items or 2 learners or with no variance in totals. */
export function cronbachAlpha(matrix: readonly (readonly number[])[]): number | null {
  const n = matrix.length;
  const k = matrix[0]?.length ?? 0;
  if (n < 2 || k < 2) return null;
  let itemVarianceSum = 0;
  for (let j = 0; j < k; j++) itemVarianceSum += sampleVariance(matrix.map((row) => row[j] ?? 0)) ?? 0;
  const totalVariance = sampleVariance(matrix.map((row) => rowSum(row, k))) ?? 0;
  if (totalVariance <= 1e-12) return null;
  return (k / (k - 1)) * (1 - itemVarianceSum / totalVariance);
}

/**
 * Corrected item–total (point-biserial) correlation of column `item`: the item's scores against each learner's
 * total over the other items, so the item does not correlate with itself. Null when either side has no variance.
 */
export function correctedItemTotal(matrix: readonly (readonly number[])[], item: number): number | null {
  const k = matrix[0]?.length ?? 0;
  if (item < 0 || item >= k) return null;
  const own = matrix.map((row) => row[item] ?? 0);
  const rest = matrix.map((row, i) => rowSum(row, k) - (own[i] ?? 0));
  return pearson(own, rest);
}

function rowSum(row: readonly number[], k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += row[j] ?? 0;
  return s;
}

export interface ItemStatistics {
  itemId: string;
  /** Learners who answered the item in this phase. */
  answered: number;
  /** Proportion correct (mean item score, 0..1) among those learners; null when nobody answered. */
  facility: number | null;
  /** Corrected item–total correlation over learners who answered every item; null when it cannot be computed. */
  discrimination: number | null;
}

export interface ItemAnalysis {
  phase: Phase;
  delayDays: number | null;
  /** Number of items analysed. */
  k: number;
  /** Learners who answered all k items: the sample α and discrimination use. */
  completeLearners: number;
  alpha: number | null;
  items: ItemStatistics[];
}

/**
 * Facility, discrimination and α for a set of items in one phase. α and discrimination need a complete matrix,
 * so they use only learners who answered every item; facility uses everyone who answered that item.
 */
export function itemAnalysis(
  itemIds: readonly string[],
  responses: readonly LearnerResponse[],
  phase: Phase = "post",
  delayDays?: number,
): ItemAnalysis {
  const ids = [...new Set(itemIds)].sort(byString);
  const byLearner = learnerItemScores(responses, phase, delayDays);
  const learners = [...byLearner.keys()].sort(byString);
  const complete: number[][] = [];
  for (const learnerId of learners) {
    const scores = byLearner.get(learnerId);
    if (!scores || !ids.every((id) => scores.has(id))) continue;
    complete.push(ids.map((id) => scores.get(id) ?? 0));
  }
  const items = ids.map((itemId, j): ItemStatistics => {
    const answers: number[] = [];
    for (const learnerId of learners) {
      const s = byLearner.get(learnerId)?.get(itemId);
      if (s !== undefined) answers.push(s);
    }
    return {
      itemId,
      answered: answers.length,
      facility: mean(answers),
      discrimination: correctedItemTotal(complete, j),
    };
  });
  return {
    phase,
    delayDays: phase === "delayed" ? (delayDays ?? null) : null,
    k: ids.length,
    completeLearners: complete.length,
    alpha: cronbachAlpha(complete),
    items,
  };
}
