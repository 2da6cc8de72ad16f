/** What a kiosk syncs to refuse cancelled tickets while offline. */
export interface RevocationList {
  eventId: string;
  /** When the list was built; a kiosk shows how old its copy is. */
  asOf: string;
  ticketIds: string[];
}

/** Builds the list from revoked ticket ids (sorted, deduplicated, so two builds of the same state are equal). */
export function buildRevocationList(
  eventId: string,
  revokedIds: Iterable<string>,
  asOf: Date,
): RevocationList {
  return { eventId, asOf: asOf.toISOString(), ticketIds: [...new Set(revokedIds)].sort() };
}

/** A membership test over a list, for verifyToken's isRevoked. */
export function revokedChecker(list: RevocationList): (ticketId: string) => boolean {
  const set = new Set(list.ticketIds);
  return (id) => set.has(id);
}
