import { type SQL, sql } from "drizzle-orm";

/** A timestamp column as ISO 8601 text in UTC with microseconds (trimmed by `isoText`). */
export function isoSql(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** "2024-03-01T09:30:00.000000Z" -> "2024-03-01T09:30:00Z"; keeps significant fractions. */
export function isoText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value).replace(/\.(\d*?)0*Z$/, (_, d: string) => (d ? `.${d}Z` : "Z"));
}

/** A nullable value as a cell. */
export function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** A nullable boolean as "true"/"false". */
export function boolCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value === true || value === "t" || value === "true" ? "true" : "false";
}
