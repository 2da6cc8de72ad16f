import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { didBootstrap, didRegression, type PanelRow } from "./did.ts";
import { createRng } from "./prng.ts";

/**
 * Worked example, 4 units × 2 periods:
 *   unit  treated  pre  post
 *   A     1        1    4
 *   B     1        3    8
 *   C     0        2    3
 *   D     0        4    7
 * Cell means: treated pre 2, treated post 6, control pre 3, control post 5, so DiD = (6 − 2) − (5 − 3) = 2.
 * Residuals from cell means: A (−1, −2), B (+1, +2), C (−1, −2), D (+1, +2).
 * Row weights in d̂ = sign/n: treated post +1/2, treated pre −1/2, control post −1/2, control pre +1/2.
 * Cluster scores ψ_g = Σ w·u: A = ½·1 − ½·2 = −½, B = +½, C = −½·1 + ½·2 = +½, D = −½.  Σψ² = 1.
 * CR1 factor: G/(G−1)·(N−1)/(N−K) = 4/3 · 7/4 = 7/3, so Var = 7/3 and SE = √(7/3) = 1.5275252316519468.
 * df = G − 1 = 3, t(0.975, 3) = 3.182446305284263, half-width = 4.86126703…, so the 95% interval is [−2.86126703, 6.86126703].
 */
const worked: PanelRow[] = [
  { unit: "A", treated: 1, post: 0, outcome: 1 },
  { unit: "A", treated: 1, post: 1, outcome: 4 },
  { unit: "B", treated: 1, post: 0, outcome: 3 },
  { unit: "B", treated: 1, post: 1, outcome: 8 },
  { unit: "C", treated: 0, post: 0, outcome: 2 },
  { unit: "C", treated: 0, post: 1, outcome: 3 },
  { unit: "D", treated: 0, post: 0, outcome: 4 },
  { unit: "D", treated: 0, post: 1, outcome: 7 },
];

/** Clustered sandwich by explicit matrix algebra: (X'X)⁻¹ (Σ_g X_g'u_g u_g'X_g) (X'X)⁻¹ · CR1, via Gauss–Jordan. */
function sandwichByMatrices(rows: PanelRow[]): { beta: number[]; se: number } {
  const X = rows.map((r) => {
    const t = Number(r.treated);
    const p = Number(r.post);
    return [1, t, p, t * p];
  });
  const y = rows.map((r) => r.outcome);
  const k = 4;
  const xtx = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => X.reduce((s, x) => s + x[a]! * x[b]!, 0)),
  );
  const inv = invert(xtx);
  const xty = Array.from({ length: k }, (_, a) => X.reduce((s, x, i) => s + x[a]! * y[i]!, 0));
  const beta = inv.map((row) => row.reduce((s, v, b) => s + v * xty[b]!, 0));
  const u = X.map((x, i) => y[i]! - x.reduce((s, v, b) => s + v * beta[b]!, 0));
  const clusters = new Map<string | number, number[]>();
  rows.forEach((r, i) => {
    const score = clusters.get(r.unit) ?? [0, 0, 0, 0];
    for (let a = 0; a < k; a++) score[a]! += X[i]![a]! * u[i]!;
    clusters.set(r.unit, score);
  });
  const meat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const s of clusters.values())
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a]![b]! += s[a]! * s[b]!;
  const G = clusters.size;
  const N = rows.length;
  const c = (G / (G - 1)) * ((N - 1) / (N - k));
  const left = multiply(inv, meat);
  const v = multiply(left, inv);
  return { beta, se: Math.sqrt(c * v[3]![3]!) };
}

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, i) => s + v * b[i]![j]!, 0)));
}

function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    for (let j = 0; j < 2 * n; j++) a[col]![j]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      for (let j = 0; j < 2 * n; j++) a[r]![j]! -= f * a[col]![j]!;
    }
  }
  return a.map((row) => row.slice(n));
}

/** A random panel: units with a unit effect, a common period effect, noise, and possibly several rows per cell. */
function simulatePanel(seed: number, units: number, effect = 0, rowsPerCell = 1): PanelRow[] {
  const rng = createRng(seed);
  const rows: PanelRow[] = [];
  for (let u = 0; u < units; u++) {
    const treated = u < units / 2 ? 1 : 0;
    const unitEffect = rng.normal() * 2;
    for (const post of [0, 1] as const) {
      for (let r = 0; r < rowsPerCell; r++) {
        const outcome = 10 + unitEffect + post * 1.5 + treated * 0.7 + treated * post * effect + rng.normal();
        rows.push({ unit: `u${u}`, treated, post, outcome });
      }
    }
  }
  return rows;
}

describe("didRegression", () => {
  it("reproduces the hand-computed 4-unit example", () => {
    const r = didRegression(worked);
    expect(r.estimate).toBeCloseTo(2, 12);
    expect(r.stdError).toBeCloseTo(Math.sqrt(7 / 3), 12);
    expect(r.stdError).toBeCloseTo(1.5275252316519468, 12);
    expect(r.df).toBe(3);
    expect(r.nUnits).toBe(4);
    expect(r.nObs).toBe(8);
    expect(r.ci[0]).toBeCloseTo(2 - 3.182446305284263 * Math.sqrt(7 / 3), 9);
    expect(r.ci[1]).toBeCloseTo(6.86126703, 7);
    expect(r.cells.treatedPost).toEqual({ n: 2, mean: 6 });
    expect(r.cells.controlPre).toEqual({ n: 2, mean: 3 });
  });

  it("agrees with an explicit-matrix clustered sandwich on unbalanced panels", () => {
    for (const seed of [1, 2, 3]) {
      const rows = simulatePanel(seed, 9, 0.8, 2);
      rows.splice(3, 1); // unbalanced: one unit loses a row
      rows.splice(10, 2);
      const direct = sandwichByMatrices(rows);
      const r = didRegression(rows);
      expect(r.estimate).toBeCloseTo(direct.beta[3]!, 10);
      expect(r.stdError).toBeCloseTo(direct.se, 10);
    }
    const direct = sandwichByMatrices(worked);
    expect(direct.se).toBeCloseTo(Math.sqrt(7 / 3), 10);
  });

  it("is invariant to row order", () => {
    const rows = simulatePanel(7, 12, 1, 2);
    const base = didRegression(rows);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const shuffled = [...rows];
        const rng = createRng(seed);
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const r = didRegression(shuffled);
        expect(r.estimate).toBeCloseTo(base.estimate, 10);
        expect(r.stdError).toBeCloseTo(base.stdError, 10);
      }),
      { numRuns: 50 },
    );
  });

  it("does not move when a constant is added to every outcome", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        (seed, shift) => {
          const rows = simulatePanel(seed, 8, 0.5);
          const base = didRegression(rows);
          const r = didRegression(rows.map((row) => ({ ...row, outcome: row.outcome + shift })));
          expect(r.estimate).toBeCloseTo(base.estimate, 8);
          expect(r.stdError).toBeCloseTo(base.stdError, 8);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("scales estimate and standard error with the outcomes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (seed, scale) => {
          const rows = simulatePanel(seed, 8, 0.5);
          const base = didRegression(rows);
          const r = didRegression(rows.map((row) => ({ ...row, outcome: row.outcome * scale })));
          const tol = 1e-9 * (1 + Math.abs(scale));
          expect(Math.abs(r.estimate - scale * base.estimate)).toBeLessThan(
            tol * (1 + Math.abs(base.estimate)),
          );
          expect(Math.abs(r.stdError - Math.abs(scale) * base.stdError)).toBeLessThan(
            tol * (1 + base.stdError),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it("covers a zero effect about 95% of the time across 200 seeds", () => {
    let covered = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = didRegression(simulatePanel(seed, 20));
      if (r.ci[0] <= 0 && r.ci[1] >= 0) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(covered / 200).toBeLessThanOrEqual(0.99);
  });

  it("recovers a planted effect", () => {
    const r = didRegression(simulatePanel(42, 400, 3));
    expect(r.ci[0]).toBeLessThan(3);
    expect(r.ci[1]).toBeGreaterThan(3);
    expect(r.ci[0]).toBeGreaterThan(2);
  });

  it.each([
    ["no treated units", worked.filter((r) => r.treated === 0), /no treated units/],
    ["no control units", worked.filter((r) => r.treated === 1), /no control units/],
    [
      "a missing cell",
      [
        ...worked.filter((r) => !(r.treated === 1 && r.post === 0)),
        { unit: "E", treated: 0 as const, post: 1 as const, outcome: 1 },
      ],
      /treated pre-period cell/,
    ],
    [
      "a unit that switches group",
      [...worked, { unit: "A", treated: 0 as const, post: 1 as const, outcome: 1 }],
      /row 9: treated/,
    ],
    [
      "a non-finite outcome",
      [...worked, { unit: "E", treated: 0 as const, post: 1 as const, outcome: Number.NaN }],
      /row 9: outcome/,
    ],
    ["too few rows", worked.filter((r) => r.unit === "A" || r.unit === "C"), /more than 4 rows/],
  ])("rejects %s with a validation error", (_, rows, message) => {
    expect(() => didRegression(rows as PanelRow[])).toThrowError(message);
    try {
      didRegression(rows as PanelRow[]);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("validation");
    }
  });
});

describe("didBootstrap", () => {
  it("centres on the regression estimate and is reproducible for a seed", () => {
    const rows = simulatePanel(3, 40, 2);
    const a = didBootstrap(rows, { resamples: 500, seed: 9 });
    const b = didBootstrap(rows, { resamples: 500, seed: 9 });
    expect(a).toEqual(b);
    expect(a.estimate).toBeCloseTo(didRegression(rows).estimate, 12);
    expect(a.ci[0]).toBeLessThan(a.estimate);
    expect(a.ci[1]).toBeGreaterThan(a.estimate);
    // The bootstrap SE should be of the same size as the clustered SE (within 35% on 40 units).
    expect(a.se / didRegression(rows).stdError).toBeGreaterThan(0.65);
    expect(a.se / didRegression(rows).stdError).toBeLessThan(1.35);
    expect(a.resamples).toBe(500);
    expect(a.invalidResamples).toBe(0);
  });

  it("gives a different interval for a different seed", () => {
    const rows = simulatePanel(3, 40, 2);
    expect(didBootstrap(rows, { resamples: 300, seed: 1 }).ci).not.toEqual(
      didBootstrap(rows, { resamples: 300, seed: 2 }).ci,
    );
  });
});
