import type { LearnerResponse } from "./model.ts";

/** Paths of every NaN or ±Infinity inside a value (tests only): the engine promises there are none. */
export function nonFiniteNumbers(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [path];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  }
  return [];
}

/** Responses of one partial-credit item, one per learner: `{ L1: 0.4 }` gives L1 a 40% score. */
export function scored(
  itemId: string,
  phase: LearnerResponse["phase"],
  scores: Record<string, number>,
  delayDays?: number,
): LearnerResponse[] {
  return Object.entries(scores).map(([learnerId, score]) => ({
    learnerId,
    itemId,
    phase,
    score,
    ...(delayDays === undefined ? {} : { delayDays }),
  }));
}
