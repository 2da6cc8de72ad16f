// Who follows up a lead: the account's owner when there is one; otherwise the reps of the account's territory take
// turns. Deterministic: the same leads in the same order always land with the same reps.

/** A rep who can own leads. */
export interface RoutingRep {
  id: string;
  name: string;
  territory: string | null;
}

export interface RoutingInput {
  /** Owner of the lead's account, if any and still active. */
  accountOwnerId: string | null;
  /** Territory of the lead's account. */
  territory: string | null;
  /** Active reps of the organization. */
  reps: RoutingRep[];
  /** Leads each rep already owns at this event (missing = 0). */
  load: ReadonlyMap<string, number>;
}

export type RoutingReason = "account_owner" | "territory_round_robin" | "round_robin" | "unrouted";

export interface Routing {
  ownerUserId: string | null;
  reason: RoutingReason;
}

/**
 * Routes a lead. Round-robin takes the rep with the fewest leads at the event, ties by name then id; as each lead
 * raises its owner's count, a run of leads cycles through the reps in order (A, B, C, A, …). With no rep in the
 * territory (or no territory) every rep of the organization is in the pool.
 */
export function routeLead(input: RoutingInput): Routing {
  if (input.accountOwnerId) return { ownerUserId: input.accountOwnerId, reason: "account_owner" };
  const territory = input.territory?.trim().toLowerCase() || null;
  const local = territory ? input.reps.filter((r) => r.territory?.trim().toLowerCase() === territory) : [];
  const pool = local.length > 0 ? local : input.reps;
  if (pool.length === 0) return { ownerUserId: null, reason: "unrouted" };
  const sorted = [...pool].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  let best = sorted[0]!;
  for (const rep of sorted) if ((input.load.get(rep.id) ?? 0) < (input.load.get(best.id) ?? 0)) best = rep;
  return { ownerUserId: best.id, reason: local.length > 0 ? "territory_round_robin" : "round_robin" };
}
