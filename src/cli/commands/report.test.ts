import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { day, insertTinyWorld } from "../../server/impact/tiny-world-db.ts";
import { runCli } from "../main.ts";
import { database } from "./report.ts";

let db: Database;
let eventId: string;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(["report", ...args], {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

beforeAll(async () => {
  db = await openTestDatabase();
  const orgId = await createTestOrg(db, "Report");
  ({ eventId } = await insertTinyWorld(db, orgId));
  database.open = async () => ({ ...db, close: async () => {} });
  database.now = () => new Date(day(250));
});
afterAll(async () => {
  await db.close();
});

describe("throughline report", () => {
  it("prints the report as JSON with the ROI curve known on each day", async () => {
    const { code, out } = await cli(eventId, "--horizon", "180");
    expect(code).toBe(0);
    const r = JSON.parse(out) as { horizon: number; roi: { known: boolean; roi: number | null }[] };
    expect(r.horizon).toBe(180);
    expect(r.roi.map((p) => p.known)).toEqual([true, true, true, true, false]);
    expect(r.roi[2]!.roi).toBeCloseTo(0.6, 9);
  });

  it("prints the two ledgers and the curve as a table, by slug", async () => {
    const slug = `field-dinner-${eventId.slice(0, 8)}`;
    const { code, out } = await cli(slug, "--format", "table", "--horizon", "90");
    expect(code).toBe(0);
    expect(out).toContain("INDICATORS (activity)");
    expect(out).toContain("OUTCOMES as of 2025-05-30 (90 days after the event)");
    expect(out).toMatch(/90 d \*\s+2025-05-30\s+0\.00\s+320\.00\s+0\.00\s+320\.00\s+200\.00\s+60\.0%/);
    expect(out).toMatch(/365 d\s+2026-03-01\s+not yet known/);
    expect(out).toContain("OFFLINE VS ONLINE");
  });

  it("refuses a horizon off the list and an unknown event", async () => {
    const bad = await cli(eventId, "--horizon", "45");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("flag --horizon");
    const missing = await cli("00000000-0000-4000-8000-000000000000");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("not_found");
    expect((await cli()).code).toBe(2);
  });
});
