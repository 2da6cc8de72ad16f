import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { wonRevenueByAccount } from "../../demo/deals.ts";
import { type Effects, resolveEffects } from "../../demo/effects.ts";
import { loadDemo, planDemo } from "../../demo/load-demo.ts";
import type { ScaleSpec } from "../../demo/scale.ts";
import { offlineWonRevenueShare } from "./offline-share.ts";

/**
 * The demo organization at its own scale (small), with the default share and with one passed as an override: the
 * product's analytic, reading the loaded database, recovers the planted share of won revenue whose journey holds an
 * offline touch within 2 percentage points (docs/demo-world.md, `offline_won_revenue_share`).
 *
 * The worlds are loaded without the volumes that do not decide who wins what (marketing touches, product usage,
 * tickets, webinars, CME): accounts, partners, lead slots and deal rates stay those of scale small, so every deal,
 * every won amount and every account's class are those of the small demo at the same seed (checked below against
 * the plan of the full world), at a fifth of the rows. Other seeds are checked on the plan in src/demo/effects.test.ts.
 */
const NOW = new Date("2025-06-01T00:00:00Z");
const LEAN: Partial<ScaleSpec> = {
  onlineTouchesPerPersonYear: 1,
  webinarsPerPersonYear: 0,
  coreUsesPerUserYear: 0,
  ticketsPerTopicYear: 0,
  cmeLearners: 0,
  cmeActivities: 0,
};
const CASES: { seed: number; effects: Partial<Effects> }[] = [
  { seed: 1, effects: {} },
  { seed: 2, effects: { offline_won_revenue_share: 0.35 } },
];
const TOLERANCE = 0.02;

/** The share of won revenue the plan gives field accounts, in the small demo with all its volumes. */
function plannedShare(seed: number, effects: Partial<Effects>): number {
  const world = planDemo({ seed, scale: "small", effects, now: NOW });
  const won = wonRevenueByAccount(world);
  let total = 0;
  let field = 0;
  for (let a = 0; a < world.accounts.n; a++) {
    total += won[a]!;
    if (world.accounts.field[a]) field += won[a]!;
  }
  return field / total;
}

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
      const { orgId } = await loadDemo(db, { seed, scale: "small", sizes: LEAN, effects, now: NOW, orgSlug });
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
      const full = plannedShare(seed, effects);
      console.log(
        `seed ${seed}: offline won-revenue share ${ours.share!.toFixed(4)} (plain SQL ${(plain!.offline / plain!.total).toFixed(4)}, ` +
          `planned for the full small world ${full.toFixed(4)}), planted ${planted}, ${ours.wonDeals} won deals`,
      );
      expect(ours.wonDeals).toBe(plain!.deals);
      expect(ours.wonRevenue).toBe(plain!.total);
      expect(Math.abs(ours.share! - planted)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(plain!.offline / plain!.total - planted)).toBeLessThanOrEqual(TOLERANCE);
      // The lean load holds the very revenue split of the small demo at this seed.
      expect(ours.share!).toBeCloseTo(full, 9);
    }, 120_000);
  }
});
