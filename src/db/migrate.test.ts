import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
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
});
