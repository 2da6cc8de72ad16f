import { describe, expect, it } from "vitest";
import {
  bootstrapDiffMeans,
  bootstrapDiffProportions,
  bootstrapMatchedDiff,
  bootstrapRatio,
  percentileInterval,
} from "./bootstrap.ts";
import { createRng } from "./prng.ts";

function normalSample(seed: number, n: number, mu: number, sd = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mu + sd * rng.normal());
}

describe("bootstrap", () => {
  it("takes type-7 percentiles of the valid resamples", () => {
    const samples = Float64Array.from([5, 1, Number.NaN, 3, 2, 4]);
    const r = percentileInterval(samples, 0.5);
    // valid sorted 1..5: 25% → 2, 75% → 4
    expect(r.ci).toEqual([2, 4]);
    expect(r.invalid).toBe(1);
  });

  it("brackets a planted difference in means, with an SE near the analytic one", () => {
    const a = normalSample(1, 400, 1.0);
    const b = normalSample(2, 400, 0.5);
    const r = bootstrapDiffMeans(a, b, { seed: 5 });
    expect(r.ci[0]).toBeLessThan(0.5);
    expect(r.ci[1]).toBeGreaterThan(0.5);
    expect(r.se).toBeGreaterThan(Math.sqrt(2 / 400) * 0.85);
    expect(r.se).toBeLessThan(Math.sqrt(2 / 400) * 1.15);
    expect(r.resamples).toBe(2000);
    expect(bootstrapDiffMeans(a, b, { seed: 5 })).toEqual(r);
  });

  it("compares proportions of 0/1 outcomes", () => {
    const t = Array.from({ length: 200 }, (_, i) => (i < 80 ? 1 : 0));
    const c = Array.from({ length: 200 }, (_, i) => i < 50);
    const r = bootstrapDiffProportions(t, c, { resamples: 1000 });
    expect(r.estimate).toBeCloseTo(0.4 - 0.25, 12);
    expect(r.ci[0]).toBeGreaterThan(0.05);
    expect(() => bootstrapDiffProportions([0, 2], [1])).toThrowError(/not 0\/1/);
  });

  it("estimates a ratio of means and refuses a zero control mean", () => {
    const r = bootstrapRatio([2, 4, 6], [1, 2, 3], { resamples: 500 });
    expect(r.estimate).toBe(2);
    expect(() => bootstrapRatio([1], [0, 0])).toThrowError(/control mean is 0/);
  });

  it("estimates the effect on the treated from matched sets", () => {
    // Units 0,1 treated; 2..5 controls; k = 2. Set 0: 10 vs (7, 9) → 2; set 1: 20 vs (17, 19) → 2.
    const values = [10, 20, 7, 9, 17, 19];
    const sets = {
      k: 2,
      treated: Int32Array.from([0, 1]),
      controls: Int32Array.from([2, 3, 4, 5]),
      distances: new Float64Array(4),
    };
    const r = bootstrapMatchedDiff(values, sets, { resamples: 200 });
    expect(r.estimate).toBe(2);
    expect(r.ci).toEqual([2, 2]);
  });

  it("rejects empty groups and bad options", () => {
    expect(() => bootstrapDiffMeans([], [1])).toThrowError(/treated group is empty/);
    expect(() => bootstrapDiffMeans([1], [1], { resamples: 0 })).toThrowError(/resamples/);
    expect(() => bootstrapDiffMeans([1], [Number.NaN])).toThrowError(/finite/);
  });
});
