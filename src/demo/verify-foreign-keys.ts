import { sql } from "drizzle-orm";
import { AppError } from "../core/errors.ts";
import { type Database, quoteIdent, rows } from "../db/client.ts";
import { TABLE_ORDER } from "./tables.ts";

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
}

/** The foreign keys of the tables the demo loads, read from the catalog (so they always match the schema). */
async function foreignKeys(db: Database): Promise<ForeignKey[]> {
  const fks = await rows<{
    name: string;
    child: string;
    parent: string;
    child_columns: string[];
    parent_columns: string[];
  }>(
    db.owner,
    sql`select c.conname as name, cl.relname as child, pl.relname as parent,
          array(select a.attname from unnest(c.conkey) with ordinality k(n, i)
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)::text[] as child_columns,
          array(select a.attname from unnest(c.confkey) with ordinality k(n, i)
                join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)::text[] as parent_columns
        from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid
        join pg_class pl on pl.oid = c.confrelid
        join pg_namespace n on n.oid = cl.relnamespace
        where c.contype = 'f' and n.nspname = 'public'`,
  );
  const loaded = new Set<string>(TABLE_ORDER);
  return fks
    .filter((f) => loaded.has(f.child))
    .map((f) => ({
      name: f.name,
      child: f.child,
      parent: f.parent,
      childColumns: f.child_columns,
      parentColumns: f.parent_columns,
    }));
}

/**
 * Checks every foreign key of one organization's rows set-wise (one anti-join per key): the same guarantee as the
 * per-row checks a bulk load skipped, at a fraction of their cost. Throws naming the key and a count of orphans.
 */
export async function verifyForeignKeys(db: Database, orgId: string): Promise<void> {
  for (const fk of await foreignKeys(db)) {
    const notNull = fk.childColumns.map((c) => `c.${quoteIdent(c)} is not null`).join(" and ");
    const join = fk.childColumns
      .map((c, i) => `p.${quoteIdent(fk.parentColumns[i]!)} = c.${quoteIdent(c)}`)
      .join(" and ");
    const query = `select count(*)::int as n from ${quoteIdent(fk.child)} c where c.org_id = $1 and ${notNull}
      and not exists (select 1 from ${quoteIdent(fk.parent)} p where ${join})`;
    const [r] = await rows<{ n: number }>(
      db.owner,
      sql.raw(query.replace("$1", `'${orgId.replace(/[^0-9a-f-]/gi, "")}'`)),
    );
    if ((r?.n ?? 0) > 0) {
      throw new AppError(
        "internal",
        `demo load broke foreign key ${fk.name}: ${r!.n} ${fk.child} rows point to no ${fk.parent} row`,
      );
    }
  }
}
