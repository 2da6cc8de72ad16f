import { describe, expect, it } from "vitest";
import { createRng, percentileInterval } from "../../core/stats/index.ts";
import {
  matchedSetOutcomes,
  restrictedMeanDaysSaved,
  type TimedSet,
  velocityLiftWithin,
} from "./days-saved.ts";

function nullWorld(seed: number, sets: number): TimedSet[] {
  const rng = createRng(seed);
  const draw = () => {
    const t = rng.exponential(1 / 40);
    return t > 120 ? { days: 120, moved: false } : { days: t, moved: true };
  };
  return Array.from({ length: sets }, () => ({ treated: draw(), controls: [draw()] }));
}

describe("days saved and velocity lift", () => {
  it("computes both on a worked example", () => {
    const sets: TimedSet[] = [
      { treated: { days: 10, moved: true }, controls: [{ days: 30, moved: true }] },
      { treated: { days: 120, moved: false }, controls: [{ days: 20, moved: true }] },
      { treated: { days: 45, moved: true }, controls: [{ days: 120, moved: false }] },
    ];
    const d = restrictedMeanDaysSaved(sets, 90, { resamples: 200 });
    expect(d.treatedMean).toBeCloseTo(145 / 3, 12);
    expect(d.controlMean).toBeCloseTo(140 / 3, 12);
    expect(velocityLiftWithin(sets, 60, { resamples: 200 }).estimate).toBeCloseTo(-0.1, 12);
    expect(restrictedMeanDaysSaved([], 90).note).toBe("no matched sets");
  });

  it("covers zero in about 95% of worlds with no effect", () => {
    let daysCovered = 0;
    let liftCovered = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const sets = nullWorld(seed, 80);
      const d = restrictedMeanDaysSaved(sets, 90, { resamples: 300, seed });
      const l = velocityLiftWithin(sets, 60, { resamples: 300, seed });
      if (d.ci && d.ci[0] <= 0 && 0 <= d.ci[1]) daysCovered++;
      if (l.ci && l.ci[0] <= 0 && 0 <= l.ci[1]) liftCovered++;
    }
    // Monte Carlo SE of a 95% coverage over 200 worlds ≈ 0.015.
    expect(daysCovered / runs).toBeGreaterThan(0.9);
    expect(daysCovered / runs).toBeLessThan(0.99);
    expect(liftCovered / runs).toBeGreaterThan(0.9);
    expect(liftCovered / runs).toBeLessThan(0.99);
  });

  it("gives each statistic the same resamples when they are drawn once for all", () => {
    const rng = createRng(4);
    const draw = () => {
      const t = rng.exponential(1 / 30);
      return t > 100 ? { days: 100, moved: false } : { days: t, moved: true };
    };
    for (const k of [1, 3]) {
      const sets: TimedSet[] = Array.from({ length: 300 }, () => ({
        treated: draw(),
        controls: Array.from({ length: k }, draw),
      }));
      const options = { resamples: 400, seed: 17 };
      const together = matchedSetOutcomes(sets, [30, 90, 60], 45, options);
      expect(together.daysSaved).toEqual([30, 90, 60].map((h) => restrictedMeanDaysSaved(sets, h, options)));
      expect(together.velocityLift).toEqual(velocityLiftWithin(sets, 45, options));
      expect(together.daysSaved[1]!.ci).not.toBeNull();
    }
    // A lift with no mover is not resampled and leaves the days saved unchanged.
    const still: TimedSet[] = [
      { treated: { days: 90, moved: false }, controls: [{ days: 90, moved: false }] },
    ];
    const alone = matchedSetOutcomes(still, [90], 60, { resamples: 50 });
    expect(alone.velocityLift.estimate).toBeNull();
    expect(alone.daysSaved[0]).toEqual(restrictedMeanDaysSaved(still, 90, { resamples: 50 }));
  });

  it("resamples a weighted Kaplan–Meier restricted mean, ties and sets drawn 0 times included", () => {
    // The reference: each resample's set counts drawn as the product draws them, and the restricted mean of each side
    // read the textbook way (rows grouped by time, controls weighing 1/k of their set's count).
    const restricted = (rows: { days: number; moved: boolean; w: number }[], horizon: number): number => {
      const total = rows.reduce((a, r) => a + r.w, 0);
      const times = [...new Set(rows.filter((r) => r.days < horizon).map((r) => r.days))].sort(
        (a, b) => a - b,
      );
      let atRisk = total;
      let s = 1;
      let last = 0;
      let area = 0;
      for (const t of times) {
        area += s * (t - last);
        last = t;
        const here = rows.filter((r) => r.days === t);
        const events = here.filter((r) => r.moved).reduce((a, r) => a + r.w, 0);
        if (atRisk > 0 && events > 0) s *= 1 - events / atRisk;
        atRisk -= here.reduce((a, r) => a + r.w, 0);
      }
      return area + s * (horizon - last);
    };
    const rng = createRng(23);
    for (const k of [1, 2, 3]) {
      // Whole days, so many rows share a time; a fifth never move.
      const draw = () => {
        const days = Math.min(100, Math.round(rng.exponential(1 / 35)));
        return { days, moved: days < 100 && rng.next() < 0.8 };
      };
      const sets: TimedSet[] = Array.from({ length: 60 }, () => ({
        treated: draw(),
        controls: Array.from({ length: k }, draw),
      }));
      const horizon = 45;
      const options = { resamples: 300, seed: 5 };
      const got = restrictedMeanDaysSaved(sets, horizon, options);
      const counts = new Int32Array(sets.length);
      const side = (c: ArrayLike<number>) => ({
        treated: sets.map((x, i) => ({ ...x.treated, w: c[i]! })),
        controls: sets.flatMap((x, i) => x.controls.map((y) => ({ ...y, w: c[i]! / k }))),
      });
      const ones = side(new Int32Array(sets.length).fill(1));
      expect(got.treatedMean).toBeCloseTo(restricted(ones.treated, horizon), 9);
      expect(got.controlMean).toBeCloseTo(restricted(ones.controls, horizon), 9);
      const draws = createRng(options.seed);
      const samples = new Float64Array(options.resamples);
      for (let r = 0; r < options.resamples; r++) {
        draws.multinomialCounts(counts, sets.length);
        const one = side(counts);
        samples[r] = restricted(one.controls, horizon) - restricted(one.treated, horizon);
      }
      const { ci } = percentileInterval(samples, 0.95);
      expect(got.ci![0]).toBeCloseTo(ci[0], 9);
      expect(got.ci![1]).toBeCloseTo(ci[1], 9);
    }
  });
});
