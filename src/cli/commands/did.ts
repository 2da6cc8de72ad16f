import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { DEFAULT_SEED } from "../../core/stats/bootstrap.ts";
import { didBootstrap, didRegression, type PanelRow } from "../../core/stats/did.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";

const flagsSchema = z
  .object({
    /** CSV with header unit,treated,post,outcome (any column order; other columns are ignored). */
    panel: z.string().min(1),
    /** Resamples of the cluster bootstrap; omitted = no bootstrap. */
    bootstrap: z.coerce.number().int().min(100).max(1_000_000).optional(),
    seed: z.coerce.number().int().optional(),
  })
  .strict();

const COLUMNS = ["unit", "treated", "post", "outcome"] as const;
type Column = (typeof COLUMNS)[number];

/** Splits one CSV line into fields: commas, double-quoted fields with "" escapes, surrounding spaces trimmed. */
function splitCsvLine(line: string, row: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    let field = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new AppError("validation", `row ${row}: unterminated quoted field`);
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (line[i] === " " || line[i] === "\t") i++;
      if (i < line.length && line[i] !== ",")
        throw new AppError("validation", `row ${row}: text after a quoted field`);
    } else {
      const comma = line.indexOf(",", i);
      field = (comma < 0 ? line.slice(i) : line.slice(i, comma)).trim();
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

function flag01(text: string, field: Column, row: number): 0 | 1 {
  if (text === "0") return 0;
  if (text === "1") return 1;
  throw new AppError("validation", `row ${row}: ${field} must be 0 or 1, got "${text}"`, field);
}

/**
 * Reads a panel CSV. Rows are numbered as in a spreadsheet: the header is row 1, so "row 5" is the fifth line of
 * the file (blank lines count too). Every problem names its row and field.
 */
export async function readPanelCsv(file: string): Promise<PanelRow[]> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  const rows: PanelRow[] = [];
  const unitTreated = new Map<string, { treated: 0 | 1; row: number }>();
  let index: Record<Column, number> | undefined;
  let width = 0;
  let row = 0;
  try {
    for await (const raw of lines) {
      row++;
      const line = row === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (line.trim() === "") continue;
      const fields = splitCsvLine(line, row);
      if (!index) {
        const names = fields.map((f) => f.toLowerCase());
        const found = {} as Record<Column, number>;
        for (const column of COLUMNS) {
          const at = names.indexOf(column);
          if (at < 0) {
            throw new AppError("validation", `row ${row}: header is missing column ${column}`, column);
          }
          found[column] = at;
        }
        index = found;
        width = fields.length;
        continue;
      }
      if (fields.length !== width) {
        throw new AppError("validation", `row ${row}: expected ${width} fields, got ${fields.length}`);
      }
      const unit = fields[index.unit]!;
      if (unit === "") throw new AppError("validation", `row ${row}: unit is empty`, "unit");
      const treated = flag01(fields[index.treated]!, "treated", row);
      const post = flag01(fields[index.post]!, "post", row);
      const outcomeText = fields[index.outcome]!;
      const outcome = outcomeText === "" ? Number.NaN : Number(outcomeText);
      if (!Number.isFinite(outcome)) {
        throw new AppError(
          "validation",
          `row ${row}: outcome must be a number, got "${outcomeText}"`,
          "outcome",
        );
      }
      const seen = unitTreated.get(unit);
      if (!seen) unitTreated.set(unit, { treated, row });
      else if (seen.treated !== treated) {
        throw new AppError(
          "validation",
          `row ${row}: treated is ${treated} but unit ${unit} has treated ${seen.treated} in row ${seen.row}`,
          "treated",
        );
      }
      rows.push({ unit, treated, post, outcome });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new AppError("not_found", `panel file not found: ${file}`, "panel");
    throw new AppError("unavailable", `cannot read panel file ${file}: ${(error as Error).message}`, "panel");
  } finally {
    lines.close();
  }
  if (!index)
    throw new AppError("validation", "panel file is empty: expected a header unit,treated,post,outcome");
  if (rows.length === 0) throw new AppError("validation", "panel file has a header but no rows");
  return rows;
}

export const command: Command = {
  name: "did",
  summary: "Difference-in-differences of a panel with unit-clustered standard error",
  usage: "throughline did --panel <file.csv> [--bootstrap <resamples> [--seed <n>]]",
  async run(args, io) {
    const { flags, positional } = parseFlags(args, flagsSchema);
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    if (flags.seed !== undefined && flags.bootstrap === undefined) {
      throw new UsageError("--seed applies only with --bootstrap");
    }
    const rows = await readPanelCsv(flags.panel);
    const r = didRegression(rows);
    const out: Record<string, unknown> = {
      estimate: r.estimate,
      std_error: r.stdError,
      ci95: r.ci,
      n_units: r.nUnits,
      n_obs: r.nObs,
      df: r.df,
    };
    if (flags.bootstrap !== undefined) {
      const b = didBootstrap(rows, { resamples: flags.bootstrap, seed: flags.seed ?? DEFAULT_SEED });
      out.bootstrap = {
        ci95: b.ci,
        std_error: b.se,
        resamples: b.resamples,
        seed: b.seed,
        invalid_resamples: b.invalidResamples,
      };
    }
    io.out(JSON.stringify(out, null, 2));
    return 0;
  },
};
