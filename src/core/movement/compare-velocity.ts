import { AppError } from "../errors.ts";
import type { MatchedSets } from "../stats/bootstrap.ts";
import {
  type CompareSurvivalOptions,
  compareSurvivalMatched,
  type SurvivalComparison,
} from "../stats/compare-survival.ts";
import {
  type CovariateBalance,
  type MatchCounts,
  type MatchOptions,
  matchControlsColumns,
} from "../stats/match-controls.ts";
import { MEASURED, type MovementColumns, type MovementStatus, movementStatuses } from "./measure-movement.ts";

/** Input of `compareVelocity`: measured movement plus, per opportunity, the treated flag and matching keys. */
export interface VelocityInput {
  movement: MovementColumns;
  /** 1 for opportunities touched by the event (e.g. an attendee's account), 0 for candidate controls. */
  treated: ArrayLike<number>;
  /** Exact-match codes, typically [segment, movement.stageAtEvent]. */
  exact: readonly ArrayLike<number>[];
  /** Nearest-match covariates, typically [amount, movement.ageAtEventDays]. */
  numeric: readonly ArrayLike<number>[];
}

/** Matching and comparison options; horizons default to the movement windows. */
export interface VelocityOptions extends MatchOptions, CompareSurvivalOptions {}

/** How many opportunities of a group could be compared, and why the others could not. */
export interface VelocityEligibility {
  total: number;
  atRisk: number;
  byStatus: Record<MovementStatus, number>;
}

/** Result of a matched velocity comparison, or an explicit reason why there is none. */
export type VelocityComparison =
  | {
      status: "compared";
      treated: VelocityEligibility;
      control: VelocityEligibility;
      match: MatchCounts;
      /** Balance of each numeric covariate before and after matching (same order as input.numeric). */
      balance: CovariateBalance[];
      /** Treated minus matched controls: median days to next stage, P(moved by each horizon), log-rank. */
      survival: SurvivalComparison;
      /** The matched sets (row indices), for drill-down: which opportunities were compared with which. */
      sets: MatchedSets;
      /** Treated rows not at risk at the event: unmeasurable or closed (the reason is movement.status). */
      unmeasurableTreated: Int32Array;
      /** Treated rows at risk but left unmatched, with a code per row (index into `unmatchedReasons`). */
      unmatchedTreated: Int32Array;
      unmatchedReason: Uint8Array;
    }
  | {
      status: "insufficient_controls";
      treated: VelocityEligibility;
      control: VelocityEligibility;
      match: MatchCounts;
      message: string;
      unmeasurableTreated: Int32Array;
    };

function tally(movement: MovementColumns, treated: ArrayLike<number>, side: number): VelocityEligibility {
  const byStatus = Object.fromEntries(movementStatuses.map((s) => [s, 0])) as Record<MovementStatus, number>;
  let total = 0;
  for (let i = 0; i < movement.n; i++) {
    if ((treated[i] === 1 ? 1 : 0) !== side) continue;
    total++;
    byStatus[movementStatuses[movement.status[i]!]!]++;
  }
  return { total, atRisk: byStatus.measured, byStatus };
}

/**
 * Stage velocity after an event against matched controls: only opportunities at risk of moving at the event take
 * part; treated ones are matched to controls (exact and nearest keys as given), and time to next stage is compared
 * with Kaplan–Meier curves (open deals censored at the as-of date), bootstrap intervals over matched sets, and a
 * log-rank test. With too few controls the result says so and carries the counts instead of numbers.
 */
export function compareVelocity(input: VelocityInput, options: VelocityOptions = {}): VelocityComparison {
  const { movement, treated } = input;
  if (treated.length !== movement.n)
    throw new AppError("validation", "treated must have one entry per opportunity", "treated");
  const eligible = new Uint8Array(movement.n);
  const unmeasured: number[] = [];
  for (let i = 0; i < movement.n; i++) {
    if (movement.status[i] === MEASURED) eligible[i] = 1;
    else if (treated[i] === 1) unmeasured.push(i);
  }
  const treatedTally = tally(movement, treated, 1);
  const controlTally = tally(movement, treated, 0);
  const unmeasurableTreated = Int32Array.from(unmeasured);
  const match = matchControlsColumns(
    { treated, eligible, exact: input.exact, numeric: input.numeric },
    options,
  );
  if (match.status === "insufficient_controls") {
    return {
      status: "insufficient_controls",
      treated: treatedTally,
      control: controlTally,
      match: match.counts,
      message: match.message,
      unmeasurableTreated,
    };
  }
  const survival = compareSurvivalMatched(movement.timeToNextDays, movement.moved, match.sets, {
    ...options,
    horizons: options.horizons ?? movement.windowsDays,
  });
  return {
    status: "compared",
    treated: treatedTally,
    control: controlTally,
    match: match.counts,
    balance: match.balance,
    survival,
    sets: match.sets,
    unmeasurableTreated,
    unmatchedTreated: match.unmatchedTreated,
    unmatchedReason: match.unmatchedReason,
  };
}
