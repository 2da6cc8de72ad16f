import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { type Database, openDatabase, rows } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { formatRowError, type ImportProgress, importCsv } from "../../ingest/import-csv.ts";
import { type ImportKind, importKinds } from "../../ingest/kinds/index.ts";
import { type Command, type CommandIo, parseFlags, UsageError } from "../command.ts";

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_APP_URL: z.string().min(1).optional(),
  THROUGHLINE_DATA_DIR: z.string().min(1).default("./data"),
});

/**
 * Opens and migrates the database the environment names: DATABASE_URL (PostgreSQL, with DATABASE_APP_URL as the
 * application login when set), else the embedded database in THROUGHLINE_DATA_DIR (default ./data).
 */
export async function openDatabaseFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`environment variable ${issue.path.join(".")}: ${issue.message}`);
  }
  const db = await openDatabase({
    databaseUrl: parsed.data.DATABASE_URL,
    appDatabaseUrl: parsed.data.DATABASE_APP_URL,
    dataDir: parsed.data.THROUGHLINE_DATA_DIR,
  });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** The organization named by --org, or the only one there is (looked up with the owner handle). */
export async function resolveOrgId(db: Database, slug: string | undefined): Promise<string> {
  if (slug !== undefined) {
    const [org] = await rows<{ id: string }>(
      db.owner,
      sql`select id from organizations where slug = ${slug}`,
    );
    if (!org) throw new UsageError(`flag --org: no organization with slug "${slug}"`);
    return org.id;
  }
  const orgs = await rows<{ id: string; slug: string }>(
    db.owner,
    sql`select id, slug from organizations order by slug limit 6`,
  );
  if (orgs.length === 1) return orgs[0]!.id;
  if (orgs.length === 0) throw new AppError("not_found", "the database has no organization yet");
  const names = orgs.slice(0, 5).map((o) => o.slug);
  throw new UsageError(
    `there are several organizations; pass --org <slug> (${names.join(", ")}${orgs.length > 5 ? ", …" : ""})`,
  );
}

/** The kind argument, checked. */
export function parseKind(value: string | undefined): ImportKind {
  if (value === undefined) throw new UsageError(`name what to import: one of ${importKinds.join(", ")}`);
  if (!(importKinds as readonly string[]).includes(value)) {
    throw new UsageError(`unknown kind "${value}"; one of ${importKinds.join(", ")}`);
  }
  return value as ImportKind;
}

const flagsSchema = z
  .object({
    org: z.string().min(1).optional(),
    keepValid: z.boolean().optional(),
  })
  .strict();

/** A progress line on stderr at most once a second (only for files that take that long). */
function progressPrinter(io: CommandIo, kind: string, totalBytes: number): (p: ImportProgress) => void {
  const started = Date.now();
  let last = started;
  return (p) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    const percent = totalBytes > 0 ? Math.min(100, Math.floor((100 * p.bytes) / totalBytes)) : 100;
    const rate = Math.round(p.rows / ((now - started) / 1000));
    io.err(
      `importing ${kind}: ${p.rows.toLocaleString("en-US")} rows, ${(p.bytes / 1e6).toFixed(1)} of ` +
        `${(totalBytes / 1e6).toFixed(1)} MB (${percent}%), ${rate.toLocaleString("en-US")} rows/s`,
    );
  };
}

/** The command over a given way to open the database (the environment's by default; tests pass their own). */
export function importCommand(open: () => Promise<Database> = openDatabaseFromEnv): Command {
  return {
    name: "import",
    summary: "import a CSV of accounts, people, opportunities, stage changes or touchpoints",
    usage: `throughline import <${importKinds.join("|")}> <file.csv> [--org <slug>] [--keep-valid]`,
    async run(args, io) {
      const { flags, positional } = parseFlags(args, flagsSchema, ["keepValid"]);
      const [kindArg, file, ...extra] = positional;
      const kind = parseKind(kindArg);
      if (file === undefined) throw new UsageError("name the CSV file to import");
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new AppError("not_found", `file not found: ${file}`, "file");
      }
      const db = await open();
      try {
        const orgId = await resolveOrgId(db, flags.org);
        const result = await importCsv(db, orgId, kind, createReadStream(file, { highWaterMark: 1 << 20 }), {
          mode: flags.keepValid ? "keep_valid" : "refuse_whole",
          fileName: basename(file),
          onProgress: progressPrinter(io, kind, size),
        });
        const n = (x: number) => x.toLocaleString("en-US");
        if (result.status === "done") {
          io.out(
            `${kind} from ${basename(file)}: ${n(result.rowsTotal)} rows, ${n(result.rowsInserted)} written ` +
              `(${n(result.rowsUpdated)} of them updates), ${n(result.rowsUnchanged)} unchanged, ` +
              `${n(result.rowsRejected)} rejected (import run ${result.runId})`,
          );
        } else {
          io.err(
            `${kind} from ${basename(file)}: refused, nothing written; ${n(result.rowsRejected)} of ` +
              `${n(result.rowsTotal)} rows rejected (import run ${result.runId})` +
              (result.rowsRejected > 0 ? "; fix them, or pass --keep-valid to write the other rows" : ""),
          );
        }
        if (result.errors.length > 0) {
          io.err(
            "errors (rows are data rows counted from 1 after the header, so row N is spreadsheet row N+1):",
          );
          for (const e of result.errors) io.err(`  ${formatRowError(e)}`);
        }
        return result.status === "done" ? 0 : 1;
      } finally {
        await db.close();
      }
    },
  };
}

export const command: Command = importCommand();
