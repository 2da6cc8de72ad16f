import { AppError } from "../errors.ts";

const DAY_MS = 86_400_000;

/** The opportunity a set of touches is judged against (epoch ms). */
export interface Opportunity {
  createdAt: number;
  /** Absent while the opportunity is open. */
  closedAt?: number;
}

/** Touches split into sourced and influenced, and what was left out and why. */
export interface SourcedInfluenced<T> {
  /** Touches in [createdAt − lookback, createdAt]: they can claim to have created the opportunity. */
  sourced: T[];
  /** Touches in [createdAt − lookback, closedAt]: every touch that could have moved the deal; ⊇ sourced. */
  influenced: T[];
  excluded: { beforeLookback: number; afterClose: number; untimed: number };
}

/**
 * Splits touches for one opportunity into sourced and influenced (both in time order, ties in input order).
 * - A touch at exactly createdAt counts as sourced (the touch that created the opportunity is logged with it).
 * - The lookback window (default 365 days) runs back from the opportunity's creation for both lists, so a long
 *   sales cycle never makes a sourcing touch fall out of the influenced list (influenced ⊇ sourced).
 * - Touches after closedAt are excluded; with no closedAt (open opportunity) there is no upper bound.
 * - Touches without occurredAt cannot be placed and are counted in `excluded.untimed`, never silently lost.
 */
export function splitSourcedInfluenced<T extends { occurredAt?: number }>(
  touches: readonly T[],
  opportunity: Opportunity,
  options: { lookbackDays?: number } = {},
): SourcedInfluenced<T> {
  const lookbackDays = options.lookbackDays ?? 365;
  if (!Number.isFinite(lookbackDays) || lookbackDays < 0) {
    throw new AppError("bad_request", `lookback must be >= 0 days, got ${lookbackDays}`, "lookbackDays");
  }
  const { createdAt, closedAt } = opportunity;
  if (!Number.isFinite(createdAt))
    throw new AppError("validation", "opportunity createdAt is required", "createdAt");
  if (closedAt !== undefined && !(closedAt >= createdAt)) {
    throw new AppError("validation", "opportunity closedAt is before createdAt", "closedAt");
  }
  const from = createdAt - lookbackDays * DAY_MS;
  const excluded = { beforeLookback: 0, afterClose: 0, untimed: 0 };
  const timed: { touch: T; at: number; i: number }[] = [];
  touches.forEach((touch, i) => {
    const at = touch.occurredAt;
    if (at === undefined || !Number.isFinite(at)) excluded.untimed++;
    else timed.push({ touch, at, i });
  });
  timed.sort((a, b) => a.at - b.at || a.i - b.i);
  const sourced: T[] = [];
  const influenced: T[] = [];
  for (const { touch, at } of timed) {
    if (at < from) excluded.beforeLookback++;
    else if (closedAt !== undefined && at > closedAt) excluded.afterClose++;
    else {
      influenced.push(touch);
      if (at <= createdAt) sourced.push(touch);
    }
  }
  return { sourced, influenced, excluded };
}
