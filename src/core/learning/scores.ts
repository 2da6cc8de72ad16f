import type { LearnerResponse, Phase } from "./model.ts";
import { byString, mean } from "./stats.ts";

/** A learner's percent score (0..100) on a set of items in one phase. */
export interface LearnerScore {
  learnerId: string;
  percent: number;
}

/** Score below which an answer counts as wrong (partial-credit items); dichotomous items are 0 or 1. */
export const WRONG_BELOW = 0.5;

/** The 0..1 score of one response: `score` when given (clamped), else 1 for correct and 0 for wrong. */
export function responseScore(r: Pick<LearnerResponse, "correct" | "score">): number {
  if (r.score !== undefined) return Number.isFinite(r.score) ? Math.min(1, Math.max(0, r.score)) : 0;
  return r.correct === true ? 1 : 0;
}

/** Whether a response counts as wrong (score below WRONG_BELOW). */
export function isWrong(r: Pick<LearnerResponse, "correct" | "score">): boolean {
  return responseScore(r) < WRONG_BELOW;
}

/** Whether a response belongs to a phase (and, for the delayed phase, one nominal delay when given). */
export function inPhase(r: LearnerResponse, phase: Phase, delayDays?: number): boolean {
  if (r.phase !== phase) return false;
  return phase !== "delayed" || delayDays === undefined || r.delayDays === delayDays;
}

/**
 * Learner × item score matrix for one phase: repeated answers to the same item are averaged, so the result does
 * not depend on row order.
 */
export function learnerItemScores(
  responses: readonly LearnerResponse[],
  phase: Phase,
  delayDays?: number,
): Map<string, Map<string, number>> {
  const sums = new Map<string, Map<string, { sum: number; n: number }>>();
  for (const r of responses) {
    if (!inPhase(r, phase, delayDays)) continue;
    let byItem = sums.get(r.learnerId);
    if (!byItem) {
      byItem = new Map();
      sums.set(r.learnerId, byItem);
    }
    const cell = byItem.get(r.itemId) ?? { sum: 0, n: 0 };
    cell.sum += responseScore(r);
    cell.n += 1;
    byItem.set(r.itemId, cell);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [learnerId, byItem] of sums) {
    const m = new Map<string, number>();
    for (const [itemId, c] of byItem) m.set(itemId, c.sum / c.n);
    out.set(learnerId, m);
  }
  return out;
}

/** Each learner's percent (mean item score × 100 over the items they answered) in one phase, sorted by learner. */
export function learnerPercents(
  responses: readonly LearnerResponse[],
  phase: Phase,
  delayDays?: number,
): LearnerScore[] {
  const out: LearnerScore[] = [];
  for (const [learnerId, byItem] of learnerItemScores(responses, phase, delayDays)) {
    out.push({ learnerId, percent: (mean([...byItem.values()]) ?? 0) * 100 });
  }
  return out.sort((a, b) => byString(a.learnerId, b.learnerId));
}

/** Learners present in both lists, with both scores, sorted by learner. */
export function matchLearners(
  first: readonly LearnerScore[],
  second: readonly LearnerScore[],
): { learnerId: string; first: number; second: number }[] {
  const secondBy = new Map(second.map((s) => [s.learnerId, s.percent]));
  const out: { learnerId: string; first: number; second: number }[] = [];
  const seen = new Set<string>();
  for (const s of first) {
    const other = secondBy.get(s.learnerId);
    if (other === undefined || seen.has(s.learnerId)) continue;
    seen.add(s.learnerId);
    out.push({ learnerId: s.learnerId, first: s.percent, second: other });
  }
  return out.sort((a, b) => byString(a.learnerId, b.learnerId));
}

/** Mean percent of a list of learner scores, or null when empty. */
export function meanPercent(scores: readonly LearnerScore[]): number | null {
  return mean(scores.map((s) => s.percent));
}
