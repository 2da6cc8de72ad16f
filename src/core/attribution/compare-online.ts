import { buildJourneyTable, type JourneyTable, onlineOnlyTable } from "./journey-table.ts";
import type { AttributionModel } from "./model.ts";
import { createModel, type ModelSettings } from "./models.ts";
import { toAttributionResult } from "./run-attribution.ts";
import type { AttributionResult, Journey, KeyBy, ModelName } from "./types.ts";

/** One model run on all touches and on online touches only, and what the digital-only view cannot see. */
export interface OnlineComparison {
  all: AttributionResult;
  onlineOnly: AttributionResult;
  /** all − onlineOnly per key: the influence of offline touches that a digital-only model misattributes. */
  difference: { conversions: Record<string, number>; value: Record<string, number> };
}

function diff(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(a)) out[key] = a[key]! - (b[key] ?? 0);
  return out;
}

/**
 * Runs `model` twice: on every touch and on online touches only (what a digital-only tool sees). Both runs share
 * one key dictionary, so offline-only keys show up with 0 in the online run. A journey whose touches are all
 * offline is unattributed in the online run: that conversion is exactly what a digital-only model cannot explain.
 */
export function compareOnlineOnly(
  journeys: readonly Journey[] | JourneyTable,
  model: ModelName | AttributionModel,
  options: ModelSettings & { keyBy?: KeyBy } = {},
): OnlineComparison {
  const table = Array.isArray(journeys)
    ? buildJourneyTable(journeys as readonly Journey[], { keyBy: options.keyBy })
    : (journeys as JourneyTable);
  const m = typeof model === "string" ? createModel(model, options) : model;
  const online = onlineOnlyTable(table);
  const all = toAttributionResult(table, m.name, m.run(table));
  const onlineOnly = toAttributionResult(online, m.name, m.run(online));
  return {
    all,
    onlineOnly,
    difference: {
      conversions: diff(all.conversions, onlineOnly.conversions),
      value: diff(all.value, onlineOnly.value),
    },
  };
}
