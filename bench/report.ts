/**
 * Report for one event from the database, on the demo organization.
 *
 *   npx tsx bench/report.ts [small|medium|large] [--seed n] [--runs n] [--full] [--org slug] [--now yyyy-mm-dd]
 *
 * With DATABASE_URL set (eval "$(bash scripts/start-postgres.sh)") it runs on that PostgreSQL server and reuses a
 * demo organization already loaded there (slug bench-<scale>-<seed>, or --org: e.g. a world bench/demo.ts kept with
 * --keep, with its --now); otherwise on an in-memory PGlite. It times
 * the impact report of the three events that touched the most accounts (median of --runs), and with --full (or on
 * small) also the full journey read, attribution with every model, and the portfolio. Prints figures only.
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { type Database, openDatabase, rows } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { loadDemo } from "../src/demo/load-demo.ts";
import { resampleThreads, startResampleThreads } from "../src/server/compute/resample-threads.ts";
import { attributionFromDatabase } from "../src/server/impact/attribution-service.ts";
import { eventImpact } from "../src/server/impact/event-impact.ts";
import { loadDeals } from "../src/server/impact/load-deals.ts";
import { portfolio } from "../src/server/impact/portfolio.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const scale = (args.find((a) => !a.startsWith("--") && ["small", "medium", "large"].includes(a)) ??
  "small") as "small" | "medium" | "large";
const seed = Number(flag("seed", "7"));
const runs = Number(flag("runs", "3"));
const full = args.includes("--full") || scale === "small";
/** A fixed end of history, so runs are comparable. */
const now = new Date(`${flag("now", "2025-06-01")}T00:00:00Z`);

const ms = (t: number) => `${Math.round(t).toLocaleString("en-US")} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");

async function openBenchDatabase(): Promise<{ db: Database; orgId: string }> {
  const url = process.env.DATABASE_URL;
  const db = await openDatabase(
    url ? { databaseUrl: url, appDatabaseUrl: process.env.DATABASE_APP_URL } : { dataDir: "memory://" },
  );
  await migrate(db);
  const slug = flag("org", `bench-${scale}-${seed}`);
  const [existing] = await rows<{ id: string }>(
    db.owner,
    sql`select id::text from organizations where slug = ${slug}`,
  );
  if (existing) {
    const [n] = await rows<{ n: number }>(
      db.owner,
      sql`select count(*)::int as n from events where org_id = ${existing.id}`,
    );
    if (!n?.n) {
      throw new Error(
        `organization ${slug} is only partly loaded (an interrupted run?): remove it and run again`,
      );
    }
    console.log(`demo ${scale} (seed ${seed}) already loaded as ${slug}`);
    return { db, orgId: existing.id };
  }
  const t = performance.now();
  const demo = await loadDemo(db, { seed, scale, now, orgSlug: slug });
  console.log(
    `loaded demo ${scale} (seed ${seed}) in ${ms(performance.now() - t)}: ` +
      `${demo.counts.touchpoints?.toLocaleString("en-US")} touchpoints, ` +
      `${demo.counts.opportunities?.toLocaleString("en-US")} opportunities`,
  );
  return { db, orgId: demo.orgId };
}

const { db, orgId } = await openBenchDatabase();
// Bootstrap intervals (roundtable movement) shared with worker threads, as the server runs them.
await startResampleThreads();
console.log(
  `database: ${db.kind}; load average ${load()} (2 cores); resample worker threads: ${resampleThreads()}`,
);

const events = await db.withOrg(orgId, (tx) =>
  rows<{ id: string; name: string; accounts: number }>(
    tx,
    sql`select e.id::text, e.name, count(distinct coalesce(t.account_id, p.account_id))::int as accounts
        from events e
        join touchpoints t on t.org_id = e.org_id and t.event_id = e.id
        left join people p on p.org_id = t.org_id and p.id = t.person_id
        where e.org_id = ${orgId} and e.ends_at < ${now.toISOString()}
        group by e.id, e.name order by accounts desc, e.id limit 3`,
  ),
);

// Besides the three largest, the event of median reach of each type: what a report usually costs.
const typical = await db.withOrg(orgId, (tx) =>
  rows<{ id: string; name: string; accounts: number }>(
    tx,
    sql`select distinct on (type) id, name, accounts from (
          select e.id::text, e.name, e.type, count(distinct coalesce(t.account_id, p.account_id))::int as accounts,
                 percent_rank() over (partition by e.type
                   order by count(distinct coalesce(t.account_id, p.account_id))) as r
          from events e
          join touchpoints t on t.org_id = e.org_id and t.event_id = e.id
          left join people p on p.org_id = t.org_id and p.id = t.person_id
          where e.org_id = ${orgId} and e.ends_at < ${now.toISOString()}
          group by e.id, e.name, e.type) x
        where accounts > 0
        order by type, abs(r - 0.5), id`,
  ),
);

console.log("\nevent report (focused read; default model linear, per-journey models in byModel)");
for (const e of [...events, ...typical.filter((t) => !events.some((x) => x.id === t.id))]) {
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof eventImpact>> | undefined;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    last = await eventImpact(db, orgId, e.id, { now });
    times.push(performance.now() - t);
  }
  const c = last!.computed;
  const h = last!.roi.find((p) => p.horizon === last!.headlineHorizon)!;
  console.log(
    `  ${e.name} (${e.accounts} accounts): median ${ms(median(times))} of ${runs} (${times.map((x) => Math.round(x)).join(", ")}) ` +
      `[read ${ms(c.loadMs)}; ${c.deals.toLocaleString("en-US")} deals, ${c.touches.toLocaleString("en-US")} journey touches]; ` +
      `ROI at ${h.horizon} d: ${h.roi === null ? h.reason : h.roi.toFixed(2)}`,
  );
}

if (full) {
  console.log("\nwhole organization");
  for (const scope of ["account", "person"] as const) {
    const t = performance.now();
    const { info } = await db.withOrg(orgId, (tx) => loadDeals(tx, orgId, { scope }));
    const s = info.steps;
    console.log(
      `  journey read (${scope}): ${ms(performance.now() - t)} — ${info.deals.toLocaleString("en-US")} deals, ` +
        `${info.touches.toLocaleString("en-US")} journey touches [opportunities ${ms(s.opportunities)}, ` +
        `histories and touches ${ms(s.touches)}, build ${ms(s.build)}]`,
    );
  }
  let t = performance.now();
  const a = await attributionFromDatabase(db, orgId, {
    models: "all",
    by: "event",
    scope: "account",
    onlineOnly: false,
    now,
  });
  console.log(
    `  attribution, all ten models, influenced and sourced, by event: ${ms(performance.now() - t)} (${a.journeys.won} won deals)`,
  );
  t = performance.now();
  const p = await portfolio(db, orgId, { now });
  console.log(
    `  portfolio (${p.events.length} events at their headline horizon): ${ms(performance.now() - t)}`,
  );
}
console.log(`\nload average after: ${load()}`);
await db.close();
