import {
  GRID_MAX,
  GRID_MIN,
  invert3,
  type KickoffLiftHalfLife,
  profileResult,
} from "../../core/movement/kickoff-lift-half-life.ts";

/*
 * The lift half-life fitted row by row: the reference that the product's fit from sufficient statistics
 * (core/movement/kickoff-lift-half-life.ts) is tested against.
 */

/** A closed deal for the decay fit: won or not, days from the kickoff, and the rep's group. */
export interface DecayDeal {
  won: boolean;
  /** Days from the kickoff start to the close (negative before it). */
  days: number;
  /** "absent" reps and every deal before the kickoff carry no lift; reinforced reps keep it; the others decay. */
  group: "absent" | "reinforced" | "unreinforced";
}

/** The fitted lift and its half-life with a profile interval, or why there is none (the product's fit gives the same). */
export type LiftHalfLife = KickoffLiftHalfLife;

/** Ordinary least squares of y on [1, t, x]: coefficients and residual sum of squares (3×3 normal equations). */
function ols3(
  y: Float64Array,
  t: Float64Array,
  x: Float64Array,
): { beta: number[]; sse: number; xtxInv: number[][] } | null {
  const n = y.length;
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const v = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const r = [1, t[i]!, x[i]!];
    for (let a = 0; a < 3; a++) {
      v[a]! += r[a]! * y[i]!;
      for (let b = 0; b < 3; b++) m[a]![b]! += r[a]! * r[b]!;
    }
  }
  const inv = invert3(m);
  if (!inv) return null;
  const beta = [0, 1, 2].map((a) => inv[a]![0]! * v[0]! + inv[a]![1]! * v[1]! + inv[a]![2]! * v[2]!);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - beta[0]! - beta[1]! * t[i]! - beta[2]! * x[i]!;
    sse += e * e;
  }
  return { beta, sse, xtxInv: inv };
}

/**
 * Fits won = a + b·years + L·x_h over closed deals, with x_h = 1 for reinforced reps after the kickoff,
 * 2^(−weeks/h) for the other attending reps after it, 0 otherwise (absent reps, and every deal before the kickoff):
 * the lift L at the kickoff, kept by reinforced reps, halving every h weeks without reinforcement. h by profile least
 * squares on a log grid (0.25 to 520 weeks); its 95% interval is the set of h whose residual sum of squares exceeds
 * the best by at most σ̂²·χ²₁(0.95); a bound at the grid's edge is reported as 0 (lower) or null (upper: not bounded). L's interval is
 * the OLS t interval at the best h.
 */
export function fitLiftHalfLife(deals: readonly DecayDeal[]): LiftHalfLife {
  const n = deals.length;
  const post = (d: DecayDeal) => d.days >= 0;
  const hasReinforced = deals.some((d) => d.group === "reinforced" && post(d));
  const hasDecaying = deals.some((d) => d.group === "unreinforced" && post(d));
  const hasBaseline = deals.some((d) => d.group === "absent" || !post(d));
  if (n < 10 || !hasDecaying || !hasBaseline)
    return {
      status: "insufficient",
      message:
        "need closed deals of unreinforced attending reps after the kickoff and a baseline (before or absent reps)",
      n,
    };
  const y = Float64Array.from(deals, (d) => (d.won ? 1 : 0));
  const t = Float64Array.from(deals, (d) => d.days / 365);
  const x = new Float64Array(n);
  const fill = (h: number) => {
    for (let i = 0; i < n; i++) {
      const d = deals[i]!;
      x[i] = !post(d) || d.group === "absent" ? 0 : d.group === "reinforced" ? 1 : 2 ** (-d.days / 7 / h);
    }
  };
  const grid: number[] = [];
  for (let h = GRID_MIN; h <= GRID_MAX; h *= 1.02) grid.push(h);
  const sse = grid.map((h) => {
    fill(h);
    return ols3(y, t, x)?.sse ?? Number.POSITIVE_INFINITY;
  });
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (sse[i]! < sse[best]!) best = i;
  if (!Number.isFinite(sse[best]!))
    return { status: "insufficient", message: "the design is singular (no variation to fit)", n };
  const sigma2 = sse[best]! / (n - 4);
  const cut = sse[best]! + sigma2 * 3.841458820694124;
  let lo = best;
  while (lo > 0 && sse[lo - 1]! <= cut) lo--;
  let hi = best;
  while (hi < grid.length - 1 && sse[hi + 1]! <= cut) hi++;
  fill(grid[best]!);
  return profileResult(ols3(y, t, x)!, { sigma2, n, grid, best, lo, hi, hasReinforced });
}
