import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { type Database, rows } from "./client.ts";

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

/**
 * Applies every pending migration in one transaction: a failing migration rolls back and leaves the database as it
 * was. On a server, an advisory lock keeps two processes from migrating at once.
 */
export async function migrate(db: Database, folder: string = migrationsFolder): Promise<void> {
  if (db.kind === "pglite") {
    await migratePglite(db.owner as unknown as PgliteDatabase, { migrationsFolder: folder });
    return;
  }
  const client = await db.ownerPool!.connect();
  try {
    await client.query("select pg_advisory_lock(727001)");
    await migratePg(drizzle(client) as unknown as NodePgDatabase, { migrationsFolder: folder });
  } finally {
    await client.query("select pg_advisory_unlock(727001)").catch(() => undefined);
    client.release();
  }
}

/** The number of applied migrations (the schema version reported by /api/health). */
export async function migrationVersion(db: Database): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db.owner,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  ).catch(() => [{ n: 0 }]);
  return row?.n ?? 0;
}
