/**
 * The attribution engine's public surface: pure functions over journeys, no I/O, no clock, seeded randomness.
 *
 * Conventions shared by every model (docs/attribution.md has the full list and the worked examples):
 * - touches are ordered by time, ties kept in input order (stable); untimed journeys keep input order;
 * - a repeated channel is one touch per occurrence (linear gives it a share each; shapley sees the set);
 * - a journey with no touches keeps its conversions and value in `unattributed`: never dropped silently, and
 *   credits + unattributed = totals for every model;
 * - empty input gives zeros, never NaN; an empty channel name is a validation error, never a channel "".
 */
export { compareOnlineOnly, type OnlineComparison } from "./compare-online.ts";
export type { CustomWeights } from "./custom.ts";
export {
  buildJourneyTable,
  type JourneyTable,
  JourneyTableBuilder,
  journeyTableFromColumns,
  onlineOnlyTable,
} from "./journey-table.ts";
export { fitMarkovChain, MAX_MARKOV_CHANNELS, solveMarkovChain } from "./markov.ts";
export type { AttributionModel, ModelOutput } from "./model.ts";
export { createModel, isModelName, type ModelSettings, parseModelList } from "./models.ts";
export { PathsCsvReader, readPathsCsv } from "./paths-csv.ts";
export { type AttributionOptions, runAttribution, toAttributionResult } from "./run-attribution.ts";
export type { ShapleyOptions } from "./shapley.ts";
export { type Opportunity, type SourcedInfluenced, splitSourcedInfluenced } from "./sourced-influenced.ts";
export * from "./types.ts";
