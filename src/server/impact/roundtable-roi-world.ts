import type { Database } from "../../db/client.ts";
import { DAY, uid, World } from "../movement/test-world.ts";

/** The roundtable of the worked example below (fixed id). */
export const ROUNDTABLE_ROI_EVENT = uid(9, 1);

/**
 * Worked example of a roundtable's ROI (tests only): six attending enterprise accounts and six that stayed away, one
 * deal each, all in discovery since 30 days before the roundtable, amount 3,650,000 minor. Attending deals reach
 * evaluation on day 10, the others on day 50. Daily value of a deal = 3,650,000 × 0.2 (discovery) / 365 = 2,000 minor.
 *   within 30 days: 10 vs 30 (censored) → 20 days saved × 2,000 × 6 deals = 240,000
 *   within 90 or more: 10 vs 50 → 40 days saved × 2,000 × 6 = 480,000
 * Every matched set is alike, so the bootstrap interval is that one value and excludes 0: the value counts.
 */
export async function insertRoundtableRoiWorld(db: Database, orgId: string, startsAt: Date): Promise<string> {
  const at = (days: number) => new Date(startsAt.getTime() + days * DAY);
  const w = new World(db, orgId);
  await w.event(ROUNDTABLE_ROI_EVENT, "executive_roundtable", startsAt);
  for (let n = 1; n <= 12; n++) {
    const attends = n <= 6;
    await w.account(uid(1, n), "enterprise");
    await w.person(uid(2, n), { accountId: uid(1, n), role: "economic_buyer" });
    if (attends) await w.attend(ROUNDTABLE_ROI_EVENT, uid(2, n), startsAt);
    await w.opportunity(
      uid(3, n),
      uid(1, n),
      [
        ["discovery", at(-30)],
        ["evaluation", at(attends ? 10 : 50)],
      ],
      { amountMinor: 3_650_000 },
    );
  }
  return ROUNDTABLE_ROI_EVENT;
}
