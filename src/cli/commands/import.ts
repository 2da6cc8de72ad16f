import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import { loadConfig } from "../../config.ts";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { openMigratedDatabase } from "../../db/open-from-config.ts";
import { formatRowError, type ImportProgress, importCsv } from "../../ingest/import-csv.ts";
import { type ImportKind, importKinds } from "../../ingest/kinds/index.ts";
import { type Command, type CommandIo, parseFlags, UsageError } from "../command.ts";
import { resolveOrg } from "../org.ts";

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
export function importCommand(
  open: () => Promise<Database> = () => openMigratedDatabase(loadConfig()),
): Command {
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
        const orgId = (await resolveOrg(db, flags.org)).id;
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
