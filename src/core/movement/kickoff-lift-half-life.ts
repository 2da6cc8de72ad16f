import { tQuantile } from "../stats/index.ts";

/** Group codes of `LiftDeals.group`. */
export const LIFT_ABSENT = 0;
export const LIFT_REINFORCED = 1;
export const LIFT_UNREINFORCED = 2;

/**
 * Closed deals for the lift fit, column-wise: won (1/0), days from the kickoff start to the close (negative before
 * it), and the rep's group (LIFT_ABSENT, LIFT_REINFORCED or LIFT_UNREINFORCED).
 */
export interface LiftDeals {
  won: Uint8Array;
  days: Float64Array;
  group: Uint8Array;
}

/** The fitted lift and its half-life with a profile interval, or why there is none. */
export type KickoffLiftHalfLife =
  | {
      status: "estimated";
      /** Win-rate lift at the kickoff (kept by reinforced reps). */
      lift: number;
      liftCi: [number, number] | null;
      /** Weeks for the unreinforced attendees' lift to halve. */
      halfLifeWeeks: number;
      /** Half-lives whose fit is not worse than the best by the 95% profile criterion (0 / null at the grid's edges). */
      halfLifeCi: [number, number | null];
      n: number;
      method: string;
    }
  | { status: "insufficient"; message: string; n: number };

/** The half-lives profiled, in weeks: GRID_MIN, ×1.02 each step, up to GRID_MAX. */
export const GRID_MIN = 0.25;
export const GRID_MAX = 520;
/** Taylor terms of exp(a·δ) for δ in [0, 1) and |a| ≤ 2·ln 2 / (7·GRID_MIN) ≈ 0.79: the remainder is below 1e-19. */
const TERMS = 20;
const EPS = 2 ** -52;

/** An exact fit at one half-life: the coefficients, the residual sum of squares and (XᵀX)⁻¹, or null when singular. */
interface Fit {
  beta: number[];
  sse: number;
  xtxInv: number[][];
}

/** The inverse of a 3×3 matrix by cofactors, or null when it is (nearly) singular. */
export function invert3(m: number[][]): number[][] | null {
  const [a, b, c] = m[0]!;
  const [d, e, f] = m[1]!;
  const [g, h, k] = m[2]!;
  const A = e! * k! - f! * h!;
  const B = -(d! * k! - f! * g!);
  const C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  if (!(Math.abs(det) > 1e-12)) return null;
  return [
    [A / det, -(b! * k! - c! * h!) / det, (b! * f! - c! * e!) / det],
    [B / det, (a! * k! - c! * g!) / det, -(a! * f! - c! * d!) / det],
    [C / det, -(a! * h! - b! * g!) / det, (a! * e! - b! * d!) / det],
  ];
}

/**
 * Fits won = a + b·years + L·x_h over closed deals, with x_h = 1 for reinforced reps after the kickoff,
 * 2^(−weeks/h) for the other attending reps after it, 0 otherwise (absent reps, and every deal before the kickoff):
 * the lift L at the kickoff, kept by reinforced reps, halving every h weeks without reinforcement. h by profile least
 * squares on a log grid (0.25 to 520 weeks, ×1.02); its 95% interval is the set of h whose residual sum of squares
 * exceeds the best by at most σ̂²·χ²₁(0.95); a bound at the grid's edge is reported as 0 (lower) or null (upper: not
 * bounded). L's interval is the OLS t interval at the best h.
 *
 * Speed: the profile over the ~390 grid points is computed from sufficient statistics (the decaying deals binned by
 * day, exp(a·δ) within a day by its Taylor series), not by a pass over every deal per point. Each decision the profile
 * feeds (which point is best, where the interval ends) is then settled by the row-by-row least squares at every point
 * whose profile value is within its error bound of the decision, so the result is the one the row-by-row profile gives.
 */
export function fitKickoffLiftHalfLife(deals: LiftDeals): KickoffLiftHalfLife {
  const n = deals.days.length;
  const { won, days, group } = deals;
  let hasReinforced = false;
  let hasDecaying = false;
  let hasBaseline = false;
  for (let i = 0; i < n; i++) {
    const post = days[i]! >= 0;
    if (group[i] === LIFT_REINFORCED && post) hasReinforced = true;
    else if (group[i] === LIFT_UNREINFORCED && post) hasDecaying = true;
    if (group[i] === LIFT_ABSENT || !post) hasBaseline = true;
  }
  if (n < 10 || !hasDecaying || !hasBaseline)
    return {
      status: "insufficient",
      message:
        "need closed deals of unreinforced attending reps after the kickoff and a baseline (before or absent reps)",
      n,
    };
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  /** 0: x is 0, 1: x is 1, 2: x decays with h. */
  const kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = won[i] ? 1 : 0;
    t[i] = days[i]! / 365;
    kind[i] = !(days[i]! >= 0) || group[i] === LIFT_ABSENT ? 0 : group[i] === LIFT_REINFORCED ? 1 : 2;
  }
  const grid: number[] = [];
  for (let h = GRID_MIN; h <= GRID_MAX; h *= 1.02) grid.push(h);

  // Row-by-row least squares at one grid point, in row order (the reference the profile's decisions are held to).
  const x = new Float64Array(n);
  const exactFits = new Map<number, Fit | null>();
  const exact = (g: number): Fit | null => {
    if (exactFits.has(g)) return exactFits.get(g)!;
    const h = grid[g]!;
    for (let i = 0; i < n; i++) x[i] = kind[i] === 0 ? 0 : kind[i] === 1 ? 1 : 2 ** (-days[i]! / 7 / h);
    let m00 = 0;
    let m01 = 0;
    let m02 = 0;
    let m11 = 0;
    let m12 = 0;
    let m22 = 0;
    let v0 = 0;
    let v1 = 0;
    let v2 = 0;
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      const xi = x[i]!;
      const yi = y[i]!;
      v0 += 1 * yi;
      m00 += 1 * 1;
      m01 += 1 * ti;
      m02 += 1 * xi;
      v1 += ti * yi;
      m11 += ti * ti;
      m12 += ti * xi;
      v2 += xi * yi;
      m22 += xi * xi;
    }
    const inv = invert3([
      [m00, m01, m02],
      [m01, m11, m12],
      [m02, m12, m22],
    ]);
    let fit: Fit | null = null;
    if (inv) {
      const beta = [0, 1, 2].map((a) => inv[a]![0]! * v0 + inv[a]![1]! * v1 + inv[a]![2]! * v2);
      const [b0, b1, b2] = beta as [number, number, number];
      let sse = 0;
      for (let i = 0; i < n; i++) {
        const e = y[i]! - b0 - b1 * t[i]! - b2 * x[i]!;
        sse += e * e;
      }
      fit = { beta, sse, xtxInv: inv };
    }
    exactFits.set(g, fit);
    return fit;
  };
  const exactSse = (g: number): number => exact(g)?.sse ?? Number.POSITIVE_INFINITY;

  // Sums that do not depend on h, and per-day moments of the decaying deals.
  let s1 = 0;
  let st = 0;
  let stt = 0;
  let sy = 0;
  let sty = 0;
  let cx = 0;
  let ctx = 0;
  let cxy = 0;
  let maxDay = 0;
  for (let i = 0; i < n; i++) {
    s1 += 1;
    st += t[i]!;
    stt += t[i]! * t[i]!;
    sy += y[i]!;
    sty += t[i]! * y[i]!;
    if (kind[i] === 1) {
      cx += 1;
      ctx += t[i]!;
      cxy += y[i]!;
    } else if (kind[i] === 2) maxDay = Math.max(maxDay, Math.floor(days[i]!));
  }
  const bins = maxDay + 1;
  // moments[(b·3 + s)·TERMS + k] = Σ over the day's deals of w·δᵏ, w = 1 (s = 0), t (s = 1), y (s = 2).
  const moments = new Float64Array(bins * 3 * TERMS);
  const used = new Uint8Array(bins);
  for (let i = 0; i < n; i++) {
    if (kind[i] !== 2) continue;
    const b = Math.floor(days[i]!);
    const delta = days[i]! - b;
    used[b] = 1;
    const base = b * 3 * TERMS;
    let p = 1;
    for (let k = 0; k < TERMS; k++) {
      moments[base + k]! += p;
      moments[base + TERMS + k]! += t[i]! * p;
      moments[base + 2 * TERMS + k]! += y[i]! * p;
      p *= delta;
    }
  }
  const usedBins: number[] = [];
  for (let b = 0; b < bins; b++) if (used[b]) usedBins.push(b);

  // The profile from the sums, with a bound on its distance from the row-by-row values: the row-by-row sums of n
  // terms are off by at most ~n·ε of their magnitude, and the normal equations add ε times the design's condition.
  const approx = new Float64Array(grid.length);
  const tol = new Float64Array(grid.length);
  const known = new Uint8Array(grid.length);
  const c1 = new Float64Array(TERMS);
  const c2 = new Float64Array(TERMS);
  for (let g = 0; g < grid.length; g++) {
    const a = -Math.LN2 / 7 / grid[g]!;
    c1[0] = 1;
    c2[0] = 1;
    for (let k = 1; k < TERMS; k++) {
      c1[k] = (c1[k - 1]! * a) / k;
      c2[k] = (c2[k - 1]! * 2 * a) / k;
    }
    let sx = cx;
    let stx = ctx;
    let sxy = cxy;
    let sxx = cx;
    for (const b of usedBins) {
      const base = b * 3 * TERMS;
      let m0 = 0;
      let m1 = 0;
      let m2 = 0;
      let q = 0;
      for (let k = 0; k < TERMS; k++) {
        m0 += c1[k]! * moments[base + k]!;
        m1 += c1[k]! * moments[base + TERMS + k]!;
        m2 += c1[k]! * moments[base + 2 * TERMS + k]!;
        q += c2[k]! * moments[base + k]!;
      }
      const e1 = Math.exp(a * b);
      sx += e1 * m0;
      stx += e1 * m1;
      sxy += e1 * m2;
      sxx += e1 * e1 * q;
    }
    const m = [
      [s1, st, sx],
      [st, stt, stx],
      [sx, stx, sxx],
    ];
    const inv = invert3(m);
    const scale = Math.abs(s1 * stt * sxx);
    const ratio = inv
      ? Math.abs(
          (s1 * (stt * sxx - stx * stx) - st * (st * sxx - stx * sx) + sx * (st * stx - stt * sx)) / scale,
        )
      : 0;
    if (!inv || !(ratio > 1e-6)) {
      approx[g] = exactSse(g);
      known[g] = 1;
      continue;
    }
    const v = [sy, sty, sxy];
    const beta = [0, 1, 2].map((r) => inv[r]![0]! * v[0]! + inv[r]![1]! * v[1]! + inv[r]![2]! * v[2]!);
    let quad = 0;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) quad += beta[r]! * m[r]![c]! * beta[c]!;
    const sse = sy - 2 * (beta[0]! * v[0]! + beta[1]! * v[1]! + beta[2]! * v[2]!) + quad;
    approx[g] = sse;
    tol[g] = 64 * n * EPS * (sy + n) + (1e-12 * (sy + n)) / ratio;
    if (!Number.isFinite(sse)) {
      approx[g] = exactSse(g);
      known[g] = 1;
    }
  }

  // The best point: every point that could be the row-by-row minimum is settled row by row; the first minimum wins.
  let threshold = Number.POSITIVE_INFINITY;
  for (let g = 0; g < grid.length; g++) threshold = Math.min(threshold, approx[g]! + tol[g]!);
  let best = -1;
  let bestSse = Number.NaN;
  for (let g = 0; g < grid.length; g++) {
    if (!(approx[g]! - tol[g]! <= threshold)) continue;
    const s = known[g] ? approx[g]! : exactSse(g);
    if (best < 0 || s < bestSse) {
      best = g;
      bestSse = s;
    }
  }
  if (best < 0 || !Number.isFinite(bestSse))
    return { status: "insufficient", message: "the design is singular (no variation to fit)", n };
  const sigma2 = bestSse / (n - 4);
  const cut = bestSse + sigma2 * 3.841458820694124;
  const within = (g: number): boolean => {
    if (known[g]) return approx[g]! <= cut;
    if (approx[g]! + tol[g]! <= cut) return true;
    if (approx[g]! - tol[g]! > cut) return false;
    return exactSse(g) <= cut;
  };
  let lo = best;
  while (lo > 0 && within(lo - 1)) lo--;
  let hi = best;
  while (hi < grid.length - 1 && within(hi + 1)) hi++;
  return profileResult(exact(best)!, { sigma2, n, grid, best, lo, hi, hasReinforced });
}

/**
 * The estimate from the best half-life's fit and the profile interval's ends (grid indices): the lift with its t
 * interval (n − 4 degrees of freedom), the half-life and its interval (0 / null at the grid's edges: not bounded).
 */
export function profileResult(
  fit: { beta: readonly number[]; xtxInv: readonly (readonly number[])[] },
  profile: {
    sigma2: number;
    n: number;
    grid: readonly number[];
    best: number;
    lo: number;
    hi: number;
    hasReinforced: boolean;
  },
): KickoffLiftHalfLife {
  const { sigma2, n, grid, best, lo, hi, hasReinforced } = profile;
  const se = Math.sqrt(sigma2 * fit.xtxInv[2]![2]!);
  const q = tQuantile(0.975, n - 4);
  return {
    status: "estimated",
    lift: fit.beta[2]!,
    liftCi: Number.isFinite(se) ? [fit.beta[2]! - q * se, fit.beta[2]! + q * se] : null,
    halfLifeWeeks: grid[best]!,
    halfLifeCi: [lo === 0 ? 0 : grid[lo]!, hi === grid.length - 1 ? null : grid[hi]!],
    n,
    method: hasReinforced
      ? "profile least squares: won ~ 1 + years + lift·(1 reinforced | 2^(−weeks/h) other attendees) after the kickoff"
      : "profile least squares: won ~ 1 + years + lift·2^(−weeks/h) for attendees after the kickoff (no reinforced rep)",
  };
}
