import { AppError } from "../errors.ts";
import { checkJourneyAmounts, type JourneyTable, JourneyTableBuilder, splitPath } from "./journey-table.ts";

const COLUMNS = ["path", "conversions", "value", "nulls"] as const;
type Column = (typeof COLUMNS)[number];

/** Splits one CSV record (RFC 4180 quoting, no embedded newlines) into fields; `label` names it in errors. */
export function splitCsvLine(line: string, label: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let field = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new AppError("validation", `${label}: unterminated quoted field`);
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(field);
      if (i === line.length) return fields;
      if (line[i] !== ",") throw new AppError("validation", `${label}: text after a closing quote`);
      i++;
    } else {
      const comma = line.indexOf(",", i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * Reads ChannelAttribution's aggregated-path CSV one line at a time (the caller streams the file), straight into
 * the columnar form. Header: `path,conversions[,value][,nulls]` in any order; path is channel names joined by
 * " > " in time order. Rows with the same path add up into one journey. Rows are numbered like the file's lines
 * (the header is row 1); blank lines are skipped. Errors are AppError("validation", "row N: reason", column).
 */
export class PathsCsvReader {
  private readonly builder = new JourneyTableBuilder({ keyBy: "channel" });
  private readonly byPath = new Map<string, number>();
  private positions: Record<Column, number> | null = null;
  private width = 0;

  /** Feeds line `rowNumber` (1-based, header first). */
  line(text: string, rowNumber: number): void {
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (rowNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === "") return;
    const label = `row ${rowNumber}`;
    const fields = splitCsvLine(text, label);
    if (this.positions === null) {
      this.header(fields, label);
      return;
    }
    if (fields.length !== this.width) {
      throw new AppError("validation", `${label}: expected ${this.width} fields, got ${fields.length}`);
    }
    const pos = this.positions;
    const channels = splitPath(fields[pos.path]!, label);
    const amounts = checkJourneyAmounts(
      label,
      this.number(fields, pos.conversions, "conversions", label)!,
      this.number(fields, pos.value, "value", label),
      this.number(fields, pos.nulls, "nulls", label),
    );
    const key = channels.join(" > ");
    const existing = this.byPath.get(key);
    if (existing !== undefined) {
      this.builder.addToJourney(existing, amounts.conversions, amounts.value, amounts.nulls);
    } else {
      this.byPath.set(key, this.builder.journeyCount);
      this.builder.addPath(channels, amounts.conversions, amounts.value, amounts.nulls);
    }
  }

  /** The table read so far; an input without a header is an error, one with no rows is an empty table. */
  finish(): JourneyTable {
    if (this.positions === null)
      throw new AppError("validation", "row 1: missing header path,conversions,value,nulls");
    return this.builder.build();
  }

  private header(fields: string[], label: string): void {
    const pos: Record<Column, number> = { path: -1, conversions: -1, value: -1, nulls: -1 };
    fields.forEach((raw, i) => {
      const name = raw.trim().toLowerCase();
      if (!(COLUMNS as readonly string[]).includes(name)) {
        throw new AppError(
          "validation",
          `${label}: unknown column "${raw}"; expected ${COLUMNS.join(",")} (value and nulls optional)`,
          "header",
        );
      }
      if (pos[name as Column] >= 0)
        throw new AppError("validation", `${label}: duplicate column "${name}"`, "header");
      pos[name as Column] = i;
    });
    for (const required of ["path", "conversions"] as const) {
      if (pos[required] < 0)
        throw new AppError("validation", `${label}: missing column "${required}"`, "header");
    }
    this.positions = pos;
    this.width = fields.length;
  }

  private number(fields: string[], at: number, column: Column, label: string): number | undefined {
    if (at < 0) return undefined;
    const raw = fields[at]!.trim();
    const n = raw === "" ? Number.NaN : Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      throw new AppError(
        "validation",
        `${label}: ${column} must be a number >= 0, got "${fields[at]}"`,
        column,
      );
    }
    return n;
  }
}

/** Reads a whole CSV text (tests, small inputs); files should be streamed line by line into PathsCsvReader. */
export function readPathsCsv(text: string): JourneyTable {
  const reader = new PathsCsvReader();
  text.split("\n").forEach((line, i) => {
    reader.line(line, i + 1);
  });
  return reader.finish();
}
