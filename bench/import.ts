/**
 * Touchpoint import benchmark: `npx tsx bench/import.ts [rows] [--rounds n] [--only pglite|postgres]`
 * (default 500,000 rows, 2 rounds). A seeded generator writes one touchpoint CSV in the import's header, then for
 * each database the bench times, side by side on the same table:
 *   - the floor: a raw owner-level COPY of the same rows (`db.copyIn`, the file's lines prefixed with a scratch
 *     organization's id, prepared before the clock starts) into touchpoints;
 *   - `importCsv` of the file from disk into another scratch organization (parse, validate, write in batches
 *     under row-level security, one transaction, import_runs record).
 * Each round uses fresh organizations and alternates which load goes first; the best round of each is reported,
 * with the median of the rounds' ratios and the machine's load average. PGlite always runs (in memory);
 * PostgreSQL runs when DATABASE_URL is set (`eval "$(bash scripts/start-postgres.sh)"`), and the scratch rows
 * are deleted afterwards. Figures are printed, never asserted.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { seededRandom } from "../src/core/attribution/random.ts";
import { type Database, openDatabase, rows } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { touchpointChannels } from "../src/db/schema/vocabulary.ts";
import { csvLine } from "../src/ingest/csv/write-csv.ts";
import { importCsv } from "../src/ingest/import-csv.ts";
import { touchpointsKind } from "../src/ingest/kinds/touchpoints.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROWS = Number(args.find((a) => /^\d+$/.test(a)) ?? 500_000);
const ROUNDS = Number(flag("rounds") ?? 2);
const ONLY = flag("only");

/** The columns the bench fills (no references: COPY cannot resolve them, so the comparison is like for like). */
const COLUMNS = ["external_id", "source", "occurred_at", "channel", "kind", "online", "campaign", "metadata"];
const KINDS = ["open", "click", "visit", "registered", "attended", "download", "reply", "meeting_held"];

function generate(rowCount: number): { file: string; body: string; bytes: number } {
  const random = seededRandom(42);
  const start = Date.UTC(2024, 0, 1);
  const lines: string[] = [csvLine(COLUMNS)];
  for (let i = 0; i < rowCount; i++) {
    const occurred = new Date(start + Math.floor(random() * 365 * 86_400_000)).toISOString();
    const channel = touchpointChannels[Math.floor(random() * touchpointChannels.length)]!;
    const withMeta = random() < 0.3;
    lines.push(
      csvLine([
        `tp-${i}`,
        random() < 0.5 ? "marketo" : "segment",
        occurred,
        channel,
        KINDS[Math.floor(random() * KINDS.length)]!,
        channel === "event" || channel === "meeting" || channel === "call" ? "false" : "true",
        random() < 0.4 ? `campaign-${Math.floor(random() * 50)}` : "",
        withMeta ? JSON.stringify({ utm_source: "newsletter", score: Math.floor(random() * 100) }) : "",
      ]),
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-import-"));
  const file = join(dir, "touchpoints.csv");
  const text = lines.join("");
  writeFileSync(file, text);
  return { file, body: lines.slice(1).join(""), bytes: Buffer.byteLength(text) };
}

async function scratchOrg(db: Database, label: string): Promise<string> {
  const slug = `bench-${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const [row] = await rows<{ id: string }>(
    db.owner,
    sql`insert into organizations (name, slug) values (${slug}, ${slug}) returning id`,
  );
  return row!.id;
}

async function removeOrgs(db: Database, orgIds: string[]): Promise<void> {
  for (const id of orgIds) {
    await db.owner.execute(sql`delete from touchpoints where org_id = ${id}::uuid`);
    await db.owner.execute(sql`delete from import_runs where org_id = ${id}::uuid`);
    await db.owner.execute(sql`delete from organizations where id = ${id}::uuid`);
  }
}

async function benchOne(name: string, db: Database, data: { file: string; body: string }): Promise<void> {
  await migrate(db);
  const orgs: string[] = [];
  const copyTimes: number[] = [];
  const importTimes: number[] = [];
  const ratios: number[] = [];
  const copy = async () => {
    const org = await scratchOrg(db, "copy");
    orgs.push(org);
    // The COPY input: the same rows with the organization in front (prepared before the clock starts).
    const text = data.body.replace(/^(?=.)/gm, `${org},`);
    const t = performance.now();
    const copied = await db.copyIn("touchpoints", ["org_id", ...COLUMNS], text);
    const seconds = (performance.now() - t) / 1000;
    if (copied !== ROWS) throw new Error(`COPY wrote ${copied} rows, expected ${ROWS}`);
    return seconds;
  };
  const load = async () => {
    const org = await scratchOrg(db, "import");
    orgs.push(org);
    const t = performance.now();
    const result = await importCsv(
      db,
      org,
      "touchpoints",
      createReadStream(data.file, { highWaterMark: 1 << 20 }),
      { fileName: "bench.csv" },
    );
    const seconds = (performance.now() - t) / 1000;
    if (result.rowsInserted !== ROWS) throw new Error(`import: ${JSON.stringify(result).slice(0, 500)}`);
    return seconds;
  };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which goes first, so neither always meets the bigger table or the warmer cache.
      let copySeconds: number;
      let importSeconds: number;
      if (round % 2 === 1) {
        copySeconds = await copy();
        importSeconds = await load();
      } else {
        importSeconds = await load();
        copySeconds = await copy();
      }
      copyTimes.push(copySeconds);
      importTimes.push(importSeconds);
      ratios.push(copySeconds / importSeconds);
      console.log(
        `${name} round ${round}: COPY ${fmt(ROWS / copySeconds)} rows/s (${copySeconds.toFixed(2)} s), ` +
          `import ${fmt(ROWS / importSeconds)} rows/s (${importSeconds.toFixed(2)} s), ` +
          `import/COPY ${pct(copySeconds / importSeconds)}`,
      );
    }
    const bestCopy = Math.min(...copyTimes);
    const bestImport = Math.min(...importTimes);
    console.log(
      `${name} best: COPY ${fmt(ROWS / bestCopy)} rows/s, import ${fmt(ROWS / bestImport)} rows/s, ` +
        `import/COPY ${pct(bestCopy / bestImport)} (median of rounds ${pct(median(ratios))}; load ${load1()})`,
    );
  } finally {
    if (db.kind === "postgres") await removeOrgs(db, orgs);
    await db.close();
  }
}

const pct = (x: number) => `${Math.round(100 * x)}%`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** The machine's 1-minute load average: figures from a busy machine are not comparable with a quiet one's. */
const load1 = () => `${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Parse + validate only (no database): the import's own CPU floor. */
async function parseOnly(file: string): Promise<void> {
  const { readCsv } = await import("../src/ingest/csv/parse-csv.ts");
  const t = performance.now();
  let n = 0;
  let header: string[] | null = null;
  for await (const { records } of readCsv(createReadStream(file, { highWaterMark: 1 << 20 }))) {
    for (const r of records) {
      if (!header) {
        header = r.fields;
        continue;
      }
      const cells: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) cells[header[i]!] = r.fields[i]!;
      if (touchpointsKind.rowSchema.safeParse(cells).success) n++;
    }
  }
  const s = (performance.now() - t) / 1000;
  console.log(`parse + validate only: ${fmt(n / s)} rows/s (${s.toFixed(2)} s)`);
}

const data = generate(ROWS);
console.log(`${fmt(ROWS)} touchpoint rows, ${(data.bytes / 1e6).toFixed(1)} MB; load ${load1()}`);
try {
  await parseOnly(data.file);
  if (ONLY !== "postgres") await benchOne("pglite", await openDatabase({ dataDir: "memory://" }), data);
  if (ONLY !== "pglite") {
    if (process.env.DATABASE_URL) {
      const db = await openDatabase({
        databaseUrl: process.env.DATABASE_URL,
        appDatabaseUrl: process.env.DATABASE_APP_URL,
      });
      await benchOne("postgres", db, data);
    } else console.log('postgres: skipped (set DATABASE_URL, e.g. eval "$(bash scripts/start-postgres.sh)")');
  }
} finally {
  rmSync(join(data.file, ".."), { recursive: true, force: true });
}
