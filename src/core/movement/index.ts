// Movement building blocks for "did it move" analytics: pure functions over stage histories.
export {
  compareOpportunityVelocity,
  compareOpportunityVelocityColumns,
  type OpportunityVelocity,
  type OpportunityVelocityColumns,
  type OpportunityVelocityOptions,
  type VelocityOpportunity,
} from "./compare-opportunity-velocity.ts";
export {
  compareVelocity,
  type VelocityComparison,
  type VelocityEligibility,
  type VelocityInput,
  type VelocityOptions,
} from "./compare-velocity.ts";
export {
  DAY_MS,
  DEFAULT_WINDOWS_DAYS,
  encodeAndMeasure,
  type Movement,
  type MovementColumns,
  type MovementColumnsOptions,
  type MovementOptions,
  type MovementReport,
  type MovementStatus,
  measureMovement,
  measureMovementColumns,
  movementStatuses,
  type OpportunityHistory,
  type StageEntry,
  type StageHistoryColumns,
  type StallStatus,
  stallFlags,
  stallStatusAt,
  type UnmeasurableReason,
} from "./measure-movement.ts";
