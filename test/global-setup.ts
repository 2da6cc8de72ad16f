import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";

/**
 * Migrates one template per test run; every test file clones it (a new PGlite takes seconds, a clone well under one).
 * With THROUGHLINE_TEST_DATABASE_URL set, the template is a database on that PostgreSQL server instead.
 */
export default async function setup(project: {
  provide: (key: "templateDatabase", value: string) => void;
}): Promise<(() => Promise<void>) | undefined> {
  const serverUrl = process.env.THROUGHLINE_TEST_DATABASE_URL;
  if (serverUrl) {
    // A template of its own per run, so two runs against one server never drop each other's.
    const name = `tl_template_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const db = await openDatabase({ databaseUrl: withDatabase(serverUrl, name) });
    await migrate(db);
    await db.close();
    project.provide("templateDatabase", name);
    return async () => {
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    };
  }
  const db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir();
  mkdirSync(templateDir, { recursive: true });
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  return undefined;
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export const templateDir = join(process.cwd(), ".tmp");
export const templatePath = join(templateDir, "template.tar");

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
