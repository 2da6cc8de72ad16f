import type { ConfidenceStep } from "./model.ts";

/**
 * The four confidence steps a learner picks beside each answer, and the probability of being right each one
 * states. Calibration (Brier, ECE, overconfidence) compares these probabilities with what happened.
 * "Certain" is 0.95, not 1: a stated 1.0 would make one slip cost the full Brier penalty.
 */
export const CONFIDENCE_SCALE = {
  1: { label: "guessing", probability: 0.25 },
  2: { label: "unsure", probability: 0.5 },
  3: { label: "fairly sure", probability: 0.75 },
  4: { label: "certain", probability: 0.95 },
} as const satisfies Record<ConfidenceStep, { label: string; probability: number }>;

/** The step from which a wrong answer counts as confident-and-wrong (a misconception). */
export const CONFIDENT_STEP: ConfidenceStep = 3;

/** The probability a confidence step states. */
export function confidenceProbability(step: ConfidenceStep): number {
  return CONFIDENCE_SCALE[step].probability;
}
