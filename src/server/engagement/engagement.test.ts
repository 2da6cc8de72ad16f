import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import {
  orgSlugOf,
  publishedEvent,
  registerPublic,
  type TestEvent,
  ticketFromMail,
} from "../registration/test-support.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let orgSlug: string;
let clock = new Date("2030-03-01T10:00:00Z");
let event: TestEvent;
let sessionId: string;
const tickets: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => clock);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  orgSlug = await orgSlugOf(app, headers);
  event = await publishedEvent(app, headers);
  const s = await app.request(`/api/events/${event.id}/sessions`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      title: "Keynote",
      startsAt: "2030-03-30T09:00:00Z",
      endsAt: "2030-03-30T10:00:00Z",
      capacity: 4,
    }),
  });
  sessionId = ((await s.json()) as { id: string }).id;
  for (const [i, name] of ["Ada", "Bo", "Cy"].entries()) {
    await registerPublic(
      app,
      orgSlug,
      event.slug,
      { email: `${name.toLowerCase()}@example.test`, firstName: name },
      `192.0.2.${i}`,
    );
    const [mail] = await db.withOrg(admin.orgId, (tx) =>
      rows<{ text_body: string }>(
        tx,
        sql`select text_body from email_outbox where to_address = ${`${name.toLowerCase()}@example.test`} limit 1`,
      ),
    );
    tickets.push(ticketFromMail(mail!.text_body));
  }
});
afterAll(async () => {
  await db.close();
});

const pub = (path: string) => `/api/public/orgs/${orgSlug}/events/${event.slug}${path}`;
async function asAttendee(ticket: string, path: string, body?: unknown) {
  const res = await app.request(pub(path), {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", "x-ticket": ticket },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>),
  };
}

describe("engagement", () => {
  it("runs a poll with one answer per person and shows results", async () => {
    const created = await app.request(`/api/events/${event.id}/polls`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        question: "Which feature matters most?",
        options: ["Routing", "Reports", "SSO"],
        sessionId,
      }),
    });
    const poll = (await created.json()) as { id: string; status: string };
    expect(poll.status).toBe("draft");
    expect((await asAttendee(tickets[0]!, `/polls/${poll.id}/answers`, { optionIndex: 1 })).status).toBe(409);
    await app.request(`/api/events/${event.id}/polls/${poll.id}/open`, { method: "POST", headers });
    expect((await asAttendee(tickets[0]!, `/polls/${poll.id}/answers`, { optionIndex: 1 })).status).toBe(201);
    const again = await asAttendee(tickets[0]!, `/polls/${poll.id}/answers`, { optionIndex: 2 });
    expect(again.status).toBe(409);
    expect((again.body as { error: { message: string } }).error.message).toContain("already answered");
    const second = await asAttendee(tickets[1]!, `/polls/${poll.id}/answers`, { optionIndex: 1 });
    expect(second.body).toMatchObject({ counts: [0, 2, 0], respondents: 2 });
    const live = await asAttendee(tickets[0]!, "/live");
    expect(live.body).toMatchObject({ me: { name: "Ada Lovelace" }, polls: [{ id: poll.id, myAnswer: 1 }] });
  });

  it("orders questions by upvotes, one upvote per person", async () => {
    const q1 = (await asAttendee(tickets[0]!, "/questions", { text: "Will there be a recording?" })).body as {
      id: string;
    };
    const q2 = (await asAttendee(tickets[1]!, "/questions", { text: "Is SSO on the roadmap?", sessionId }))
      .body as {
      id: string;
    };
    for (const t of [tickets[0]!, tickets[2]!, tickets[2]!]) {
      expect((await asAttendee(t, `/questions/${q2.id}/votes`, {})).status).toBe(204);
    }
    const live = (await asAttendee(tickets[2]!, "/live")).body as {
      questions: { id: string; votes: number; mine: boolean }[];
    };
    expect(live.questions.map((q) => [q.id, q.votes, q.mine])).toEqual([
      [q2.id, 2, true],
      [q1.id, 0, false],
    ]);
  });

  it("keeps one feedback per person and session, replacing it when given again", async () => {
    const first = await asAttendee(tickets[0]!, "/feedback", { sessionId, rating: 3 });
    const second = await asAttendee(tickets[0]!, "/feedback", {
      sessionId,
      rating: 5,
      comment: "Great demo",
    });
    expect(second.body).toMatchObject({ id: (first.body as { id: string }).id, replaced: true });
    await asAttendee(tickets[1]!, "/feedback", { sessionId, rating: 4 });
    const bad = await asAttendee(tickets[1]!, "/feedback", { sessionId, rating: 6 });
    expect(bad.status).toBe(400);
  });

  it("refuses the attendee pages without a valid ticket", async () => {
    expect((await app.request(pub("/live"))).status).toBe(401);
    expect((await asAttendee(`${tickets[0]!.slice(0, -2)}AA`, "/live")).status).toBe(401);
  });

  it("reports the indicators from check-ins, polls and feedback", async () => {
    clock = new Date("2030-03-30T08:30:00Z");
    const scan = (body: Record<string, unknown>) =>
      app.request(`/api/events/${event.id}/check-ins`, {
        method: "POST",
        headers,
        body: JSON.stringify({ scans: [{ nonce: `n-${Math.random()}`, ...body }] }),
      });
    await scan({ ticket: tickets[0] });
    await scan({ ticket: tickets[1] });
    await scan({ ticket: tickets[0], sessionId, occurredAt: "2030-03-30T08:30:00Z" });
    clock = new Date("2030-03-30T09:40:00Z");
    await scan({ ticket: tickets[0], sessionId, direction: "exit" });
    const res = await app.request(`/api/events/${event.id}/indicators`, { headers });
    const ind = (await res.json()) as Record<string, unknown>;
    expect(ind).toMatchObject({
      registrations: { registered: 3, waitlisted: 0, cancelled: 0, total: 3 },
      attendees: 2,
      showRate: { numerator: 2, denominator: 3 },
      pollParticipation: { value: 1, numerator: 2, denominator: 2 },
      sessions: [
        {
          title: "Keynote",
          attendees: 1,
          fill: { value: 0.25 },
          minutes: { total: 40, mean: 40 },
          satisfaction: { responses: 2, mean: 4.5 },
        },
      ],
    });
    const [tp] = await db.withOrg(admin.orgId, (tx) =>
      rows<{ kinds: string }>(
        tx,
        sql`select string_agg(kind || ':' || n, ',' order by kind) as kinds from
            (select kind, count(*) as n from touchpoints where event_id = ${event.id} group by kind) k`,
      ),
    );
    expect(tp!.kinds).toBe(
      "check_in:2,feedback:2,poll_answer:2,question:2,question_vote:2,registration:3,session_entry:1,session_exit:1",
    );
  });
});
