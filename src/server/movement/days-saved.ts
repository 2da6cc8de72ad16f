import { AppError } from "../../core/errors.ts";
import { measureMovement, type OpportunityHistory } from "../../core/movement/index.ts";
import { DEFAULT_RESAMPLES, percentileInterval } from "../../core/stats/index.ts";
import { column, type ResampleKernel, type ResampleStep, resample } from "../../core/stats/resampling.ts";

/** A number with its interval, or no number and why. */
export interface Interval {
  estimate: number | null;
  ci: [number, number] | null;
  note?: string;
}

/** One observation of time to next stage: days, and whether the move was seen (else censored). */
export interface TimeToMove {
  days: number;
  moved: boolean;
}

/** A matched set: one attending deal and its k control deals. */
export interface TimedSet {
  treated: TimeToMove;
  controls: readonly TimeToMove[];
}

/**
 * Restricted mean (∫0^H S(t) dt) of a weighted Kaplan–Meier curve over rows sorted by days (moves before
 * censorings), of which only the first `cut` (those before the horizon) are read. A row weighs its base weight times
 * its matched set's count; `total` is the weight of all rows, so rows at or past the horizon are never read.
 *
 * This runs once per group and resample (2,000 × ~100k rows for a large roundtable), so a row alone at its time is
 * read without branching on its data: a row that did not move, or weighs nothing, multiplies the survival by exactly
 * 1 (1 − 0/atRisk), which leaves every value bit for bit as the grouped reading gives it. Rows sharing a time are
 * grouped, as the estimator requires.
 */
function restrictedMean(
  g: { days: Float64Array; moved: Uint8Array; base: Float64Array; set: Int32Array },
  counts: ArrayLike<number>,
  cut: number,
  total: number,
  horizon: number,
): number {
  const { days, moved, base, set } = g;
  let atRisk = total;
  if (!(atRisk > 0)) return Number.NaN;
  let s = 1;
  let last = 0;
  let area = 0;
  let i = 0;
  while (i < cut) {
    const t = days[i]!;
    area += s * (t - last);
    last = t;
    if (i + 1 < cut && days[i + 1] === t) {
      let events = 0;
      let leaving = 0;
      while (i < cut && days[i] === t) {
        const w = base[i]! * counts[set[i]!]!;
        if (moved[i]) events += w;
        leaving += w;
        i++;
      }
      if (atRisk > 0 && events > 0) s *= 1 - events / atRisk;
      atRisk -= leaving;
      continue;
    }
    const w = base[i]! * counts[set[i]!]!;
    if (atRisk > 0) s *= 1 - (moved[i]! * w) / atRisk;
    atRisk -= w;
    i++;
  }
  return area + s * (horizon - last);
}

/** Index of the first row at or past the horizon (rows sorted by days). */
function cutAt(days: Float64Array, horizon: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! < horizon) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sortGroup(rows: { days: number; moved: boolean; set: number; w: number }[]) {
  rows.sort((a, b) => a.days - b.days || Number(b.moved) - Number(a.moved));
  return {
    days: Float64Array.from(rows, (r) => r.days),
    moved: Uint8Array.from(rows, (r) => (r.moved ? 1 : 0)),
    set: Int32Array.from(rows, (r) => r.set),
    base: Float64Array.from(rows, (r) => r.w),
  };
}

type DaysSaved = Interval & {
  horizonDays: number;
  treatedMean: number | null;
  controlMean: number | null;
  sets: number;
};
type VelocityLift = Interval & {
  windowDays: number;
  treatedMovers: number;
  controlMovers: number;
  invalidResamples: number;
};
type BootOptions = { resamples?: number; seed?: number; level?: number };

type SortedRows = ReturnType<typeof sortGroup>;

/** A statistic resampled over matched sets, as data: one thread or another computes it from the same input. */
type MatchedStatistic =
  | {
      kind: "days_saved";
      /** Attending deals and controls sorted by days, read up to their cuts (the rows before the horizon). */
      t: SortedRows;
      c: SortedRows;
      tCut: number;
      cCut: number;
      sets: number;
      horizon: number;
    }
  | {
      kind: "lift";
      /** The sets with a mover on either side (only they enter the statistic), and per such set, in that order:
       * sum and count of treated movers' days, and of control movers' days weighted 1/k. */
      active: Int32Array;
      ts: Float64Array;
      tn: Float64Array;
      cs: Float64Array;
      cn: Float64Array;
    };

/** Read once per resample over every active set: no branch on the set's count (a set drawn 0 times adds 0). */
function liftValue(l: Extract<MatchedStatistic, { kind: "lift" }>, weights: ArrayLike<number>): number {
  const { ts, tn, cs, cn, active } = l;
  let a = 0;
  let an = 0;
  let b = 0;
  let bn = 0;
  for (let j = 0; j < active.length; j++) {
    const w = weights[active[j]!]!;
    a += w * ts[j]!;
    an += w * tn[j]!;
    b += w * cs[j]!;
    bn += w * cn[j]!;
  }
  return an > 0 && bn > 0 && b > 0 ? 1 - a / an / (b / bn) : Number.NaN;
}

function statisticValue(x: MatchedStatistic, counts: ArrayLike<number>): number {
  return x.kind === "lift"
    ? liftValue(x, counts)
    : restrictedMean(x.c, counts, x.cCut, x.sets, x.horizon) -
        restrictedMean(x.t, counts, x.tCut, x.sets, x.horizon);
}

/** One resample of several statistics over the same set counts. */
export function matchedStatisticsStep(input: { statistics: MatchedStatistic[] }): ResampleStep {
  const { statistics } = input;
  return (counts, out, at) => {
    const c = counts[0]!;
    for (let j = 0; j < statistics.length; j++) out[at + j] = statisticValue(statistics[j]!, c);
  };
}

export const MATCHED_STATISTICS_KERNEL: ResampleKernel<{ statistics: MatchedStatistic[] }> = {
  module: import.meta.url,
  name: "matchedStatisticsStep",
  prepare: matchedStatisticsStep,
};

/** A statistic over matched sets (null when it is not resampled), and its result from the resampled values. */
interface Resampled<T> {
  statistic: MatchedStatistic | null;
  finish: (samples: Float64Array) => T;
}

/**
 * Runs statistics over the same resamples of `n` matched sets: each resample's counts are drawn once (the same
 * draws as `n` calls of rng.int(n), in order) and shared, so each statistic gets exactly the resamples it would get
 * on its own with the same seed.
 */
function resampleTogether<T>(n: number, plans: readonly Resampled<T>[], options: BootOptions): T[] {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const statistics = plans.flatMap((p) => (p.statistic ? [p.statistic] : []));
  let values: Float64Array = new Float64Array(0);
  if (statistics.length > 0) {
    let work = 0;
    for (const x of statistics) work += x.kind === "lift" ? x.active.length : x.tCut + x.cCut;
    values = resample({
      kernel: MATCHED_STATISTICS_KERNEL,
      input: { statistics },
      draws: [n],
      resamples,
      seed: options.seed ?? 1,
      width: statistics.length,
      work,
    });
  }
  return plans.map((p) =>
    p.finish(
      p.statistic ? column(values, statistics.length, statistics.indexOf(p.statistic)) : new Float64Array(0),
    ),
  );
}

function daysSavedPlan(sets: readonly TimedSet[], horizonDays: number, level: number): Resampled<DaysSaved> {
  if (!(horizonDays > 0)) throw new AppError("validation", "horizonDays must be positive", "horizonDays");
  if (sets.length === 0)
    return {
      statistic: null,
      finish: () => ({
        estimate: null,
        ci: null,
        note: "no matched sets",
        horizonDays,
        treatedMean: null,
        controlMean: null,
        sets: 0,
      }),
    };
  const t = sortGroup(sets.map((s, i) => ({ days: s.treated.days, moved: s.treated.moved, set: i, w: 1 })));
  const c = sortGroup(
    sets.flatMap((s, i) =>
      s.controls.map((x) => ({ days: x.days, moved: x.moved, set: i, w: 1 / s.controls.length })),
    ),
  );
  // Each matched set weighs 1 on each side (its controls 1/k each), so a group's total weight is the sum of the set
  // counts: n for the data, n for every resample. Only rows before the horizon are read.
  const tCut = cutAt(t.days, horizonDays);
  const cCut = cutAt(c.days, horizonDays);
  const n = sets.length;
  const ones = new Int32Array(n).fill(1);
  const treatedMean = restrictedMean(t, ones, tCut, n, horizonDays);
  const controlMean = restrictedMean(c, ones, cCut, n, horizonDays);
  const estimate = controlMean - treatedMean;
  return {
    statistic: { kind: "days_saved", t, c, tCut, cCut, sets: n, horizon: horizonDays },
    finish: (samples) => {
      const { ci } = percentileInterval(samples, level);
      return { estimate, ci, horizonDays, treatedMean, controlMean, sets: n };
    },
  };
}

function liftPlan(sets: readonly TimedSet[], windowDays: number, level: number): Resampled<VelocityLift> {
  const n = sets.length;
  // Per set: sum and count of treated movers' days, and of control movers' days weighted 1/k.
  const ts = new Float64Array(n);
  const tn = new Float64Array(n);
  const cs = new Float64Array(n);
  const cn = new Float64Array(n);
  let treatedMovers = 0;
  let controlMovers = 0;
  sets.forEach((s, i) => {
    if (s.treated.moved && s.treated.days <= windowDays) {
      ts[i] = s.treated.days;
      tn[i] = 1;
      treatedMovers++;
    }
    for (const c of s.controls) {
      if (c.moved && c.days <= windowDays) {
        cs[i]! += c.days / s.controls.length;
        cn[i]! += 1 / s.controls.length;
        controlMovers++;
      }
    }
  });
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (tn[i]! > 0 || cn[i]! > 0) active.push(i);
  const pick = (xs: Float64Array) => Float64Array.from(active, (i) => xs[i]!);
  const statistic = {
    kind: "lift" as const,
    active: Int32Array.from(active),
    ts: pick(ts),
    tn: pick(tn),
    cs: pick(cs),
    cn: pick(cn),
  };
  const estimate = liftValue(statistic, new Float64Array(n).fill(1));
  const base = { windowDays, treatedMovers, controlMovers };
  if (!Number.isFinite(estimate))
    return {
      statistic: null,
      finish: () => ({
        ...base,
        estimate: null,
        ci: null,
        invalidResamples: 0,
        note: "no attending deal or no matched control moved within the window",
      }),
    };
  return {
    statistic,
    finish: (samples) => {
      const { ci, invalid } = percentileInterval(samples, level);
      return { ...base, estimate, ci: Number.isFinite(ci[0]) ? ci : null, invalidResamples: invalid };
    },
  };
}

/**
 * Days saved per attending deal within `horizonDays`: restricted mean time to next stage of the matched controls
 * minus that of the attending deals, with a percentile interval from resampling whole matched sets.
 */
export function restrictedMeanDaysSaved(
  sets: readonly TimedSet[],
  horizonDays: number,
  options: BootOptions = {},
): DaysSaved {
  return resampleTogether(
    sets.length,
    [daysSavedPlan(sets, horizonDays, options.level ?? 0.95)],
    options,
  )[0]!;
}

/**
 * Velocity lift within a window: 1 − (mean days to next stage of attending deals that moved within `windowDays`) /
 * (the same for their matched controls, over control slots). Positive = attendees who moved, moved sooner. The
 * interval resamples whole matched sets; resamples where a side has no mover are left out and counted.
 */
export function velocityLiftWithin(
  sets: readonly TimedSet[],
  windowDays: number,
  options: BootOptions = {},
): VelocityLift {
  return resampleTogether(sets.length, [liftPlan(sets, windowDays, options.level ?? 0.95)], options)[0]!;
}

/**
 * Days saved at each horizon and the velocity lift within the window over the same resamples of the matched sets:
 * each result equals `restrictedMeanDaysSaved` / `velocityLiftWithin` with the same options, drawn once.
 */
export function matchedSetOutcomes(
  sets: readonly TimedSet[],
  horizonsDays: readonly number[],
  liftWindowDays: number,
  options: BootOptions = {},
): { daysSaved: DaysSaved[]; velocityLift: VelocityLift } {
  const level = options.level ?? 0.95;
  const plans: Resampled<DaysSaved | VelocityLift>[] = horizonsDays.map((h) => daysSavedPlan(sets, h, level));
  plans.push(liftPlan(sets, liftWindowDays, level));
  const out = resampleTogether(sets.length, plans, options);
  return {
    daysSaved: out.slice(0, horizonsDays.length) as DaysSaved[],
    velocityLift: out[horizonsDays.length] as VelocityLift,
  };
}

/**
 * Time to next stage of each matched attending deal and its controls (censored at the as-of date), as matched sets.
 * Sets where a member is not at risk at its event are left out.
 */
export function timedSets(
  opportunities: readonly OpportunityHistory[],
  controlsOf: ReadonlyMap<string, readonly string[]>,
  options: { eventAt: number; asOf: number },
): TimedSet[] {
  if (controlsOf.size === 0) return [];
  const wanted = new Set<string>();
  for (const [t, cs] of controlsOf) {
    wanted.add(t);
    for (const c of cs) wanted.add(c);
  }
  const report = measureMovement(
    opportunities.filter((o) => wanted.has(o.id)),
    { eventAt: options.eventAt, asOf: options.asOf, terminalStages: ["closed_won", "closed_lost"] },
  );
  const timing = new Map<string, TimeToMove>();
  for (const m of report.measured)
    if (m.nextStage) timing.set(m.id, { days: m.nextStage.days, moved: m.nextStage.observed });
  const sets: TimedSet[] = [];
  for (const [t, cs] of controlsOf) {
    const treated = timing.get(t);
    const controls = cs.map((c) => timing.get(c));
    if (treated && controls.every((c) => c !== undefined))
      sets.push({ treated, controls: controls as TimeToMove[] });
  }
  return sets;
}
