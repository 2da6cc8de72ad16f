import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { DAY_MS } from "../../core/roi/horizons.ts";
import type { Database } from "../../db/client.ts";
import { insertTinyWorld } from "./tiny-world-db.ts";

// Sessions live on the real clock, so the tiny world is moved to end 250 days (and a few hours) before now: every
// horizon up to 180 days is known, 365 is not.
const t0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 250 * DAY_MS;
const day = (n: number) => t0 + n * DAY_MS;

let db: Database;
let app: TestApp;
let headers: Record<string, string>;
let otherHeaders: Record<string, string>;
let eventId: string;
let otherEventId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db);
  const admin = await orgWithAdmin(db);
  ({ eventId } = await insertTinyWorld(db, admin.orgId, undefined, t0));
  const other = await orgWithAdmin(db);
  ({ eventId: otherEventId } = await insertTinyWorld(db, other.orgId, [987_654_321], t0));
  headers = await signedIn(app, await addUser(db, admin.orgId, "viewer"));
  otherHeaders = await signedIn(app, other);
});
afterAll(async () => {
  await db.close();
});

describe("GET /api/events/:id/impact", () => {
  it("returns the two ledgers, the ROI curve and the offline comparison", async () => {
    const res = await app.request(`/api/events/${eventId}/impact?horizon=90`, { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      indicators: { registrations: number };
      outcomes: { asOf: string; wonRevenue: { amount: number } };
      roi: { horizon: number; known: boolean; roi: number | null }[];
      headlineHorizon: number;
      offlineVsOnline: { event: { difference: { weightedPipeline: number } } };
    };
    expect(body.indicators.registrations).toBe(3);
    expect(body.outcomes.asOf).toBe(new Date(day(90)).toISOString());
    expect(body.outcomes.wonRevenue.amount).toBe(0); // D1 is won on day 120, after the 90-day horizon
    expect(body.headlineHorizon).toBe(90);
    expect(body.roi.map((p) => p.known)).toEqual([true, true, true, true, false]);
    expect(body.roi[2]!.roi).toBeCloseTo(0.6, 9);
    expect(body.offlineVsOnline.event.difference.weightedPipeline).toBeGreaterThan(0);
  });

  it("answers 404 for another organization's event and shows nothing of it", async () => {
    const res = await app.request(`/api/events/${otherEventId}/impact`, { headers });
    expect(res.status).toBe(404);
    const text = await res.text();
    // The refusal is the generic one and carries nothing of the event: not its name, not its cost.
    expect(JSON.parse(text)).toEqual({ error: { code: "not_found", message: `no event ${otherEventId}` } });
    expect(text).not.toContain("Field dinner");
    expect(text).not.toContain("987654321");
    const own = await app.request(`/api/events/${otherEventId}/impact`, { headers: otherHeaders });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("987654321");
  });

  it("refuses an unknown model and a horizon off the list, naming the field", async () => {
    const bad = await app.request(`/api/events/${eventId}/impact?model=magic`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("model");
    const h = await app.request(`/api/events/${eventId}/impact?horizon=45`, { headers });
    expect(h.status).toBe(400);
  });

  it("needs a signed-in caller", async () => {
    expect((await app.request(`/api/events/${eventId}/impact`)).status).toBe(401);
  });
});

describe("GET /api/attribution", () => {
  it("credits by event with names, influenced and sourced apart", async () => {
    const res = await app.request("/api/attribution?model=linear,markov&by=event&scope=person", { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      influenced: Record<string, { value: Record<string, number> }>;
      sourced: Record<string, unknown>;
      labels: Record<string, string>;
    };
    expect(Object.keys(body.influenced)).toEqual(["linear", "markov"]);
    expect(body.influenced.linear!.value[eventId]).toBeCloseTo(33_333.3333, 3);
    expect(body.labels[eventId]).toBe("Field dinner");
    expect(body.sourced.linear).toBeDefined();
  });

  it("lists the valid models when the model is unknown", async () => {
    const res = await app.request("/api/attribution?model=nope", { headers });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/valid models: first_touch/);
  });

  it("sees only the caller's organization", async () => {
    const res = await app.request("/api/attribution?model=linear&by=event", { headers: otherHeaders });
    const body = (await res.json()) as { influenced: { linear: { value: Record<string, number> } } };
    expect(Object.keys(body.influenced.linear.value)).not.toContain(eventId);
  });
});

describe("GET /api/portfolio", () => {
  it("ranks events at the chosen horizon", async () => {
    const res = await app.request("/api/portfolio?horizon=90", { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { events: { eventId: string; rank: number; roi: number }[] };
    expect(body.events).toHaveLength(1);
    expect(body.events[0]).toMatchObject({ eventId, rank: 1 });
    expect(body.events[0]!.roi).toBeCloseTo(0.6, 9);
  });
});
