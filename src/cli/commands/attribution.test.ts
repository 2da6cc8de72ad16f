import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { modelNames } from "../../core/attribution/index.ts";
import type { Database } from "../../db/client.ts";
import { day, insertTinyWorld } from "../../server/impact/tiny-world-db.ts";
import { runCli } from "../main.ts";
import { database } from "./attribution.ts";

const SAMPLE = "/work/shared/data/channelattribution-paths.csv";
const dir = mkdtempSync(join(tmpdir(), "attribution-cli-"));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(["attribution", ...args], {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

/** Totals of the sample file computed by plain string splitting, independently of the engine's reader. */
function sampleTotals(): { conversions: number; value: number; nulls: number; channels: Set<string> } {
  const totals = { conversions: 0, value: 0, nulls: 0, channels: new Set<string>() };
  const lines = readFileSync(SAMPLE, "utf8").trim().split("\n").slice(1);
  for (const line of lines) {
    const [path, conversions, value, nulls] = line.split(",");
    totals.conversions += Number(conversions);
    totals.value += Number(value);
    totals.nulls += Number(nulls);
    for (const ch of path!.split(" > ")) totals.channels.add(ch.trim());
  }
  return totals;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

describe("throughline attribution on the ChannelAttribution sample (10,000 rows)", () => {
  const totals = sampleTotals();

  it("credits every model's conversions and value back to the file's totals (json)", async () => {
    const { code, out } = await cli("--journeys", SAMPLE, "--model", "all");
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<
      string,
      { conversions: Record<string, number>; value: Record<string, number> }
    >;
    expect(Object.keys(json)).toEqual([...modelNames]);
    for (const name of modelNames) {
      const r = json[name]!;
      expect(new Set(Object.keys(r.conversions))).toEqual(totals.channels);
      close(sum(r.conversions), totals.conversions);
      close(sum(r.value), totals.value);
      for (const x of Object.values(r.conversions)) expect(x).toBeGreaterThanOrEqual(0);
    }
  });

  it("reports markov's p_conversion as conversions / (conversions + nulls) and one removal effect per channel", async () => {
    const { out } = await cli("--journeys", SAMPLE, "--model", "markov");
    const markov = JSON.parse(out).markov as { p_conversion: number; removal_effect: Record<string, number> };
    close(markov.p_conversion, totals.conversions / (totals.conversions + totals.nulls));
    expect(new Set(Object.keys(markov.removal_effect))).toEqual(totals.channels);
    for (const re of Object.values(markov.removal_effect)) {
      expect(re).toBeGreaterThan(0);
      expect(re).toBeLessThanOrEqual(1);
    }
  });

  it("writes csv rows per model and channel that add up to the totals", async () => {
    const { code, out } = await cli("--journeys", SAMPLE, "--model", "linear,shapley", "--format", "csv");
    expect(code).toBe(0);
    const [header, ...rows] = out.trim().split("\n");
    expect(header).toBe("model,channel,conversions,value,removal_effect");
    for (const model of ["linear", "shapley"]) {
      const mine = rows.map((r) => r.split(",")).filter((r) => r[0] === model);
      expect(mine).toHaveLength(totals.channels.size);
      close(
        mine.reduce((s, r) => s + Number(r[2]), 0),
        totals.conversions,
      );
    }
  });

  it("prints a readable table", async () => {
    const { code, out } = await cli("--journeys", SAMPLE, "--model", "markov", "--format", "table");
    expect(code).toBe(0);
    expect(out).toMatch(/^markov \(p_conversion 0\.\d{4}\)/);
    expect(out).toMatch(/\ntotal +19,785\.00/);
  });
});

describe("throughline attribution usage and input errors", () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("adds rows with the same path and reports unattributed conversions of empty paths", async () => {
    const file = write("dup.csv", "path,conversions,value,nulls\na > b,1,10,0\na > b,1,10,0\n,2,4,0\n");
    const { out } = await cli("--journeys", file, "--model", "first_touch");
    expect(JSON.parse(out)).toEqual({
      first_touch: {
        conversions: { a: 2, b: 0 },
        value: { a: 20, b: 0 },
        unattributed: { conversions: 2, value: 4 },
      },
    });
  });

  it("fails with the row number and reason on a malformed row (exit 1)", async () => {
    const file = write("bad.csv", "path,conversions,value,nulls\na,1,1,0\na >  > b,1,1,0\n");
    const { code, err } = await cli("--journeys", file, "--model", "linear");
    expect(code).toBe(1);
    expect(err).toContain("validation: row 3: empty channel name at position 2");
    expect(err).toContain("(field path)");
  });

  it("names a trailing separator as an error, not a channel called ''", async () => {
    const file = write("trailing.csv", "path,conversions,value,nulls\na > ,1,1,0\n");
    const { code, err } = await cli("--journeys", file, "--model", "linear");
    expect(code).toBe(1);
    expect(err).toContain("row 2: empty channel name");
  });

  it("refuses an unknown model with exit 2, listing the valid ones", async () => {
    const { code, err } = await cli("--journeys", SAMPLE, "--model", "linear,markof");
    expect(code).toBe(2);
    expect(err).toContain('unknown model "markof"; valid models: first_touch,');
  });

  it("refuses database-mode flags with a CSV, unknown flags and bad values", async () => {
    expect((await cli("--journeys", SAMPLE, "--model", "all", "--from", "2025-01-01")).err).toContain(
      "--from apply to database mode only",
    );
    expect((await cli("--journeys", SAMPLE, "--model", "all", "--online-only")).code).toBe(2);
    expect((await cli("--journeys", SAMPLE, "--model", "all", "--from", "yesterday")).err).toContain(
      "flag --from",
    );
    expect((await cli("--journeys", SAMPLE, "--model", "all", "--formt", "csv")).err).toContain(
      "unknown flag --formt",
    );
    expect((await cli("--journeys", SAMPLE, "--model", "all", "--format", "xml")).code).toBe(2);
    expect((await cli("--journeys", SAMPLE, "--model", "custom", "--weights", "a=-1")).err).toContain(
      "flag --weights",
    );
  });

  it("reports a missing file as not_found (exit 1)", async () => {
    const { code, err } = await cli("--journeys", join(dir, "missing.csv"), "--model", "linear");
    expect(code).toBe(1);
    expect(err).toContain("not_found: journeys file not found");
  });

  it("passes model settings: custom weights and time-decay half-life", async () => {
    const file = write("w.csv", "path,conversions,value,nulls\na > b,4,0,0\n");
    const custom = JSON.parse((await cli("--journeys", file, "--model", "custom", "--weights", "a=3")).out);
    expect(custom.custom.conversions).toEqual({ a: 3, b: 1 });
    // half-life 1 day: a is 1 day before b → weights 1/2, 1 → a 4/3, b 8/3.
    const decay = JSON.parse(
      (await cli("--journeys", file, "--model", "time_decay", "--half-life-days", "1")).out,
    );
    close(decay.time_decay.conversions.a, 4 / 3);
    close(decay.time_decay.conversions.b, 8 / 3);
  });

  it("gives zeros for a header-only file", async () => {
    const file = write("empty.csv", "path,conversions,value,nulls\n");
    const { code, out } = await cli("--journeys", file, "--model", "markov");
    expect(code).toBe(0);
    expect(JSON.parse(out).markov).toEqual({
      conversions: {},
      value: {},
      unattributed: { conversions: 0, value: 0 },
      removal_effect: {},
      p_conversion: 0,
    });
  });
});

describe("throughline attribution (database mode)", () => {
  let db: Database;
  let eventId: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    const orgId = await createTestOrg(db, "Cli");
    ({ eventId } = await insertTinyWorld(db, orgId));
    database.open = async () => ({ ...db, close: async () => {} });
    database.now = () => new Date(day(400));
  });
  afterAll(async () => {
    await db.close();
  });

  it("credits won revenue from the organization's journeys, influenced and sourced apart", async () => {
    const { code, out } = await cli("--model", "linear,markov", "--by", "event", "--scope", "account");
    expect(code).toBe(0);
    const body = JSON.parse(out) as {
      journeys: { won: number };
      influenced: { linear: { value: Record<string, number> }; markov: { removal_effect: unknown } };
      sourced: Record<string, unknown>;
    };
    expect(body.journeys.won).toBe(2);
    expect(body.influenced.linear.value[eventId]).toBeCloseTo(100_000 / 3, 6);
    expect(body.influenced.markov.removal_effect).toBeDefined();
    expect(Object.keys(body.sourced)).toEqual(["linear", "markov"]);
  });

  it("reads a period on the close date, online touches only, as a table or CSV", async () => {
    const table = await cli(
      "--model",
      "linear",
      "--from",
      "2025-06-01",
      "--to",
      "2025-06-30",
      "--online-only",
      "--format",
      "table",
    );
    expect(table.code).toBe(0);
    expect(table.out).toContain("2 deals (1 won, 1 lost, 0 open)"); // D4 lost on 2025-06-09, D1 won on 06-29
    expect(table.out).toContain("INFLUENCED");
    expect(table.out).toMatch(/email\s+0\.50\s+50,000\.00/);
    const csv = await cli("--model", "linear", "--format", "csv", "--by", "event");
    expect(csv.out.split("\n")[0]).toBe("window,model,event,conversions,value,removal_effect");
    expect(csv.out).toContain(`influenced,linear,${eventId},`);
  });

  it("refuses a bad scope, a reversed period and an unknown organization", async () => {
    expect((await cli("--model", "linear", "--scope", "team")).err).toContain("flag --scope");
    const reversed = await cli("--model", "linear", "--from", "2025-12-01", "--to", "2025-01-01");
    expect(reversed.code).toBe(1);
    expect(reversed.err).toContain("from (2025-12-01) is after to");
    const org = await cli("--model", "linear", "--org", "nowhere");
    expect(org.code).toBe(2);
    expect(org.err).toContain('no organization "nowhere"');
  });
});
