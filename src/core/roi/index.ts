/**
 * ROI over time: pure functions over opportunities with their stage history and journeys (no I/O, no clock: `now`
 * and every "as of" day are parameters). What was known on a day is read from the stage history and the touches up
 * to that day, never from today's state. docs/roi.md has the definitions and worked examples.
 */
export {
  type Acceleration,
  type AccelerationOptions,
  type AccelerationPair,
  accelerationAsOf,
  DAYS_PER_YEAR,
} from "./acceleration.ts";
export {
  type DealJourneyOptions,
  type DealJourneys,
  dealJourneyTable,
  dealsTouchedBy,
  type JourneyOutcome,
  type JourneyWindow,
  journeyRange,
} from "./deal-journeys.ts";
export {
  closedAtAsOf,
  type DealInput,
  type DealSet,
  DealSetBuilder,
  type DealState,
  dealStateAsOf,
  type StageInfo,
  stageAsOf,
  type TouchInput,
  type TouchRun,
} from "./deal-set.ts";
export {
  DEFAULT_ROI_MODEL,
  type EventCreditOptions,
  type EventCredits,
  eventCodeOf,
  eventCredits,
  isPerJourneyModel,
} from "./event-credit.ts";
export {
  type EventOutcomeLines,
  type EventOutcomes,
  type EventOutcomesInput,
  eventOutcomeLines,
  eventOutcomes,
  type OutcomeLine,
  withAcceleration,
} from "./event-outcomes.ts";
export {
  DAY_MS,
  headlineHorizon,
  horizonInstant,
  isRoiHorizon,
  ROI_HORIZONS,
  type RoiHorizon,
} from "./horizons.ts";
export { type OfflineVsOnline, type OfflineVsOnlineInput, offlineVsOnline } from "./offline-vs-online.ts";
export { type PortfolioEntry, type RankedEntry, rankPortfolio } from "./rank-portfolio.ts";
export { type ReportSide, type ReportSideInput, reportSide } from "./report-side.ts";
export { type RoiCurveInput, type RoiPoint, roiCurve, roiRatio } from "./roi-curve.ts";
