import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decayCurve, fitExponentialDecay, type WeeklyUnit } from "./decay-curve.ts";
import { createRng } from "./prng.ts";

const unit = (id: string, before: (number | null)[], after: (number | null)[]): WeeklyUnit => ({
  id,
  before,
  after,
});

describe("fitExponentialDecay", () => {
  it("recovers an exact exponential", () => {
    // 8, 4, 2, 1 at weeks 1..4 = 16·2^(−w): initial 16, rate ln 2, half-life 1 week.
    const fit = fitExponentialDecay([1, 2, 3, 4], [8, 4, 2, 1]);
    expect(fit.status).toBe("decaying");
    expect(fit.halfLife!).toBeCloseTo(1, 6); // golden section: ~1e-8 relative
    expect(fit.initial!).toBeCloseTo(16, 6);
    const negative = fitExponentialDecay([1, 2, 3], [-6, -3, -1.5]);
    expect(negative.halfLife!).toBeCloseTo(1, 6);
    expect(negative.initial!).toBeCloseTo(-12, 6);
  });

  it("calls a flat effect not decaying and too few weeks insufficient", () => {
    expect(fitExponentialDecay([1, 2, 3, 4], [5, 5, 5, 5]).status).toBe("not_decaying");
    expect(fitExponentialDecay([1], [5]).status).toBe("insufficient_data");
    expect(fitExponentialDecay([1, 2], [0, 0]).status).toBe("no_effect");
  });
});

describe("decayCurve", () => {
  it("computes post-minus-baseline by week with t intervals, worked by hand", () => {
    // Baselines: u1 (0+2)/2 = 1, u2 10, u3 0, u4 5. Deltas per week:
    //   u1 8 4 2 1 | u2 8 4 2 1 | u3 9 5 3 2 | u4 7 3 1 0  → means 8 4 2 1, the exact curve above.
    // Week 1: values 8 8 9 7, sd = √(2/3), se = √(2/3)/2 = 0.408248, t(.975, 3) = 3.182446 → ±1.299228.
    const treated = [
      unit("u1", [0, 2], [9, 5, 3, 2]),
      unit("u2", [10], [18, 14, 12, 11]),
      unit("u3", [0, null], [9, 5, 3, 2]),
      unit("u4", [5], [12, 8, 6, 5]),
      unit("u5", [], [1, 2]),
      unit("u6", [3], [null, null]),
    ];
    const r = decayCurve(treated, { resamples: 200, seed: 4 });
    expect(r.weeks.map((w) => w.estimate)).toEqual([8, 4, 2, 1]);
    expect(r.weeks[0]!.nTreated).toBe(4);
    const half = 3.182446305284263 * (Math.sqrt(2 / 3) / 2);
    expect(r.weeks[0]!.ci![0]).toBeCloseTo(8 - half, 9);
    expect(r.weeks[0]!.ci![1]).toBeCloseTo(8 + half, 9);
    expect(r.fit.halfLife!).toBeCloseTo(1, 6);
    expect(r.unmeasurable).toEqual([
      { id: "u5", group: "treated", reason: "no_baseline" },
      { id: "u6", group: "treated", reason: "no_post_values" },
    ]);
    expect(r.halfLifeCi![0]).toBeLessThanOrEqual(1);
  });

  it("subtracts the control curve and uses Welch intervals", () => {
    const treated = [unit("t1", [0], [4, 2]), unit("t2", [0], [6, 2])];
    const controls = [unit("c1", [1], [2, 1]), unit("c2", [1], [2, 3])];
    // week 1: treated mean 5, control mean 1 → 4; week 2: treated 2, control 1 → 1
    const r = decayCurve(treated, { controls, resamples: 50 });
    expect(r.weeks.map((w) => w.estimate)).toEqual([4, 1]);
    expect(r.weeks[0]!.nControl).toBe(2);
    // week 1: treated var 2, control var 0 → se = 1, Welch df = 1 → t = 12.7062
    expect(r.weeks[0]!.ci![1]).toBeCloseTo(4 + 12.706204736174698, 8);
  });

  it("brackets a planted half-life", () => {
    const rng = createRng(21);
    const units: WeeklyUnit[] = [];
    for (let i = 0; i < 300; i++) {
      const base = 20 + rng.normal() * 3;
      const before = Array.from({ length: 4 }, () => base + rng.normal());
      const after = Array.from({ length: 10 }, (_, w) => base + 6 * 0.5 ** ((w + 1) / 3) + rng.normal());
      units.push(unit(`u${i}`, before, after));
    }
    const r = decayCurve(units, { resamples: 300, seed: 5 });
    expect(r.fit.status).toBe("decaying");
    expect(r.fit.halfLife!).toBeGreaterThan(2.2);
    expect(r.fit.halfLife!).toBeLessThan(4);
    expect(r.halfLifeCi![0]).toBeLessThan(3);
    expect(r.halfLifeCi![1]).toBeGreaterThan(3);
  });

  it("refuses when no unit is measurable", () => {
    expect(() => decayCurve([unit("a", [], [1])])).toThrowError(/no treated unit/);
  });
});

const MIN_RATE = 1e-3;
/** The fit as it was before the grid's exponentials were cached: every score computed from Math.exp. */
function fitRowByRow(
  weeks: readonly number[],
  values: readonly number[],
): ReturnType<typeof fitExponentialDecay> {
  const n = weeks.length;
  if (n !== values.length) throw new Error("weeks and values must have the same length");
  if (n < 2) return { status: "insufficient_data", initial: null, rate: null, halfLife: null };
  const score = (rate: number): number => {
    let ye = 0;
    let ee = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(-rate * weeks[i]!);
      ye += values[i]! * e;
      ee += e * e;
    }
    return ee > 0 ? (ye * ye) / ee : 0; // SSE = Σy² − score, so maximise the score
  };
  const grid = [0];
  for (let g = 0; g <= 120; g++) grid.push(MIN_RATE * (5 / MIN_RATE) ** (g / 120));
  let best = 0;
  for (let g = 1; g < grid.length; g++) if (score(grid[g]!) > score(grid[best]!)) best = g;
  let lo = grid[Math.max(best - 1, 0)]!;
  let hi = grid[Math.min(best + 1, grid.length - 1)]!;
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = score(x1);
  let f2 = score(x2);
  for (let i = 0; i < 100 && hi - lo > 1e-12 * (1 + hi); i++) {
    if (f1 > f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = score(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = score(x2);
    }
  }
  let rate = (lo + hi) / 2;
  if (score(grid[best]!) > score(rate)) rate = grid[best]!;
  let ye = 0;
  let ee = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(-rate * weeks[i]!);
    ye += values[i]! * e;
    ee += e * e;
  }
  const initial = ye / ee;
  if (initial === 0) return { status: "no_effect", initial, rate, halfLife: null };
  if (rate < MIN_RATE) return { status: "not_decaying", initial, rate, halfLife: null };
  return { status: "decaying", initial, rate, halfLife: Math.LN2 / rate };
}

describe("the grid search with cached exponentials", () => {
  it("gives exactly the fit of computing every exponential, on any data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.double({ min: -5, max: 5, noNaN: true })), {
          minLength: 2,
          maxLength: 30,
        }),
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        (points, rate) => {
          const weeks = points.map(([w]) => w);
          // Half of the cases follow a decay (with noise), the rest are arbitrary.
          const values = points.map(([w, v], i) => (i % 2 ? v : 3 * Math.exp(-rate * w) + v / 10));
          expect(fitExponentialDecay(weeks, values)).toEqual(fitRowByRow(weeks, values));
        },
      ),
      { numRuns: 300 },
    );
  });
});
