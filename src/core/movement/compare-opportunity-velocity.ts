import { AppError } from "../errors.ts";
import type { SurvivalComparison } from "../stats/compare-survival.ts";
import {
  type CovariateBalance,
  type MatchCounts,
  type UnmatchedReason,
  unmatchedReasons,
} from "../stats/match-controls.ts";
import { compareVelocity, type VelocityEligibility, type VelocityOptions } from "./compare-velocity.ts";
import {
  DEFAULT_WINDOWS_DAYS,
  encodeAndMeasure,
  type MovementColumns,
  type MovementOptions,
  measureMovementColumns,
  movementStatuses,
  type OpportunityHistory,
  type StageHistoryColumns,
  type UnmeasurableReason,
} from "./measure-movement.ts";

/** An opportunity for the velocity comparison: its history, whether the event touched it, and matching attributes. */
export interface VelocityOpportunity extends OpportunityHistory {
  treated: boolean;
}

/** Options: the movement dates, which attributes to match on, and the matching / comparison settings. */
export interface OpportunityVelocityOptions<T> extends MovementOptions, VelocityOptions {
  /** Attributes matched exactly (e.g. "segment"); the stage at the event is always matched exactly. */
  exact?: readonly (keyof T & string)[];
  /** Attributes matched by nearest standardized distance (e.g. "amount"). */
  nearest?: readonly (keyof T & string)[];
  /** Also match on the opportunity's age at the event, by nearest distance (default true). */
  matchAgeAtEvent?: boolean;
}

/** The velocity comparison by opportunity id. */
export type OpportunityVelocity =
  | {
      status: "compared";
      treated: VelocityEligibility;
      control: VelocityEligibility;
      match: MatchCounts;
      /** By covariate name; "age_at_event_days" when matched on age. */
      balance: Record<string, CovariateBalance>;
      survival: SurvivalComparison;
      /** Matched sets by id, with each member's time to next stage (days; moved false = censored at the as-of date). */
      matches: {
        treatedId: string;
        controlIds: string[];
        treated: { days: number; moved: boolean };
        controls: { days: number; moved: boolean }[];
      }[];
      unmeasurableTreated: { id: string; reason: UnmeasurableReason | "closed_at_event" }[];
      unmatchedTreated: { id: string; reason: UnmatchedReason }[];
    }
  | {
      status: "insufficient_controls";
      treated: VelocityEligibility;
      control: VelocityEligibility;
      match: MatchCounts;
      message: string;
      unmeasurableTreated: { id: string; reason: UnmeasurableReason | "closed_at_event" }[];
    };

/**
 * Stage velocity after an event for attendees' opportunities against matched non-attendee opportunities, on plain
 * objects: measures movement, matches exactly on the stage at the event plus `exact`, nearest on `nearest` plus age
 * at the event, then compares time to next stage (see `compareVelocity`). Opportunities are processed in id order,
 * so the result does not depend on the input order.
 */
export function compareOpportunityVelocity<T extends VelocityOpportunity>(
  opportunities: readonly T[],
  options: OpportunityVelocityOptions<T>,
): OpportunityVelocity {
  // Loaders usually return rows in id order: check before sorting a copy.
  let inOrder = true;
  for (let i = 1; i < opportunities.length && inOrder; i++)
    inOrder = opportunities[i - 1]!.id <= opportunities[i]!.id;
  const sorted = inOrder
    ? opportunities
    : [...opportunities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.id === sorted[i - 1]!.id)
      throw new AppError("validation", `duplicate opportunity id ${sorted[i]!.id}`, "id");
  }
  const { movement } = encodeAndMeasure(sorted, options);
  const treated = Uint8Array.from(sorted, (o) => (o.treated ? 1 : 0));
  const exact = (options.exact ?? []).map((key) => codeValues(sorted.length, (i) => sorted[i]![key]));
  const nearest = (options.nearest ?? []).map((key) =>
    Float64Array.from(sorted, (o) => (typeof o[key] === "number" ? (o[key] as number) : Number.NaN)),
  );
  return compareMeasured(
    (i) => sorted[i]!.id,
    movement,
    treated,
    exact,
    nearest,
    [...(options.nearest ?? [])] as string[],
    options,
  );
}

/** Codes of a categorical attribute in first-seen order; null or undefined is −1 (missing). */
function codeValues(n: number, value: (i: number) => unknown): Float64Array {
  const codes = new Map<unknown, number>();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null || v === undefined) {
      out[i] = -1;
      continue;
    }
    let c = codes.get(v);
    if (c === undefined) {
      c = codes.size;
      codes.set(v, c);
    }
    out[i] = c;
  }
  return out;
}

/** Opportunities in columns for `compareOpportunityVelocityColumns`, in ascending id order. */
export interface OpportunityVelocityColumns {
  ids: readonly string[];
  treated: ArrayLike<number>;
  /** Stage histories: codes into `stageNames`, times in ms; an opportunity's entries in time order (ties as given). */
  history: StageHistoryColumns;
  stageNames: readonly string[];
  /** Categorical attributes matched exactly, by name (null or undefined = missing). */
  attributes?: Readonly<Record<string, readonly unknown[]>>;
  /** Numeric attributes matched by nearest distance, by name (NaN = missing). */
  numbers?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * The same comparison as `compareOpportunityVelocity` on opportunities already in columns (no object per stage
 * entry): identical results for the same opportunities, histories and attributes. `options.exact` names keys of
 * `attributes`, `options.nearest` keys of `numbers`.
 */
export function compareOpportunityVelocityColumns(
  input: OpportunityVelocityColumns,
  options: OpportunityVelocityOptions<Record<string, unknown>>,
): OpportunityVelocity {
  const { ids } = input;
  const n = ids.length;
  if (input.history.offsets.length !== n + 1 || input.treated.length !== n)
    throw new AppError("validation", "every column must have one entry per opportunity", "ids");
  for (let i = 1; i < n; i++) {
    if (ids[i] === ids[i - 1]) throw new AppError("validation", `duplicate opportunity id ${ids[i]}`, "id");
    if (!(ids[i - 1]! < ids[i]!))
      throw new AppError("validation", "opportunities must be in ascending id order", "id");
  }
  const movement = measureOrderedColumns(input.history, input.stageNames, options);
  const treated = Uint8Array.from({ length: n }, (_, i) => (input.treated[i] === 1 ? 1 : 0));
  const exact = (options.exact ?? []).map((key) => {
    const values = input.attributes?.[key];
    if (!values || values.length !== n)
      throw new AppError("validation", `attribute ${key} must have one entry per opportunity`, "exact");
    return codeValues(n, (i) => values[i]);
  });
  const nearest = (options.nearest ?? []).map((key) => {
    const values = input.numbers?.[key];
    if (!values || values.length !== n)
      throw new AppError("validation", `attribute ${key} must have one entry per opportunity`, "nearest");
    return values;
  });
  return compareMeasured(
    (i) => ids[i]!,
    movement,
    treated,
    exact,
    nearest,
    [...(options.nearest ?? [])],
    options,
  );
}

/**
 * Measures histories in columns as `encodeAndMeasure` does objects: a history out of time order is sorted (ties
 * keep their order) unless it holds an invalid time; terminal stages are looked up by name.
 */
function measureOrderedColumns(
  history: StageHistoryColumns,
  stageNames: readonly string[],
  options: MovementOptions,
): MovementColumns {
  const eventAt = toMs(options.eventAt);
  const asOf = toMs(options.asOf);
  if (!Number.isFinite(eventAt))
    throw new AppError("validation", "event date is not a valid time", "eventAt");
  if (!Number.isFinite(asOf)) throw new AppError("validation", "as-of date is not a valid time", "asOf");
  if (eventAt > asOf) throw new AppError("validation", "the event date is after the as-of date", "eventAt");
  const { offsets } = history;
  let stage = history.stage;
  let entered = history.enteredAtMs;
  const n = offsets.length - 1;
  for (let i = 0; i < n; i++) {
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    let ordered = true;
    let hasNaN = false;
    let previous = Number.NEGATIVE_INFINITY;
    for (let e = from; e < to; e++) {
      const t = entered[e]!;
      if (Number.isNaN(t)) hasNaN = true;
      if (!(t >= previous)) ordered = false;
      else previous = t;
    }
    if (ordered || hasNaN) continue;
    if (stage === history.stage) {
      stage = Array.from(history.stage);
      entered = Array.from(history.enteredAtMs);
    }
    const entries = [];
    for (let e = from; e < to; e++) entries.push({ code: stage[e]!, t: entered[e]! });
    entries.sort((a, b) => a.t - b.t);
    entries.forEach((x, j) => {
      (stage as number[])[from + j] = x.code;
      (entered as number[])[from + j] = x.t;
    });
  }
  const codes = new Map(stageNames.map((name, c) => [name, c]));
  const terminal = new Uint8Array(stageNames.length + (options.terminalStages?.length ?? 0));
  let extra = stageNames.length;
  for (const name of options.terminalStages ?? []) terminal[codes.get(name) ?? extra++] = 1;
  return measureMovementColumns(
    { offsets, stage, enteredAtMs: entered },
    { eventAtMs: eventAt, asOfMs: asOf, windowsDays: options.windowsDays ?? DEFAULT_WINDOWS_DAYS, terminal },
  );
}

function toMs(value: Date | number | string): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  return Date.parse(value);
}

/** Matching and comparison on measured columns, reported by opportunity id. */
function compareMeasured(
  idOf: (row: number) => string,
  movement: MovementColumns,
  treated: Uint8Array,
  exactColumns: readonly ArrayLike<number>[],
  nearest: readonly ArrayLike<number>[],
  nearestNames: string[],
  options: OpportunityVelocityOptions<never> | OpportunityVelocityOptions<Record<string, unknown>>,
): OpportunityVelocity {
  const exact: ArrayLike<number>[] = [movement.stageAtEvent, ...exactColumns];
  const names = [...nearestNames];
  const numeric: ArrayLike<number>[] = [...nearest];
  if (options.matchAgeAtEvent !== false) {
    numeric.push(movement.ageAtEventDays);
    names.push("age_at_event_days");
  }
  const r = compareVelocity({ movement, treated, exact, numeric }, options);
  const unmeasurableTreated = Array.from(r.unmeasurableTreated, (i) => ({
    id: idOf(i),
    reason: movementStatuses[movement.status[i]!] as UnmeasurableReason | "closed_at_event",
  }));
  if (r.status === "insufficient_controls") {
    return { ...r, unmeasurableTreated };
  }
  const k = r.sets.k;
  const timing = (i: number) => ({ days: movement.timeToNextDays[i]!, moved: movement.moved[i] === 1 });
  const matches = Array.from(r.sets.treated, (t, s) => {
    const controls = r.sets.controls.subarray(s * k, s * k + k);
    return {
      treatedId: idOf(t),
      controlIds: Array.from(controls, idOf),
      treated: timing(t),
      controls: Array.from(controls, timing),
    };
  });
  return {
    status: "compared",
    treated: r.treated,
    control: r.control,
    match: r.match,
    balance: Object.fromEntries(names.map((name, j) => [name, r.balance[j]!])),
    survival: r.survival,
    matches,
    unmeasurableTreated,
    unmatchedTreated: Array.from(r.unmatchedTreated, (i, j) => ({
      id: idOf(i),
      reason: unmatchedReasons[r.unmatchedReason[j]!]!,
    })),
  };
}
