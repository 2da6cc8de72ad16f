import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../db/client.ts";

const cli = join(import.meta.dirname, "../../bin/throughline.mjs");

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe("command line", () => {
  it("refuses a misspelt environment variable in one line with exit code 2", () => {
    const r = run(["migrate"], { THROUGHLINE_DATADIR: "/tmp/x" });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("THROUGHLINE_DATADIR");
  });

  it("refuses a bad value of a known variable, naming it", () => {
    const r = run(["migrate"], { PORT: "eighty" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PORT");
  });

  it("refuses an unknown flag with exit code 2 and the usage", () => {
    const r = run(["serve", "--prot", "3000"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--prot");
  });

  it("refuses a second process on the same data folder with a clear message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-lock-"));
    const db = await openDatabase({ dataDir: dir });
    try {
      const r = run(["migrate"], { THROUGHLINE_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/in use by process \d+/);
    } finally {
      await db.close();
    }
    const again = run(["migrate"], { THROUGHLINE_DATA_DIR: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/migration version \d+/);
  });
});
