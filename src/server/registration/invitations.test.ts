import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { orgSlugOf, publishedEvent } from "./test-support.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let orgSlug: string;
const now = new Date("2030-03-01T10:00:00Z");
beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => now);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  orgSlug = await orgSlugOf(app, headers);
});
afterAll(async () => {
  await db.close();
});

async function mails(to: string, purpose: string): Promise<string[]> {
  const list = await db.withOrg(admin.orgId, (tx) =>
    rows<{ text_body: string }>(
      tx,
      sql`select text_body from email_outbox where to_address = ${to} and purpose = ${purpose} order by created_at`,
    ),
  );
  return list.map((m) => m.text_body);
}

function rsvpToken(text: string): string {
  const m = /\/rsvp\/[^/]+\/(TL1\.[A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error("no RSVP link");
  return m[1]!;
}

describe("invitations", () => {
  it("goes from nomination through approval and RSVP, with the waitlist filling a regret", async () => {
    const event = await publishedEvent(app, headers, { type: "executive_roundtable", capacity: 1 });
    const rep = await signedIn(app, await addUser(db, admin.orgId, "rep"));
    const viewer = await signedIn(app, await addUser(db, admin.orgId, "viewer"));
    const nominate = (h: Record<string, string>, email: string) =>
      app.request(`/api/events/${event.id}/invitations`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ email, firstName: email.split("@")[0], reason: "Champion at a key account" }),
      });
    expect((await nominate(viewer, "x@example.test")).status).toBe(403);
    const ids: string[] = [];
    for (const email of ["ceo@acme.test", "cfo@acme.test", "cto@acme.test"]) {
      const res = await nominate(rep, email);
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    expect(((await (await nominate(rep, "ceo@acme.test")).json()) as { id: string }).id).toBe(ids[0]);

    const decide = (h: Record<string, string>, id: string, decision: string) =>
      app.request(`/api/events/${event.id}/invitations/${id}/decision`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ decision }),
      });
    expect((await decide(rep, ids[0]!, "approve")).status).toBe(403);
    expect((await decide(headers, ids[0]!, "approve")).status).toBe(200);
    expect((await decide(headers, ids[1]!, "approve")).status).toBe(200);
    expect((await decide(headers, ids[2]!, "decline")).status).toBe(200);
    const sent = await app.request(`/api/events/${event.id}/invitations/send`, { method: "POST", headers });
    expect(await sent.json()).toEqual({ sent: 2 });
    expect(await mails("cto@acme.test", "invitation")).toEqual([]);

    const ceoToken = rsvpToken((await mails("ceo@acme.test", "invitation"))[0]!);
    const cfoToken = rsvpToken((await mails("cfo@acme.test", "invitation"))[0]!);
    const answer = async (token: string, response: string) => {
      const res = await app.request(`/api/public/orgs/${orgSlug}/rsvp/${token}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response }),
      });
      return { status: res.status, body: (await res.json()) as { status: string; message: string } };
    };
    expect((await answer(ceoToken, "accept")).body.status).toBe("registered");
    expect((await mails("ceo@acme.test", "ticket")).length).toBe(1);
    const cfo = await answer(cfoToken, "accept");
    expect(cfo.body.status).toBe("waitlisted");
    expect(cfo.body.message).toContain("is full. You are number 1 on the waitlist");
    const listed = (await (await app.request(`/api/events/${event.id}/invitations`, { headers })).json()) as {
      invitations: {
        email: string;
        nominatedByName: string | null;
        registrationStatus: string | null;
        waitlistPosition: number | null;
      }[];
    };
    expect(
      listed.invitations.map((i) => [i.email, i.registrationStatus, i.waitlistPosition, i.nominatedByName]),
    ).toEqual([
      ["ceo@acme.test", "registered", null, "Test rep"],
      ["cfo@acme.test", "waitlisted", 1, "Test rep"],
      ["cto@acme.test", null, null, "Test rep"],
    ]);
    expect((await answer(ceoToken, "regret")).body.status).toBe("regretted");
    expect((await mails("cfo@acme.test", "ticket")).length).toBe(1);

    const tampered = `${cfoToken.slice(0, 40)}${cfoToken[40] === "A" ? "B" : "A"}${cfoToken.slice(41)}`;
    expect((await answer(tampered, "accept")).status).toBe(400);
    const list = (await (await app.request(`/api/events/${event.id}/invitations`, { headers })).json()) as {
      invitations: { status: string }[];
    };
    expect(list.invitations.map((i) => i.status)).toEqual(["regretted", "accepted", "declined"]);
  });

  it("lists one event's emails with their delivery status, and only to those who send them", async () => {
    const event = await publishedEvent(app, headers, { type: "executive_roundtable" });
    const other = await publishedEvent(app, headers, { type: "executive_roundtable" });
    for (const [e, email] of [
      [event, "guest@acme.test"],
      [other, "elsewhere@acme.test"],
    ] as const) {
      const res = await app.request(`/api/events/${e.id}/invitations`, {
        method: "POST",
        headers,
        body: JSON.stringify({ email }),
      });
      const { id } = (await res.json()) as { id: string };
      await app.request(`/api/events/${e.id}/invitations/${id}/decision`, {
        method: "POST",
        headers,
        body: JSON.stringify({ decision: "approve" }),
      });
      await app.request(`/api/events/${e.id}/invitations/send`, { method: "POST", headers });
    }
    const res = await app.request(`/api/events/${event.id}/emails`, { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      emails: { to: string; purpose: string; status: string }[];
      counts: Record<string, number>;
    };
    expect(body.emails.map((e) => [e.to, e.purpose, e.status])).toEqual([
      ["guest@acme.test", "invitation", "queued"],
    ]);
    expect(body.counts).toEqual({ queued: 1, sending: 0, sent: 0, failed: 0 });
    const rep = await signedIn(app, await addUser(db, admin.orgId, "rep"));
    expect((await app.request(`/api/events/${event.id}/emails`, { headers: rep })).status).toBe(403);
    const missing = await app.request(`/api/events/${crypto.randomUUID()}/emails`, { headers });
    expect(missing.status).toBe(404);
  });

  it("refuses nominations for events open to registration", async () => {
    const event = await publishedEvent(app, headers, { type: "conference" });
    const res = await app.request(`/api/events/${event.id}/invitations`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: "a@example.test" }),
    });
    expect(res.status).toBe(409);
  });
});
