import { sql } from "drizzle-orm";
import { type Database, rows } from "../db/client.ts";

/** Organizations with queued email or pending jobs due by `now` (the one cross-organization look-up workers make). */
export async function orgsWithDueWork(db: Database, now: Date): Promise<string[]> {
  const found = await db.asApp((tx) =>
    rows<{ id: string }>(
      tx,
      sql`select o as id from orgs_with_due_work(${now.toISOString()}::timestamptz) o`,
    ),
  );
  return found.map((r) => r.id);
}
