import { compareOnlineOnly } from "../attribution/compare-online.ts";
import type { ModelSettings } from "../attribution/models.ts";
import type { ModelName } from "../attribution/types.ts";
import { dealJourneyTable } from "./deal-journeys.ts";
import type { DealSet } from "./deal-set.ts";
import { DEFAULT_ROI_MODEL, eventCodeOf, eventCredits, touchedMask } from "./event-credit.ts";

/** The same model on all touches and on online touches only, for one event's deals. Money in minor units. */
export interface OfflineVsOnline {
  model: ModelName;
  asOf: number;
  /** Won revenue and weighted open pipeline credited to this event. */
  event: {
    all: { wonRevenue: number; weightedPipeline: number };
    onlineOnly: { wonRevenue: number; weightedPipeline: number };
    /** all − onlineOnly: what a digital-only model cannot see. */
    difference: { wonRevenue: number; weightedPipeline: number };
  };
  /** Won revenue of the deals this event touched, by channel, on both views. */
  byChannel: {
    all: Record<string, number>;
    onlineOnly: Record<string, number>;
    difference: Record<string, number>;
    /** Won revenue whose journey has only offline touches: a digital-only model cannot place it at all. */
    unattributedOnlineOnly: number;
  };
}

/** Which event, on which day, with which model. */
export interface OfflineVsOnlineInput {
  eventId: string;
  asOf: number;
  model?: ModelName;
  settings?: ModelSettings;
  lookbackDays?: number;
  leadKinds?: readonly string[];
}

/**
 * Runs the model twice over an event's deals as known on `asOf`, on every touch and on online touches only, and
 * reports the event's credit and the won revenue by channel on both views, side by side.
 */
export function offlineVsOnline(deals: DealSet, input: OfflineVsOnlineInput): OfflineVsOnline {
  const model = input.model ?? DEFAULT_ROI_MODEL;
  const common = {
    asOf: input.asOf,
    settings: input.settings,
    lookbackDays: input.lookbackDays,
    leadKinds: input.leadKinds,
  };
  const credit = (onlineOnly: boolean) => ({
    wonRevenue: eventCredits(deals, input.eventId, [model], { ...common, outcome: "won", onlineOnly })[model]!
      .value,
    weightedPipeline: eventCredits(deals, input.eventId, [model], {
      ...common,
      outcome: "pipeline",
      onlineOnly,
    })[model]!.value,
  });
  const all = credit(false);
  const onlineOnly = credit(true);
  const code = eventCodeOf(deals, input.eventId);
  const mask = touchedMask(deals, code, input.asOf, "influenced", input.lookbackDays);
  // The channel view covers the deals this event touched, for every model (a population model is fitted on those
  // journeys here): the question is how these deals' revenue is split between channels with and without offline.
  const { table } = dealJourneyTable(deals, { ...common, outcome: "won", keyBy: "channel", only: mask });
  const cmp = compareOnlineOnly(table, model, input.settings ?? {});
  return {
    model,
    asOf: input.asOf,
    event: {
      all,
      onlineOnly,
      difference: {
        wonRevenue: all.wonRevenue - onlineOnly.wonRevenue,
        weightedPipeline: all.weightedPipeline - onlineOnly.weightedPipeline,
      },
    },
    byChannel: {
      all: cmp.all.value,
      onlineOnly: cmp.onlineOnly.value,
      difference: cmp.difference.value,
      unattributedOnlineOnly: cmp.onlineOnly.unattributed.value - cmp.all.unattributed.value,
    },
  };
}
