import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import type { BatchWrite } from "./kind.ts";

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

/** A quoted SQL identifier. */
export const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

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
