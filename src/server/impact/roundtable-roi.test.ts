import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { DAY } from "../movement/test-world.ts";
import { eventImpact } from "./event-impact.ts";
import { portfolio } from "./portfolio.ts";
import { insertRoundtableRoiWorld } from "./roundtable-roi-world.ts";

// The worked example of roundtable-roi-world.ts: 20 days saved within 30 days, 40 within 90 or more, × 2,000 minor
// a day × 6 deals.
const T0 = new Date("2025-03-01T18:00:00Z");
const now = new Date(T0.getTime() + 200 * DAY);
let EVENT: string;

let db: Database;
let orgId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db, "Roundtable ROI");
  EVENT = await insertRoundtableRoiWorld(db, orgId, T0);
});
afterAll(async () => {
  await db.close();
});

describe("ROI of an executive roundtable", () => {
  it("values acceleration on open pipeline reaching its next stage sooner, horizon by horizon", async () => {
    const r = await eventImpact(db, orgId, EVENT, { now });
    expect(r.accelerationBasis).toBe("open_pipeline_days_to_next_stage");
    const byHorizon = Object.fromEntries(r.roi.map((p) => [p.horizon, p]));
    expect(byHorizon[0]!.acceleration).toBe(0);
    expect(byHorizon[30]!.acceleration).toBeCloseTo(240_000, 6);
    expect(byHorizon[90]!.acceleration).toBeCloseTo(480_000, 6);
    expect(byHorizon[180]!.acceleration).toBeCloseTo(480_000, 6);
    expect(byHorizon[365]!.known).toBe(false);
    for (const p of r.roi.filter((q) => q.known))
      expect(p.value).toBeCloseTo(p.wonRevenue! + p.weightedPipeline! + p.acceleration!, 6);
  });

  it("puts the movement outcomes, with the acceleration value, in the outcomes ledger", async () => {
    const r = await eventImpact(db, orgId, EVENT, { now, horizon: 90 });
    const entry = (measure: string) => r.outcomes.movement.find((e) => e.measure === measure);
    expect(entry("days_saved_to_next_stage")).toMatchObject({ horizonDays: 90, n: 6 });
    expect(entry("days_saved_to_next_stage")!.estimate).toBeCloseTo(40, 9);
    const value = entry("acceleration_value")!;
    expect(value.estimate).toBeCloseTo(480_000, 6);
    expect(value.ci![0]).toBeGreaterThan(0);
    expect(value.n).toBe(6);
    expect(r.outcomes.movement.every((e) => e.ledger === "outcome")).toBe(true);
  });

  it("gives the portfolio the same acceleration as the event's report", async () => {
    const p = await portfolio(db, orgId, { now, horizon: 30 });
    const e = p.events.find((x) => x.eventId === EVENT)!;
    expect(e.outcomes.acceleration).toBeCloseTo(240_000, 6);
  });
});
