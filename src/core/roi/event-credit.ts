import type { JourneyTable } from "../attribution/journey-table.ts";
import type { AttributionModel } from "../attribution/model.ts";
import { createModel, type ModelSettings, parseModelList } from "../attribution/models.ts";
import { toAttributionResult } from "../attribution/run-attribution.ts";
import type { ModelName } from "../attribution/types.ts";
import {
  type DealJourneys,
  dealJourneyTable,
  dealsTouchedBy,
  type JourneyOutcome,
  JourneyScratch,
  type JourneyWindow,
  reweighJourneys,
} from "./deal-journeys.ts";
import type { DealSet } from "./deal-set.ts";

/**
 * The models that credit each journey on its own: an event's credit from them depends only on the journeys it
 * touched. markov and shapley are fitted on the whole population (non-converting journeys included), so they are
 * run over every deal.
 */
export function isPerJourneyModel(name: string): boolean {
  return name !== "markov" && name !== "shapley";
}

/** The default model of event ROI: linear (see docs/roi.md for why). */
export const DEFAULT_ROI_MODEL: ModelName = "linear";

/** Index of an event id in the deal set's event dictionary (-1 when no deal's touches mention it). */
export function eventCodeOf(deals: DealSet, eventId: string): number {
  return deals.events.indexOf(eventId);
}

export interface EventCreditOptions {
  asOf: number;
  outcome: JourneyOutcome;
  window?: JourneyWindow;
  onlineOnly?: boolean;
  settings?: ModelSettings;
  lookbackDays?: number;
  leadKinds?: readonly string[];
}

/** Conversions and value credited to one event by each model, as known on `asOf`. */
export type EventCredits = Record<string, { conversions: number; value: number }>;

/**
 * What one deal set has already answered. A report asks for the same event's credit many times over (by outcome,
 * by horizon, with and without offline touches, and the same question from several views), so per deal set this
 * keeps: the deals each event touched per window and day; the credits already computed (without model settings
 * only: those are compared by value); and the last journey table of per-journey models, which every outcome on the
 * same day and window re-weighs instead of building again, written into touch columns kept for the next one. A deal
 * set never changes once built, so none of it goes stale; it goes with the deal set.
 */
interface CreditMemo {
  masks: Map<string, Uint8Array>;
  credits: Map<string, { conversions: number; value: number }>;
  journeys: { key: string; journeys: DealJourneys } | null;
  /** The touch columns that table is written into, reused by the next one (it replaces the table). */
  scratch: JourneyScratch | null;
}
const memos = new WeakMap<DealSet, CreditMemo>();
/** Entries kept per map before it is cleared (a portfolio asks about every event of one deal set). */
const MEMO_LIMIT = 512;

function memoOf(deals: DealSet): CreditMemo {
  let memo = memos.get(deals);
  if (!memo) {
    memo = { masks: new Map(), credits: new Map(), journeys: null, scratch: null };
    memos.set(deals, memo);
  }
  return memo;
}

function remember<T>(map: Map<string, T>, key: string, value: T): T {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/**
 * The deals whose journey (window as known on `asOf`) holds a touch of event `eventCode` (see `dealsTouchedBy`),
 * remembered per deal set. The mask is shared: read it, never write to it.
 */
export function touchedMask(
  deals: DealSet,
  eventCode: number,
  asOf: number,
  window: JourneyWindow,
  lookbackDays: number = deals.lookbackDays,
): Uint8Array {
  const memo = memoOf(deals);
  const key = `${eventCode}|${asOf}|${window}|${lookbackDays}`;
  return (
    memo.masks.get(key) ??
    remember(memo.masks, key, dealsTouchedBy(deals, eventCode, asOf, window, lookbackDays).mask)
  );
}

/**
 * Credit an event gets from each model (keyed by event) for one outcome and window, as known on `asOf`. Per-journey
 * models run on the journeys the event touched only; population models on every deal. Both give the event the
 * credit it would get from a run over all deals. Answers are remembered per deal set (see CreditMemo).
 */
export function eventCredits(
  deals: DealSet,
  eventId: string,
  models: string | readonly ModelName[],
  options: EventCreditOptions,
): EventCredits {
  const names = parseModelList(models);
  const window = options.window ?? "influenced";
  const lookbackDays = options.lookbackDays ?? deals.lookbackDays;
  const onlineOnly = options.onlineOnly ?? false;
  const leadKinds = options.leadKinds ?? [];
  const code = eventCodeOf(deals, eventId);
  const out: EventCredits = {};
  for (const n of names) out[n] = { conversions: 0, value: 0 };
  if (code < 0) return out;
  const memo = memoOf(deals);
  const day = [options.asOf, window, onlineOnly ? 1 : 0, lookbackDays, leadKinds.join("\u001f")].join("|");
  const creditKey = (name: string) =>
    options.settings === undefined ? `${eventId}|${day}|${options.outcome}|${name}` : null;
  const missing: ModelName[] = [];
  for (const n of names) {
    const key = creditKey(n);
    const known = key === null ? undefined : memo.credits.get(key);
    if (known) out[n] = { ...known };
    else missing.push(n);
  }
  const credit = (table: JourneyTable, name: ModelName) => {
    const model: AttributionModel = createModel(name, options.settings);
    const result = toAttributionResult(table, name, model.run(table));
    out[name] = { conversions: result.conversions[eventId] ?? 0, value: result.value[eventId] ?? 0 };
    const key = creditKey(name);
    if (key !== null) remember(memo.credits, key, { ...out[name] });
  };
  const perJourney = missing.filter(isPerJourneyModel);
  const population = missing.filter((n) => !isPerJourneyModel(n));
  if (perJourney.length > 0) {
    // Every outcome on this day and window re-weighs one table of the journeys the event touched (see
    // reweighJourneys): built for `won`, it holds every deal opened by then.
    const key = `${code}|${day}`;
    let journeys = memo.journeys?.key === key ? memo.journeys.journeys : null;
    if (!journeys) {
      memo.journeys = null; // its columns are about to be overwritten
      memo.scratch ??= new JourneyScratch();
      journeys = dealJourneyTable(deals, {
        scratch: memo.scratch,
        asOf: options.asOf,
        window,
        outcome: "won",
        keyBy: "event",
        onlineOnly,
        lookbackDays,
        leadKinds,
        only: touchedMask(deals, code, options.asOf, window, lookbackDays),
      });
      memo.journeys = { key, journeys };
    }
    const table =
      options.outcome === "won"
        ? journeys.table
        : reweighJourneys(deals, journeys, options.asOf, options.outcome);
    for (const name of perJourney) credit(table, name);
  }
  if (population.length > 0) {
    const { table } = dealJourneyTable(deals, {
      asOf: options.asOf,
      window,
      outcome: options.outcome,
      keyBy: "event",
      onlineOnly,
      lookbackDays,
      leadKinds,
    });
    for (const name of population) credit(table, name);
  }
  return out;
}
