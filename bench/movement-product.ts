/**
 * Benchmark: the product's own roundtable movement path on 1M opportunities with 6M stage changes, from the database.
 *
 *   npx tsx bench/movement-product.ts [--opportunities 1000000] [--driver pglite|postgres|both] [--resamples 2000]
 *     [--keep]   (PostgreSQL: keep the database, to study its plans; drop it yourself)
 *     [--database <name>]   (PostgreSQL: time again on a database kept by an earlier run with the same size)
 *     [--threads N]   (resample worker threads, as the server starts them by default; 0: the calling thread alone)
 *
 * It creates its own database (PGlite in memory; on PostgreSQL a fresh database on DATABASE_URL's server, dropped at
 * the end), loads one organization with COPY — accounts (5 opportunities each), opportunities with 6 stage changes
 * on average, one executive roundtable attended by a person of 5% of the accounts — and times
 * `roundtableMovement` (GET /api/events/{id}/movement): loading the opportunities around the event with their
 * histories, then the matched-control velocity comparison with bootstrap intervals, days saved, velocity lift,
 * stalls, activation and coverage. Planted: after the event, attendees' deals move 25% faster (hazard × 1.25).
 * Baselines in the same run: one SQL pass counting the stage changes in scope, and the core engine on typed arrays
 * built from the same generator (bench/movement.ts's path). Target: the product path under 10 s.
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import pg from "pg";
import { compareVelocity } from "../src/core/movement/compare-velocity.ts";
import { DAY_MS, measureMovementColumns } from "../src/core/movement/measure-movement.ts";
import { createRng } from "../src/core/stats/prng.ts";
import { type Database, openDatabase, rows } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { resampleThreads, startResampleThreads } from "../src/server/compute/resample-threads.ts";
import { analyzeRoundtableTable, roundtableMovement } from "../src/server/movement/roundtable-movement.ts";
import {
  loadAccountTouches,
  loadAttendingAccounts,
  loadOpportunityTable,
} from "../src/server/movement/roundtable-queries.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const N = Number(flag("opportunities", "1000000"));
const RESAMPLES = Number(flag("resamples", "2000"));
const DRIVER = flag("driver", process.env.DATABASE_URL ? "both" : "pglite");
const KEEP = args.includes("--keep");
/** A database kept by an earlier run with the same --opportunities (PostgreSQL only): skip creating and loading. */
const REUSE = args.includes("--database") ? flag("database", "") : undefined;
const PER_ACCOUNT = 5;
const ACCOUNTS = Math.ceil(N / PER_ACCOUNT);
const EVENT = Date.UTC(2024, 5, 1, 17);
const AS_OF = new Date(EVENT + 120 * DAY_MS);
const STAGES = [
  "prospect",
  "discovery",
  "evaluation",
  "proposal",
  "negotiation",
  "closed_won",
  "closed_lost",
];
const TERMINAL = Uint8Array.from([0, 0, 0, 0, 0, 1, 1]);
const SPEEDUP = 1.25;
const SEGMENTS = ["smb", "mid_market", "enterprise", "strategic"];

const id = (tag: number, n: number) =>
  `00000000-0000-4000-8${tag.toString(16).padStart(3, "0")}-${n.toString(16).padStart(12, "0")}`;
const EVENT_ID = id(9, 1);

/** The world in columns: the same draws feed the database rows and the typed-array baseline. */
function generate() {
  const rng = createRng(1);
  const counts = new Int32Array(N);
  for (let i = 0; i < N; i += 2) {
    const delta = rng.int(9) - 4;
    counts[i] = 6 + delta;
    if (i + 1 < N) counts[i + 1] = 6 - delta;
    else counts[i] = 6;
  }
  const offsets = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) offsets[i + 1] = offsets[i]! + counts[i]!;
  const total = offsets[N]!;
  const stage = new Uint8Array(total);
  const enteredAtMs = new Float64Array(total);
  const accountSegment = new Uint8Array(ACCOUNTS);
  const attending = new Uint8Array(ACCOUNTS);
  for (let a = 0; a < ACCOUNTS; a++) {
    accountSegment[a] = rng.int(4);
    attending[a] = rng.next() < 0.05 ? 1 : 0;
  }
  const amount = new Float64Array(N);
  const treated = new Uint8Array(N);
  const segment = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const account = Math.floor(i / PER_ACCOUNT);
    const seg = accountSegment[account]!;
    segment[i] = seg;
    treated[i] = attending[account]!;
    amount[i] = Math.round(Math.exp(9 + 0.6 * seg + rng.normal())) * 100;
    const meanGapDays = 30 * (1 + 0.25 * seg);
    let t = EVENT - (rng.next() * 350 - 20) * DAY_MS;
    let s = rng.int(2);
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      if (e > offsets[i]!) {
        const next = t + rng.exponential(1 / meanGapDays) * DAY_MS;
        if (treated[i] && next > EVENT) t = Math.max(t, EVENT) + (next - Math.max(t, EVENT)) / SPEEDUP;
        else t = next;
        if (e === offsets[i + 1]! - 1 && rng.next() < 0.45) s = rng.next() < 0.4 ? 5 : 6;
        else s = rng.next() < 0.85 ? Math.min(s + 1, 4) : Math.max(s - 1, 0);
      }
      stage[e] = s;
      enteredAtMs[e] = Math.round(t);
    }
  }
  return { offsets, stage, enteredAtMs, accountSegment, attending, amount, treated, segment, total };
}
type World = ReturnType<typeof generate>;

const iso = (ms: number) => new Date(ms).toISOString();

/** CSV batches of `size` rows from a row writer. */
function* batches(count: number, size: number, line: (i: number) => string): Generator<string> {
  for (let from = 0; from < count; from += size) {
    const parts: string[] = [];
    for (let i = from; i < Math.min(count, from + size); i++) parts.push(line(i));
    yield `${parts.join("\n")}\n`;
  }
}

async function load(db: Database, w: World): Promise<string> {
  const [org] = await rows<{ id: string }>(
    db.owner,
    sql`insert into organizations (name, slug) values ('Movement bench', ${`movement-bench-${Date.now()}`}) returning id`,
  );
  const orgId = org!.id;
  await db.owner.execute(sql`insert into events (org_id, id, name, slug, type, format, status, starts_at, ends_at, time_zone)
      values (${orgId}, ${EVENT_ID}, 'Bench roundtable', 'bench-roundtable', 'executive_roundtable', 'strategic', 'completed',
              ${iso(EVENT)}::timestamptz, ${iso(EVENT + 3 * 3_600_000)}::timestamptz, 'UTC')`);
  const copy = async (table: string, columns: string[], count: number, line: (i: number) => string) => {
    for (const csv of batches(count, 250_000, line)) await db.copyIn(table, columns, csv);
  };
  await copy("accounts", ["org_id", "id", "name", "segment"], ACCOUNTS, (a) =>
    [orgId, id(1, a), `Account ${a}`, SEGMENTS[w.accountSegment[a]!]].join(","),
  );
  const attendingAccounts: number[] = [];
  for (let a = 0; a < ACCOUNTS; a++) if (w.attending[a]) attendingAccounts.push(a);
  await copy(
    "people",
    ["org_id", "id", "account_id", "email", "buying_role"],
    attendingAccounts.length,
    (j) => {
      const a = attendingAccounts[j]!;
      return [orgId, id(2, a), id(1, a), `p${a}@bench.test`, "champion"].join(",");
    },
  );
  await copy(
    "registrations",
    ["org_id", "event_id", "person_id", "status", "source", "attended"],
    attendingAccounts.length,
    (j) => [orgId, EVENT_ID, id(2, attendingAccounts[j]!), "registered", "bench", "true"].join(","),
  );
  await copy(
    "opportunities",
    ["org_id", "id", "account_id", "name", "amount_minor", "stage", "opened_at", "closed_at", "is_won"],
    N,
    (i) => {
      const from = w.offsets[i]!;
      const to = w.offsets[i + 1]!;
      const opened = to > from ? w.enteredAtMs[from]! : EVENT - 400 * DAY_MS;
      const last = to > from ? w.stage[to - 1]! : 0;
      const closed = TERMINAL[last] === 1;
      return [
        orgId,
        id(3, i),
        id(1, Math.floor(i / PER_ACCOUNT)),
        `Deal ${i}`,
        w.amount[i],
        STAGES[last],
        iso(opened),
        closed ? iso(w.enteredAtMs[to - 1]!) : "",
        closed ? String(last === 5) : "",
      ].join(",");
    },
  );
  // Stage changes, batch by batch of opportunities.
  const oppsPerBatch = 50_000;
  for (let from = 0; from < N; from += oppsPerBatch) {
    const parts: string[] = [];
    for (let i = from; i < Math.min(N, from + oppsPerBatch); i++) {
      const opp = id(3, i);
      for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++)
        parts.push(
          `${orgId},${opp},${e > w.offsets[i]! ? STAGES[w.stage[e - 1]!] : ""},${STAGES[w.stage[e]!]},${iso(w.enteredAtMs[e]!)}`,
        );
    }
    await db.copyIn(
      "stage_changes",
      ["org_id", "opportunity_id", "from_stage", "to_stage", "changed_at"],
      `${parts.join("\n")}\n`,
    );
  }
  await db.owner.execute(sql`analyze`);
  return orgId;
}

/** The core engine on typed arrays, as bench/movement.ts times it (no database, no objects). */
function engineOnArrays(w: World): number {
  const t0 = performance.now();
  const movement = measureMovementColumns(
    { offsets: w.offsets, stage: w.stage, enteredAtMs: w.enteredAtMs },
    { eventAtMs: EVENT, asOfMs: AS_OF.getTime(), terminal: TERMINAL },
  );
  const r = compareVelocity(
    {
      movement,
      treated: w.treated,
      exact: [w.segment, movement.stageAtEvent],
      numeric: [w.amount.map((a) => Math.log1p(a / 100)), movement.ageAtEventDays],
    },
    { k: 1, resamples: RESAMPLES, seed: 1 },
  );
  if (r.status !== "compared") throw new Error(r.message);
  return performance.now() - t0;
}

const ms = (x: number) => `${Math.round(x).toLocaleString("en-US")} ms`;
const load1 = () => loadavg()[0]!.toFixed(1);
const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? "n/a" : x.toFixed(d));
const ci = (c: [number, number] | null | undefined) => (c ? `[${fmt(c[0])}, ${fmt(c[1])}]` : "n/a");

async function run(driver: "pglite" | "postgres", w: World, engineMs: number): Promise<void> {
  let db: Database;
  let drop = async () => {};
  if (driver === "postgres") {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error("DATABASE_URL is required for --driver postgres");
    const name = REUSE ?? `movement_bench_${process.pid}_${Date.now()}`;
    if (!REUSE) {
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
    }
    const url = new URL(base);
    url.pathname = `/${name}`;
    db = await openDatabase({ databaseUrl: url.toString() });
    drop = async () => {
      if (KEEP || REUSE) return console.log(`kept database ${name}: drop it when done`);
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
    console.log(`\n== postgres: database ${name} on ${url.host}`);
  } else {
    db = await openDatabase({ dataDir: "memory://" });
    console.log("\n== pglite (in memory)");
  }
  try {
    let t0 = performance.now();
    let orgId: string;
    if (REUSE) {
      const [org] = await rows<{ id: string }>(
        db.owner,
        sql`select id from organizations where slug like 'movement-bench-%' order by created_at desc limit 1`,
      );
      if (!org) throw new Error(`no bench organization in database ${REUSE}`);
      orgId = org.id;
    } else {
      await migrate(db);
      orgId = await load(db, w);
    }
    console.log(
      `${REUSE ? "reused" : "loaded"} ${N.toLocaleString()} opportunities, ${w.total.toLocaleString()} stage changes in ${ms(performance.now() - t0)}`,
    );

    // Baseline: one SQL pass over the stage changes in the comparison's scope.
    t0 = performance.now();
    const [scan] = await db.withOrg(orgId, (tx) =>
      rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from stage_changes where org_id = ${orgId} and changed_at <= ${AS_OF.toISOString()}::timestamptz`,
      ),
    );
    const scanMs = performance.now() - t0;

    // Where the time goes: the loads, then the analysis over loaded rows.
    t0 = performance.now();
    const loaded = await db.withOrg(orgId, async (tx) => {
      const event = {
        id: EVENT_ID,
        name: "Bench roundtable",
        type: "executive_roundtable",
        startsAt: new Date(EVENT),
        endsAt: new Date(EVENT + 3 * 3_600_000),
      };
      const opportunities = await loadOpportunityTable(tx, orgId, EVENT_ID, event.startsAt, AS_OF);
      const tLoad = performance.now() - t0;
      const accounts = await loadAttendingAccounts(tx, orgId, EVENT_ID);
      const touches = await loadAccountTouches(tx, orgId, EVENT_ID, new Date(EVENT - 90 * DAY_MS), AS_OF);
      return { event, opportunities, accounts, touches, tLoad };
    });
    const loadMs = performance.now() - t0;
    t0 = performance.now();
    analyzeRoundtableTable(loaded.event as never, loaded.opportunities, loaded.accounts, loaded.touches, {
      asOf: AS_OF,
      resamples: RESAMPLES,
    });
    const analyzeMs = performance.now() - t0;
    const rowsLoaded = loaded.opportunities.ids.length;
    Object.assign(loaded, { opportunities: null }); // free before the product path runs

    // The product path end to end, as the route calls it.
    const load0 = load1();
    t0 = performance.now();
    const report = await roundtableMovement(db, orgId, EVENT_ID, { asOf: AS_OF, resamples: RESAMPLES });
    const productMs = performance.now() - t0;

    console.log(
      `baseline SQL pass (count of ${scan!.n.toLocaleString()} stage changes in scope): ${ms(scanMs)}`,
    );
    console.log(`baseline core engine on typed arrays (measure + match + KM + bootstrap): ${ms(engineMs)}`);
    console.log(
      `load opportunities + histories: ${ms(loaded.tLoad)} (${rowsLoaded.toLocaleString()} opportunities); ` +
        `accounts, people, touches: ${ms(loadMs - loaded.tLoad)}; analysis: ${ms(analyzeMs)}`,
    );
    const v = report.outcomes.velocity;
    if (v.status === "compared") {
      console.log(
        `  attending opportunities ${report.indicators.attendingOpportunities.toLocaleString()}, matched ${v.match.matched.toLocaleString()} of ${v.match.treated.toLocaleString()}, eligible controls ${v.match.controls.toLocaleString()}`,
      );
      v.survival.horizons.forEach((h, i) => {
        const d = v.survival.probabilityByDifference[i]!;
        console.log(`  P(moved by day ${h}) difference ${fmt(d.estimate)} ${ci(d.ci)}`);
      });
      console.log(
        `  median difference ${fmt(v.survival.medianDifference.estimate, 2)} ${ci(v.survival.medianDifference.ci)} days`,
      );
    } else console.log(`  ${v.message}`);
    console.log(
      `  days saved ${fmt(report.outcomes.daysSaved.estimate, 2)} ${ci(report.outcomes.daysSaved.ci)}; velocity lift ${fmt(report.outcomes.velocityLift.estimate)} ${ci(report.outcomes.velocityLift.ci)}`,
    );
    console.log(
      `product path roundtableMovement (${RESAMPLES} resamples): ${ms(productMs)} — target 10,000 ms: ${productMs < 10_000 ? "met" : "NOT met"}; ` +
        `${(productMs / engineMs).toFixed(1)}× the engine on arrays, ${(productMs / scanMs).toFixed(1)}× the SQL pass (load average ${load0} at start, ${load1()} at end)`,
    );
  } finally {
    await db.close();
    await drop();
  }
}

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")} on ${(await import("node:os")).cpus().length} cores`,
);
const threadsAsked = args.includes("--threads") ? Number(flag("threads", "0")) : undefined;
if (threadsAsked !== 0)
  await startResampleThreads(threadsAsked === undefined ? {} : { threads: threadsAsked });
console.log(`bootstrap resamples on the calling thread and ${resampleThreads()} worker thread(s)`);
let t0 = performance.now();
const world = generate();
console.log(
  `generated ${N.toLocaleString()} opportunities, ${world.total.toLocaleString()} stage changes in ${ms(performance.now() - t0)}`,
);
t0 = performance.now();
const engineMs = engineOnArrays(world);
for (const driver of DRIVER === "both"
  ? (["pglite", "postgres"] as const)
  : [DRIVER as "pglite" | "postgres"])
  await run(driver, world, engineMs);
