// The statistics engine: pure functions, no I/O, no clock; all randomness from a seeded generator.
export {
  type BootstrapEstimate,
  type BootstrapOptions,
  bootstrap,
  bootstrapDiffMeans,
  bootstrapDiffProportions,
  bootstrapMatchedDiff,
  bootstrapRatio,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  type MatchedSets,
  percentileInterval,
} from "./bootstrap.ts";
export {
  type CompareSurvivalOptions,
  compareSurvival,
  compareSurvivalMatched,
  DEFAULT_HORIZONS,
  type GroupSurvival,
  type IntervalEstimate,
  type SurvivalComparison,
} from "./compare-survival.ts";
export {
  type DecayCurve,
  type DecayWeek,
  decayCurve,
  type ExponentialFit,
  fitExponentialDecay,
  type WeeklyUnit,
} from "./decay-curve.ts";
export {
  mean,
  median,
  quantile,
  quantileSorted,
  type Summary,
  standardDeviation,
  sum,
  summarize,
  variance,
} from "./descriptive.ts";
export { type DidEstimate, didBootstrap, didRegression, type PanelCell, type PanelRow } from "./did.ts";
export {
  chiSquareSf,
  erfc,
  lnGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  tCdf,
  tPdf,
  tQuantile,
} from "./distributions.ts";
export {
  type KaplanMeierCurve,
  kaplanMeier,
  type LogRankResult,
  logRank,
  medianSurvival,
  type SurvivalSample,
  survivalAt,
} from "./kaplan-meier.ts";
export {
  type CovariateBalance,
  type MatchColumns,
  type MatchColumnsResult,
  type MatchCounts,
  type MatchedSet,
  type MatchOptions,
  type MatchResult,
  type MatchUnit,
  type MatchUnitsOptions,
  matchControls,
  matchControlsColumns,
  type UnmatchedReason,
  unmatchedReasons,
} from "./match-controls.ts";
export { createRng, type Rng, sampleIndices, shuffleInPlace } from "./prng.ts";
