import type { Commitment } from "./model.ts";
import { byString, ratio } from "./stats.ts";

export interface CommitmentSummary {
  total: number;
  /** Commitments whose follow-up was answered (fully + partly + not): the denominator of every share. */
  followedUp: number;
  fully: number;
  partly: number;
  not: number;
  noResponse: number;
  /** (fully + partly) / followedUp. */
  implementedShare: number | null;
  /** fully / followedUp. */
  fullyShare: number | null;
  /** Barriers named in follow-ups, most frequent first. */
  barriers: { barrier: string; count: number }[];
}

/** Share of commitments to change implemented fully, partly or not, with the barriers learners named. */
export function commitmentSummary(commitments: readonly Commitment[]): CommitmentSummary {
  let fully = 0;
  let partly = 0;
  let not = 0;
  let noResponse = 0;
  const barriers = new Map<string, number>();
  for (const c of commitments) {
    if (c.status === "fully") fully += 1;
    else if (c.status === "partly") partly += 1;
    else if (c.status === "not") not += 1;
    else noResponse += 1;
    // A barrier repeated inside one follow-up is one barrier.
    for (const b of new Set(c.barriers ?? [])) barriers.set(b, (barriers.get(b) ?? 0) + 1);
  }
  const followedUp = fully + partly + not;
  return {
    total: commitments.length,
    followedUp,
    fully,
    partly,
    not,
    noResponse,
    implementedShare: ratio(fully + partly, followedUp),
    fullyShare: ratio(fully, followedUp),
    barriers: [...barriers]
      .map(([barrier, count]) => ({ barrier, count }))
      .sort((a, b) => b.count - a.count || byString(a.barrier, b.barrier)),
  };
}
