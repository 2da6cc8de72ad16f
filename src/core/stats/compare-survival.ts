import { AppError } from "../errors.ts";
import { type BootstrapOptions, type MatchedSets, resolveBootstrapOptions } from "./bootstrap.ts";
import { quantileSorted } from "./descriptive.ts";
import {
  countOnGrid,
  distinctSorted,
  gridIndex,
  type KaplanMeierCurve,
  kaplanMeier,
  type LogRankResult,
  logRankFromCounts,
  readSample,
  type SurvivalCounts,
  type SurvivalSample,
} from "./kaplan-meier.ts";
import { createRng as createRngFor } from "./prng.ts";

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
 * Fast KM summaries on a fixed grid: median and S(h) per horizon from event/removal counts, in one pass that stops
 * as soon as the median and every horizon are known. Used for the point estimate and for every bootstrap resample,
 * so both go through the same code.
 */
class GridSummarizer {
  constructor(
    private readonly grid: Float64Array,
    private readonly horizons: readonly number[],
  ) {}

  /** out[0] = median (Infinity if not reached), out[1+h] = S(horizon h) (NaN past follow-up). */
  summarize(events: Float64Array, removed: Float64Array, total: number, out: Float64Array): void {
    const { grid, horizons } = this;
    const H = horizons.length;
    let s = 1;
    let cum = 0;
    let h = 0;
    let median = Number.POSITIVE_INFINITY;
    let lastTime = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < grid.length; j++) {
      const r = removed[j]!;
      if (r === 0) continue;
      const t = grid[j]!;
      while (h < H && t > horizons[h]!) out[1 + h++] = s;
      const e = events[j]!;
      if (e > 0) {
        s *= 1 - e / (total - cum);
        if (median === Number.POSITIVE_INFINITY && s <= 0.5 + 1e-12) median = t;
      }
      cum += r;
      lastTime = t;
      if (h === H && median !== Number.POSITIVE_INFINITY) break;
    }
    while (h < H) {
      out[1 + h] = horizons[h]! <= lastTime || s === 0 ? s : Number.NaN;
      h++;
    }
    out[0] = median;
  }
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

interface Prepared {
  grid: Float64Array;
  horizons: number[];
  summarizer: GridSummarizer;
}

function prepare(times: Float64Array, horizons: readonly number[]): Prepared {
  const grid = distinctSorted(times);
  const sortedHorizons = checkHorizons(horizons);
  return { grid, horizons: sortedHorizons, summarizer: new GridSummarizer(grid, sortedHorizons) };
}

function assemble(
  p: Prepared,
  t: SurvivalCounts,
  c: SurvivalCounts,
  tSamples: Float64Array[],
  cSamples: Float64Array[],
  opts: Required<BootstrapOptions>,
  options: CompareSurvivalOptions,
  design: SurvivalComparison["design"],
  curves: (() => { treated: KaplanMeierCurve; control: KaplanMeierCurve }) | undefined,
): SurvivalComparison {
  const H = p.horizons.length;
  const tOut = new Float64Array(H + 1);
  const cOut = new Float64Array(H + 1);
  p.summarizer.summarize(t.events, t.removed, t.total, tOut);
  p.summarizer.summarize(c.events, c.removed, c.total, cOut);
  const sumOf = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
  const B = opts.resamples;
  const medianSamples = new Float64Array(B);
  for (let b = 0; b < B; b++) medianSamples[b] = medianDiff(tSamples[b]![0]!, cSamples[b]![0]!);
  const probabilityByDifference = p.horizons.map((h, i) => {
    const samples = new Float64Array(B);
    // P_t − P_c = (1 − S_t) − (1 − S_c) = S_c − S_t
    for (let b = 0; b < B; b++) samples[b] = cSamples[b]![1 + i]! - tSamples[b]![1 + i]!;
    return differenceInterval(
      cOut[1 + i]! - tOut[1 + i]!,
      samples,
      opts.level,
      `difference in P(event by ${h})`,
    );
  });
  const result: SurvivalComparison = {
    horizons: p.horizons,
    treated: groupSummary(t.total, sumOf(t.events), tOut),
    control: groupSummary(c.total, sumOf(c.events), cOut),
    medianDifference: differenceInterval(
      medianDiff(tOut[0]!, cOut[0]!),
      medianSamples,
      opts.level,
      "difference in median time",
    ),
    probabilityByDifference,
    logRank: options.logRank === false ? null : logRankFromCounts(t, c),
    resamples: B,
    seed: opts.seed,
    level: opts.level,
    design,
  };
  if (curves) result.curves = curves();
  return result;
}

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
  const opts = resolveBootstrapOptions(options);
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
  const p = prepare(Float64Array.from([...a.time, ...b.time]), options.horizons ?? DEFAULT_HORIZONS);
  const aIdx = a.time.map((t) => gridIndex(p.grid, t));
  const bIdx = b.time.map((t) => gridIndex(p.grid, t));
  const H = p.horizons.length;
  const T = p.grid.length;
  const events = new Float64Array(T);
  const removed = new Float64Array(T);
  const rng = createRngFor(opts.seed);
  const tSamples: Float64Array[] = [];
  const cSamples: Float64Array[] = [];
  const resampleGroup = (idx: Float64Array, ev: Uint8Array, out: Float64Array): void => {
    events.fill(0);
    removed.fill(0);
    const n = idx.length;
    for (let i = 0; i < n; i++) {
      const o = rng.int(n);
      const j = idx[o]!;
      removed[j]! += 1;
      events[j]! += ev[o]!;
    }
    p.summarizer.summarize(events, removed, n, out);
  };
  for (let r = 0; r < opts.resamples; r++) {
    const tOut = new Float64Array(H + 1);
    const cOut = new Float64Array(H + 1);
    resampleGroup(aIdx, a.event, tOut);
    resampleGroup(bIdx, b.event, cOut);
    tSamples.push(tOut);
    cSamples.push(cOut);
  }
  return assemble(
    p,
    countOnGrid(p.grid, a.time, a.event),
    countOnGrid(p.grid, b.time, b.event),
    tSamples,
    cSamples,
    opts,
    options,
    "independent",
    options.curves ? () => ({ treated: kaplanMeier(treated), control: kaplanMeier(control) }) : undefined,
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
  const opts = resolveBootstrapOptions(options);
  const S = sets.treated.length;
  const k = sets.k;
  if (S === 0) throw new AppError("validation", "no matched sets to compare", "sets");
  // Gather the rows the sets use, validating only those.
  const tTime = new Float64Array(S);
  const tEvent = new Uint8Array(S);
  const cTime = new Float64Array(S * k);
  const cEvent = new Uint8Array(S * k);
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
    for (let j = 0; j < k; j++) take(sets.controls[s * k + j]!, cTime, cEvent, s * k + j);
  }
  const all = new Float64Array(S * (k + 1));
  all.set(tTime);
  all.set(cTime, S);
  const p = prepare(all, options.horizons ?? DEFAULT_HORIZONS);
  const tIdx = new Int32Array(S);
  const cIdx = new Int32Array(S * k);
  for (let s = 0; s < S; s++) tIdx[s] = gridIndex(p.grid, tTime[s]!);
  for (let i = 0; i < S * k; i++) cIdx[i] = gridIndex(p.grid, cTime[i]!);
  const H = p.horizons.length;
  const T = p.grid.length;
  const tEvents = new Float64Array(T);
  const tRemoved = new Float64Array(T);
  const cEvents = new Float64Array(T);
  const cRemoved = new Float64Array(T);
  const rng = createRngFor(opts.seed);
  const tSamples: Float64Array[] = [];
  const cSamples: Float64Array[] = [];
  for (let r = 0; r < opts.resamples; r++) {
    tEvents.fill(0);
    tRemoved.fill(0);
    cEvents.fill(0);
    cRemoved.fill(0);
    for (let i = 0; i < S; i++) {
      const s = rng.int(S);
      const j = tIdx[s]!;
      tRemoved[j]! += 1;
      tEvents[j]! += tEvent[s]!;
      const base = s * k;
      for (let c = 0; c < k; c++) {
        const jc = cIdx[base + c]!;
        cRemoved[jc]! += 1;
        cEvents[jc]! += cEvent[base + c]!;
      }
    }
    const tOut = new Float64Array(H + 1);
    const cOut = new Float64Array(H + 1);
    p.summarizer.summarize(tEvents, tRemoved, S, tOut);
    p.summarizer.summarize(cEvents, cRemoved, S * k, cOut);
    tSamples.push(tOut);
    cSamples.push(cOut);
  }
  return assemble(
    p,
    countOnGrid(p.grid, tTime, tEvent),
    countOnGrid(p.grid, cTime, cEvent),
    tSamples,
    cSamples,
    opts,
    options,
    "matched_sets",
    options.curves
      ? () => ({
          treated: kaplanMeier({ time: tTime, event: tEvent }),
          control: kaplanMeier({ time: cTime, event: cEvent }),
        })
      : undefined,
  );
}
