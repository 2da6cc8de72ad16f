import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase, rows } from "../src/db/client.ts";
import { templatePath, withDatabase } from "./global-setup.ts";

/**
 * A new database on the test server, created from `template` (or empty), opened as the product opens one and
 * dropped when closed.
 */
async function openServerDatabase(
  serverUrl: string,
  template: string | null,
  poolSize: number,
): Promise<Database> {
  const name = `t_${randomUUID().replace(/-/g, "")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ""}`);
  await admin.end();
  const db = await openDatabase({
    databaseUrl: withDatabase(serverUrl, name),
    appDatabaseUrl: process.env.THROUGHLINE_TEST_APP_DATABASE_URL
      ? withDatabase(process.env.THROUGHLINE_TEST_APP_DATABASE_URL, name)
      : undefined,
    poolSize,
  });
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    const drop = new pg.Client({ connectionString: serverUrl });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
  };
  return db;
}

/**
 * A fresh, migrated database for one test file: a clone of the run's template (PGlite in memory by default, or a
 * new database on the server named by THROUGHLINE_TEST_DATABASE_URL).
 */
export async function openTestDatabase(): Promise<Database> {
  const serverUrl = process.env.THROUGHLINE_TEST_DATABASE_URL;
  if (serverUrl) return openServerDatabase(serverUrl, inject("templateDatabase"), 4);
  const blob = new Blob([readFileSync(templatePath)]);
  return openDatabase({ dataDir: "memory://", loadDataDir: blob });
}

/** An empty database, no migration applied (for tests of the migrations themselves); dropped when closed. */
export async function openEmptyTestDatabase(): Promise<Database> {
  const serverUrl = process.env.THROUGHLINE_TEST_DATABASE_URL;
  if (serverUrl) return openServerDatabase(serverUrl, null, 2);
  return openDatabase({ dataDir: "memory://" });
}

/** Creates an organization (owner-level, as sign-up would) and returns its id. */
export async function createTestOrg(db: Database, name = `Org ${randomUUID().slice(0, 8)}`): Promise<string> {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${randomUUID().slice(0, 6)}`;
  const [row] = await rows<{ id: string }>(
    db.owner,
    sql`insert into organizations (name, slug) values (${name}, ${slug}) returning id`,
  );
  return row!.id;
}
