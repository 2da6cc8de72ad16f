import { AppError } from "../errors.ts";
import { type BootstrapOptions, type MatchedSets, resolveBootstrapOptions } from "./bootstrap.ts";
import { quantileSorted } from "./descriptive.ts";
import {
  countOnGrid,
  distinctSorted,
  type KaplanMeierCurve,
  kaplanMeier,
  type LogRankResult,
  logRankFromCounts,
  readSample,
  type SurvivalSample,
} from "./kaplan-meier.ts";
import { column, type ResampleKernel, type ResampleStep, resample } from "./resampling.ts";

/** Days at which "moved by day h" is reported unless the caller says otherwise. */
export const DEFAULT_HORIZONS = [14, 30, 60, 90] as const;

/** Options of the survival comparisons. */
export interface CompareSurvivalOptions extends BootstrapOptions {
  /** Times at which to compare the probability of having had the event (default 14, 30, 60, 90). */
  horizons?: readonly number[];
  /** Include the log-rank test (default true). */
  logRank?: boolean;
  /** Include both Kaplan–Meier curves in the result (default false: they can be long). */
  curves?: boolean;
}

/** Summary of one group's survival. */
export interface GroupSurvival {
  /** Units (for matched controls: control slots, so a control used twice counts twice). */
  n: number;
  events: number;
  /** Median time to event, or null when fewer than half have had it by the end of follow-up. */
  median: number | null;
  /** P(event by horizon) = 1 − S(horizon), per horizon; null when the horizon is past the follow-up. */
  probabilityBy: (number | null)[];
}

/** A difference with its bootstrap interval, or an explicit reason why there is no number. */
export interface IntervalEstimate {
  estimate: number | null;
  /** Percentile interval, or null when the estimate is undefined or a bound is unbounded. */
  ci: [number, number] | null;
  /** Resamples in which the difference was undefined (both medians not reached, or a horizon past follow-up). */
  undefinedResamples: number;
  note?: string;
}

/** Treated versus control survival: medians, probability of the event by each horizon, and their differences. */
export interface SurvivalComparison {
  horizons: number[];
  treated: GroupSurvival;
  control: GroupSurvival;
  /** Treated median minus control median (negative = treated moves sooner). */
  medianDifference: IntervalEstimate;
  /** Treated minus control probability of the event by each horizon (positive = more treated moved). */
  probabilityByDifference: IntervalEstimate[];
  logRank: LogRankResult | null;
  curves?: { treated: KaplanMeierCurve; control: KaplanMeierCurve };
  resamples: number;
  seed: number;
  level: number;
  /** "independent" resamples each group; "matched_sets" resamples whole matched sets. */
  design: "independent" | "matched_sets";
}

/**
 * One group's observations sorted by time, for fast weighted KM summaries. Each observation takes its weight from
 * `owner` (the matched set, or the observation itself), so a bootstrap resample only has to redraw one weight array
 * and rescan: no per-resample sorting and no grid to clear.
 */
interface SortedGroup {
  time: Float64Array;
  event: Uint8Array;
  owner: Int32Array;
}

function sortGroup(time: Float64Array, event: Uint8Array, owner: Int32Array): SortedGroup {
  const n = time.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => time[a]! - time[b]! || a - b);
  const g: SortedGroup = { time: new Float64Array(n), event: new Uint8Array(n), owner: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    const o = order[i]!;
    g.time[i] = time[o]!;
    g.event[i] = event[o]!;
    g.owner[i] = owner[o]!;
  }
  return g;
}

/**
 * Weighted KM summary in one scan that stops as soon as the median and every horizon are known:
 * out[0] = median (Infinity if not reached), out[1+h] = S(horizon h) (NaN past the follow-up).
 * `total` is the sum of the weights of the group's observations. Used for the point estimate (all weights 1) and
 * for every bootstrap resample, so both share one code path.
 */
function summarize(
  g: SortedGroup,
  weights: Int32Array,
  total: number,
  horizons: readonly number[],
  out: Float64Array,
): void {
  const H = horizons.length;
  const { time, event, owner } = g;
  const L = time.length;
  let s = 1;
  let atRisk = total;
  let h = 0;
  let nextHorizon = H > 0 ? horizons[0]! : Number.POSITIVE_INFINITY;
  let median = Number.POSITIVE_INFINITY;
  let lastTime = Number.NEGATIVE_INFINITY;
  let i = 0;
  while (i < L) {
    const t = time[i]!;
    let r = 0;
    let d = 0;
    do {
      const w = weights[owner[i]!]!;
      r += w;
      d += event[i]! * w;
      i++;
    } while (i < L && time[i] === t);
    if (r === 0) continue;
    if (t > nextHorizon) {
      while (h < H && t > horizons[h]!) out[1 + h++] = s;
      nextHorizon = h < H ? horizons[h]! : Number.POSITIVE_INFINITY;
      if (h === H && median !== Number.POSITIVE_INFINITY) break;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      if (s <= 0.5 + 1e-12 && median === Number.POSITIVE_INFINITY) {
        median = t;
        if (h === H) break;
      }
    }
    atRisk -= r;
    lastTime = t;
  }
  while (h < H) {
    out[1 + h] = horizons[h]! <= lastTime || s === 0 ? s : Number.NaN;
    h++;
  }
  out[0] = median;
}

function checkHorizons(horizons: readonly number[]): number[] {
  const sorted = [...horizons].sort((a, b) => a - b);
  for (const h of sorted) {
    if (!(h >= 0) || !Number.isFinite(h))
      throw new AppError("validation", `horizon ${h} must be ≥ 0`, "horizons");
  }
  return sorted;
}

function groupSummary(n: number, events: number, summary: Float64Array): GroupSurvival {
  const median = summary[0]!;
  return {
    n,
    events,
    median: Number.isFinite(median) ? median : null,
    probabilityBy: Array.from(summary.subarray(1), (s) => (Number.isNaN(s) ? null : 1 - s)),
  };
}

function differenceInterval(
  estimate: number,
  samples: Float64Array,
  level: number,
  what: string,
): IntervalEstimate {
  const defined = samples.filter((v) => !Number.isNaN(v)).sort();
  const undefinedResamples = samples.length - defined.length;
  if (Number.isNaN(estimate) || !Number.isFinite(estimate)) {
    return {
      estimate: null,
      ci: null,
      undefinedResamples,
      note: `${what} is not defined on the data (not reached within follow-up)`,
    };
  }
  if (defined.length === 0)
    return { estimate, ci: null, undefinedResamples, note: `${what}: no defined resample` };
  const alpha = 1 - level;
  const lo = quantileSorted(defined, alpha / 2);
  const hi = quantileSorted(defined, 1 - alpha / 2);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    return {
      estimate,
      ci: null,
      undefinedResamples,
      note: `${what}: the interval is unbounded (not reached within follow-up in some resamples)`,
    };
  }
  return { estimate, ci: [lo, hi], undefinedResamples };
}

/** Median difference where "not reached" is +Infinity: ∞ − finite = ∞, finite − ∞ = −∞, ∞ − ∞ undefined. */
function medianDiff(a: number, b: number): number {
  return a === b && !Number.isFinite(a) ? Number.NaN : a - b;
}

interface Design {
  horizons: number[];
  treated: SortedGroup;
  control: SortedGroup;
  /** Size of the treated and control weight arrays (owners). */
  treatedOwners: number;
  controlOwners: number;
  /** Whether treated and control share one weight array (matched sets). */
  shared: boolean;
  /** Raw samples for the point-estimate log-rank test and the optional curves. */
  raw: { tTime: Float64Array; tEvent: Uint8Array; cTime: Float64Array; cEvent: Uint8Array };
  design: SurvivalComparison["design"];
}

function run(d: Design, options: CompareSurvivalOptions): SurvivalComparison {
  const opts = resolveBootstrapOptions(options);
  const H = d.horizons.length;
  const B = opts.resamples;
  const ones = (n: number): Int32Array => new Int32Array(n).fill(1);
  const tOut = new Float64Array(H + 1);
  const cOut = new Float64Array(H + 1);
  const tTotal = d.treated.time.length;
  const cTotal = d.control.time.length;
  summarize(d.treated, ones(d.treatedOwners), tTotal, d.horizons, tOut);
  summarize(d.control, ones(d.controlOwners), cTotal, d.horizons, cOut);

  const values = resample({
    kernel: SURVIVAL_RESAMPLE_KERNEL,
    input: {
      treated: d.treated,
      control: d.control,
      tTotal,
      cTotal,
      horizons: d.horizons,
      shared: d.shared,
    },
    // Each owner is drawn as often as there are owners, so the group totals stay fixed.
    draws: d.shared ? [d.treatedOwners] : [d.treatedOwners, d.controlOwners],
    resamples: B,
    seed: opts.seed,
    width: H + 1,
    work: tTotal + cTotal,
  });
  const medianSamples = column(values, H + 1, 0);
  const probabilitySamples = d.horizons.map((_, i) => column(values, H + 1, 1 + i));

  const { tTime, tEvent, cTime, cEvent } = d.raw;
  const sumOf = (a: Uint8Array): number => a.reduce((x, y) => x + y, 0);
  const result: SurvivalComparison = {
    horizons: d.horizons,
    treated: groupSummary(tTime.length, sumOf(tEvent), tOut),
    control: groupSummary(cTime.length, sumOf(cEvent), cOut),
    medianDifference: differenceInterval(
      medianDiff(tOut[0]!, cOut[0]!),
      medianSamples,
      opts.level,
      "difference in median time",
    ),
    probabilityByDifference: d.horizons.map((h, i) =>
      differenceInterval(
        cOut[1 + i]! - tOut[1 + i]!,
        probabilitySamples[i]!,
        opts.level,
        `difference in P(event by ${h})`,
      ),
    ),
    logRank: null,
    resamples: B,
    seed: opts.seed,
    level: opts.level,
    design: d.design,
  };
  if (options.logRank !== false) {
    const grid = distinctSorted(Float64Array.from([...tTime, ...cTime]));
    result.logRank = logRankFromCounts(countOnGrid(grid, tTime, tEvent), countOnGrid(grid, cTime, cEvent));
  }
  if (options.curves) {
    result.curves = {
      treated: kaplanMeier({ time: tTime, event: tEvent }),
      control: kaplanMeier({ time: cTime, event: cEvent }),
    };
  }
  return result;
}

/** What a survival resample reads: both groups sorted by time, their weight totals, the horizons. */
export interface SurvivalResampleInput {
  treated: SortedGroup;
  control: SortedGroup;
  tTotal: number;
  cTotal: number;
  horizons: readonly number[];
  /** Matched sets: one count array weighs both groups; otherwise each group draws its own. */
  shared: boolean;
}

/**
 * One resample of the survival comparison: the median difference, then treated − control probability of the event by
 * each horizon (S_c − S_t).
 */
export function survivalResampleStep(input: SurvivalResampleInput): ResampleStep {
  const { treated, control, tTotal, cTotal, horizons, shared } = input;
  const H = horizons.length;
  const tSample = new Float64Array(H + 1);
  const cSample = new Float64Array(H + 1);
  return (counts, out, at) => {
    const wT = counts[0]!;
    summarize(treated, wT, tTotal, horizons, tSample);
    summarize(control, shared ? wT : counts[1]!, cTotal, horizons, cSample);
    out[at] = medianDiff(tSample[0]!, cSample[0]!);
    // P_t − P_c = (1 − S_t) − (1 − S_c) = S_c − S_t
    for (let i = 0; i < H; i++) out[at + 1 + i] = cSample[1 + i]! - tSample[1 + i]!;
  };
}

export const SURVIVAL_RESAMPLE_KERNEL: ResampleKernel<SurvivalResampleInput> = {
  module: import.meta.url,
  name: "survivalResampleStep",
  prepare: survivalResampleStep,
};

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/**
 * Compares time to event in two independent groups (e.g. attendees versus all non-attendees): KM medians and
 * probabilities of the event by each horizon, their treated − control differences with seeded percentile bootstrap
 * intervals (each group resampled on its own), and the log-rank test.
 */
export function compareSurvival(
  treated: SurvivalSample,
  control: SurvivalSample,
  options: CompareSurvivalOptions = {},
): SurvivalComparison {
  resolveBootstrapOptions(options);
  const a = readSample(treated, "treated");
  const b = readSample(control, "control");
  if (a.time.length === 0) throw new AppError("validation", "treated group is empty", "treated");
  if (b.time.length === 0) throw new AppError("validation", "control group is empty", "control");
  if (treated.weight || control.weight) {
    throw new AppError(
      "validation",
      "compareSurvival takes unweighted samples; use matched sets for weights",
    );
  }
  return run(
    {
      horizons: checkHorizons(options.horizons ?? DEFAULT_HORIZONS),
      treated: sortGroup(a.time, a.event, identity(a.time.length)),
      control: sortGroup(b.time, b.event, identity(b.time.length)),
      treatedOwners: a.time.length,
      controlOwners: b.time.length,
      shared: false,
      raw: { tTime: a.time, tEvent: a.event, cTime: b.time, cEvent: b.event },
      design: "independent",
    },
    options,
  );
}

/**
 * Compares time to event between treated units and their matched controls. Every control slot counts once, so a
 * control matched to two treated units weighs twice, and each matched set weighs the same. The bootstrap resamples
 * whole matched sets (treated unit with its k controls), which keeps the pairing in every resample.
 *
 * @param time  time per unit (row), e.g. days from the event to the next stage or to the as-of date
 * @param event 1 if the event was observed at `time`, 0 if censored there
 * @param sets  matched sets referencing rows of `time`/`event` (from matchControls / matchControlsColumns)
 */
export function compareSurvivalMatched(
  time: ArrayLike<number>,
  event: ArrayLike<number | boolean>,
  sets: MatchedSets,
  options: CompareSurvivalOptions = {},
): SurvivalComparison {
  resolveBootstrapOptions(options);
  const S = sets.treated.length;
  const k = sets.k;
  if (S === 0) throw new AppError("validation", "no matched sets to compare", "sets");
  // Gather the rows the sets use, validating only those.
  const tTime = new Float64Array(S);
  const tEvent = new Uint8Array(S);
  const cTime = new Float64Array(S * k);
  const cEvent = new Uint8Array(S * k);
  const cOwner = new Int32Array(S * k);
  const take = (row: number, times: Float64Array, events: Uint8Array, at: number): void => {
    const t = time[row]!;
    const e = event[row];
    if (!(t >= 0) || !Number.isFinite(t)) {
      throw new AppError("validation", `time of row ${row} must be a finite number ≥ 0`, "time");
    }
    if (e !== 0 && e !== 1 && e !== true && e !== false) {
      throw new AppError("validation", `event of row ${row} must be 0 or 1`, "event");
    }
    times[at] = t;
    events[at] = e === true || e === 1 ? 1 : 0;
  };
  for (let s = 0; s < S; s++) {
    take(sets.treated[s]!, tTime, tEvent, s);
    for (let j = 0; j < k; j++) {
      take(sets.controls[s * k + j]!, cTime, cEvent, s * k + j);
      cOwner[s * k + j] = s;
    }
  }
  return run(
    {
      horizons: checkHorizons(options.horizons ?? DEFAULT_HORIZONS),
      treated: sortGroup(tTime, tEvent, identity(S)),
      control: sortGroup(cTime, cEvent, cOwner),
      treatedOwners: S,
      controlOwners: S,
      shared: true,
      raw: { tTime, tEvent, cTime, cEvent },
      design: "matched_sets",
    },
    options,
  );
}
