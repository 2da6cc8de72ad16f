import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { rows, type Tx } from "../../db/client.ts";

/** The kinds of CSV the product imports and exports, as named on the command line. */
export const importKinds = ["accounts", "people", "opportunities", "stage-changes", "touchpoints"] as const;
export type ImportKind = (typeof importKinds)[number];

/** One problem with one row. `row` counts data rows from 1 (the header is not counted; 0 is the header itself). */
export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export interface Numbered<T> {
  /** Data row number, from 1. */
  row: number;
  value: T;
}

/** What one batch wrote: rows inserted, and rows that existed and changed (upserted kinds only). */
export interface BatchWrite {
  inserted: number;
  updated: number;
}

/** A batch after its database-side checks: the errors of the rows that failed, and the write of the others. */
export interface PreparedBatch {
  errors: RowError[];
  /** Writes the rows that passed; null when none did. */
  write: (() => Promise<BatchWrite>) | null;
}

/** One import run's writer: holds the run's caches (references already looked up). */
export interface BatchWriter<Row> {
  /** Looks up references and other database-side checks for a batch (runs inside the import's transaction). */
  prepare(tx: Tx, batch: readonly Numbered<Row>[]): Promise<PreparedBatch>;
}

/** Everything the import and export services know about one kind. */
export interface KindSpec<Row> {
  kind: ImportKind;
  /** The documented header, in export order. */
  columns: readonly string[];
  /** Columns the header must have (the others may be left out). */
  required: readonly string[];
  /** Validates one row given as {column: cell}; columns missing from the header are undefined. */
  rowSchema: z.ZodType<Row>;
  /**
   * Upserted kinds: the identity of a row, which a file may hold once (two versions of one record in one file
   * are a mistake). Append-only kinds leave it out: a repeated key is left alone, as one already in the database
   * is (and the file is not held in memory to find repeats).
   */
  key?: (row: Row) => string;
  /** The field named when a key repeats. */
  keyField: string;
  /** A writer for one run, given the columns present in the file's header. */
  writer(orgId: string, present: ReadonlySet<string>): BatchWriter<Row>;
  /** The export query: one row per record, text columns named as the header, in a stable order. */
  exportQuery(orgId: string): SQL;
  /** Turns one exported row into the header's cells. */
  exportRow(row: Record<string, unknown>): (string | null)[];
}

/** A PostgreSQL array literal of text elements, every element quoted: passed as one parameter and cast. */
export function pgArray(values: readonly (string | number | boolean | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = "NULL";
    else if (typeof v !== "string") parts[i] = String(v);
    else if (v.includes('"') || v.includes("\\")) parts[i] = `"${v.replace(/["\\]/g, "\\$&")}"`;
    else parts[i] = `"${v}"`;
  }
  return `{${parts.join(",")}}`;
}

export type PgType = "text" | "timestamptz" | "boolean" | "integer" | "bigint" | "uuid" | "jsonb";

/** One column of a batch: its name in the table, its type and one value per row. */
export interface BatchColumn {
  name: string;
  type: PgType;
  values: readonly (string | number | boolean | null | undefined)[];
}

export interface WriteBatchOptions {
  table: string;
  orgId: string;
  columns: readonly BatchColumn[];
  /** The unique key after org_id (ON CONFLICT target). */
  conflict: readonly string[];
  /** Upsert: update the other columns when they differ. Otherwise the row is left alone (append-only). */
  update: boolean;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

/**
 * The write of one batch as a single statement: the rows travel as one array parameter per column, unnested into
 * rows, so the statement text does not grow with the batch. The statement is built now (the CPU work, done while
 * the previous batch is still in the database) and run when the returned function is called. It gives rows
 * inserted and rows updated (an upsert skips rows whose values are all the same: those count as unchanged).
 */
export function batchWrite(tx: Tx, options: WriteBatchOptions): () => Promise<BatchWrite> {
  const { table, orgId, columns, conflict, update } = options;
  const names = columns.map((c) => ident(c.name));
  const arrays = columns.map((c) => sql`${pgArray(c.values)}::${sql.raw(c.type)}[]`);
  const setColumns = columns.filter((c) => !conflict.includes(c.name));
  const insert = sql`insert into ${ident(table)} as x (org_id, ${sql.join(names, sql`, `)})
    select ${orgId}::uuid, ${sql.join(names, sql`, `)}
    from unnest(${sql.join(arrays, sql`, `)}) as t(${sql.join(names, sql`, `)})
    on conflict (org_id, ${sql.join(
      conflict.map((c) => ident(c)),
      sql`, `,
    )})`;
  if (!update || setColumns.length === 0) {
    // Append-only: the command's row count is the rows inserted (no RETURNING to carry back).
    const statement = sql`${insert} do nothing`;
    return async () => ({ inserted: affectedRows(await tx.execute(statement)), updated: 0 });
  }
  const set = sql.join(
    setColumns.map((c) => sql`${ident(c.name)} = excluded.${ident(c.name)}`),
    sql`, `,
  );
  const mine = sql.join(
    setColumns.map((c) => sql`x.${ident(c.name)}`),
    sql`, `,
  );
  const theirs = sql.join(
    setColumns.map((c) => sql`excluded.${ident(c.name)}`),
    sql`, `,
  );
  // xmax is 0 on a row this statement inserted and set on one it updated.
  const statement = sql`with w as (
      ${insert} do update set ${set} where (${mine}) is distinct from (${theirs})
      returning (x.xmax = 0) as inserted
    )
    select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
    from w`;
  return async () => {
    const [result] = await rows<{ inserted: number; updated: number }>(tx, statement);
    return { inserted: Number(result?.inserted ?? 0), updated: Number(result?.updated ?? 0) };
  };
}

/** Rows a command touched, the same on both drivers (node-postgres: rowCount, PGlite: affectedRows). */
function affectedRows(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

/**
 * Resolves external ids (or e-mail addresses) of one table to row ids within the organization, caching what it
 * has seen for the rest of the run. Row-level security already hides other organizations; the org_id condition
 * is there so the (org_id, key) index answers.
 */
export class ReferenceLookup {
  private readonly cache = new Map<string, string | null>();

  constructor(
    private readonly orgId: string,
    private readonly table: "accounts" | "people" | "opportunities" | "events",
    private readonly by: "external_id" | "email",
  ) {}

  /** The cache key of a reference as written in the file (e-mail addresses compare without case). */
  normalize(reference: string): string {
    return this.by === "email" ? reference.toLowerCase() : reference;
  }

  /** Looks up every reference not seen yet. */
  async load(tx: Tx, references: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const r of references) {
      const key = this.normalize(r);
      if (!this.cache.has(key)) missing.add(key);
    }
    if (missing.size === 0) return;
    const keys = [...missing];
    const column = this.by === "email" ? sql`lower(email)` : sql`external_id`;
    const found = await rows<{ key: string; id: string }>(
      tx,
      sql`select ${column} as key, id from ${ident(this.table)}
          where org_id = ${this.orgId}::uuid and ${column} = any(${pgArray(keys)}::text[])`,
    );
    for (const k of keys) this.cache.set(k, null);
    for (const f of found) this.cache.set(f.key, f.id);
  }

  /** The id of a loaded reference, or null when the organization has no such row. */
  get(reference: string): string | null {
    return this.cache.get(this.normalize(reference)) ?? null;
  }
}

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
