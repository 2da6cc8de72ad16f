/** The attribution engine's public surface: pure functions over journeys, no I/O. */
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
