import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/db.ts";
import { templatePath } from "../../../test/global-setup.ts";
import { type Database, openDatabase } from "../../db/client.ts";
import type { Command } from "../command.ts";
import { runCli } from "../main.ts";
import { exportCommand } from "./export.ts";
import { importCommand } from "./import.ts";

const dir = mkdtempSync(join(tmpdir(), "import-cli-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function capture(run: (io: { out: (t: string) => void; err: (t: string) => void }) => Promise<number>) {
  const result: Run = { code: 0, out: "", err: "" };
  result.code = await run({
    out: (t) => {
      result.out += `${t}\n`;
    },
    err: (t) => {
      result.err += `${t}\n`;
    },
  });
  return result;
}

const cli = (...args: string[]) => capture((io) => runCli(args, io));

describe("throughline import / export through the environment's database", () => {
  const env = { ...process.env };
  afterAll(() => {
    process.env = env;
  });

  it("opens the embedded database in THROUGHLINE_DATA_DIR and imports into its only organization", async () => {
    delete process.env.DATABASE_URL;
    delete process.env.DATABASE_APP_URL;
    process.env.THROUGHLINE_DATA_DIR = join(dir, "data");
    // Seed the folder from the run's migrated template (an empty folder would be created and migrated from scratch).
    const db = await openDatabase({
      dataDir: process.env.THROUGHLINE_DATA_DIR,
      loadDataDir: new Blob([readFileSync(templatePath)]),
    });
    await db.owner.execute(sql`insert into organizations (name, slug) values ('Acme Events', 'acme')`);
    await db.close();
    const accounts = file("env-accounts.csv", 'external_id,name\nA-1,Acme\nA-2,"Globex, Inc."\n');
    const result = await cli("import", "accounts", accounts);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toMatch(/^accounts from env-accounts\.csv: 2 rows, 2 written/);
  });
});

describe("throughline import / export", () => {
  let db: Database;
  let importer: Command;
  let exporter: Command;
  beforeAll(async () => {
    db = await openTestDatabase();
    await db.owner.execute(sql`insert into organizations (name, slug) values ('Acme Events', 'acme')`);
    // The commands close what they open: hand them the shared database with a close that does nothing.
    const open = async () => ({ ...db, close: async () => {} });
    importer = importCommand(open);
    exporter = exportCommand(open);
  });
  afterAll(async () => {
    await db.close();
  });
  const run = (command: Command, ...args: string[]) => capture((io) => command.run(args, io));

  it("imports into the only organization, then adds nothing the second time", async () => {
    const accounts = file("accounts.csv", 'external_id,name,employees\nA-1,Acme,10\nA-2,"Globex, Inc.",\n');
    const first = await run(importer, "accounts", accounts);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toMatch(
      /^accounts from accounts\.csv: 2 rows, 2 written \(0 of them updates\), 0 unchanged, 0 rejected \(import run [0-9a-f-]{36}\)\n$/,
    );
    const second = await run(importer, "accounts", accounts, "--org", "acme");
    expect(second.out).toMatch(/2 rows, 0 written \(0 of them updates\), 2 unchanged, 0 rejected/);
  });

  it("refuses a file with a bad row (exit 1), naming row, field and reason, or keeps the valid rows when asked", async () => {
    const people = file(
      "people.csv",
      "external_id,email,account_external_id\nP-1,ann@acme.test,A-1\nP-2,not-an-email,A-1\nP-3,cy@x.test,A-9\n",
    );
    const refused = await run(importer, "people", people);
    expect(refused.code).toBe(1);
    expect(refused.err.split("\n").slice(1)).toEqual([
      "errors (rows are data rows counted from 1 after the header, so row N is spreadsheet row N+1):",
      '  row 2, field email: not an email address ("not-an-email")',
      '  row 3, field account_external_id: no account with external_id "A-9"',
      "",
    ]);
    expect(refused.err).toMatch(/^people from people\.csv: refused, nothing written; 2 of 3 rows rejected/);
    const kept = await run(importer, "people", people, "--keep-valid");
    expect(kept.code).toBe(0);
    expect(kept.out).toMatch(/3 rows, 1 written .* 2 rejected/);
  });

  it("exports to stdout and to a file in the import's header, never leaving a half-written file", async () => {
    const stdout = await run(exporter, "accounts");
    expect(stdout).toMatchObject({ code: 0 });
    expect(stdout.out).toBe(
      'external_id,name,domain,segment,industry,employees,territory\nA-1,Acme,,,,10,\nA-2,"Globex, Inc.",,,,,\n',
    );
    const out = join(dir, "no-such-folder", "people.csv");
    await expect(run(exporter, "people", "--out", out)).rejects.toThrow(/ENOENT/);
    expect(existsSync(`${out}.partial`)).toBe(false);
    const target = join(dir, "people-export.csv");
    expect((await run(exporter, "people", "--out", target)).code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(
      "external_id,email,first_name,last_name,title,account_external_id,buying_role\nP-1,ann@acme.test,,,,A-1,\n",
    );
  });

  it("answers bad usage with exit 2 and a missing file with exit 1", async () => {
    expect(await cli("import", "widgets", "x.csv")).toMatchObject({ code: 2 });
    expect((await cli("import", "widgets", "x.csv")).err).toMatch(
      /unknown kind "widgets"; one of accounts, people/,
    );
    expect((await cli("import", "accounts")).err).toMatch(/name the CSV file to import/);
    expect(await cli("import", "accounts", "x.csv", "--orgg", "acme")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown flag --orgg/),
    });
    expect(await cli("export", "accounts", "extra")).toMatchObject({ code: 2 });
    expect(await cli("import", "accounts", join(dir, "missing.csv"))).toMatchObject({
      code: 1,
      err: expect.stringMatching(/not_found: file not found/),
    });
    await expect(run(exporter, "accounts", "--org", "nope")).rejects.toThrow(
      /flag --org: no organization "nope"; organizations: /,
    );
  });

  it("requires --org when there are several organizations", async () => {
    await db.owner.execute(sql`insert into organizations (name, slug) values ('Beta', 'beta')`);
    await expect(run(exporter, "accounts")).rejects.toThrow(
      /several organizations; pass --org <slug> \(acme, beta\)/,
    );
    expect((await run(exporter, "accounts", "--org", "beta")).out).toBe(
      "external_id,name,domain,segment,industry,employees,territory\n",
    );
  });
});
