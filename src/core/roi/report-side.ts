import { type Acceleration, accelerationAsOf } from "./acceleration.ts";
import type { DealSet } from "./deal-set.ts";
import { eventCodeOf } from "./event-credit.ts";
import { type OfflineVsOnline, type OfflineVsOnlineInput, offlineVsOnline } from "./offline-vs-online.ts";
import { type RoiCurveInput, type RoiPoint, roiCurve } from "./roi-curve.ts";

export interface ReportSideInput {
  roi: RoiCurveInput;
  offline: OfflineVsOnlineInput;
  /** The outcomes ledger's day: its acceleration comparison is made here. */
  ledgerAsOf: number;
}

export interface ReportSide {
  roi: RoiPoint[];
  offline: OfflineVsOnline;
  /** The acceleration of the outcomes ledger (on `ledgerAsOf`). */
  acceleration: Acceleration;
}

/**
 * What an event's report computes beside its outcomes ledger's lines: the ROI curve, the offline comparison and the
 * ledger's acceleration. In one call, so that what one deal set remembers serves all three (the ledger's day is one
 * of the curve's horizons, and the offline comparison's full view is the curve's on that day): on a worker thread a
 * deal set posted twice would be two sets, remembering nothing of each other.
 */
export function reportSide(deals: DealSet, input: ReportSideInput): ReportSide {
  const roi = roiCurve(deals, input.roi);
  const offline = offlineVsOnline(deals, input.offline);
  const acceleration = accelerationAsOf(deals, {
    eventCode: eventCodeOf(deals, input.roi.eventId),
    eventStartsAt: input.roi.eventStartsAt,
    eventEndsAt: input.roi.eventEndsAt,
    asOf: input.ledgerAsOf,
    lookbackDays: input.roi.lookbackDays,
  });
  return { roi, offline, acceleration };
}
