import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../test/db.ts";
import { type Database, rows } from "./client.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("tenancy", () => {
  it("puts org_id first in the primary key and enables row-level security on every tenant table", async () => {
    const tables = await rows<{ table_name: string; rls: boolean; pk: string[] }>(
      db.owner,
      sql`select c.relname as table_name, c.relrowsecurity as rls,
            (select array_agg(a.attname::text order by k.ord) from pg_index i
               cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             where i.indrelid = c.oid and i.indisprimary) as pk
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r'
            and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id')`,
    );
    expect(tables.length).toBeGreaterThan(30);
    for (const t of tables) {
      expect({ table: t.table_name, rls: t.rls }).toEqual({ table: t.table_name, rls: true });
      expect({ table: t.table_name, first: t.pk[0] }).toEqual({ table: t.table_name, first: "org_id" });
    }
  });

  it("shows an organization only its own rows and refuses writes into another", async () => {
    const a = await createTestOrg(db, "Alpha");
    const b = await createTestOrg(db, "Beta");
    await db.withOrg(a, (tx) => tx.execute(sql`insert into accounts (org_id, name) values (${a}, 'Acme')`));
    const seenByA = await db.withOrg(a, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int n from accounts`),
    );
    const seenByB = await db.withOrg(b, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int n from accounts`),
    );
    expect(seenByA[0]!.n).toBe(1);
    expect(seenByB[0]!.n).toBe(0);
    await expect(
      db.withOrg(b, (tx) => tx.execute(sql`insert into accounts (org_id, name) values (${a}, 'Planted')`)),
    ).rejects.toThrow();
    const orgsSeenByB = await db.withOrg(b, (tx) =>
      rows<{ id: string }>(tx, sql`select id from organizations`),
    );
    expect(orgsSeenByB.map((o) => o.id)).toEqual([b]);
  });

  it("keeps the touchpoint timeline append-only for the application", async () => {
    const a = await createTestOrg(db);
    await db.withOrg(a, (tx) =>
      tx.execute(
        sql`insert into touchpoints (org_id, source, external_id, occurred_at, channel, kind, online)
            values (${a}, 'test', 'x1', now(), 'email', 'open', true)`,
      ),
    );
    await expect(
      db.withOrg(a, (tx) => tx.execute(sql`update touchpoints set channel = 'web'`)),
    ).rejects.toThrow();
    await expect(db.withOrg(a, (tx) => tx.execute(sql`delete from touchpoints`))).rejects.toThrow();
  });

  it("sees nothing at all without an organization", async () => {
    const a = await createTestOrg(db);
    await db.withOrg(a, (tx) => tx.execute(sql`insert into accounts (org_id, name) values (${a}, 'Hidden')`));
    const seen = await db.asApp((tx) => rows<{ n: number }>(tx, sql`select count(*)::int n from accounts`));
    expect(seen[0]!.n).toBe(0);
  });
});
