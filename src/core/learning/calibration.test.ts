import { describe, expect, it } from "vitest";
import { calibration, misconceptions } from "./calibration.ts";
import { CONFIDENCE_SCALE } from "./confidence-scale.ts";
import type { Item, LearnerResponse } from "./model.ts";

const r = (
  itemId: string,
  correct: boolean,
  confidence?: 1 | 2 | 3 | 4,
  phase: LearnerResponse["phase"] = "post",
): LearnerResponse => ({
  learnerId: "L",
  itemId,
  phase,
  correct,
  ...(confidence === undefined ? {} : { confidence }),
});

describe("confidence scale", () => {
  it("states four probabilities in ascending order", () => {
    expect([1, 2, 3, 4].map((s) => CONFIDENCE_SCALE[s as 1 | 2 | 3 | 4].probability)).toEqual([
      0.25, 0.5, 0.75, 0.95,
    ]);
  });
});

describe("calibration", () => {
  // Four answers:
  //   certain (0.95) right → (0.95 − 1)² = 0.0025
  //   certain (0.95) wrong → (0.95 − 0)² = 0.9025
  //   unsure  (0.50) right → (0.50 − 1)² = 0.25
  //   guess   (0.25) wrong → (0.25 − 0)² = 0.0625
  // Brier = 1.2175/4 = 0.304375.
  // ECE: step 4 has 2 answers, accuracy 0.5 → 2/4 × |0.5 − 0.95| = 0.225; step 2: 1/4 × |1 − 0.5| = 0.125;
  //      step 1: 1/4 × |0 − 0.25| = 0.0625; total 0.4125.
  // Overconfidence: mean confidence (0.95+0.95+0.5+0.25)/4 = 0.6625 − accuracy 0.5 = 0.1625.
  // Confident and wrong: only the certain-and-wrong answer → 1 of 4 = 0.25.
  // The unrated answer is outside every calibration number.
  const rs = [r("q1", true, 4), r("q1", false, 4), r("q2", true, 2), r("q3", false, 1), r("q3", true)];

  it("computes Brier, ECE and overconfidence by hand", () => {
    const c = calibration(rs);
    expect(c.n).toBe(4);
    expect(c.accuracy).toBe(0.5);
    expect(c.meanConfidence).toBeCloseTo(0.6625, 12);
    expect(c.brier).toBeCloseTo(0.304375, 12);
    expect(c.ece).toBeCloseTo(0.4125, 12);
    expect(c.overconfidence).toBeCloseTo(0.1625, 12);
    expect(c.confidentWrong).toEqual({ count: 1, share: 0.25 });
    expect(c.bins.map((b) => [b.step, b.n, b.accuracy])).toEqual([
      [1, 1, 0],
      [2, 1, 1],
      [3, 0, null],
      [4, 2, 0.5],
    ]);
  });

  it("scores partial credit against the stated probability", () => {
    // Fairly sure (0.75) with score 0.5: Brier (0.75 − 0.5)² = 0.0625; not wrong (0.5 is not below 0.5).
    const c = calibration([{ learnerId: "L", itemId: "q", phase: "post", score: 0.5, confidence: 3 }]);
    expect(c.brier).toBeCloseTo(0.0625, 12);
    expect(c.confidentWrong.count).toBe(0);
  });

  it("is empty, not NaN, without rated answers", () => {
    const c = calibration([r("q1", true)]);
    expect(c).toMatchObject({
      n: 0,
      accuracy: null,
      meanConfidence: null,
      brier: null,
      ece: null,
      overconfidence: null,
      confidentWrong: { count: 0, share: null },
    });
  });
});

describe("misconceptions", () => {
  const items: Item[] = [
    { id: "q1", activityId: "a", objectiveId: "A", kind: "single", level: "3A" },
    { id: "q2", activityId: "a", objectiveId: "A", kind: "true_false", level: "3A" },
    { id: "q3", activityId: "a", objectiveId: "B", kind: "scenario", level: "4" },
  ];
  // q1: certain wrong, fairly sure wrong, certain right, unsure wrong (not confident) → 2 of 4 = 0.5
  // q2: fairly sure wrong, guessing right → 1 of 2 = 0.5
  // q3: certain right twice → none, so not listed
  // Objective A: 3 of 6 = 0.5; B: none. Overall 3 of 8 = 0.375. Unrated and unknown-item answers are ignored.
  const rs = [
    r("q1", false, 4),
    r("q1", false, 3),
    r("q1", true, 4),
    r("q1", false, 2),
    r("q2", false, 3),
    r("q2", true, 1),
    r("q3", true, 4),
    r("q3", true, 4),
    r("q3", false),
    r("unknown", false, 4),
  ];

  it("lists confident-and-wrong answers by item and objective with their share", () => {
    const m = misconceptions(items, rs);
    expect(m.count).toBe(3);
    expect(m.rated).toBe(8);
    expect(m.share).toBe(0.375);
    expect(m.byItem).toEqual([
      { itemId: "q1", objectiveId: "A", count: 2, rated: 4, share: 0.5 },
      { itemId: "q2", objectiveId: "A", count: 1, rated: 2, share: 0.5 },
    ]);
    expect(m.byObjective).toEqual([{ objectiveId: "A", count: 3, rated: 6, share: 0.5 }]);
  });

  it("is empty for empty input", () => {
    expect(misconceptions([], [])).toEqual({ count: 0, rated: 0, share: null, byItem: [], byObjective: [] });
  });
});
