import type { ModelSettings } from "../attribution/models.ts";
import type { ModelName } from "../attribution/types.ts";
import { accelerationAsOf } from "./acceleration.ts";
import type { DealSet } from "./deal-set.ts";
import { DEFAULT_ROI_MODEL, eventCodeOf, eventCredits } from "./event-credit.ts";
import { horizonInstant, ROI_HORIZONS } from "./horizons.ts";

/** ROI from value and cost; a cost of 0 has no ROI (null with the reason), never Infinity or NaN. */
export function roiRatio(value: number, cost: number): { roi: number | null; reason?: string } {
  if (cost > 0) return { roi: (value - cost) / cost };
  return { roi: null, reason: "no cost recorded for this event: ROI is undefined without a cost" };
}

/** One point of an event's ROI curve. Money is in minor units (cents). */
export interface RoiPoint {
  /** Days after the event ended. */
  horizon: number;
  /** The day the point is measured at (epoch ms): event end + horizon days. */
  asOf: number;
  /** False when that day is still in the future: nothing is computed for it. */
  known: boolean;
  /** Why a point is not known, or why its ROI is null. */
  reason?: string;
  /** Attributed revenue of deals won by that day. */
  wonRevenue: number | null;
  /** Attributed open pipeline that day, each deal weighted by the probability of its stage that day. */
  weightedPipeline: number | null;
  /** Days saved against matched non-attending deals × daily value (see accelerationAsOf). */
  acceleration: number | null;
  /** wonRevenue + weightedPipeline + acceleration. */
  value: number | null;
  cost: number;
  /** (value − cost) / cost; null when not known or when the cost is 0. */
  roi: number | null;
}

export interface RoiCurveInput {
  eventId: string;
  eventStartsAt: number;
  eventEndsAt: number;
  /** Total of the event's cost lines, minor units. */
  cost: number;
  /** Today: horizons after it are "not yet known". */
  now: number;
  model?: ModelName;
  settings?: ModelSettings;
  horizons?: readonly number[];
  lookbackDays?: number;
  leadKinds?: readonly string[];
  /**
   * Acceleration measured elsewhere, by horizon (minor units), used instead of the won-deal comparison of
   * accelerationAsOf: executive roundtables are valued on open pipeline moving to its next stage sooner
   * (docs/movement.md). A known horizon missing from the map adds 0.
   */
  accelerationByHorizon?: ReadonlyMap<number, number>;
}

/**
 * An event's ROI as a curve: at each horizon, what was known on that day (stage history as of the day, touches up
 * to the day) turned into attributed won revenue, attributed stage-weighted open pipeline and acceleration value,
 * against the event's cost. Horizons still in the future are marked not known and left uncomputed.
 */
export function roiCurve(deals: DealSet, input: RoiCurveInput): RoiPoint[] {
  const model = input.model ?? DEFAULT_ROI_MODEL;
  const code = eventCodeOf(deals, input.eventId);
  return (input.horizons ?? ROI_HORIZONS).map((horizon): RoiPoint => {
    const asOf = horizonInstant(input.eventEndsAt, horizon);
    if (asOf > input.now) {
      return {
        horizon,
        asOf,
        known: false,
        reason: `not yet known: this horizon is reached on ${new Date(asOf).toISOString().slice(0, 10)}`,
        wonRevenue: null,
        weightedPipeline: null,
        acceleration: null,
        value: null,
        cost: input.cost,
        roi: null,
      };
    }
    const common = {
      asOf,
      settings: input.settings,
      lookbackDays: input.lookbackDays,
      leadKinds: input.leadKinds,
    };
    const won = eventCredits(deals, input.eventId, [model], { ...common, outcome: "won" })[model]!.value;
    const pipeline = eventCredits(deals, input.eventId, [model], { ...common, outcome: "pipeline" })[model]!
      .value;
    const acceleration = input.accelerationByHorizon
      ? (input.accelerationByHorizon.get(horizon) ?? 0)
      : accelerationAsOf(deals, {
          eventCode: code,
          eventStartsAt: input.eventStartsAt,
          eventEndsAt: input.eventEndsAt,
          asOf,
          lookbackDays: input.lookbackDays,
        }).value;
    const value = won + pipeline + acceleration;
    const { roi, reason } = roiRatio(value, input.cost);
    return {
      horizon,
      asOf,
      known: true,
      ...(reason ? { reason } : {}),
      wonRevenue: won,
      weightedPipeline: pipeline,
      acceleration,
      value,
      cost: input.cost,
      roi,
    };
  });
}
