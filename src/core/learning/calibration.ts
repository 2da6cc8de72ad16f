import { CONFIDENCE_SCALE, CONFIDENT_STEP } from "./confidence-scale.ts";
import type { ConfidenceStep, Item, LearnerResponse } from "./model.ts";
import { isWrong, responseScore } from "./scores.ts";
import { byString, mean, ratio } from "./stats.ts";

export interface CalibrationBin {
  step: ConfidenceStep;
  probability: number;
  n: number;
  /** Mean score of the answers given at this step; null when the step was never chosen. */
  accuracy: number | null;
}

/**
 * How well stated confidence matched results, over responses that carry a confidence step. All statistics are
 * null when no response has one.
 */
export interface Calibration {
  n: number;
  accuracy: number | null;
  meanConfidence: number | null;
  /** Mean of (p − score)², in [0, 1]; 0 is perfect. */
  brier: number | null;
  /** Σ over the 4 steps of (n_step / n) × |accuracy_step − p_step|. */
  ece: number | null;
  /** Mean confidence − accuracy; positive means overconfident. */
  overconfidence: number | null;
  bins: CalibrationBin[];
  /** Answers given at step ≥ 3 (fairly sure or certain) that were wrong, and their share of n. */
  confidentWrong: { count: number; share: number | null };
}

const steps: ConfidenceStep[] = [1, 2, 3, 4];

/** Brier score, expected calibration error (bins = the 4 confidence steps) and overconfidence. */
export function calibration(responses: readonly LearnerResponse[]): Calibration {
  const rated = responses.filter((r) => r.confidence !== undefined);
  const bins = steps.map((step): CalibrationBin & { sum: number } => ({
    step,
    probability: CONFIDENCE_SCALE[step].probability,
    n: 0,
    accuracy: null,
    sum: 0,
  }));
  let brierSum = 0;
  let confidentWrong = 0;
  for (const r of rated) {
    const step = r.confidence as ConfidenceStep;
    const p = CONFIDENCE_SCALE[step].probability;
    const s = responseScore(r);
    brierSum += (p - s) ** 2;
    const bin = bins[step - 1];
    if (bin) {
      bin.n += 1;
      bin.sum += s;
    }
    if (step >= CONFIDENT_STEP && isWrong(r)) confidentWrong += 1;
  }
  const n = rated.length;
  const accuracy = mean(rated.map(responseScore));
  const meanConfidence = mean(rated.map((r) => CONFIDENCE_SCALE[r.confidence as ConfidenceStep].probability));
  let ece: number | null = null;
  if (n > 0) {
    ece = 0;
    for (const b of bins) if (b.n > 0) ece += (b.n / n) * Math.abs(b.sum / b.n - b.probability);
  }
  return {
    n,
    accuracy,
    meanConfidence,
    brier: n > 0 ? brierSum / n : null,
    ece,
    overconfidence: accuracy === null || meanConfidence === null ? null : meanConfidence - accuracy,
    bins: bins.map(({ sum, ...b }) => ({ ...b, accuracy: b.n > 0 ? sum / b.n : null })),
    confidentWrong: { count: confidentWrong, share: ratio(confidentWrong, n) },
  };
}

export interface MisconceptionRow {
  /** Confident-and-wrong answers. */
  count: number;
  /** Answers that carried a confidence step. */
  rated: number;
  /** count / rated. */
  share: number;
}

export interface Misconceptions {
  count: number;
  rated: number;
  share: number | null;
  /** Items with at least one confident-and-wrong answer, most-shared first. */
  byItem: (MisconceptionRow & { itemId: string; objectiveId: string })[];
  /** Objectives with at least one confident-and-wrong answer, most-shared first. */
  byObjective: (MisconceptionRow & { objectiveId: string })[];
}

/**
 * Confident-and-wrong answers (confidence step ≥ 3, score below 0.5) listed by item and objective: what learners
 * believe firmly and get wrong. Responses to unknown items are ignored.
 */
export function misconceptions(
  items: readonly Item[],
  responses: readonly LearnerResponse[],
): Misconceptions {
  const itemById = new Map(items.map((i) => [i.id, i]));
  const perItem = new Map<string, { count: number; rated: number }>();
  const perObjective = new Map<string, { count: number; rated: number }>();
  let count = 0;
  let rated = 0;
  for (const r of responses) {
    const item = itemById.get(r.itemId);
    if (!item || r.confidence === undefined) continue;
    const hit = r.confidence >= CONFIDENT_STEP && isWrong(r) ? 1 : 0;
    rated += 1;
    count += hit;
    for (const [map, key] of [
      [perItem, item.id],
      [perObjective, item.objectiveId],
    ] as const) {
      const row = map.get(key) ?? { count: 0, rated: 0 };
      row.count += hit;
      row.rated += 1;
      map.set(key, row);
    }
  }
  const rank = <T extends MisconceptionRow>(rows: (T & { key: string })[]) =>
    rows
      .filter((r) => r.count > 0)
      .sort((a, b) => b.share - a.share || b.count - a.count || byString(a.key, b.key));
  const byItem = rank(
    [...perItem].map(([itemId, row]) => ({
      key: itemId,
      itemId,
      objectiveId: itemById.get(itemId)?.objectiveId ?? "",
      ...row,
      share: row.count / row.rated,
    })),
  ).map(({ key, ...row }) => row);
  const byObjective = rank(
    [...perObjective].map(([objectiveId, row]) => ({
      key: objectiveId,
      objectiveId,
      ...row,
      share: row.count / row.rated,
    })),
  ).map(({ key, ...row }) => row);
  return { count, rated, share: ratio(count, rated), byItem, byObjective };
}
