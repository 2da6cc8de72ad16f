import { describe, expect, it } from "vitest";
import { pairedEffectSize } from "./paired-effect-size.ts";
import type { LearnerScore } from "./scores.ts";

const s = (entries: Record<string, number>): LearnerScore[] =>
  Object.entries(entries).map(([learnerId, percent]) => ({ learnerId, percent }));

describe("paired effect size d_z", () => {
  // Differences 10, 20, 30: mean 20; sample variance ((−10)² + 0² + 10²)/(3−1) = 100; sd 10 → d_z = 20/10 = 2.
  it("computes d_z = mean difference / sd of differences on matched learners", () => {
    const r = pairedEffectSize(s({ A: 50, B: 50, C: 50, X: 0 }), s({ A: 60, B: 70, C: 80, Y: 100 }));
    expect(r).toEqual({ n: 3, meanDifference: 20, sdDifference: 10, dz: 2 });
  });

  // Differences 30, 20, 0, 80: mean 32.5; deviations −2.5, −12.5, −32.5, 47.5; squares sum
  // 6.25 + 156.25 + 1056.25 + 2256.25 = 3475; variance 3475/3; d_z = 32.5/√(3475/3) ≈ 0.954919.
  it("matches a second hand-derived example", () => {
    const r = pairedEffectSize(s({ A: 40, B: 60, C: 100, D: 20 }), s({ A: 70, B: 80, C: 100, D: 100 }));
    expect(r.dz).toBeCloseTo(32.5 / Math.sqrt(3475 / 3), 12);
    expect(r.dz).toBeCloseTo(0.954919, 6);
  });

  it("is null below two pairs or when every difference is the same", () => {
    expect(pairedEffectSize(s({ A: 50 }), s({ A: 70 })).dz).toBeNull();
    expect(pairedEffectSize(s({ A: 50, B: 40 }), s({ A: 60, B: 50 })).dz).toBeNull();
    expect(pairedEffectSize([], [])).toEqual({ n: 0, meanDifference: null, sdDifference: null, dz: null });
  });
});
