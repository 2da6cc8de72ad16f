/** One day in epoch milliseconds. */
export const DAY_MS = 86_400_000;

/** The horizons (days after the event ends) every outcome and ROI is reported at. */
export const ROI_HORIZONS = [0, 30, 90, 180, 365] as const;
export type RoiHorizon = (typeof ROI_HORIZONS)[number];

/** Whether `h` is one of the reporting horizons. */
export function isRoiHorizon(h: number): h is RoiHorizon {
  return (ROI_HORIZONS as readonly number[]).includes(h);
}

/**
 * The horizon an event's ROI is headlined at: tactical formats show their change early (90 days), strategic ones
 * (executive roundtables, partner events, kickoffs) late (365 days). The full curve is always reported beside it.
 */
export function headlineHorizon(format: "tactical" | "strategic"): RoiHorizon {
  return format === "strategic" ? 365 : 90;
}

/** The instant a horizon is measured at: `h` whole days after the event ends. */
export function horizonInstant(eventEndsAt: number, horizon: number): number {
  return eventEndsAt + horizon * DAY_MS;
}
