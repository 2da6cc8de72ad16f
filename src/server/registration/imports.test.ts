import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { orgSlugOf, publishedEvent, registerPublic } from "./test-support.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
const now = new Date("2025-10-01T10:00:00Z");
beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => now);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
});
afterAll(async () => {
  await db.close();
});

const zoomCsv = readFileSync(
  join(import.meta.dirname, "../../ingest/zoom/fixtures/webinar-attendee-report.csv"),
  "utf8",
);
const eventbriteCsv = readFileSync(
  join(import.meta.dirname, "../../ingest/eventbrite/fixtures/attendee-export.csv"),
  "utf8",
);

async function importFile(eventId: string, source: string, csv: string) {
  const res = await app.request(`/api/events/${eventId}/imports/${source}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ fileName: `${source}.csv`, csv }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, number | unknown[]>;
}

async function counts(eventId: string) {
  const [row] = await db.withOrg(admin.orgId, (tx) =>
    rows<{ people: number; regs: number; tps: number }>(
      tx,
      sql`select (select count(*)::int from people) as people,
                 (select count(*)::int from registrations where event_id = ${eventId}) as regs,
                 (select count(*)::int from touchpoints where event_id = ${eventId}) as tps`,
    ),
  );
  return row!;
}

describe("attendee imports", () => {
  it("imports a Zoom report matched by email, and a second import adds nothing", async () => {
    const event = await publishedEvent(app, headers, {
      type: "webinar",
      timeZone: "America/New_York",
      startsAt: "2025-11-04T15:00:00Z",
      endsAt: "2025-11-04T16:00:00Z",
    });
    // Lena registered on our own page first: the import must find her, not create a second person.
    await registerPublic(app, await orgSlugOf(app, headers), event.slug, {
      email: "Lena.Fischer@acme.test",
      firstName: "Lena",
      lastName: "Fischer",
    });
    const before = await counts(event.id);
    const first = await importFile(event.id, "zoom", zoomCsv);
    expect(first).toMatchObject({
      rowsRead: 6,
      people: 3,
      registrationsCreated: 2,
      registrationsUpdated: 1,
      touchpointsAdded: 5, // 3 registrations + 2 attended
      webinarId: "86422319087",
    });
    expect((first.errors as { row: number }[]).map((e) => e.row)).toEqual([17, 18]);
    const afterFirst = await counts(event.id);
    expect(afterFirst.people - before.people).toBe(2);
    const second = await importFile(event.id, "zoom", zoomCsv);
    expect(second).toMatchObject({
      registrationsCreated: 0,
      registrationsUpdated: 0,
      registrationsUnchanged: 3,
      touchpointsAdded: 0,
    });
    expect(await counts(event.id)).toEqual(afterFirst);
    const [lena] = await db.withOrg(admin.orgId, (tx) =>
      rows<{ attended: boolean; minutes_attended: number; source: string }>(
        tx,
        sql`select r.attended, r.minutes_attended, r.source from registrations r join people p on p.id = r.person_id
            where r.event_id = ${event.id} and lower(p.email) = 'lena.fischer@acme.test'`,
      ),
    );
    expect(lena).toEqual({ attended: true, minutes_attended: 57, source: "registration_page" });
    const ind = (await (await app.request(`/api/events/${event.id}/indicators`, { headers })).json()) as {
      showRate: { numerator: number; denominator: number };
    };
    expect(ind.showRate).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
  });

  it("imports an Eventbrite export with cancellations and check-ins, idempotently", async () => {
    const event = await publishedEvent(app, headers, { timeZone: "Europe/Berlin" });
    const first = await importFile(event.id, "eventbrite", eventbriteCsv);
    expect(first).toMatchObject({ rowsRead: 7, people: 4, registrationsCreated: 4, touchpointsAdded: 5 });
    expect((first.errors as { row: number; field: string }[]).map((e) => [e.row, e.field])).toEqual([
      [6, "Email"],
      [7, "Order Date"],
      [8, "Attendee Status"],
    ]);
    const statuses = await db.withOrg(admin.orgId, (tx) =>
      rows<{ status: string; n: number }>(
        tx,
        sql`select status, count(*)::int as n from registrations where event_id = ${event.id} group by status order by status`,
      ),
    );
    expect(statuses).toEqual([
      { status: "cancelled", n: 1 },
      { status: "registered", n: 3 },
    ]);
    const second = await importFile(event.id, "eventbrite", eventbriteCsv);
    expect(second).toMatchObject({ registrationsCreated: 0, registrationsUpdated: 0, touchpointsAdded: 0 });
  });
});
