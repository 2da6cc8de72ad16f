import { AppError } from "../errors.ts";
import { chiSquareSf, normalQuantile } from "./distributions.ts";

/** Times to an event, with a flag per unit: 1 the event happened at `time`, 0 censored (still open) at `time`. */
export interface SurvivalSample {
  time: ArrayLike<number>;
  event: ArrayLike<number | boolean>;
  /** Optional non-negative weight per unit (e.g. how many matched sets a control appears in); default 1. */
  weight?: ArrayLike<number>;
}

/** A Kaplan–Meier curve: one row per distinct observed time (event or censoring), ascending. */
export interface KaplanMeierCurve {
  n: number;
  totalEvents: number;
  time: number[];
  atRisk: number[];
  events: number[];
  censored: number[];
  /** S(t) just after `time` (right-continuous step function). */
  survival: number[];
  /** Greenwood standard error of S(t). */
  stdError: number[];
  /** Pointwise interval at `level` on the log(−log S) scale, which stays inside [0, 1]. */
  lower: number[];
  upper: number[];
  level: number;
}

/** Counts of a sample on a shared grid of distinct times: events and removals (events + censorings) per time. */
export interface SurvivalCounts {
  events: Float64Array;
  removed: Float64Array;
  total: number;
}

/** Validates a sample; returns times, event flags and weights as typed arrays. */
export function readSample(
  sample: SurvivalSample,
  name = "sample",
): {
  time: Float64Array;
  event: Uint8Array;
  weight: Float64Array;
} {
  const n = sample.time.length;
  if (sample.event.length !== n)
    throw new AppError("validation", `${name}: time and event lengths differ`, "event");
  if (sample.weight && sample.weight.length !== n) {
    throw new AppError("validation", `${name}: time and weight lengths differ`, "weight");
  }
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  const weight = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const t = sample.time[i]!;
    if (!(t >= 0) || !Number.isFinite(t)) {
      throw new AppError("validation", `${name}: time at index ${i} must be a finite number ≥ 0`, "time");
    }
    const e = sample.event[i];
    if (e === true || e === 1) event[i] = 1;
    else if (e !== false && e !== 0)
      throw new AppError("validation", `${name}: event at index ${i} must be 0 or 1`, "event");
    time[i] = t;
    if (sample.weight) {
      const w = sample.weight[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new AppError(
          "validation",
          `${name}: weight at index ${i} must be a finite number ≥ 0`,
          "weight",
        );
      }
      weight[i] = w;
    }
  }
  return { time, event, weight };
}

/** Sorted distinct values. */
export function distinctSorted(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
  return sorted.slice(0, m);
}

/** Index of `value` in the sorted distinct `grid` (which must contain it). */
export function gridIndex(grid: Float64Array, value: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Tallies a sample onto a grid of distinct times. */
export function countOnGrid(
  grid: Float64Array,
  time: Float64Array,
  event: Uint8Array,
  weight?: Float64Array,
): SurvivalCounts {
  const events = new Float64Array(grid.length);
  const removed = new Float64Array(grid.length);
  let total = 0;
  for (let i = 0; i < time.length; i++) {
    const w = weight ? weight[i]! : 1;
    const j = gridIndex(grid, time[i]!);
    removed[j]! += w;
    if (event[i]) events[j]! += w;
    total += w;
  }
  return { events, removed, total };
}

/**
 * Kaplan–Meier estimate of the survival function. Censored units (e.g. deals still open at the as-of date) stay in
 * the risk set up to their censoring time instead of being dropped; at a tied time events count before censorings.
 */
export function kaplanMeier(sample: SurvivalSample, options: { level?: number } = {}): KaplanMeierCurve {
  const level = options.level ?? 0.95;
  const { time, event, weight } = readSample(sample);
  const grid = distinctSorted(time);
  const counts = countOnGrid(grid, time, event, weight);
  const z = normalQuantile(1 - (1 - level) / 2);
  const curve: KaplanMeierCurve = {
    n: counts.total,
    totalEvents: 0,
    time: [],
    atRisk: [],
    events: [],
    censored: [],
    survival: [],
    stdError: [],
    lower: [],
    upper: [],
    level,
  };
  let s = 1;
  let greenwood = 0;
  let atRisk = counts.total;
  for (let j = 0; j < grid.length; j++) {
    const d = counts.events[j]!;
    const r = counts.removed[j]!;
    if (r === 0) continue; // zero-weight units only
    if (d > 0) {
      s *= 1 - d / atRisk;
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : 0;
    }
    const se = s * Math.sqrt(greenwood);
    let lower = s;
    let upper = s;
    if (s > 0 && s < 1) {
      const sigma = Math.sqrt(greenwood) / Math.abs(Math.log(s));
      lower = s ** Math.exp(z * sigma);
      upper = s ** Math.exp(-z * sigma);
    }
    curve.time.push(grid[j]!);
    curve.atRisk.push(atRisk);
    curve.events.push(d);
    curve.censored.push(r - d);
    curve.survival.push(s);
    curve.stdError.push(se);
    curve.lower.push(lower);
    curve.upper.push(upper);
    curve.totalEvents += d;
    atRisk -= r;
  }
  return curve;
}

/** S(t) read off a curve; NaN past the last observed time unless the curve has reached 0. */
export function survivalAt(curve: KaplanMeierCurve, t: number): number {
  const { time, survival } = curve;
  if (time.length === 0) return Number.NaN;
  const last = time.length - 1;
  if (t > time[last]!) return survival[last] === 0 ? 0 : Number.NaN;
  let s = 1;
  for (let j = 0; j < time.length && time[j]! <= t; j++) s = survival[j]!;
  return s;
}

/** Median survival: the first time S(t) ≤ 0.5, or null when the curve never gets there ("not reached"). */
export function medianSurvival(curve: KaplanMeierCurve): number | null {
  for (let j = 0; j < curve.time.length; j++) if (curve.survival[j]! <= 0.5 + 1e-12) return curve.time[j]!;
  return null;
}

/** Two-sample log-rank test. */
export interface LogRankResult {
  chiSquare: number;
  df: 1;
  pValue: number;
  observed: [number, number];
  expected: [number, number];
}

/** Log-rank statistic from counts of two groups on one grid (hypergeometric variance at each event time). */
export function logRankFromCounts(a: SurvivalCounts, b: SurvivalCounts): LogRankResult {
  let atRiskA = a.total;
  let atRiskB = b.total;
  let observedA = 0;
  let expectedA = 0;
  let observedB = 0;
  let v = 0;
  for (let j = 0; j < a.events.length; j++) {
    const dA = a.events[j]!;
    const dB = b.events[j]!;
    const d = dA + dB;
    const n = atRiskA + atRiskB;
    if (d > 0 && n > 0) {
      const e = (d * atRiskA) / n;
      observedA += dA;
      observedB += dB;
      expectedA += e;
      if (n > 1) v += (d * (atRiskA / n) * (atRiskB / n) * (n - d)) / (n - 1);
    }
    atRiskA -= a.removed[j]!;
    atRiskB -= b.removed[j]!;
  }
  const total = observedA + observedB;
  const chiSquare = v > 0 ? (observedA - expectedA) ** 2 / v : 0;
  return {
    chiSquare,
    df: 1,
    pValue: v > 0 ? chiSquareSf(chiSquare, 1) : 1,
    observed: [observedA, observedB],
    expected: [expectedA, total - expectedA],
  };
}

/** Log-rank test of the hypothesis that two samples share one survival curve. */
export function logRank(a: SurvivalSample, b: SurvivalSample): LogRankResult {
  const x = readSample(a, "first sample");
  const y = readSample(b, "second sample");
  const grid = distinctSorted([...x.time, ...y.time]);
  return logRankFromCounts(
    countOnGrid(grid, x.time, x.event, x.weight),
    countOnGrid(grid, y.time, y.event, y.weight),
  );
}
