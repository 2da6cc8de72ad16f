import { and, eq, inArray, sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database, Tx } from "../../db/client.ts";
import { accounts, importRuns, people } from "../../db/schema/index.ts";
import { CsvFileError, readCsv } from "../csv/parse-csv.ts";

/**
 * A small CSV import runner for the product usage and support ticket files: header check, row-numbered errors,
 * idempotent upserts by external id, one transaction, and a record in import_runs. Row numbers count data rows from
 * 1; row 0 is the header or the file.
 */

export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export interface Numbered<T> {
  row: number;
  value: T;
}

export type ImportMode = "refuse_whole" | "keep_valid";

export interface TableSpec<Row> {
  /** Recorded as import_runs.kind. */
  kind: string;
  /** The documented header. */
  columns: readonly string[];
  required: readonly string[];
  /** Parses one row given as {column: cell}; returns the row or its field errors. */
  parse(cells: Record<string, string | undefined>): {
    value?: Row;
    errors: { field: string; reason: string }[];
  };
  /** The external id that makes the import idempotent. */
  key(row: Row): string;
  /** Resolves references and upserts; returns the rows it could not write and the counts. */
  write(tx: Tx, orgId: string, batch: Numbered<Row>[]): Promise<WriteResult>;
}

export interface WriteResult {
  errors: RowError[];
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface TableImportResult {
  runId: string;
  kind: string;
  status: "done" | "refused";
  rowsTotal: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  errors: RowError[];
}

class Refusal extends Error {
  constructor(
    readonly errors: RowError[],
    readonly total: number,
  ) {
    super("import refused");
  }
}

/** An ISO 8601 date-time that names its zone (Z or ±hh:mm); a bare local time is ambiguous and refused. */
export function parseInstant(value: string): Date | string {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    return `not a date/time with a zone (${JSON.stringify(value.slice(0, 40))}); write e.g. 2025-03-01T14:30:00Z`;
  }
  const d = new Date(value.replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? `not a real date/time (${JSON.stringify(value.slice(0, 40))})` : d;
}

export function parseBoolean(value: string): boolean | string {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "1", "y"].includes(v)) return true;
  if (["false", "no", "0", "n"].includes(v)) return false;
  return `not true or false (${JSON.stringify(value.slice(0, 20))})`;
}

async function recordRun(
  tx: Tx,
  orgId: string,
  kind: string,
  fileName: string,
  mode: ImportMode,
  r: Omit<TableImportResult, "runId" | "kind">,
) {
  const [run] = await tx
    .insert(importRuns)
    .values({
      orgId,
      kind,
      fileName,
      mode,
      status: r.status,
      rowsTotal: r.rowsTotal,
      rowsInserted: r.rowsInserted,
      rowsUpdated: r.rowsUpdated,
      rowsUnchanged: r.rowsUnchanged,
      rowsRejected: r.rowsRejected,
      errors: r.errors.slice(0, 10_000),
      finishedAt: new Date(),
    })
    .returning({ id: importRuns.id });
  return run!.id;
}

/** Imports one CSV text (or stream of chunks) of one table kind. */
export async function importTable<Row>(
  db: Database,
  orgId: string,
  spec: TableSpec<Row>,
  input: string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: { fileName: string; mode?: ImportMode; batchSize?: number },
): Promise<TableImportResult> {
  const mode = options.mode ?? "refuse_whole";
  const batchSize = options.batchSize ?? 2000;
  try {
    return await db.withOrg(orgId, async (tx) => {
      const errors: RowError[] = [];
      const counts = { inserted: 0, updated: 0, unchanged: 0, total: 0 };
      let header: string[] | null = null;
      const seen = new Map<string, number>();
      let batch: Numbered<Row>[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const w = await spec.write(tx, orgId, batch);
        errors.push(...w.errors);
        counts.inserted += w.inserted;
        counts.updated += w.updated;
        counts.unchanged += w.unchanged;
        batch = [];
      };
      let dataRow = 0;
      try {
        for await (const { records } of readCsv(typeof input === "string" ? [input] : input)) {
          for (const record of records) {
            if (header === null) {
              header = record.fields.map((f) => f.trim().toLowerCase());
              const unknown = header.filter((h) => !spec.columns.includes(h));
              const missing = spec.required.filter((c) => !header!.includes(c));
              if (unknown.length > 0 || missing.length > 0) {
                throw new Refusal(
                  [
                    ...missing.map((c) => ({
                      row: 0,
                      field: c,
                      reason: "required column missing from the header",
                    })),
                    ...unknown.map((c) => ({
                      row: 0,
                      field: c,
                      reason: `unknown column; the columns are ${spec.columns.join(", ")}`,
                    })),
                  ],
                  0,
                );
              }
              continue;
            }
            if (record.fields.length === 1 && record.fields[0]!.trim() === "") continue;
            dataRow += 1;
            counts.total += 1;
            if (record.error) {
              errors.push({ row: dataRow, field: "", reason: record.error });
              continue;
            }
            if (record.fields.length !== header.length) {
              errors.push({
                row: dataRow,
                field: "",
                reason: `has ${record.fields.length} fields, the header has ${header.length}`,
              });
              continue;
            }
            const cells: Record<string, string | undefined> = {};
            header.forEach((h, i) => {
              cells[h] = record.fields[i];
            });
            const parsed = spec.parse(cells);
            if (!parsed.value) {
              for (const e of parsed.errors) errors.push({ row: dataRow, ...e });
              continue;
            }
            const key = spec.key(parsed.value);
            const first = seen.get(key);
            if (first !== undefined) {
              errors.push({ row: dataRow, field: "external_id", reason: `repeats row ${first}` });
              continue;
            }
            seen.set(key, dataRow);
            batch.push({ row: dataRow, value: parsed.value });
            if (batch.length >= batchSize) await flush();
          }
        }
      } catch (error) {
        if (error instanceof CsvFileError)
          throw new Refusal([{ row: 0, field: "", reason: error.message }], counts.total);
        throw error;
      }
      await flush();
      if (header === null)
        throw new Refusal([{ row: 0, field: "", reason: "the file is empty (no header)" }], 0);
      errors.sort((a, b) => a.row - b.row);
      if (errors.length > 0 && mode === "refuse_whole") throw new Refusal(errors, counts.total);
      const result = {
        status: "done" as const,
        rowsTotal: counts.total,
        rowsInserted: counts.inserted + counts.updated,
        rowsUpdated: counts.updated,
        rowsUnchanged: counts.unchanged,
        rowsRejected: new Set(errors.map((e) => e.row)).size,
        errors,
      };
      const runId = await recordRun(tx, orgId, spec.kind, options.fileName, mode, result);
      return { runId, kind: spec.kind, ...result };
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const result = {
      status: "refused" as const,
      rowsTotal: error.total,
      rowsInserted: 0,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsRejected: new Set(error.errors.map((e) => e.row)).size,
      errors: error.errors,
    };
    const runId = await db.withOrg(orgId, (tx) =>
      recordRun(tx, orgId, spec.kind, options.fileName, mode, result),
    );
    return { runId, kind: spec.kind, ...result };
  }
}

/** Looks up ids by a text key (external id, or lower-cased e-mail for people) for one batch. */
export async function lookup(
  tx: Tx,
  orgId: string,
  table: "accounts" | "people",
  column: "external_id" | "email",
  keys: string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(column === "email" ? keys.map((k) => k.toLowerCase()) : keys)];
  if (unique.length === 0) return new Map();
  if (table === "accounts") {
    const found = await tx
      .select({ id: accounts.id, k: accounts.externalId })
      .from(accounts)
      .where(and(eq(accounts.orgId, orgId), inArray(accounts.externalId, unique)));
    return new Map(found.map((r) => [r.k!, r.id]));
  }
  const key = column === "email" ? sql<string>`lower(${people.email})` : sql<string>`${people.externalId}`;
  const found = await tx
    .select({ id: people.id, k: key })
    .from(people)
    .where(and(eq(people.orgId, orgId), inArray(key, unique)));
  return new Map(found.map((r) => [r.k, r.id]));
}

/** A refused import as an error the HTTP edge can show (the first row error). */
export function refusalError(result: TableImportResult): AppError {
  const e = result.errors[0];
  return new AppError(
    "validation",
    e ? `row ${e.row}${e.field ? `, field ${e.field}` : ""}: ${e.reason}` : "import refused",
    e?.field || undefined,
    result,
  );
}
