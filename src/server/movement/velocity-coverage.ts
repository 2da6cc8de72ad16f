// Audit of the matched velocity comparison: seeded worlds of opportunities around an event in which attending
// changes nothing (or speeds deals up by a chosen factor), and how often the 95% intervals of the headline measures
// cover zero. Used by the tests (a small run) and bench/velocity-coverage.ts (a large one).
import { compareVelocity } from "../../core/movement/compare-velocity.ts";
import {
  DAY_MS,
  type MovementColumns,
  measureMovementColumns,
} from "../../core/movement/measure-movement.ts";
import { createRng } from "../../core/stats/index.ts";
import { restrictedMeanDaysSaved, type TimedSet } from "./days-saved.ts";

/** Opportunities around one event, in the columns the comparison reads. */
export interface VelocityWorld {
  movement: MovementColumns;
  treated: Uint8Array;
  segment: Int32Array;
  logAmount: Float64Array;
}

/** Options of a simulated world. */
export interface VelocityWorldOptions {
  /** Opportunities (default 400). */
  opportunities?: number;
  /** Days from the event to the as-of date (default 120). */
  followUpDays?: number;
  /** Attendees' hazard of moving after the event, relative to everyone else's (default 1: no effect). */
  speedup?: number;
}

const EVENT = Date.UTC(2025, 0, 1);
const STAGES = 3;

/**
 * A seeded world: 4 segments × 3 stages at the event; the time to next stage is exponential with a mean that depends
 * on segment and stage (the exact keys); bigger deals attend more often (confounding through amount, which does not
 * drive the time here). With `speedup` 1 attending has no effect, so every headline difference is truly zero.
 */
export function velocityWorld(seed: number, options: VelocityWorldOptions = {}): VelocityWorld {
  const n = options.opportunities ?? 400;
  const followUp = options.followUpDays ?? 120;
  const speedup = options.speedup ?? 1;
  const rng = createRng(seed);
  const offsets = new Int32Array(n + 1);
  const stage: number[] = [];
  const at: number[] = [];
  const treated = new Uint8Array(n);
  const segment = new Int32Array(n);
  const logAmount = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const seg = rng.int(4);
    const s = rng.int(STAGES);
    segment[i] = seg;
    logAmount[i] = 10 + 0.4 * seg + rng.normal();
    treated[i] = rng.next() < 0.15 + 0.1 * Math.tanh(logAmount[i]! - 10) ? 1 : 0;
    const meanDays = 25 + 12 * seg + 10 * s;
    const age = 5 + rng.next() * 200;
    stage.push(s);
    at.push(EVENT - age * DAY_MS);
    const wait = rng.exponential(1 / meanDays) / (treated[i] ? speedup : 1);
    stage.push(s + 1);
    at.push(EVENT + Math.max(wait, 1e-6) * DAY_MS);
    offsets[i + 1] = stage.length;
  }
  const movement = measureMovementColumns(
    { offsets, stage: Int32Array.from(stage), enteredAtMs: Float64Array.from(at) },
    { eventAtMs: EVENT, asOfMs: EVENT + followUp * DAY_MS },
  );
  return { movement, treated, segment, logAmount };
}

/** The headline measures of one comparison: each estimate with its 95% interval (null when there is none). */
export interface HeadlineVelocity {
  horizons: number[];
  /** Share moved by each horizon, attending minus matched. */
  probabilityBy: { estimate: number | null; ci: [number, number] | null }[];
  /** Median days to next stage, attending minus matched. */
  median: { estimate: number | null; ci: [number, number] | null };
  /** Restricted mean days to next stage within `horizonDays`, matched minus attending. */
  daysSaved: { estimate: number | null; ci: [number, number] | null };
  matched: number;
  /** Bootstrap resamples used (the engine's default unless given). */
  resamples: number;
}

/**
 * Runs the product's comparison on a world: exact on segment and stage at the event, nearest on log amount and age,
 * k = 1 without replacement; survival differences and days saved (horizon 90 days) with bootstrap intervals over
 * matched sets.
 */
export function headlineVelocity(
  world: VelocityWorld,
  options: { resamples?: number; seed?: number; k?: number; horizonDays?: number } = {},
): HeadlineVelocity | null {
  const { movement } = world;
  const boot = {
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const r = compareVelocity(
    {
      movement,
      treated: world.treated,
      exact: [world.segment, movement.stageAtEvent],
      numeric: [world.logAmount, movement.ageAtEventDays],
    },
    { k: options.k ?? 1, ...boot },
  );
  if (r.status !== "compared") return null;
  const { sets } = r;
  const timed: TimedSet[] = [];
  const at = (i: number) => ({ days: movement.timeToNextDays[i]!, moved: movement.moved[i] === 1 });
  for (let s = 0; s < sets.treated.length; s++) {
    const controls = [];
    for (let j = 0; j < sets.k; j++) controls.push(at(sets.controls[s * sets.k + j]!));
    timed.push({ treated: at(sets.treated[s]!), controls });
  }
  const d = restrictedMeanDaysSaved(timed, options.horizonDays ?? 90, boot);
  return {
    horizons: r.survival.horizons,
    probabilityBy: r.survival.probabilityByDifference.map((p) => ({ estimate: p.estimate, ci: p.ci })),
    median: { estimate: r.survival.medianDifference.estimate, ci: r.survival.medianDifference.ci },
    daysSaved: { estimate: d.estimate, ci: d.ci },
    matched: r.match.matched,
    resamples: r.survival.resamples,
  };
}

/** How often each measure's interval covered zero, over the seeds where it had one. */
export interface CoverageRow {
  measure: string;
  covered: number;
  /** Seeds with an interval. */
  runs: number;
  /** Seeds without an interval (not reached within follow-up, no matched set). */
  noInterval: number;
  coverage: number;
}

/** Coverage of zero by the headline intervals over `seeds` worlds (seeds 1…seeds). */
export function velocityCoverage(
  seeds: number,
  world: VelocityWorldOptions,
  options: { resamples?: number } = {},
): CoverageRow[] {
  const tallies = new Map<string, { covered: number; runs: number; none: number }>();
  const count = (measure: string, ci: [number, number] | null) => {
    const t = tallies.get(measure) ?? { covered: 0, runs: 0, none: 0 };
    if (ci === null) t.none++;
    else {
      t.runs++;
      if (ci[0] <= 0 && 0 <= ci[1]) t.covered++;
    }
    tallies.set(measure, t);
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const h = headlineVelocity(velocityWorld(seed, world), { resamples: options.resamples ?? 2000, seed });
    if (!h) {
      count("no matched set", null);
      continue;
    }
    h.horizons.forEach((d, i) => {
      count(`share moved by day ${d}`, h.probabilityBy[i]!.ci);
    });
    count("median days to next stage", h.median.ci);
    count("days saved within 90 days", h.daysSaved.ci);
  }
  return [...tallies].map(([measure, t]) => ({
    measure,
    covered: t.covered,
    runs: t.runs,
    noInterval: t.none,
    coverage: t.runs > 0 ? t.covered / t.runs : Number.NaN,
  }));
}
