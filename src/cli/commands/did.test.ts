import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../main.ts";

const dir = mkdtempSync(join(tmpdir(), "did-cli-"));
let files = 0;
function panel(text: string): string {
  const file = join(dir, `panel-${++files}.csv`);
  writeFileSync(file, text);
  return file;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(["did", ...args], {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

// The worked example of src/core/stats/did.test.ts: DiD 2, clustered SE √(7/3), df 3.
const WORKED = `unit,treated,post,outcome
A,1,0,1
A,1,1,4
B,1,0,3
B,1,1,8
C,0,0,2
C,0,1,3
D,0,0,4
D,0,1,7
`;

describe("throughline did", () => {
  it("prints the estimate, clustered SE and t interval of the worked example", async () => {
    const { code, out } = await cli("--panel", panel(WORKED));
    expect(code).toBe(0);
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(["estimate", "std_error", "ci95", "n_units", "n_obs", "df"]);
    expect(r.estimate).toBeCloseTo(2, 12);
    expect(r.std_error).toBeCloseTo(Math.sqrt(7 / 3), 12);
    const [lo, hi] = r.ci95 as [number, number];
    expect(lo).toBeCloseTo(-2.86126703, 7);
    expect(hi).toBeCloseTo(6.86126703, 7);
    expect(r).toMatchObject({ n_units: 4, n_obs: 8, df: 3 });
  });

  it("accepts any column order, quotes, CRLF, a BOM and extra columns", async () => {
    const text = `\uFEFFoutcome,post,"unit",note,treated\r\n${WORKED.trim()
      .split("\n")
      .slice(1)
      .map((l) => {
        const [u, t, p, o] = l.split(",");
        return `${o},${p},"${u}","a, b",${t}`;
      })
      .join("\r\n")}\r\n`;
    const { code, out } = await cli("--panel", panel(text));
    expect(code).toBe(0);
    expect((JSON.parse(out) as { estimate: number }).estimate).toBeCloseTo(2, 12);
  });

  it("adds a seeded bootstrap interval that repeats for the same seed", async () => {
    const lines = ["unit,treated,post,outcome"];
    for (let u = 0; u < 30; u++) {
      for (const post of [0, 1])
        lines.push(`u${u},${u % 2},${post},${((u * 7919 + post * 104729) % 97) / 10 + post * (u % 2)}`);
    }
    const file = panel(lines.join("\n"));
    const a = await cli("--panel", file, "--bootstrap", "500", "--seed", "7");
    const b = await cli("--panel", file, "--bootstrap=500", "--seed=7");
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const r = JSON.parse(a.out) as {
      estimate: number;
      bootstrap: { ci95: [number, number]; resamples: number; seed: number };
    };
    expect(r.bootstrap.resamples).toBe(500);
    expect(r.bootstrap.seed).toBe(7);
    expect(r.bootstrap.ci95[0]).toBeLessThan(r.estimate);
    expect(r.bootstrap.ci95[1]).toBeGreaterThan(r.estimate);
    const noSeed = JSON.parse((await cli("--panel", file, "--bootstrap", "200")).out) as {
      bootstrap: { seed: number };
    };
    expect(noSeed.bootstrap.seed).toBe(1);
  });

  it.each([
    [
      "a treated value that is not 0/1",
      "A,1,0,1\nA,yes,1,4",
      'row 3: treated must be 0 or 1, got "yes" (field treated)',
    ],
    ["a post value that is not 0/1", "A,1,0,1\nA,1,2,4", 'row 3: post must be 0 or 1, got "2" (field post)'],
    [
      "a non-numeric outcome",
      "A,1,0,1\nA,1,1,n/a",
      'row 3: outcome must be a number, got "n/a" (field outcome)',
    ],
    ["an empty outcome", "A,1,0,", 'row 2: outcome must be a number, got "" (field outcome)'],
    ["an empty unit", ",1,0,1", "row 2: unit is empty (field unit)"],
    ["a short row", "A,1,0", "row 2: expected 4 fields, got 3"],
    [
      "a unit that changes group",
      "A,1,0,1\nB,0,0,1\nA,0,1,4",
      "row 4: treated is 0 but unit A has treated 1 in row 2 (field treated)",
    ],
  ])("rejects %s naming the row and field", async (_, body, message) => {
    const { code, err } = await cli("--panel", panel(`unit,treated,post,outcome\n${body}\n`));
    expect(code).toBe(1);
    expect(err).toBe(`did: validation: ${message}\n`);
  });

  it.each([
    ["no treated units", "C,0,0,1\nC,0,1,2\nD,0,0,1\nD,0,1,3", "panel has no treated units"],
    ["no control units", "A,1,0,1\nA,1,1,2\nB,1,0,1\nB,1,1,3", "panel has no control units"],
    [
      "no treated pre-period",
      "A,1,1,4\nB,1,1,8\nC,0,0,2\nC,0,1,3\nD,0,0,4",
      "panel has no rows in the treated pre-period cell",
    ],
    ["a header without outcome", null, "row 1: header is missing column outcome (field outcome)"],
    ["an empty file", "", "panel file is empty"],
  ])("rejects a panel with %s clearly", async (_, body, message) => {
    const text =
      body === null
        ? "unit,treated,post,value\nA,1,0,1\n"
        : body === ""
          ? ""
          : `unit,treated,post,outcome\n${body}\n`;
    const { code, err } = await cli("--panel", panel(text));
    expect(code).toBe(1);
    expect(err).toContain(message);
  });

  it("reports a missing file and bad usage", async () => {
    const missing = await cli("--panel", join(dir, "nope.csv"));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not_found: panel file not found/);
    expect((await cli()).code).toBe(2);
    expect((await cli("--panel", panel(WORKED), "--sed", "1")).err).toMatch(/unknown flag --sed/);
    expect((await cli("--panel", panel(WORKED), "--seed", "1")).code).toBe(2);
    expect((await cli("--panel", panel(WORKED), "--bootstrap", "10")).code).toBe(2);
  });
});
