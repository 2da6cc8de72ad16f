import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";

/**
 * Migrates one template per test run; every test file clones it (a new PGlite takes seconds, a clone well under one).
 * With THROUGHLINE_TEST_DATABASE_URL set, the template is a database on that PostgreSQL server instead.
 */
export default async function setup(): Promise<void> {
  const serverUrl = process.env.THROUGHLINE_TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query("drop database if exists throughline_template");
    await admin.query("create database throughline_template");
    await admin.end();
    const db = await openDatabase({ databaseUrl: withDatabase(serverUrl, "throughline_template") });
    await migrate(db);
    await db.close();
    return;
  }
  const db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir("none");
  mkdirSync(templateDir, { recursive: true });
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await db.close();
}

export const templateDir = join(process.cwd(), ".tmp");
export const templatePath = join(templateDir, "template.tar");

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
