import { describe, expect, it } from "vitest";
import { createRng } from "../../core/stats/index.ts";
import { restrictedMeanDaysSaved, type TimedSet, velocityLiftWithin } from "./days-saved.ts";

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
});
