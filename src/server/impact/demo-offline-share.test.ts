import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { type Effects, resolveEffects } from "../../demo/effects.ts";
import { loadDemo } from "../../demo/load-demo.ts";
import { offlineWonRevenueShare } from "./offline-share.ts";

/**
 * The demo organization at its own scale (small), at several seeds, with the default share and with one passed as an
 * override: the product's analytic, reading the loaded database, recovers the planted share of won revenue whose
 * journey holds an offline touch within 2 percentage points (docs/demo-world.md, `offline_won_revenue_share`).
 */
const NOW = new Date("2025-06-01T00:00:00Z");
const CASES: { seed: number; effects: Partial<Effects> }[] = [
  { seed: 1, effects: {} },
  { seed: 2, effects: {} },
  { seed: 3, effects: {} },
  { seed: 2, effects: { offline_won_revenue_share: 0.35 } },
];
const TOLERANCE = 0.02;

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe("offline share of won revenue on the demo organization", () => {
  for (const { seed, effects } of CASES) {
    const planted = resolveEffects(effects).offline_won_revenue_share;
    it(`recovers the planted ${planted} within 2 points at seed ${seed}`, async () => {
      const orgSlug = `offline-${seed}-${Math.round(planted * 100)}`;
      const { orgId } = await loadDemo(db, { seed, scale: "small", effects, now: NOW, orgSlug });
      const ours = await offlineWonRevenueShare(db, orgId, { now: NOW });

      // The same quantity in plain SQL, as docs/demo-world.md words it: Σ amount of won opportunities whose account
      // has a touchpoint with online = false at or before the close / Σ amount of all won opportunities.
      const [plain] = await rows<{ deals: number; total: number; offline: number }>(
        db.owner,
        sql`select count(*)::int as deals, sum(o.amount_minor)::float8 as total,
              coalesce(sum(o.amount_minor) filter (where exists (select 1 from touchpoints t
                where t.org_id = o.org_id and t.account_id = o.account_id and not t.online
                  and t.occurred_at <= o.closed_at)), 0)::float8 as offline
            from opportunities o where o.org_id = ${orgId} and o.is_won and o.closed_at <= ${NOW.toISOString()}`,
      );
      console.log(
        `seed ${seed}: offline won-revenue share ${ours.share!.toFixed(4)} (plain SQL ${(plain!.offline / plain!.total).toFixed(4)}), ` +
          `planted ${planted}, ${ours.wonDeals} won deals`,
      );
      expect(ours.wonDeals).toBe(plain!.deals);
      expect(ours.wonRevenue).toBe(plain!.total);
      expect(Math.abs(ours.share! - planted)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(plain!.offline / plain!.total - planted)).toBeLessThanOrEqual(TOLERANCE);
    }, 240_000);
  }
});
