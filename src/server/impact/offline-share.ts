import { FLAG_ONLINE } from "../../core/attribution/journey-table.ts";
import { dealJourneyTable } from "../../core/roi/index.ts";
import type { Database } from "../../db/client.ts";
import { type JourneyScope, loadDeals } from "./load-deals.ts";

/**
 * The share of won revenue whose journey (touches up to the close, within the lookback before creation) holds at
 * least one offline touch: the revenue a digital-only view is blind to at least in part. Money in minor units.
 */
export async function offlineWonRevenueShare(
  db: Database,
  orgId: string,
  options: { now: Date; scope?: JourneyScope; lookbackDays?: number },
): Promise<{ wonRevenue: number; withOffline: number; share: number | null; wonDeals: number }> {
  const { deals } = await db.withOrg(orgId, (tx) =>
    loadDeals(tx, orgId, { scope: options.scope ?? "account", lookbackDays: options.lookbackDays }),
  );
  const { table } = dealJourneyTable(deals, { asOf: options.now.getTime(), outcome: "won" });
  let wonRevenue = 0;
  let withOffline = 0;
  let wonDeals = 0;
  for (let j = 0; j < table.journeyCount; j++) {
    if (table.conversions[j] === 0) continue;
    wonDeals++;
    wonRevenue += table.value[j]!;
    for (let t = table.offsets[j]!; t < table.offsets[j + 1]!; t++) {
      if (!(table.touchFlags![t]! & FLAG_ONLINE)) {
        withOffline += table.value[j]!;
        break;
      }
    }
  }
  return { wonRevenue, withOffline, share: wonRevenue > 0 ? withOffline / wonRevenue : null, wonDeals };
}
