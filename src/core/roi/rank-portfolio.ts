/** One event's standing at a horizon, as the portfolio ranks it. Money in minor units. */
export interface PortfolioEntry {
  eventId: string;
  name: string;
  format: "tactical" | "strategic";
  horizon: number;
  known: boolean;
  value: number | null;
  cost: number;
  roi: number | null;
  reason?: string;
}

/** A ranked entry: 1-based rank among the events whose ROI is known, null for the others. */
export type RankedEntry<T extends PortfolioEntry> = T & { rank: number | null };

/**
 * Ranks events at a horizon: known ROI first (highest first; ties by value, then name, then id), then events with a
 * known value but no ROI (cost 0; by value), then events whose horizon is not reached yet (by name). Only the
 * first group gets a rank number: ROI cannot rank an event without a cost or a value.
 */
export function rankPortfolio<T extends PortfolioEntry>(entries: readonly T[]): RankedEntry<T>[] {
  const group = (e: T) => (e.known && e.roi !== null ? 0 : e.known ? 1 : 2);
  const byName = (a: T, b: T) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.eventId < b.eventId ? -1 : 1;
  const sorted = [...entries].sort(
    (a, b) =>
      group(a) - group(b) || (b.roi ?? 0) - (a.roi ?? 0) || (b.value ?? 0) - (a.value ?? 0) || byName(a, b),
  );
  let rank = 0;
  return sorted.map((e) => ({ ...e, rank: group(e) === 0 ? ++rank : null }));
}
