import { AppError } from "../errors.ts";

/** Default delays, in days after the event ends, of the delayed knowledge checks. */
export const DEFAULT_MEASUREMENT_DELAYS: readonly number[] = [30, 90];

export interface MeasurementSchedule {
  /** The pre-test must be taken before the event starts. */
  pre: { dueBy: Date };
  /** The post-test opens when the event ends. */
  post: { at: Date };
  /** One delayed check per delay, in ascending order. */
  delayed: { delayDays: number; at: Date }[];
}

const DAY_MS = 86_400_000;

/**
 * The fixed pre / post / delayed dates of an activity's knowledge checks. Fixed on purpose: measurement dates
 * never move with drill performance, so drills (see drills.ts) cannot bias the metrics.
 */
export function measurementSchedule(
  eventEnd: Date,
  delays: readonly number[] = DEFAULT_MEASUREMENT_DELAYS,
  eventStart: Date = eventEnd,
): MeasurementSchedule {
  if (Number.isNaN(eventEnd.getTime()))
    throw new AppError("validation", "eventEnd is not a valid date", "eventEnd");
  if (Number.isNaN(eventStart.getTime())) {
    throw new AppError("validation", "eventStart is not a valid date", "eventStart");
  }
  if (eventStart.getTime() > eventEnd.getTime()) {
    throw new AppError("validation", "eventStart is after eventEnd", "eventStart");
  }
  for (const d of delays) {
    if (!Number.isInteger(d) || d <= 0) {
      throw new AppError("validation", `delays must be positive whole days, got ${d}`, "delays");
    }
  }
  const sortedDelays = [...new Set(delays)].sort((a, b) => a - b);
  return {
    pre: { dueBy: new Date(eventStart.getTime()) },
    post: { at: new Date(eventEnd.getTime()) },
    delayed: sortedDelays.map((delayDays) => ({
      delayDays,
      at: new Date(eventEnd.getTime() + delayDays * DAY_MS),
    })),
  };
}
