import { AppError } from "../errors.ts";

/** Milliseconds in a day: durations are reported in (fractional) days. */
export const DAY_MS = 86_400_000;
/** Windows after the event in which stage changes are counted, unless the caller says otherwise. */
export const DEFAULT_WINDOWS_DAYS = [14, 30, 60, 90] as const;

/**
 * What could be measured for one opportunity. Only "measured" rows have a time to next stage; "closed_at_event"
 * rows are known but not at risk of moving; the rest are unmeasurable and are listed, never silently dropped.
 */
export const movementStatuses = [
  "measured",
  "closed_at_event",
  "no_stage_history",
  "opened_after_event",
  "unordered_history",
  "invalid_timestamp",
  "event_after_as_of",
] as const;
export type MovementStatus = (typeof movementStatuses)[number];
export type UnmeasurableReason = Exclude<MovementStatus, "measured" | "closed_at_event">;

export const MEASURED = 0;
export const CLOSED_AT_EVENT = 1;
const NO_STAGE_HISTORY = 2;
const OPENED_AFTER_EVENT = 3;
const UNORDERED_HISTORY = 4;
const INVALID_TIMESTAMP = 5;
const EVENT_AFTER_AS_OF = 6;

/** Stage histories of many opportunities in columns: entries offsets[i] … offsets[i+1]−1 belong to opportunity i. */
export interface StageHistoryColumns {
  offsets: Int32Array;
  /** Stage code per entry (non-negative integers). */
  stage: ArrayLike<number>;
  /** Entry time per entry, ms since the epoch; within an opportunity, non-decreasing. */
  enteredAtMs: ArrayLike<number>;
}

/** Options of `measureMovementColumns`. */
export interface MovementColumnsOptions {
  /** The event date (ms), for all opportunities or one per opportunity. */
  eventAtMs: number | ArrayLike<number>;
  /** Nothing after this instant is known: later entries are ignored and open opportunities are censored here. */
  asOfMs: number;
  windowsDays?: readonly number[];
  /** Per stage code, 1 when the stage is terminal (closed won / lost): such an opportunity is not at risk. */
  terminal?: ArrayLike<number>;
}

/** Movement of every opportunity around its event, in columns. */
export interface MovementColumns {
  n: number;
  windowsDays: number[];
  /** Index into `movementStatuses`. */
  status: Uint8Array;
  /** Stage code at the event (the last entry at or before it); −1 when unknown. */
  stageAtEvent: Int32Array;
  /** Days from the first stage entry to the event; NaN when unknown. */
  ageAtEventDays: Float64Array;
  /** Days from the event to the first change of stage, or to the as-of date when none (censored); NaN if not at risk. */
  timeToNextDays: Float64Array;
  /** 1 when the next stage was reached by the as-of date, 0 when censored. */
  moved: Uint8Array;
  /** Stage code entered at the first change; −1 when none. */
  nextStage: Int32Array;
  /** Per window: stage changes in (event, event + window], counting only what is known by the as-of date. */
  changesWithin: Uint16Array[];
  /** Per window: 1 when the whole window is before the as-of date (so its count is final). */
  windowComplete: Uint8Array[];
}

function checkWindows(windows: readonly number[]): number[] {
  for (const w of windows) {
    if (!(w > 0) || !Number.isFinite(w))
      throw new AppError("validation", `window ${w} must be a positive number of days`, "windows");
  }
  return [...windows];
}

/**
 * For each opportunity and its event date: the stage at the event, its age then, the number of stage changes within
 * each window after it, and the time to the next stage (censored at the as-of date when it has not moved). One pass
 * over the entries; pure and allocation-free per row.
 */
export function measureMovementColumns(
  history: StageHistoryColumns,
  options: MovementColumnsOptions,
): MovementColumns {
  const n = history.offsets.length - 1;
  if (n < 0)
    throw new AppError(
      "validation",
      "offsets must have one more entry than there are opportunities",
      "offsets",
    );
  const windowsDays = checkWindows(options.windowsDays ?? DEFAULT_WINDOWS_DAYS);
  const { asOfMs, terminal } = options;
  if (!Number.isFinite(asOfMs)) throw new AppError("validation", "as-of date is not a valid time", "asOf");
  const eventAt = options.eventAtMs;
  if (typeof eventAt !== "number" && eventAt.length !== n) {
    throw new AppError("validation", "eventAtMs must have one entry per opportunity", "eventAt");
  }
  const W = windowsDays.length;
  const windowMs = windowsDays.map((w) => w * DAY_MS);
  const out: MovementColumns = {
    n,
    windowsDays,
    status: new Uint8Array(n),
    stageAtEvent: new Int32Array(n).fill(-1),
    ageAtEventDays: new Float64Array(n).fill(Number.NaN),
    timeToNextDays: new Float64Array(n).fill(Number.NaN),
    moved: new Uint8Array(n),
    nextStage: new Int32Array(n).fill(-1),
    changesWithin: windowsDays.map(() => new Uint16Array(n)),
    windowComplete: windowsDays.map(() => new Uint8Array(n)),
  };
  const { offsets, stage, enteredAtMs } = history;
  const changes = new Int32Array(W);
  for (let i = 0; i < n; i++) {
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    const event = typeof eventAt === "number" ? eventAt : eventAt[i]!;
    if (!Number.isFinite(event)) {
      out.status[i] = INVALID_TIMESTAMP;
      continue;
    }
    if (event > asOfMs) {
      out.status[i] = EVENT_AFTER_AS_OF;
      continue;
    }
    for (let w = 0; w < W; w++) out.windowComplete[w]![i] = event + windowMs[w]! <= asOfMs ? 1 : 0;
    if (to <= from) {
      out.status[i] = NO_STAGE_HISTORY;
      continue;
    }
    // Validate order and timestamps, and find the last entry at or before the event.
    let bad = 0;
    let atEvent = -1;
    let prev = Number.NEGATIVE_INFINITY;
    for (let e = from; e < to; e++) {
      const t = enteredAtMs[e]!;
      if (!Number.isFinite(t) || !(stage[e]! >= 0)) {
        bad = INVALID_TIMESTAMP;
        break;
      }
      if (t < prev) {
        bad = UNORDERED_HISTORY;
        break;
      }
      prev = t;
      if (t <= event) atEvent = e;
    }
    if (bad) {
      out.status[i] = bad;
      continue;
    }
    if (atEvent < 0) {
      out.status[i] = OPENED_AFTER_EVENT;
      continue;
    }
    let current = stage[atEvent]!;
    out.stageAtEvent[i] = current;
    out.ageAtEventDays[i] = (event - enteredAtMs[from]!) / DAY_MS;
    changes.fill(0);
    let next = -1;
    let nextAt = Number.NaN;
    for (let e = atEvent + 1; e < to; e++) {
      const t = enteredAtMs[e]!;
      if (t > asOfMs) break;
      const s = stage[e]!;
      if (s === current) continue; // re-entering the same stage is not a change
      current = s;
      if (next < 0) {
        next = s;
        nextAt = t;
      }
      const since = t - event;
      for (let w = 0; w < W; w++) if (since <= windowMs[w]!) changes[w]! += 1;
    }
    for (let w = 0; w < W; w++) out.changesWithin[w]![i] = Math.min(changes[w]!, 65535);
    if (terminal && terminal[out.stageAtEvent[i]!] === 1) {
      out.status[i] = CLOSED_AT_EVENT;
      continue;
    }
    if (next >= 0) {
      out.moved[i] = 1;
      out.nextStage[i] = next;
      out.timeToNextDays[i] = (nextAt - event) / DAY_MS;
    } else {
      out.timeToNextDays[i] = (asOfMs - event) / DAY_MS;
    }
  }
  return out;
}

/** Stall status at a horizon: moved within it, stalled (nothing moved in it and it has fully passed), or pending. */
export type StallStatus = "moved" | "stalled" | "pending" | "not_applicable";

/** Stall status of row i of `m` at `days` after its event; `asOfDays` is the as-of date minus the event, in days. */
export function stallStatusAt(m: MovementColumns, i: number, days: number): StallStatus {
  if (m.status[i] !== MEASURED) return "not_applicable";
  const t = m.timeToNextDays[i]!;
  if (m.moved[i] && t <= days) return "moved";
  // Unmoved rows are censored at the as-of date, so t is then the observed follow-up.
  const followUp = m.moved[i] ? Number.POSITIVE_INFINITY : t;
  return followUp >= days ? "stalled" : "pending";
}

/** Stall flags for every row at `days`: 0 moved, 1 stalled, 2 pending, 3 not applicable. */
export function stallFlags(m: MovementColumns, days: number): Uint8Array {
  const out = new Uint8Array(m.n);
  const code = { moved: 0, stalled: 1, pending: 2, not_applicable: 3 } as const;
  for (let i = 0; i < m.n; i++) out[i] = code[stallStatusAt(m, i, days)];
  return out;
}

/** One stage entry of an opportunity. */
export interface StageEntry {
  stage: string;
  enteredAt: Date | number | string;
}

/** An opportunity with its stage history; `stages` may be missing or empty (then it is unmeasurable). */
export interface OpportunityHistory {
  id: string;
  stages: readonly StageEntry[] | null | undefined;
  /** This opportunity's event date, when it differs from the shared one. */
  eventAt?: Date | number | string;
}

/** Movement of one measurable opportunity after its event. */
export interface Movement {
  id: string;
  stageAtEvent: string;
  ageAtEventDays: number;
  /** True when the stage at the event is terminal: it is not at risk of moving, so nextStage is null. */
  closedAtEvent: boolean;
  changesWithin: { days: number; changes: number; complete: boolean }[];
  nextStage: { stage: string | null; days: number; observed: boolean } | null;
  stall: { days: number; status: StallStatus }[];
}

/** Options of `measureMovement`. */
export interface MovementOptions {
  eventAt: Date | number | string;
  asOf: Date | number | string;
  windowsDays?: readonly number[];
  /** Stages after which nothing moves (closed won, closed lost). */
  terminalStages?: readonly string[];
  /** Horizons for stall flags (default 14, 30, 60). */
  stallDays?: readonly number[];
}

/** Measured movements and the opportunities that could not be measured, with the reason for each. */
export interface MovementReport {
  measured: Movement[];
  unmeasurable: { id: string; reason: UnmeasurableReason }[];
}

function toMs(value: Date | number | string): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  return Date.parse(value);
}

/**
 * Encodes object histories into columns (stage names to codes, times to ms, each history sorted by time with ties
 * kept in input order) and measures them. Shared by `measureMovement` and the velocity comparison on objects.
 */
export function encodeAndMeasure(
  opportunities: readonly OpportunityHistory[],
  options: MovementOptions,
): { movement: MovementColumns; stageNames: string[] } {
  const eventAt = toMs(options.eventAt);
  const asOf = toMs(options.asOf);
  if (!Number.isFinite(eventAt))
    throw new AppError("validation", "event date is not a valid time", "eventAt");
  if (!Number.isFinite(asOf)) throw new AppError("validation", "as-of date is not a valid time", "asOf");
  if (eventAt > asOf) throw new AppError("validation", "the event date is after the as-of date", "eventAt");
  const stageCodes = new Map<string, number>();
  const stageNames: string[] = [];
  const codeOf = (name: string): number => {
    let c = stageCodes.get(name);
    if (c === undefined) {
      c = stageNames.length;
      stageCodes.set(name, c);
      stageNames.push(name);
    }
    return c;
  };
  const offsets = new Int32Array(opportunities.length + 1);
  const stage: number[] = [];
  const entered: number[] = [];
  const events = new Float64Array(opportunities.length);
  opportunities.forEach((opp, i) => {
    const history = opp.stages ?? [];
    // Histories usually arrive in time order: copy them straight; otherwise sort a copy (ties keep input order).
    let ordered = true;
    let previous = Number.NEGATIVE_INFINITY;
    for (const e of history) {
      const t = toMs(e.enteredAt);
      if (!(t >= previous)) {
        ordered = false;
        break;
      }
      previous = t;
    }
    if (ordered) {
      for (const e of history) {
        stage.push(codeOf(e.stage));
        entered.push(toMs(e.enteredAt));
      }
    } else {
      const entries = history.map((e) => ({ code: codeOf(e.stage), t: toMs(e.enteredAt) }));
      const sorted = entries.some((e) => Number.isNaN(e.t)) ? entries : entries.sort((a, b) => a.t - b.t);
      for (const e of sorted) {
        stage.push(e.code);
        entered.push(e.t);
      }
    }
    offsets[i + 1] = stage.length;
    events[i] = opp.eventAt === undefined ? eventAt : toMs(opp.eventAt);
  });
  const terminal = new Uint8Array(stageNames.length + (options.terminalStages?.length ?? 0));
  for (const name of options.terminalStages ?? []) terminal[codeOf(name)] = 1;
  const movement = measureMovementColumns(
    { offsets, stage, enteredAtMs: entered },
    { eventAtMs: events, asOfMs: asOf, windowsDays: options.windowsDays ?? DEFAULT_WINDOWS_DAYS, terminal },
  );
  return { movement, stageNames };
}

/**
 * Movement of each opportunity after the event: stage at the event, changes within 14/30/60/90 days, time to the
 * next stage (censored at `asOf` when none) and stall flags. Histories are sorted by time here (ties keep their input
 * order). Opportunities with no history, or opened after the event, are returned in `unmeasurable`.
 */
export function measureMovement(
  opportunities: readonly OpportunityHistory[],
  options: MovementOptions,
): MovementReport {
  const { movement: m, stageNames } = encodeAndMeasure(opportunities, options);
  const stallDays = options.stallDays ?? [14, 30, 60];
  const report: MovementReport = { measured: [], unmeasurable: [] };
  opportunities.forEach((opp, i) => {
    const status = m.status[i]!;
    if (status !== MEASURED && status !== CLOSED_AT_EVENT) {
      report.unmeasurable.push({ id: opp.id, reason: movementStatuses[status] as UnmeasurableReason });
      return;
    }
    const closed = status === CLOSED_AT_EVENT;
    report.measured.push({
      id: opp.id,
      stageAtEvent: stageNames[m.stageAtEvent[i]!]!,
      ageAtEventDays: m.ageAtEventDays[i]!,
      closedAtEvent: closed,
      changesWithin: m.windowsDays.map((days, w) => ({
        days,
        changes: m.changesWithin[w]![i]!,
        complete: m.windowComplete[w]![i] === 1,
      })),
      nextStage: closed
        ? null
        : {
            stage: m.nextStage[i]! >= 0 ? stageNames[m.nextStage[i]!]! : null,
            days: m.timeToNextDays[i]!,
            observed: m.moved[i] === 1,
          },
      stall: stallDays.map((days) => ({ days, status: stallStatusAt(m, i, days) })),
    });
  });
  return report;
}
