import { CONFIDENT_STEP } from "./confidence-scale.ts";
import type { Item, LearnerResponse, Phase } from "./model.ts";
import { isWrong } from "./scores.ts";
import { ratio } from "./stats.ts";

export interface ClarityScore {
  /** Answers to scenario items in the phase. */
  n: number;
  correctShare: number | null;
  /** Right and fairly sure or certain: the learner knows what to do and knows they know. */
  confidentCorrectShare: number | null;
  /** Wrong yet fairly sure or certain: confusion that will become support tickets. */
  confidentWrongShare: number | null;
  /** confidentCorrectShare × 100; null without scenario answers. */
  score: number | null;
}

/**
 * Clarity from "what would you do" scenario items: the percent of answers that are both right and given with
 * confidence step ≥ 3. Answers without a confidence step count as not confident.
 */
export function clarityScore(
  items: readonly Item[],
  responses: readonly LearnerResponse[],
  phase: Phase = "post",
): ClarityScore {
  const scenario = new Set(items.filter((i) => i.kind === "scenario").map((i) => i.id));
  let n = 0;
  let correct = 0;
  let confidentCorrect = 0;
  let confidentWrong = 0;
  for (const r of responses) {
    if (r.phase !== phase || !scenario.has(r.itemId)) continue;
    n += 1;
    const right = !isWrong(r);
    const confident = r.confidence !== undefined && r.confidence >= CONFIDENT_STEP;
    if (right) correct += 1;
    if (right && confident) confidentCorrect += 1;
    if (!right && confident) confidentWrong += 1;
  }
  const share = ratio(confidentCorrect, n);
  return {
    n,
    correctShare: ratio(correct, n),
    confidentCorrectShare: share,
    confidentWrongShare: ratio(confidentWrong, n),
    score: share === null ? null : share * 100,
  };
}
