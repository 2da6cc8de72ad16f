import { sql } from "drizzle-orm";
import type { ModelSettings } from "../../core/attribution/models.ts";
import { runAttribution } from "../../core/attribution/run-attribution.ts";
import type { AttributionResult, KeyBy } from "../../core/attribution/types.ts";
import { AppError } from "../../core/errors.ts";
import { dealJourneyTable, dealStateAsOf } from "../../core/roi/index.ts";
import { type Database, rows } from "../../db/client.ts";
import { dataWarnings } from "./event-impact.ts";
import { type JourneyScope, loadDeals } from "./load-deals.ts";

export interface AttributionQuery {
  /** "all", or a comma list of model names. */
  models: string;
  by: KeyBy;
  scope: JourneyScope;
  /** ISO dates (YYYY-MM-DD), inclusive, on the close date: only deals closed in the period take part. */
  from?: string | undefined;
  to?: string | undefined;
  onlineOnly: boolean;
  lookbackDays?: number | undefined;
  settings?: ModelSettings;
  now: Date;
}

/** Attribution over the organization's deals: influenced and sourced touches credited apart. */
export interface DatabaseAttribution {
  asOf: string;
  scope: JourneyScope;
  by: KeyBy;
  from: string | null;
  to: string | null;
  onlineOnly: boolean;
  lookbackDays: number;
  journeys: { deals: number; won: number; lost: number; open: number; touches: number };
  /** Won revenue credited over touches up to each deal's close. */
  influenced: Record<string, AttributionResult>;
  /** Won revenue credited over touches up to each deal's creation only. */
  sourced: Record<string, AttributionResult>;
  /** Names of the keys when they are ids (by event: event names). */
  labels: Record<string, string>;
  warnings: string[];
}

/**
 * Runs attribution models over journeys built from the database: won deals convert (value = amount, at their
 * close), open and lost ones are non-converting journeys. With a period (close date), only deals closed in it take
 * part and open ones are left out. Money is in minor units.
 */
export async function attributionFromDatabase(
  db: Database,
  orgId: string,
  query: AttributionQuery,
): Promise<DatabaseAttribution> {
  const lookbackDays = query.lookbackDays ?? 365;
  const closedFrom = query.from ? new Date(`${query.from}T00:00:00.000Z`) : undefined;
  const closedTo = query.to ? new Date(`${query.to}T23:59:59.999Z`) : undefined;
  if (closedFrom && closedTo && closedFrom > closedTo) {
    throw new AppError("validation", `from (${query.from}) is after to (${query.to})`, "from");
  }
  const { deals, info, labels } = await db.withOrg(orgId, async (tx) => {
    const loaded = await loadDeals(tx, orgId, { scope: query.scope, lookbackDays, closedFrom, closedTo });
    const names: Record<string, string> = {};
    if (query.by === "event") {
      const list = await rows<{ id: string; name: string }>(
        tx,
        sql`select id::text, name from events where org_id = ${orgId} order by id`,
      );
      for (const e of list) names[e.id] = e.name;
    }
    return { ...loaded, labels: names };
  });
  const asOf = query.now.getTime();
  const counts = { deals: deals.count, won: 0, lost: 0, open: 0, touches: info.touches };
  for (let i = 0; i < deals.count; i++) {
    const state = dealStateAsOf(deals, i, asOf);
    if (state === "won") counts.won++;
    else if (state === "lost") counts.lost++;
    else if (state === "open") counts.open++;
  }
  const run = (window: "influenced" | "sourced") => {
    const { table } = dealJourneyTable(deals, {
      asOf,
      window,
      outcome: "won",
      keyBy: query.by,
      onlineOnly: query.onlineOnly,
      lookbackDays,
    });
    return runAttribution(table, query.models, query.settings ?? {});
  };
  return {
    asOf: query.now.toISOString(),
    scope: query.scope,
    by: query.by,
    from: query.from ?? null,
    to: query.to ?? null,
    onlineOnly: query.onlineOnly,
    lookbackDays,
    journeys: counts,
    influenced: run("influenced"),
    sourced: run("sourced"),
    labels,
    warnings: dataWarnings(info, []),
  };
}
