import { AppError } from "../errors.ts";
import { type BootstrapOptions, resolveBootstrapOptions } from "./bootstrap.ts";
import { quantileSorted } from "./descriptive.ts";
import { tQuantile } from "./distributions.ts";
import { createRng } from "./prng.ts";

/** A unit's weekly values before and after the event; null marks a week with no measurement. */
export interface WeeklyUnit {
  id: string;
  /** Weeks before the event (any number, in any order: only their mean is used as the baseline). */
  before: readonly (number | null)[];
  /** Weeks after the event: index 0 is week 1. */
  after: readonly (number | null)[];
}

/** Fit of effect(week) = initial · exp(−rate · week), with week counted from the event. */
export interface ExponentialFit {
  status: "decaying" | "not_decaying" | "no_effect" | "insufficient_data";
  /** Effect extrapolated to the event (week 0). */
  initial: number | null;
  /** Decay per week (≥ 0). */
  rate: number | null;
  /** ln 2 / rate, in weeks; null unless status is "decaying". */
  halfLife: number | null;
}

/** One week of the post-minus-baseline curve. */
export interface DecayWeek {
  week: number;
  /** Mean over treated units of (value − own baseline), minus the same for controls when given. */
  estimate: number | null;
  /** t interval (Welch when there are controls); null with fewer than 2 units on a side. */
  ci: [number, number] | null;
  nTreated: number;
  nControl: number;
}

/** The weekly curve, its exponential fit with a bootstrap half-life interval, and the units that could not count. */
export interface DecayCurve {
  weeks: DecayWeek[];
  fit: ExponentialFit;
  /** Percentile interval of the half-life in weeks; the upper bound is null when some resamples show no decay. */
  halfLifeCi: [number, number | null] | null;
  unmeasurable: { id: string; group: "treated" | "control"; reason: "no_baseline" | "no_post_values" }[];
  resamples: number;
  seed: number;
  level: number;
}

const MIN_RATE = 1e-3; // below this (half-life > 693 weeks) the curve is called flat

/** The log-spaced rates searched first: 0, then MIN_RATE … 5 (121 points). */
const GRID: readonly number[] = (() => {
  const grid = [0];
  for (let g = 0; g <= 120; g++) grid.push(MIN_RATE * (5 / MIN_RATE) ** (g / 120));
  return grid;
})();

/**
 * exp(−rate·w) at every grid rate, by week w. Bootstraps refit the same weeks thousands of times; the values are
 * the very numbers `Math.exp` gives there, computed once. Bounded: cleared when it grows past 4,096 weeks.
 */
const gridExps = new Map<number, Float64Array>();
function expsAt(w: number): Float64Array {
  let exps = gridExps.get(w);
  if (exps === undefined) {
    exps = new Float64Array(GRID.length);
    for (let g = 0; g < GRID.length; g++) exps[g] = Math.exp(-GRID[g]! * w);
    if (gridExps.size >= 4096) gridExps.clear();
    gridExps.set(w, exps);
  }
  return exps;
}

/**
 * Least-squares fit of y = A·exp(−λ·w) with λ ≥ 0: A is profiled out in closed form (A = Σy·e/Σe²), and λ is found
 * by a log-spaced grid followed by golden-section refinement around the best grid point.
 */
export function fitExponentialDecay(weeks: readonly number[], values: readonly number[]): ExponentialFit {
  const n = weeks.length;
  if (n !== values.length) throw new AppError("validation", "weeks and values must have the same length");
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
  // The grid's scores, each once, from the cached exponentials (the same sums in the same order as `score`).
  const exps = weeks.map(expsAt);
  const scores = new Float64Array(GRID.length);
  for (let g = 0; g < GRID.length; g++) {
    let ye = 0;
    let ee = 0;
    for (let i = 0; i < n; i++) {
      const e = exps[i]![g]!;
      ye += values[i]! * e;
      ee += e * e;
    }
    scores[g] = ee > 0 ? (ye * ye) / ee : 0;
  }
  const grid = GRID;
  let best = 0;
  for (let g = 1; g < grid.length; g++) if (scores[g]! > scores[best]!) best = g;
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
  if (scores[best]! > score(rate)) rate = grid[best]!;
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

interface Deltas {
  /** units × weeks, NaN where missing */
  values: Float64Array;
  units: number;
}

function deltas(
  units: readonly WeeklyUnit[],
  weeks: number,
  group: "treated" | "control",
  unmeasurable: DecayCurve["unmeasurable"],
): Deltas {
  const rows: Float64Array[] = [];
  for (const unit of units) {
    let s = 0;
    let c = 0;
    for (const v of unit.before) {
      if (v === null) continue;
      if (!Number.isFinite(v))
        throw new AppError("validation", `unit ${unit.id}: before value ${v} is not finite`, "before");
      s += v;
      c++;
    }
    if (c === 0) {
      unmeasurable.push({ id: unit.id, group, reason: "no_baseline" });
      continue;
    }
    const baseline = s / c;
    const row = new Float64Array(weeks).fill(Number.NaN);
    let any = false;
    for (let w = 0; w < Math.min(weeks, unit.after.length); w++) {
      const v = unit.after[w];
      if (v === null || v === undefined) continue;
      if (!Number.isFinite(v))
        throw new AppError("validation", `unit ${unit.id}: after value ${v} is not finite`, "after");
      row[w] = v - baseline;
      any = true;
    }
    if (!any) {
      unmeasurable.push({ id: unit.id, group, reason: "no_post_values" });
      continue;
    }
    rows.push(row);
  }
  const values = new Float64Array(rows.length * weeks);
  rows.forEach((row, u) => {
    values.set(row, u * weeks);
  });
  return { values, units: rows.length };
}

/** Per-week sums, sums of squares and counts over the given unit indices (or all units). */
function weekMoments(
  d: Deltas,
  weeks: number,
  pick?: Int32Array,
): { n: Float64Array; s: Float64Array; ss: Float64Array } {
  const n = new Float64Array(weeks);
  const s = new Float64Array(weeks);
  const ss = new Float64Array(weeks);
  const count = pick ? pick.length : d.units;
  for (let i = 0; i < count; i++) {
    const u = pick ? pick[i]! : i;
    for (let w = 0; w < weeks; w++) {
      const v = d.values[u * weeks + w]!;
      if (Number.isNaN(v)) continue;
      n[w]! += 1;
      s[w]! += v;
      ss[w]! += v * v;
    }
  }
  return { n, s, ss };
}

/**
 * The weekly decay curve of an effect: for each week after the event, the mean of (value − the unit's own
 * pre-event mean) over treated units, minus the same over control units when controls are given, with a t interval
 * per week; then an exponential fit and its half-life, whose interval comes from a seeded bootstrap over units.
 * Units with no baseline or no post-event value are listed in `unmeasurable`, not silently dropped.
 */
export function decayCurve(
  treated: readonly WeeklyUnit[],
  options: BootstrapOptions & { controls?: readonly WeeklyUnit[]; weeks?: number } = {},
): DecayCurve {
  const opts = resolveBootstrapOptions(options);
  const weeks = options.weeks ?? Math.max(0, ...treated.map((u) => u.after.length));
  if (!Number.isInteger(weeks) || weeks < 1)
    throw new AppError("validation", "need at least one post-event week", "weeks");
  const unmeasurable: DecayCurve["unmeasurable"] = [];
  const t = deltas(treated, weeks, "treated", unmeasurable);
  const c = options.controls ? deltas(options.controls, weeks, "control", unmeasurable) : undefined;
  if (t.units === 0)
    throw new AppError("validation", "no treated unit has both a baseline and a post-event value");
  if (c && c.units === 0)
    throw new AppError("validation", "no control unit has both a baseline and a post-event value");

  const tm = weekMoments(t, weeks);
  const cm = c ? weekMoments(c, weeks) : undefined;
  const alpha = 1 - opts.level;
  const curve: DecayWeek[] = [];
  for (let w = 0; w < weeks; w++) {
    const nT = tm.n[w]!;
    const nC = cm ? cm.n[w]! : 0;
    const mT = tm.s[w]! / nT;
    const vT = nT > 1 ? (tm.ss[w]! - nT * mT * mT) / (nT - 1) : Number.NaN;
    let estimate = nT > 0 ? mT : Number.NaN;
    let se = Math.sqrt(Math.max(vT, 0) / nT);
    let df = nT - 1;
    if (cm) {
      const mC = cm.s[w]! / nC;
      const vC = nC > 1 ? (cm.ss[w]! - nC * mC * mC) / (nC - 1) : Number.NaN;
      estimate = nT > 0 && nC > 0 ? mT - mC : Number.NaN;
      const a = Math.max(vT, 0) / nT;
      const b = Math.max(vC, 0) / nC;
      se = Math.sqrt(a + b);
      // Welch–Satterthwaite degrees of freedom
      df = (a + b) ** 2 / ((a * a) / (nT - 1) + (b * b) / (nC - 1));
    }
    const ok = Number.isFinite(estimate) && nT > 1 && (!cm || nC > 1) && se > 0 && df > 0;
    const half = ok ? tQuantile(1 - alpha / 2, df) * se : Number.NaN;
    curve.push({
      week: w + 1,
      estimate: Number.isFinite(estimate) ? estimate : null,
      ci: ok
        ? [estimate - half, estimate + half]
        : se === 0 && Number.isFinite(estimate)
          ? [estimate, estimate]
          : null,
      nTreated: nT,
      nControl: nC,
    });
  }

  const fitOf = (tMom: typeof tm, cMom: typeof cm): ExponentialFit => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let w = 0; w < weeks; w++) {
      if (tMom.n[w] === 0 || (cMom && cMom.n[w] === 0)) continue;
      xs.push(w + 1);
      ys.push(tMom.s[w]! / tMom.n[w]! - (cMom ? cMom.s[w]! / cMom.n[w]! : 0));
    }
    return fitExponentialDecay(xs, ys);
  };
  const fit = fitOf(tm, cm);

  // Bootstrap the half-life: resample units within each group, refit. No decay counts as an infinite half-life.
  const rng = createRng(opts.seed);
  const pickT = new Int32Array(t.units);
  const pickC = new Int32Array(c ? c.units : 0);
  const samples = new Float64Array(opts.resamples);
  for (let b = 0; b < opts.resamples; b++) {
    for (let i = 0; i < pickT.length; i++) pickT[i] = rng.int(t.units);
    for (let i = 0; i < pickC.length; i++) pickC[i] = rng.int(pickC.length);
    const f = fitOf(weekMoments(t, weeks, pickT), c ? weekMoments(c, weeks, pickC) : undefined);
    samples[b] =
      f.status === "decaying"
        ? f.halfLife!
        : f.status === "not_decaying" && Math.sign(f.initial!) === Math.sign(fit.initial ?? 0)
          ? Number.POSITIVE_INFINITY
          : Number.NaN;
  }
  let halfLifeCi: DecayCurve["halfLifeCi"] = null;
  if (fit.status === "decaying") {
    const valid = samples.filter((v) => !Number.isNaN(v)).sort();
    if (valid.length > 0) {
      const lo = quantileSorted(valid, alpha / 2);
      const hi = quantileSorted(valid, 1 - alpha / 2);
      if (Number.isFinite(lo)) halfLifeCi = [lo, Number.isFinite(hi) ? hi : null];
    }
  }
  return {
    weeks: curve,
    fit,
    halfLifeCi,
    unmeasurable,
    resamples: opts.resamples,
    seed: opts.seed,
    level: opts.level,
  };
}
