import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { kaplanMeier, logRank, medianSurvival, survivalAt } from "./kaplan-meier.ts";

// Freireich et al. (1963) leukaemia remission data, the textbook KM example (Kleinbaum & Klein, ch. 2).
// 6-MP group, "+" = censored: 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+
const sixMp = {
  time: [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35],
  event: [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
};
// Placebo group: all relapsed.
const placebo = {
  time: [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23],
  event: new Array<number>(21).fill(1),
};

describe("kaplanMeier", () => {
  it("reproduces the 6-MP curve worked by hand", () => {
    // t=6: 21 at risk, 3 events → 18/21; the censoring at 6 leaves after the events.
    // t=7: 17 at risk, 1 event → 18/21·16/17 = 0.806723
    // t=10: 15 at risk (9+ gone) → ·14/15 = 0.752941
    // t=13: 12 at risk (10+, 11+ gone) → ·11/12 = 0.690196
    // t=16: 11 → ·10/11 = 0.627451;  t=22: 7 → ·6/7 = 0.537815;  t=23: 6 → ·5/6 = 0.448179
    const curve = kaplanMeier(sixMp);
    const s6 = 18 / 21;
    const s7 = s6 * (16 / 17);
    const s10 = s7 * (14 / 15);
    const s13 = s10 * (11 / 12);
    const s16 = s13 * (10 / 11);
    const s22 = s16 * (6 / 7);
    const s23 = s22 * (5 / 6);
    expect(curve.time).toEqual([6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35]);
    expect(curve.atRisk.slice(0, 4)).toEqual([21, 17, 16, 15]);
    expect(curve.events.slice(0, 2)).toEqual([3, 1]);
    expect(curve.censored[0]).toBe(1);
    const expected: [number, number][] = [
      [6, s6],
      [7, s7],
      [9.5, s7],
      [10, s10],
      [13, s13],
      [16, s16],
      [22, s22],
      [23, s23],
      [35, s23],
    ];
    for (const [t, s] of expected) expect(survivalAt(curve, t)).toBeCloseTo(s, 12);
    expect(s23).toBeCloseTo(0.448179, 6);
    expect(survivalAt(curve, 5)).toBe(1);
    expect(Number.isNaN(survivalAt(curve, 36))).toBe(true); // past the last (censored) time
    expect(medianSurvival(curve)).toBe(23);
    // Greenwood at t=6: S·sqrt(3/(21·18)) = 0.857143·0.089087 = 0.076360
    expect(curve.stdError[0]).toBeCloseTo(s6 * Math.sqrt(3 / (21 * 18)), 12);
    expect(curve.lower[0]).toBeLessThan(s6);
    expect(curve.upper[0]).toBeGreaterThan(s6);
    expect(curve.totalEvents).toBe(9);
  });

  it("reaches zero and a median when every unit has the event", () => {
    const curve = kaplanMeier(placebo);
    expect(curve.survival.at(-1)).toBe(0);
    expect(medianSurvival(curve)).toBe(8);
    expect(survivalAt(curve, 100)).toBe(0);
  });

  it("returns no median when survival stays above one half", () => {
    expect(medianSurvival(kaplanMeier({ time: [1, 2, 3, 4], event: [1, 0, 0, 0] }))).toBeNull();
  });

  it("treats a weight of 2 as two identical units", () => {
    const weighted = kaplanMeier({ time: [1, 2, 3], event: [1, 0, 1], weight: [2, 1, 1] });
    const expanded = kaplanMeier({ time: [1, 1, 2, 3], event: [1, 1, 0, 1] });
    expect(weighted.survival).toEqual(expanded.survival);
  });

  it("rejects negative times and bad event flags", () => {
    expect(() => kaplanMeier({ time: [-1], event: [1] })).toThrowError(AppError);
    expect(() => kaplanMeier({ time: [1], event: [2] })).toThrowError(/event at index 0/);
  });
});

describe("logRank", () => {
  it("matches the published statistic for 6-MP vs placebo", () => {
    // Kleinbaum & Klein: log-rank χ² = 16.79 (df 1, p < 0.0001); observed 9 vs 21, expected 19.25 vs 10.75.
    const r = logRank(sixMp, placebo);
    expect(r.chiSquare).toBeCloseTo(16.79, 2);
    expect(r.observed).toEqual([9, 21]);
    expect(r.expected[0]).toBeCloseTo(19.25, 2);
    expect(r.expected[1]).toBeCloseTo(10.75, 2);
    expect(r.pValue).toBeLessThan(1e-4);
  });

  it("finds no difference between a sample and itself", () => {
    const r = logRank(sixMp, sixMp);
    expect(r.chiSquare).toBeCloseTo(0, 12);
    expect(r.pValue).toBeCloseTo(1, 12);
  });
});
