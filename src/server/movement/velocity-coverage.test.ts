import { describe, expect, it } from "vitest";
import { headlineVelocity, velocityCoverage, velocityWorld } from "./velocity-coverage.ts";

const MEASURES = [
  "share moved by day 14",
  "share moved by day 30",
  "share moved by day 60",
  "share moved by day 90",
  "median days to next stage",
  "days saved within 90 days",
];

describe("coverage of the matched velocity comparison", () => {
  it("covers zero in about 95% of worlds with no effect, for every headline measure", () => {
    const runs = 200;
    const rows = velocityCoverage(runs, {}, { resamples: 1000 });
    expect(rows.map((r) => r.measure)).toEqual(MEASURES);
    for (const r of rows) {
      // Every world has an interval for every measure (medians are reached within 120 days).
      expect(r.runs, r.measure).toBe(runs);
      // Monte Carlo SE of a 95% coverage over 200 worlds ≈ 0.015: above 0.95 − 3 SE, and not a sure thing.
      // (bench/velocity-coverage.ts runs 1,000 worlds at 2,000 resamples.)
      expect(r.coverage, r.measure).toBeGreaterThan(0.9);
      expect(r.coverage, r.measure).toBeLessThan(0.995);
    }
  });

  it("stops covering zero when attending speeds deals up", () => {
    const rows = velocityCoverage(40, { speedup: 2 }, { resamples: 300 });
    const of = (m: string) => rows.find((r) => r.measure === m)!.coverage;
    expect(of("share moved by day 30")).toBeLessThan(0.5);
    expect(of("median days to next stage")).toBeLessThan(0.5);
    expect(of("days saved within 90 days")).toBeLessThan(0.5);
  });

  it("uses 2,000 resamples unless told otherwise", () => {
    const world = velocityWorld(3, { opportunities: 200 });
    const byDefault = headlineVelocity(world)!;
    expect(byDefault.resamples).toBe(2000);
    expect(byDefault).toEqual(headlineVelocity(world, { resamples: 2000 }));
    const fewer = headlineVelocity(world, { resamples: 500 })!;
    expect(fewer.resamples).toBe(500);
    expect(byDefault.daysSaved.ci).not.toEqual(fewer.daysSaved.ci);
    expect(byDefault.median.ci).not.toEqual(fewer.median.ci);
  });
});
