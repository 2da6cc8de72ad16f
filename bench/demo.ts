/**
 * Demo world load benchmark: `npx tsx bench/demo.ts [--scale small|medium|large] [--driver pglite|postgres]
 * [--seed N] [--measure] [--keep]`. PostgreSQL needs DATABASE_URL (a login that may create databases); the bench
 * creates a fresh database for the run and drops it afterwards unless --keep. Prints wall time, CPU time, rows/s
 * and peak RSS (sampled every 50 ms, and the process's own high-water mark); with --measure also the realised value
 * of every planted effect. Figures are printed, never asserted (STYLE.md: benchmarks are not timed tests).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { DEFAULT_EFFECTS } from "../src/demo/effects.ts";
import { loadDemo, type Scale, scales } from "../src/demo/load-demo.ts";
import { measureEffects } from "../src/demo/measure-effects.ts";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "small" },
    driver: { type: "string" },
    seed: { type: "string", default: "1" },
    measure: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    now: { type: "string", default: "2026-01-15" },
  },
});
const scale = values.scale as Scale;
if (!scales.includes(scale)) throw new Error(`--scale must be one of ${scales.join(", ")}`);
const driver = values.driver ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
const now = new Date(`${values.now}T00:00:00Z`);

let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 50);

let db: Database;
let dropDatabase: (() => Promise<void>) | undefined;
if (driver === "postgres") {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is required for --driver postgres");
  const name = `demo_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  // As the CLI does: the owner pool (a quarter of it) holds the four COPY lanes and one more connection.
  db = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  console.log(`database ${name} on ${new URL(base).host}`);
} else {
  const template = `${process.cwd()}/.tmp/template.tar`;
  let blob: Blob | undefined;
  try {
    blob = new Blob([readFileSync(template)]);
  } catch {
    blob = undefined;
  }
  db = await openDatabase({ dataDir: "memory://", loadDataDir: blob });
}
await migrate(db);

const pgTicks = new Map<number, number>();
const pgSampler = setInterval(() => void samplePostgresCpu(db), 1000);
const rssBefore = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let lastPhase = "";
const phaseStart = new Map<string, number>();
const result = await loadDemo(db, {
  seed: Number(values.seed),
  scale,
  now,
  onProgress: (p) => {
    if (p.phase !== lastPhase) {
      phaseStart.set(p.phase, performance.now());
      const t = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(
        `  ${t.padStart(7)} s  ${p.phase.padEnd(18)} ${p.rows.toLocaleString("en-US")} rows loaded`,
      );
      lastPhase = p.phase;
    }
    sample();
  },
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await samplePostgresCpu(db);
clearInterval(pgSampler);
const serverCpu =
  db.kind === "postgres" && pgTicks.size > 0 ? [...pgTicks.values()].reduce((a, b) => a + b, 0) / 100 : null;
sample();
clearInterval(sampler);
const total = Object.values(result.counts).reduce((s, n) => s + n, 0);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
console.log(
  `\ndemo ${scale} on ${driver}: ${seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (node)`,
);
console.log(
  `rows ${total.toLocaleString("en-US")} (${Math.round(total / seconds).toLocaleString("en-US")} rows/s)`,
);
if (serverCpu !== null) {
  console.log(
    `PostgreSQL backends of this database: ${serverCpu.toFixed(1)} s CPU (${((serverCpu * 1e6) / total).toFixed(1)} µs per row); with node, ${(serverCpu + (cpu.user + cpu.system) / 1e6).toFixed(0)} CPU-seconds in all`,
  );
}
console.log(
  `people ${result.counts.people?.toLocaleString("en-US")}, touchpoints ${result.counts.touchpoints?.toLocaleString("en-US")}`,
);
console.log(
  `peak RSS ${mb(peakRss)} sampled, ${mb(process.resourceUsage().maxRSS * 1024)} high-water; ${mb(rssBefore)} before the load`,
);

if (values.measure) {
  const m0 = performance.now();
  const realised = await measureEffects(db, result.orgId, now);
  console.log(
    `\neffects measured in ${((performance.now() - m0) / 1000).toFixed(1)} s (planted → realised ± se):`,
  );
  for (const [name, r] of Object.entries(realised)) {
    const planted = DEFAULT_EFFECTS[name as keyof typeof DEFAULT_EFFECTS];
    console.log(
      `  ${name.padEnd(32)} ${String(planted).padStart(6)} → ${r.value.toFixed(4).padStart(8)} ± ${r.se.toFixed(4)}  (n ${r.n})`,
    );
  }
}

/**
 * CPU used by the server processes connected to this database (same host, Linux /proc only), sampled every second
 * because pooled connections come and go: the last reading of each process is its total.
 */
async function samplePostgresCpu(database: Database): Promise<void> {
  if (database.kind !== "postgres") return;
  try {
    const { rows: pids } = await database.ownerPool!.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database()",
    );
    for (const { pid } of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      pgTicks.set(pid, Number(fields[11]) + Number(fields[12]));
    }
  } catch {
    // Not on the same host, or not Linux: no server figures.
  }
}

await db.close();
if (dropDatabase && !values.keep) await dropDatabase();
