import { describe, expect, it } from "vitest";
import { correctedItemTotal, cronbachAlpha, itemAnalysis } from "./item-analysis.ts";
import type { LearnerResponse } from "./model.ts";

// Worked example: 4 learners × 3 dichotomous items (a Guttman pattern).
//        q1 q2 q3  total
//   L1    1  1  1   3
//   L2    1  1  0   2
//   L3    1  0  0   1
//   L4    0  0  0   0
// Facility: q1 3/4 = 0.75, q2 2/4 = 0.5, q3 1/4 = 0.25.
// α: item sample variances 0.25, 1/3, 0.25 (sum 5/6); totals 3,2,1,0 have variance 5/3;
//    α = 3/2 × (1 − (5/6)/(5/3)) = 3/2 × 1/2 = 0.75.
// Discrimination (item vs total without it):
//   q1: item 1,1,1,0 vs rest 2,1,0,0 → sxy 0.75, sxx 0.75, syy 2.75 → 0.75/√(0.75×2.75) = 3/√33 ≈ 0.5222
//   q2: item 1,1,0,0 vs rest 2,1,1,0 → sxy 1, sxx 1, syy 2 → 1/√2 ≈ 0.7071
//   q3: item 1,0,0,0 vs rest 2,2,1,0 → sxy 0.75, sxx 0.75, syy 2.75 → 3/√33
const matrix = [
  [1, 1, 1],
  [1, 1, 0],
  [1, 0, 0],
  [0, 0, 0],
];

function responses(rows: number[][], phase: LearnerResponse["phase"] = "post"): LearnerResponse[] {
  return rows.flatMap((row, i) =>
    row.map((v, j) => ({ learnerId: `L${i + 1}`, itemId: `q${j + 1}`, phase, correct: v === 1 })),
  );
}

describe("item analysis", () => {
  it("computes Cronbach's α by hand", () => {
    expect(cronbachAlpha(matrix)).toBeCloseTo(0.75, 12);
  });

  it("computes corrected item–total discrimination by hand", () => {
    expect(correctedItemTotal(matrix, 0)).toBeCloseTo(3 / Math.sqrt(33), 12);
    expect(correctedItemTotal(matrix, 1)).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(correctedItemTotal(matrix, 2)).toBeCloseTo(3 / Math.sqrt(33), 12);
  });

  it("computes facility, discrimination and α from responses", () => {
    const a = itemAnalysis(["q1", "q2", "q3"], responses(matrix));
    expect(a.k).toBe(3);
    expect(a.completeLearners).toBe(4);
    expect(a.alpha).toBeCloseTo(0.75, 12);
    expect(a.items.map((i) => i.facility)).toEqual([0.75, 0.5, 0.25]);
    expect(a.items[1]?.discrimination).toBeCloseTo(1 / Math.SQRT2, 12);
  });

  it("uses everyone for facility but only complete learners for α and discrimination", () => {
    // L5 answered only q1 (wrong): q1 facility becomes 3/5; α and discrimination stay on L1–L4.
    const rs = [
      ...responses(matrix),
      { learnerId: "L5", itemId: "q1", phase: "post" as const, correct: false },
    ];
    const a = itemAnalysis(["q1", "q2", "q3"], rs);
    expect(a.items[0]?.facility).toBeCloseTo(0.6, 12);
    expect(a.items[0]?.answered).toBe(5);
    expect(a.completeLearners).toBe(4);
    expect(a.alpha).toBeCloseTo(0.75, 12);
  });

  it("only reads the phase asked for", () => {
    const a = itemAnalysis(["q1", "q2", "q3"], responses(matrix, "pre"));
    expect(a.completeLearners).toBe(0);
    expect(a.items.map((i) => i.facility)).toEqual([null, null, null]);
    expect(itemAnalysis(["q1", "q2", "q3"], responses(matrix, "pre"), "pre").alpha).toBeCloseTo(0.75, 12);
  });

  it("is null where the statistic is undefined: one item, one learner, no variance", () => {
    expect(cronbachAlpha([[1], [0]])).toBeNull();
    expect(cronbachAlpha([[1, 0, 1]])).toBeNull();
    expect(
      cronbachAlpha([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull();
    // Everyone right on q1: no variance, so no discrimination.
    expect(
      correctedItemTotal(
        [
          [1, 1],
          [1, 0],
        ],
        0,
      ),
    ).toBeNull();
    expect(itemAnalysis([], [])).toEqual({
      phase: "post",
      delayDays: null,
      k: 0,
      completeLearners: 0,
      alpha: null,
      items: [],
    });
  });
});
