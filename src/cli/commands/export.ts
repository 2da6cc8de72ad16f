import { createWriteStream, renameSync, rmSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { openMigratedDatabase } from "../../db/open-from-config.ts";
import { exportCsv } from "../../ingest/export-csv.ts";
import { importKinds } from "../../ingest/kinds/index.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";
import { resolveOrg } from "../org.ts";
import { parseKind } from "./import.ts";

const flagsSchema = z
  .object({
    out: z.string().min(1).optional(),
    org: z.string().min(1).optional(),
  })
  .strict();

/** The command over a given way to open the database (the environment's by default; tests pass their own). */
export function exportCommand(
  open: () => Promise<Database> = () => openMigratedDatabase(loadConfig()),
): Command {
  return {
    name: "export",
    summary:
      "export accounts, people, opportunities, stage changes or touchpoints as CSV (the import's header)",
    usage: `throughline export <${importKinds.join("|")}> [--out file.csv] [--org <slug>]`,
    async run(args, io) {
      const { flags, positional } = parseFlags(args, flagsSchema);
      const [kindArg, ...extra] = positional;
      const kind = parseKind(kindArg);
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
      const db = await open();
      try {
        const orgId = (await resolveOrg(db, flags.org)).id;
        const chunks = exportCsv(db, orgId, kind);
        if (flags.out === undefined) {
          // Each chunk ends with a line end and io.out adds one.
          for await (const chunk of chunks) io.out(chunk.slice(0, -1));
          return 0;
        }
        // Written beside the target and renamed at the end: a failed export never leaves a half file behind.
        const partial = `${flags.out}.partial`;
        try {
          await pipeline(Readable.from(chunks), createWriteStream(partial));
          renameSync(partial, flags.out);
        } catch (error) {
          rmSync(partial, { force: true });
          throw error;
        }
        io.err(`exported ${kind} to ${flags.out}`);
        return 0;
      } finally {
        await db.close();
      }
    },
  };
}

export const command: Command = exportCommand();
