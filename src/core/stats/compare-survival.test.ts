import { describe, expect, it } from "vitest";
import { compareSurvival, compareSurvivalMatched } from "./compare-survival.ts";
import { kaplanMeier, medianSurvival, survivalAt } from "./kaplan-meier.ts";
import { createRng } from "./prng.ts";

/** Exponential times with the given rate, censored at `followUp`. */
function sample(seed: number, n: number, rate: number, followUp: number) {
  const rng = createRng(seed);
  const time: number[] = [];
  const event: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.exponential(rate);
    time.push(Math.min(t, followUp));
    event.push(t <= followUp ? 1 : 0);
  }
  return { time, event };
}

const pairs = (n: number) => ({
  k: 1,
  treated: Int32Array.from({ length: n }, (_, i) => i),
  controls: Int32Array.from({ length: n }, (_, i) => n + i),
  distances: new Float64Array(n),
});

describe("compareSurvivalMatched", () => {
  it("reproduces a hand-worked pair of curves", () => {
    // Treated 2, 4, 6, 8 (all moved): S = .75, .5, .25, 0 → median 4, P(by 5) = .5.
    // Controls 4, 8, 12, 16: median 8, P(by 5) = .25. Differences: median −4, P(by 5) +.25, P(by 20) 0.
    const time = [2, 4, 6, 8, 4, 8, 12, 16];
    const event = [1, 1, 1, 1, 1, 1, 1, 1];
    const r = compareSurvivalMatched(time, event, pairs(4), { horizons: [5, 20], resamples: 200, seed: 3 });
    expect(r.treated).toEqual({ n: 4, events: 4, median: 4, probabilityBy: [0.5, 1] });
    expect(r.control).toEqual({ n: 4, events: 4, median: 8, probabilityBy: [0.25, 1] });
    expect(r.medianDifference.estimate).toBe(-4);
    expect(r.probabilityByDifference[0]!.estimate).toBeCloseTo(0.25, 12);
    expect(r.probabilityByDifference[1]!.estimate).toBe(0);
    expect(r.probabilityByDifference[1]!.ci).toEqual([0, 0]);
    expect(r.design).toBe("matched_sets");
  });

  it("summarizes each group exactly as the Kaplan–Meier curve does", () => {
    const t = sample(1, 150, 1 / 20, 45);
    const c = sample(2, 300, 1 / 30, 45);
    const time = [...t.time, ...c.time];
    const event = [...t.event, ...c.event];
    const sets = {
      k: 2,
      treated: Int32Array.from({ length: 150 }, (_, i) => i),
      controls: Int32Array.from({ length: 300 }, (_, i) => 150 + i),
      distances: new Float64Array(300),
    };
    const r = compareSurvivalMatched(time, event, sets, {
      horizons: [14, 30, 60],
      resamples: 100,
      curves: true,
    });
    const kmT = kaplanMeier(t);
    const kmC = kaplanMeier(c);
    expect(r.treated.median).toBe(medianSurvival(kmT));
    expect(r.control.median).toBe(medianSurvival(kmC));
    expect(r.treated.probabilityBy[0]).toBeCloseTo(1 - survivalAt(kmT, 14), 12);
    expect(r.control.probabilityBy[1]).toBeCloseTo(1 - survivalAt(kmC, 30), 12);
    expect(r.treated.probabilityBy[2]).toBeNull(); // day 60 is past the 45-day follow-up
    expect(r.probabilityByDifference[2]!.estimate).toBeNull();
    expect(r.curves?.treated.survival).toEqual(kmT.survival);
  });

  it("brackets a planted acceleration and is reproducible for a seed", () => {
    // Treated hazard 1/20 per day, controls 1/40: P(by 30) = 1 − e^{−1.5} − (1 − e^{−0.75}) = 0.2492.
    const t = sample(11, 2000, 1 / 20, 120);
    const c = sample(12, 2000, 1 / 40, 120);
    const time = [...t.time, ...c.time];
    const event = [...t.event, ...c.event];
    const r = compareSurvivalMatched(time, event, pairs(2000), { resamples: 400, seed: 8 });
    const truth = Math.exp(-0.75) - Math.exp(-1.5);
    const by30 = r.probabilityByDifference[1]!;
    expect(by30.ci![0]).toBeLessThan(truth);
    expect(by30.ci![1]).toBeGreaterThan(truth);
    // medians: 20·ln2 − 40·ln2 = −13.86 days
    expect(r.medianDifference.ci![0]).toBeLessThan(-20 * Math.LN2);
    expect(r.medianDifference.ci![1]).toBeGreaterThan(-20 * Math.LN2);
    expect(r.logRank!.pValue).toBeLessThan(1e-6);
    expect(compareSurvivalMatched(time, event, pairs(2000), { resamples: 400, seed: 8 })).toEqual(r);
  });

  it("reports a median that is not reached instead of inventing one", () => {
    const time = [1, 2, 50, 50, 1, 2, 3, 4];
    const event = [1, 0, 0, 0, 1, 1, 1, 1];
    const r = compareSurvivalMatched(time, event, pairs(4), { horizons: [10], resamples: 50 });
    expect(r.treated.median).toBeNull();
    expect(r.medianDifference.estimate).toBeNull();
    expect(r.medianDifference.ci).toBeNull();
    expect(r.medianDifference.note).toMatch(/not reached/);
  });
});

describe("compareSurvival", () => {
  it("compares independent groups with the same summaries as matched 1:1 sets", () => {
    const t = sample(5, 300, 1 / 15, 90);
    const c = sample(6, 300, 1 / 25, 90);
    const independent = compareSurvival(t, c, { resamples: 300, seed: 2 });
    const matched = compareSurvivalMatched([...t.time, ...c.time], [...t.event, ...c.event], pairs(300), {
      resamples: 300,
      seed: 2,
    });
    expect(independent.treated).toEqual(matched.treated);
    expect(independent.control).toEqual(matched.control);
    expect(independent.medianDifference.estimate).toBe(matched.medianDifference.estimate);
    expect(independent.logRank).toEqual(matched.logRank);
    expect(independent.design).toBe("independent");
    expect(independent.probabilityByDifference[0]!.ci![0]).toBeLessThan(
      independent.probabilityByDifference[0]!.estimate!,
    );
  });

  it("rejects empty groups", () => {
    expect(() => compareSurvival({ time: [], event: [] }, { time: [1], event: [1] })).toThrowError(
      /treated group is empty/,
    );
  });
});
