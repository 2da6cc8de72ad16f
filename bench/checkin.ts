/**
 * Benchmark: door check-in at a 20,000-attendee conference.
 *
 *   npx tsx bench/checkin.ts [--attendees 20000] [--connections 100] [--baseline-seconds 5]
 *                            [--warmup 2000] [--only pglite|postgres] [--data-dir <dir> | --in-memory]
 *                            [--cpu-prof <dir>] [--runs 1]
 *
 * Starts the real HTTP server on loopback over the embedded database (and, when DATABASE_URL is set, a second run
 * over a fresh database on that PostgreSQL server; DATABASE_APP_URL, when set, is the application role's login),
 * seeds one event with N registered attendees and their tickets, and drives POST /api/events/:id/check-ins with
 * autocannon at 100 connections, every request a distinct valid ticket with a new scan nonce (one scan per request,
 * as a kiosk sends it), authenticated with a kiosk credential, after 2,000 more attendees checked in unmeasured to
 * warm the path (each ticket's code is recorded as issuing records it). In the same run and server it measures a
 * trivial JSON route (GET /api/public/time) for scale. The run is bounded: exactly N check-in requests, and a few
 * seconds for the baseline. Per database it prints check-ins/s, p50/p90/p99/max, the trivial route's rate and the
 * ratio, the server's CPU time per request (main thread, other threads, PostgreSQL sessions: read from /proc, so it
 * depends less on what else the machine runs), how long the server's event loop was held up and by the garbage
 * collector, the signatures checked, the scans per transaction, and whether the targets are met; then it checks that the
 * database holds exactly one check-in per ticket scanned and one touchpoint per check-in, and exits with 1 if not.
 * Targets: ≥ 1,500 check-ins/s with p99 < 50 ms embedded, ≥ 3,000/s on PostgreSQL. `--cpu-prof <dir>` writes a
 * V8 CPU profile of each server process there. `--runs N` repeats each database's run N times (a new server and
 * database each time) and ends with every run's rate, p99 and load generator CPU, their medians and how many runs met
 * the targets: on a shared machine one run's p99 says little. SERVER_FLAGS (space-separated) adds Node flags to the
 * server's, for experiments.
 */

import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { signToken, tokenDigest } from "../src/core/tickets/index.ts";
import { type Database, openDatabase, rows } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { checkinBatchStats } from "../src/server/checkin/batcher.ts";
import { issueKioskToken } from "../src/server/checkin/kiosk-auth.ts";
import { signatureChecks } from "../src/server/checkin/verify-scans.ts";
import { SERVER_NODE_FLAGS } from "../src/server/node-flags.ts";
import { eventKeys } from "../src/server/registration/ticket-keys.ts";
import { startServer } from "../src/server/start.ts";

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg("attendees", 20_000);
/** Attendees checked in first, unmeasured, to warm the check-in path (JIT, the database's compiled code, caches). */
const WARMUP = arg("warmup", 2_000);
const CONNECTIONS = arg("connections", 100);
const BASELINE_SECONDS = arg("baseline-seconds", 5);
/** `--only pglite` or `--only postgres`: run one database. */
const ONLY = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
/**
 * The embedded database's data folder: `--data-dir <dir>` (a new folder), or by default a new temporary folder, removed
 * afterwards: on files, as the product runs it. `--in-memory` keeps it in memory instead.
 */
const DATA_DIR = args.includes("--data-dir") ? args[args.indexOf("--data-dir") + 1] : undefined;
const IN_MEMORY = args.includes("--in-memory");
/** `--runs N`: each database's run N times, each on a new server and database. */
const RUNS = Math.max(1, Number(args.includes("--runs") ? args[args.indexOf("--runs") + 1] : 1) || 1);
/** `--cpu-prof <dir>`: write a V8 CPU profile of each server process into that folder. */
const PROFILE = args.includes("--cpu-prof") ? args[args.indexOf("--cpu-prof") + 1] : undefined;

async function seed(db: Database, attendees: number) {
  const [org] = await rows<{ id: string }>(
    db.owner,
    sql`insert into organizations (name, slug) values ('Bench', ${`bench-${randomUUID().slice(0, 8)}`}) returning id`,
  );
  const orgId = org!.id;
  const [user] = await rows<{ id: string }>(
    db.owner,
    sql`insert into users (org_id, email, name, role) values (${orgId}, ${`kiosk-${orgId}@bench.test`}, 'Kiosk', 'rep') returning id`,
  );
  const [event] = await rows<{ id: string }>(
    db.owner,
    sql`insert into events (org_id, name, slug, type, format, status, starts_at, ends_at, time_zone, capacity)
        values (${orgId}, 'Bench Conference', 'bench', 'conference', 'tactical', 'published',
                now() - interval '1 hour', now() + interval '2 days', 'Europe/Berlin', ${attendees}) returning id`,
  );
  const eventId = event!.id;
  const keys = await db.withOrg(orgId, (tx) => eventKeys(tx, orgId, eventId));
  // Owner-level bulk load, as an import would: people, registrations, tickets.
  await db.owner.execute(
    sql`insert into people (org_id, email, first_name, last_name)
        select ${orgId}, 'attendee' || g || '@bench.test', 'Attendee', 'No. ' || g from generate_series(1, ${attendees}) g`,
  );
  await db.owner.execute(
    sql`insert into registrations (org_id, event_id, person_id, status, source, consent)
        select org_id, ${eventId}, id, 'registered', 'bench', true from people where org_id = ${orgId}`,
  );
  await db.owner.execute(
    sql`insert into tickets (org_id, event_id, registration_id, expires_at)
        select org_id, event_id, id, now() + interval '3 days' from registrations where org_id = ${orgId} and event_id = ${eventId}`,
  );
  const tickets = await rows<{ id: string; person_id: string; expires_at: Date | string }>(
    db.owner,
    sql`select t.id, r.person_id, t.expires_at from tickets t join registrations r on r.org_id = t.org_id and r.id = t.registration_id
        where t.org_id = ${orgId} and t.event_id = ${eventId}`,
  );
  const codes = tickets.map((t) =>
    signToken(
      { kind: "ticket", id: t.id, eventId, subjectId: t.person_id, expiresAt: new Date(t.expires_at) },
      keys.privateKey,
    ),
  );
  // Each ticket's code recorded as issuing records it (`ticketFor`), in one statement.
  await db.owner.execute(
    sql`update tickets t set code_digest = d.digest
        from unnest(${`{${tickets.map((t) => t.id).join(",")}}`}::uuid[], ${`{${codes.map(tokenDigest).join(",")}}`}::text[])
          as d(id, digest)
        where t.org_id = ${orgId} and t.id = d.id`,
  );
  const kiosk = await issueKioskToken(db, orgId, user!.id, eventId, new Date());
  return { orgId, eventId, codes, kioskToken: kiosk.token };
}

interface Seeded {
  port: number;
  eventId: string;
  kioskToken: string;
  codes: string[];
  seedSeconds: number;
}

/**
 * The server side, in its own process so that the load generator does not share its event loop: seeds, serves on
 * loopback, answers "count" with the rows stored, and stops on "stop".
 */
async function serveChild(target: string, attendees: number): Promise<void> {
  let db: Database;
  let cleanup = async () => {};
  if (target === "pglite") {
    if (IN_MEMORY) db = await openDatabase({ dataDir: "memory://" });
    else {
      const dir = DATA_DIR ?? join(mkdtempSync(join(tmpdir(), "throughline-bench-")), "data");
      mkdirSync(dir, { recursive: true });
      db = await openDatabase({ dataDir: dir });
      if (!DATA_DIR) cleanup = async () => rmSync(dirname(dir), { recursive: true, force: true });
    }
  } else {
    const name = `bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: target });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const withName = (url: string) => {
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    };
    db = await openDatabase({
      databaseUrl: withName(target),
      appDatabaseUrl: process.env.DATABASE_APP_URL ? withName(process.env.DATABASE_APP_URL) : undefined,
      poolSize: 20,
    });
    cleanup = async () => {
      // The pools have just closed; the server may take a moment to let their sessions go.
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          await admin.query(`drop database if exists ${name}`);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      await admin.end();
    };
  }
  await migrate(db);
  const t0 = Date.now();
  const { orgId, eventId, codes, kioskToken } = await seed(db, attendees);
  const server = await startServer(db, loadConfig({}), 0);
  watchStalls();
  const send = (m: unknown) => process.send!(m);
  process.on("message", async (m: { type: string }) => {
    if (m.type === "cpu") {
      send({
        type: "cpu",
        ...threadCpu(),
        db: await databaseCpu(db),
        batches: checkinBatchStats(),
        signatures: signatureChecks(),
        stalls: stalls(),
      });
    } else if (m.type === "count") {
      // Exactly one check-in per ticket scanned, each with its touchpoint: no scan lost, none recorded twice. The
      // tables' statistics first: the embedded database never gathers them by itself, and planned as if the tables
      // were empty the count took two minutes (a scan of one table per row of the other).
      await db.owner.execute(sql`analyze check_ins, touchpoints`);
      const [stored] = await db.withOrg(orgId, (tx) =>
        rows<Stored>(
          tx,
          sql`select count(*)::int as "checkIns", count(distinct c.ticket_id)::int as tickets,
                (select count(*)::int from touchpoints t where t.org_id = ${orgId} and t.event_id = ${eventId}
                   and t.kind = 'check_in') as touchpoints,
                count(*) filter (where t.external_id is null)::int as "withoutTouchpoint"
              from check_ins c
              left join touchpoints t on t.org_id = c.org_id and t.source = 'throughline'
                and t.external_id = 'checkin:' || c.scan_nonce
              where c.org_id = ${orgId} and c.event_id = ${eventId}`,
        ),
      );
      send({ type: "count", ...stored });
    } else if (m.type === "stop") {
      await server.close();
      await db.close();
      await cleanup();
      process.exit(0);
    }
  });
  const seeded: Seeded = {
    port: server.port,
    eventId,
    kioskToken,
    codes,
    seedSeconds: (Date.now() - t0) / 1000,
  };
  send({ type: "ready", ...seeded });
}

/**
 * What held up the server's event loop: a histogram of its delay, and the garbage collector's pauses. Each "cpu"
 * request reports the figures since the previous one. The histogram holds each interval between its samples, taken
 * every LOOP_RESOLUTION_MS, so that much of each is no delay.
 */
const LOOP_RESOLUTION_MS = 5;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
let gcPauses: number[] = [];
function watchStalls(): void {
  loopDelay.enable();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  }).observe({ entryTypes: ["gc"] });
}
function stalls(): Stalls {
  const result = {
    loopP99: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
    loopMax: Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS),
    gcCount: gcPauses.length,
    gcTotal: gcPauses.reduce((a, b) => a + b, 0),
    gcMax: Math.max(0, ...gcPauses),
  };
  loopDelay.reset();
  gcPauses = [];
  return result;
}
interface Stalls {
  loopP99: number;
  loopMax: number;
  gcCount: number;
  gcTotal: number;
  gcMax: number;
}

/** CPU time (user + system) of a process or thread so far, in ms, from its /proc stat file (Linux). */
function cpuMs(statPath: string): number {
  // The fields after "(command) ": utime and stime are the 12th and 13th, in clock ticks (100 a second).
  const fields = readFileSync(statPath, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time used so far by this process's main thread (HTTP, JavaScript and, embedded, the database) and by its other
 * threads (the thread pool: signature checks), in ms (zeros where /proc is missing). Unlike wall time it hardly
 * depends on what else the machine is running.
 */
function threadCpu(): { main: number; others: number } {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync("/proc/self/task")) {
      const ms = cpuMs(`/proc/self/task/${tid}/stat`);
      if (Number(tid) === process.pid) main = ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return { main: 0, others: 0 };
  }
}

/**
 * CPU time used so far by the PostgreSQL server's sessions on the bench database (the pools keep theirs open for
 * the run), in ms; 0 for the embedded database, whose work is on the main thread, or a server on another machine.
 */
async function databaseCpu(db: Database): Promise<number> {
  if (db.kind !== "postgres") return 0;
  const backends = await rows<{ pid: number }>(
    db.owner,
    sql`select pid from pg_stat_activity where datname = current_database()`,
  );
  let total = 0;
  for (const { pid } of backends) {
    try {
      total += cpuMs(`/proc/${pid}/stat`);
    } catch {
      return 0;
    }
  }
  return total;
}

type Cpu = {
  main: number;
  others: number;
  db: number;
  batches: ReturnType<typeof checkinBatchStats>;
  signatures: number;
  stalls: Stalls;
};
interface Stored {
  checkIns: number;
  tickets: number;
  touchpoints: number;
  withoutTouchpoint: number;
}
/** Server CPU per request between two snapshots, in µs. */
function perRequest(from: Cpu, to: Cpu, requests: number): string {
  const us = (ms: number) => ((ms * 1000) / requests).toFixed(0);
  const db = to.db - from.db;
  return `${us(to.main - from.main)} µs main thread + ${us(to.others - from.others)} µs other threads${db > 0 ? ` + ${us(db)} µs PostgreSQL` : ""}`;
}

function request<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off("message", on);
        resolve(m as T);
      }
    };
    child.on("message", on);
    if (type !== "ready") child.send({ type });
  });
}

/**
 * Drives the check-in endpoint with autocannon: one request per code, each a new scan nonce. The rate is taken from
 * the last response: autocannon notices it only at its next one-second tick, so its own duration is rounded up to a
 * whole second (5-10 % on a run of 10-20 s).
 */
async function checkIns(base: string, eventId: string, kioskToken: string, codes: readonly string[]) {
  let next = 0;
  let lastResponse = 0;
  const started = performance.now();
  const result = await autocannon({
    url: `${base}/api/events/${eventId}/check-ins`,
    connections: CONNECTIONS,
    amount: codes.length,
    timeout: 30,
    requests: [
      {
        method: "POST",
        setupRequest: (req: Record<string, unknown>) => {
          const i = next++ % codes.length;
          return {
            ...req,
            headers: { "content-type": "application/json", authorization: `Kiosk ${kioskToken}` },
            body: JSON.stringify({
              scans: [{ nonce: `bench-${i}-${randomUUID()}`, ticket: codes[i], deviceId: "door-1" }],
            }),
          };
        },
        onResponse: () => {
          lastResponse = performance.now();
        },
      },
    ],
  });
  return { result, seconds: (lastResponse - started) / 1000 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runOne(label: string, target: string, run = 1) {
  const child = fork(
    fileURLToPath(import.meta.url),
    [
      "--serve",
      target,
      String(N + WARMUP),
      // Each run its own new folder.
      ...(DATA_DIR ? ["--data-dir", RUNS > 1 ? join(DATA_DIR, `run-${run}`) : DATA_DIR] : []),
      ...(IN_MEMORY ? ["--in-memory"] : []),
    ],
    {
      execArgv: [
        "--import",
        "tsx",
        // As `npm start` runs the server.
        ...SERVER_NODE_FLAGS,
        ...(process.env.SERVER_FLAGS ? process.env.SERVER_FLAGS.split(" ") : []),
        ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE}`] : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  try {
    const { port, eventId, codes: all, kioskToken, seedSeconds } = await request<Seeded>(child, "ready");
    console.log(`${label}: seeded ${all.length} attendees with tickets in ${seedSeconds.toFixed(1)} s`);
    // The first WARMUP tickets warm the check-in path, unmeasured; the run scans the other N, each once.
    const warm = all.slice(0, WARMUP);
    const codes = all.slice(WARMUP);
    const base = `http://127.0.0.1:${port}`;
    const probe = await fetch(`${base}/api/events/${eventId}/check-ins`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Kiosk ${kioskToken}` },
      body: JSON.stringify({
        scans: [{ nonce: `probe-${randomUUID()}`, ticket: warm[0] ?? codes[0], deviceId: "door-1" }],
      }),
    });
    if (probe.status !== 200) throw new Error(`check-in probe failed: ${probe.status} ${await probe.text()}`);
    // The probe checked in the first attendee (a repeat would be "already in").
    if (warm.length > 0) warm.shift();
    else codes.shift();
    // Warm both paths (JIT, caches, the kiosk credential) before measuring.
    await autocannon({ url: `${base}/api/public/time`, connections: 10, amount: 2000 });
    if (warm.length > 0) {
      const { result } = await checkIns(base, eventId, kioskToken, warm);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
          `warm-up check-ins failed: ${result.non2xx} non-2xx answers, ${result.errors} errors`,
        );
      }
    }
    const cpu0 = await request<Cpu>(child, "cpu");
    const baseline = await autocannon({
      url: `${base}/api/public/time`,
      connections: CONNECTIONS,
      duration: BASELINE_SECONDS,
    });
    const cpu1 = await request<Cpu>(child, "cpu");
    const load0 = process.cpuUsage();
    const { result: checkins, seconds } = await checkIns(base, eventId, kioskToken, codes);
    const load = process.cpuUsage(load0);
    const cpu2 = await request<Cpu>(child, "cpu");
    const stored = await request<Stored>(child, "count");
    const rate = checkins.requests.total / seconds;
    const loadgen = (load.user + load.system) / checkins.requests.total;
    const trivial = baseline.requests.average;
    // Every ticket was scanned once: the probe's, the warm-up's and the run's.
    const expected = all.length;
    const ok =
      checkins.non2xx === 0 &&
      checkins.errors === 0 &&
      checkins.requests.total === codes.length &&
      stored.checkIns === expected &&
      stored.tickets === expected &&
      stored.touchpoints === expected &&
      stored.withoutTouchpoint === 0;
    console.log(
      [
        `${label}: check-ins ${rate.toFixed(0)}/s (${checkins.requests.total} requests in ${seconds.toFixed(2)} s)`,
        `p50 ${checkins.latency.p50} ms, p90 ${checkins.latency.p90} ms, p99 ${checkins.latency.p99} ms, max ${checkins.latency.max} ms, non-2xx ${checkins.non2xx}, errors ${checkins.errors}`,
        `trivial JSON route ${trivial.toFixed(0)}/s, p99 ${baseline.latency.p99} ms (same server, same run)`,
        `ratio check-in/trivial ${(rate / trivial).toFixed(2)}`,
        `server CPU per check-in ${perRequest(cpu1, cpu2, checkins.requests.total)}`,
        `server CPU per trivial request ${perRequest(cpu0, cpu1, baseline.requests.total)}`,
        `load generator CPU per check-in ${loadgen.toFixed(0)} µs (the same two cores)`,
        `server event loop delayed p99 ${cpu2.stalls.loopP99.toFixed(1)} ms, max ${cpu2.stalls.loopMax.toFixed(1)} ms; garbage collection ${cpu2.stalls.gcCount} pauses, ${cpu2.stalls.gcTotal.toFixed(0)} ms in all, longest ${cpu2.stalls.gcMax.toFixed(1)} ms`,
        `ticket signatures checked ${cpu2.signatures - cpu1.signatures} (codes without a recorded digest)`,
        `transactions ${cpu2.batches.transactions - cpu1.batches.transactions}, ${((cpu2.batches.scans - cpu1.batches.scans) / Math.max(1, cpu2.batches.transactions - cpu1.batches.transactions)).toFixed(1)} scans each on average (largest of the whole run ${cpu2.batches.largest})`,
        `stored ${stored.checkIns} check-ins of ${stored.tickets} distinct tickets (expected ${expected}), ${stored.touchpoints} check-in touchpoints, ${stored.withoutTouchpoint} check-ins without one: ${ok ? "exactly one per ticket" : "MISMATCH"}`,
      ].join("\n  "),
    );
    return { rate, p99: checkins.latency.p99, ratio: rate / trivial, loadgen, ok };
  } finally {
    child.send({ type: "stop" });
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

async function main() {
  const serveAt = args.indexOf("--serve");
  if (serveAt >= 0) return serveChild(args[serveAt + 1]!, Number(args[serveAt + 2]));
  const results: string[] = [];
  let allStored = true;
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  /** Each run of one database, then (with --runs > 1) the runs side by side and their medians. */
  const runAll = async (label: string, short: string, target: string, minRate: number, p99Target: string) => {
    const runs: Awaited<ReturnType<typeof runOne>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runOne(RUNS > 1 ? `${label}, run ${i + 1} of ${RUNS}` : label, target, i + 1);
      allStored &&= r.ok;
      runs.push(r);
      results.push(
        `${short}${RUNS > 1 ? ` (run ${i + 1})` : ""}: ${r.rate.toFixed(0)}/s (target ≥ ${minRate}/s: ${verdict(r.rate >= minRate)}), p99 ${r.p99} ms (${p99Target}: ${verdict(r.p99 < 50)}), ratio to the trivial route ${r.ratio.toFixed(2)}`,
      );
    }
    if (RUNS > 1) {
      const list = (pick: (r: (typeof runs)[number]) => number, digits = 0) =>
        `${runs.map((r) => pick(r).toFixed(digits)).join(" / ")} (median ${median(runs.map(pick)).toFixed(digits)})`;
      results.push(
        [
          `${short}, ${RUNS} runs:`,
          `  check-ins/s ${list((r) => r.rate)}: ${runs.filter((r) => r.rate >= minRate).length} of ${RUNS} at ≥ ${minRate}/s`,
          `  p99 ms ${list((r) => r.p99)}: ${runs.filter((r) => r.p99 < 50).length} of ${RUNS} under 50 ms`,
          `  load generator CPU µs per check-in ${list((r) => r.loadgen)} (higher: a slower machine during that run)`,
        ].join("\n"),
      );
    }
  };
  if (ONLY !== "postgres") await runAll("embedded (PGlite)", "embedded", "pglite", 1500, "target < 50 ms");
  const url = process.env.DATABASE_URL;
  if (url && ONLY !== "pglite") {
    await runAll("PostgreSQL", "PostgreSQL", url, 3000, "< 50 ms");
  } else if (ONLY !== "pglite") {
    results.push("PostgreSQL: not run (set DATABASE_URL)");
  }
  if (!allStored) process.exitCode = 1;
  console.log(results.join("\n"));
}

await main();
