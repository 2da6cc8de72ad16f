import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { DEFAULT_EFFECTS } from "../../demo/effects.ts";
import { loadDemo } from "../../demo/load-demo.ts";
import type { ScaleSpec } from "../../demo/scale.ts";
import { offlineWonRevenueShare } from "./offline-share.ts";

/** A small world with many deals and few marketing touches, so it loads in seconds (as the demo's own test does). */
const WORLD: Partial<ScaleSpec> = {
  accounts: 1500,
  partners: 40,
  cmeLearners: 30,
  reps: 40,
  trainings: 2,
  cmeActivities: 1,
  oppRateScale: 3,
  onlineTouchesPerPersonYear: 2,
  offlineTouchesPerFieldAccountYear: 1,
  webinarsPerPersonYear: 0.1,
  inPersonPerPersonYear: 0.05,
  coreUsesPerUserYear: 0,
  ticketsPerTopicYear: 0.2,
};
const NOW = new Date("2025-06-01T00:00:00Z");

let db: Database;
let orgId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  ({ orgId } = await loadDemo(db, { seed: 11, scale: "small", sizes: WORLD, now: NOW }));
}, 240_000);
afterAll(async () => {
  await db?.close();
});

describe("offline share of won revenue on the demo organization", () => {
  it("recovers the planted share from the account journeys", async () => {
    const ours = await offlineWonRevenueShare(db, orgId, { now: NOW });
    // docs/demo-world.md: Σ amount of won opportunities whose account has a touchpoint with online = false at or
    // before the close / Σ amount of all won opportunities; and its standard error over accounts.
    const perAccount = await rows<{ total: number; offline: number }>(
      db.owner,
      sql`select sum(o.amount_minor)::float8 as total,
            coalesce(sum(o.amount_minor) filter (where exists (select 1 from touchpoints t
              where t.org_id = o.org_id and t.account_id = o.account_id and not t.online
                and t.occurred_at <= o.closed_at)), 0)::float8 as offline
          from opportunities o where o.org_id = ${orgId} and o.is_won group by o.account_id`,
    );
    const total = perAccount.reduce((s, a) => s + a.total, 0);
    const realised = perAccount.reduce((s, a) => s + a.offline, 0) / total;
    const se = Math.sqrt(perAccount.reduce((s, a) => s + (a.offline - realised * a.total) ** 2, 0)) / total;
    const planted = DEFAULT_EFFECTS.offline_won_revenue_share;
    expect(ours.wonRevenue).toBeCloseTo(total, 0);
    // The service reads the same quantity through journeys (lookback and scope rules): within 2 points of the
    // world's realised share, and that share within its own sampling error of the planted parameter.
    expect(Math.abs(ours.share! - realised)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(ours.share! - planted)).toBeLessThanOrEqual(Math.max(0.02, 4 * se));
    console.log(
      `offline won-revenue share: ours ${ours.share!.toFixed(4)}, realised ${realised.toFixed(4)} ± ${se.toFixed(4)}, ` +
        `planted ${planted} (${ours.wonDeals} won deals)`,
    );
  });
});
