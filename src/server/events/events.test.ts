import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
});
afterAll(async () => {
  await db.close();
});

const base = {
  name: "Berlin Partner Summit",
  type: "partner_event",
  startsAt: "2025-10-14T07:00:00Z",
  endsAt: "2025-10-15T16:00:00Z",
  timeZone: "Europe/Berlin",
  venue: "Radialsystem",
};

async function post(path: string, body: unknown, h = headers) {
  const res = await app.request(path, { method: "POST", headers: h, body: JSON.stringify(body) });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { field?: string; message: string } },
  };
}

describe("events", () => {
  it("defaults the format from the type and invite-only for partner events", async () => {
    const { status, body } = await post("/api/events", base);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      format: "strategic",
      inviteOnly: true,
      slug: "berlin-partner-summit",
      status: "draft",
    });
    const webinar = await post("/api/events", { ...base, name: "Webinar", type: "webinar" });
    expect(webinar.body).toMatchObject({ format: "tactical", inviteOnly: false });
  });

  it("books the organization's daily stall sweep when a roundtable is created or an event becomes one", async () => {
    const sweeps = async (orgId: string) =>
      (
        await rows<{ n: number }>(
          db.owner,
          sql`select count(*)::int as n from jobs where org_id = ${orgId} and kind = 'movement.stall_sweep'`,
        )
      )[0]!.n;
    const created = await orgWithAdmin(db);
    const h1 = await signedIn(app, created);
    await post("/api/events", { ...base, name: "Plain webinar", type: "webinar" }, h1);
    expect(await sweeps(created.orgId)).toBe(0);
    await post("/api/events", { ...base, name: "CFO dinner", type: "executive_roundtable" }, h1);
    await post("/api/events", { ...base, name: "CIO dinner", type: "executive_roundtable" }, h1);
    expect(await sweeps(created.orgId)).toBe(1); // one a day, however many roundtables
    const changed = await orgWithAdmin(db);
    const h2 = await signedIn(app, changed);
    const webinar = await post("/api/events", { ...base, name: "Plain webinar", type: "webinar" }, h2);
    const res = await app.request(`/api/events/${webinar.body.id}`, {
      method: "PATCH",
      headers: h2,
      body: JSON.stringify({ type: "executive_roundtable" }),
    });
    expect(res.status).toBe(200);
    expect(await sweeps(changed.orgId)).toBe(1);
  });

  it("refuses an offset or unknown time zone, naming the field", async () => {
    for (const timeZone of ["+01:00", "Mars/Olympus", "CET+1"]) {
      const { status, body } = await post("/api/events", { ...base, name: `tz ${timeZone}`, timeZone });
      expect(status).toBe(400);
      expect(body.error?.field).toBe("timeZone");
    }
  });

  it("refuses an end before the start and a duplicate slug", async () => {
    const backwards = await post("/api/events", { ...base, name: "b", endsAt: "2025-10-13T00:00:00Z" });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error?.field).toBe("endsAt");
    await post("/api/events", { ...base, slug: "same-slug" });
    const dup = await post("/api/events", { ...base, slug: "same-slug" });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.message).toContain("same-slug");
  });

  it("keeps an agenda with sessions in time order and cost lines totalled per currency", async () => {
    const { body: event } = await post("/api/events", { ...base, name: "Agenda test" });
    const id = event.id as string;
    const late = await post(`/api/events/${id}/sessions`, {
      title: "Pipeline clinic",
      track: "Sales",
      room: "Hall B",
      startsAt: "2025-10-14T13:00:00Z",
      endsAt: "2025-10-14T14:00:00Z",
      capacity: 80,
      speakers: ["A. Rivera"],
      learningObjectives: ["Qualify a partner-sourced deal"],
      topics: ["deal registration"],
      creditHours: 1,
    });
    expect(late.status).toBe(201);
    await post(`/api/events/${id}/sessions`, {
      title: "Keynote",
      startsAt: "2025-10-14T08:00:00Z",
      endsAt: "2025-10-14T09:00:00Z",
    });
    expect(
      (await post(`/api/events/${id}/costs`, { category: "venue", amountMinor: 1_250_000, currency: "EUR" }))
        .status,
    ).toBe(201);
    await post(`/api/events/${id}/costs`, { category: "catering", amountMinor: 430_050, currency: "EUR" });
    await post(`/api/events/${id}/costs`, { category: "travel", amountMinor: 99_900 });
    const fractional = await post(`/api/events/${id}/costs`, { category: "staff", amountMinor: 10.5 });
    expect(fractional.status).toBe(400);
    expect(fractional.body.error?.field).toBe("amountMinor");

    const detail = (await (await app.request(`/api/events/${id}`, { headers })).json()) as {
      sessions: { title: string; creditHours: number | null; speakers: string[] }[];
      costs: unknown[];
      costTotals: { currency: string; amountMinor: number }[];
    };
    expect(detail.sessions.map((s) => s.title)).toEqual(["Keynote", "Pipeline clinic"]);
    expect(detail.sessions[1]).toMatchObject({ creditHours: 1, speakers: ["A. Rivera"] });
    expect(detail.costs).toHaveLength(3);
    expect(detail.costTotals).toEqual(
      expect.arrayContaining([
        { currency: "EUR", amountMinor: 1_680_050 },
        { currency: "USD", amountMinor: 99_900 },
      ]),
    );
    // The list carries the same totals per currency, never one sum across currencies.
    const list = (await (await app.request("/api/events?limit=100", { headers })).json()) as {
      events: { id: string; costs: { currency: string; amountMinor: number }[] }[];
    };
    expect(list.events.find((e) => e.id === id)?.costs).toEqual([
      { currency: "EUR", amountMinor: 1_680_050 },
      { currency: "USD", amountMinor: 99_900 },
    ]);
  });

  it("edits an event, a session and a cost line, and removes them", async () => {
    const { body: event } = await post("/api/events", { ...base, name: "Edit test" });
    const id = event.id as string;
    const patch = await app.request(`/api/events/${id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({
        capacity: 120,
        timeZone: "America/New_York",
        virtualUrl: "https://example.test/live",
      }),
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ capacity: 120, timeZone: "America/New_York" });
    const { body: session } = await post(`/api/events/${id}/sessions`, {
      title: "S",
      startsAt: "2025-10-14T08:00:00Z",
      endsAt: "2025-10-14T09:00:00Z",
    });
    const badTimes = await app.request(`/api/events/${id}/sessions/${session.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ endsAt: "2025-10-14T07:00:00Z" }),
    });
    expect(badTimes.status).toBe(400);
    const room = await app.request(`/api/events/${id}/sessions/${session.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ room: "Hall C" }),
    });
    expect(await room.json()).toMatchObject({ room: "Hall C" });
    const { body: cost } = await post(`/api/events/${id}/costs`, { category: "venue", amountMinor: 5 });
    const costPatch = await app.request(`/api/events/${id}/costs/${cost.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ amountMinor: 7 }),
    });
    expect(await costPatch.json()).toMatchObject({ amountMinor: 7 });
    expect(
      (await app.request(`/api/events/${id}/sessions/${session.id}`, { method: "DELETE", headers })).status,
    ).toBe(204);
    expect(
      (await app.request(`/api/events/${id}/costs/${cost.id}`, { method: "DELETE", headers })).status,
    ).toBe(204);
    expect(
      (await app.request(`/api/events/${id}/costs/${cost.id}`, { method: "DELETE", headers })).status,
    ).toBe(404);
  });

  it("lets every role read but only admins and marketers write", async () => {
    const { body: event } = await post("/api/events", { ...base, name: "Roles test" });
    for (const role of ["viewer", "rep"] as const) {
      const h = await signedIn(app, await addUser(db, admin.orgId, role));
      expect((await app.request(`/api/events/${event.id}`, { headers: h })).status).toBe(200);
      expect((await post("/api/events", { ...base, name: `by ${role}` }, h)).status).toBe(403);
    }
    const marketer = await signedIn(app, await addUser(db, admin.orgId, "marketer"));
    expect((await post("/api/events", { ...base, name: "by marketer" }, marketer)).status).toBe(201);
  });

  it("does not show one organization's event to another", async () => {
    const { body: event } = await post("/api/events", { ...base, name: "Private" });
    const other = await signedIn(app, await orgWithAdmin(db));
    expect((await app.request(`/api/events/${event.id}`, { headers: other })).status).toBe(404);
  });
});
