import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEmptyTestDatabase, openTestDatabase } from "../../test/db.ts";
import { type Database, rows } from "./client.ts";
import { migrate, migrationsFolder, migrationVersion } from "./migrate.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

/** A copy of the real migrations plus one more whose second statement fails. */
function foldersWithFailingMigration(): string {
  const dir = mkdtempSync(join(tmpdir(), "tl-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  const last = journal.entries.at(-1)!;
  const tag = `${String(last.idx + 1).padStart(4, "0")}_broken`;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(
    join(dir, `${tag}.sql`),
    `CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELECT no_such_function();`,
  );
  return dir;
}

/** A copy of the real migrations up to and including the one numbered `last`. */
function foldersUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), "tl-migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe("migrate", () => {
  it("is idempotent: a second run applies nothing and keeps the version", async () => {
    const before = await migrationVersion(db);
    await migrate(db);
    expect(await migrationVersion(db)).toBe(before);
    expect(before).toBeGreaterThanOrEqual(2);
  });

  it("rolls a failed migration back and leaves the database usable", async () => {
    const before = await migrationVersion(db);
    await expect(migrate(db, foldersWithFailingMigration())).rejects.toThrow();
    expect(await migrationVersion(db)).toBe(before);
    const [t] = await rows<{ n: number }>(
      db.owner,
      sql`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`,
    );
    expect(t!.n).toBe(0);
    const [ok] = await rows<{ n: number }>(db.owner, sql`select count(*)::int as n from organizations`);
    expect(ok!.n).toBeGreaterThanOrEqual(0);
  });

  it("turns separators already in touch names into spaces (as journeys were read before) and cuts names too long to index, then refuses both", async () => {
    const old = await openEmptyTestDatabase();
    try {
      await migrate(old, foldersUpTo(11));
      const [org] = await rows<{ id: string }>(
        old.owner,
        sql`insert into organizations (name, slug) values ('Old', 'old') returning id`,
      );
      await old.owner.execute(sql`insert into touchpoints (org_id, source, occurred_at, channel, kind, online, campaign)
        values (${org!.id}, 'crm', now(), 'web', ${"visit\u001f"}, true, ${"spring\u001epush"}),
               (${org!.id}, 'crm', now(), 'email', 'open', false, null),
               (${org!.id}, 'crm', now(), 'ads', 'click', true, ${"c".repeat(4000)})`);
      await migrate(old);
      const after = await rows<{ channel: string; kind: string; campaign: string | null }>(
        old.owner,
        sql`select channel, kind, campaign from touchpoints order by channel desc`,
      );
      expect(after).toEqual([
        { channel: "web", kind: "visit ", campaign: "spring push" },
        { channel: "email", kind: "open", campaign: null },
        // Too long for the journey index: cut to the limit, once.
        { channel: "ads", kind: "click", campaign: "c".repeat(255) },
      ]);
      await expect(
        old.owner.execute(sql`insert into touchpoints (org_id, source, occurred_at, channel, kind, online)
          values (${org!.id}, 'crm', now(), 'web', ${"a\u001eb"}, true)`),
      ).rejects.toMatchObject({ cause: { constraint: "touchpoints_names_check" } });
    } finally {
      await old.close();
    }
  });
});
