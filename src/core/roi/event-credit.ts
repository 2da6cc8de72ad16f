import type { AttributionModel } from "../attribution/model.ts";
import { createModel, type ModelSettings, parseModelList } from "../attribution/models.ts";
import { toAttributionResult } from "../attribution/run-attribution.ts";
import type { ModelName } from "../attribution/types.ts";
import {
  dealJourneyTable,
  dealsTouchedBy,
  type JourneyOutcome,
  type JourneyWindow,
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
 * Credit an event gets from each model (keyed by event) for one outcome and window, as known on `asOf`. Per-journey
 * models run on the journeys the event touched only; population models on every deal. Both give the event the
 * credit it would get from a run over all deals.
 */
export function eventCredits(
  deals: DealSet,
  eventId: string,
  models: string | readonly ModelName[],
  options: EventCreditOptions,
): EventCredits {
  const names = parseModelList(models);
  const window = options.window ?? "influenced";
  const code = eventCodeOf(deals, eventId);
  const out: EventCredits = {};
  const perJourney = names.filter(isPerJourneyModel);
  const population = names.filter((n) => !isPerJourneyModel(n));
  for (const n of names) out[n] = { conversions: 0, value: 0 };
  if (code < 0) return out;
  const run = (list: ModelName[], only: Uint8Array | undefined) => {
    if (list.length === 0) return;
    const { table } = dealJourneyTable(deals, {
      asOf: options.asOf,
      window,
      outcome: options.outcome,
      keyBy: "event",
      onlineOnly: options.onlineOnly,
      lookbackDays: options.lookbackDays,
      leadKinds: options.leadKinds,
      only,
    });
    for (const name of list) {
      const model: AttributionModel = createModel(name, options.settings);
      const result = toAttributionResult(table, name, model.run(table));
      out[name] = { conversions: result.conversions[eventId] ?? 0, value: result.value[eventId] ?? 0 };
    }
  };
  if (perJourney.length > 0) {
    const { mask } = dealsTouchedBy(deals, code, options.asOf, window, options.lookbackDays);
    run(perJourney, mask);
  }
  run(population, undefined);
  return out;
}
