import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { publicKeyFromRaw, verifyToken } from "../../core/tickets/index.ts";
import { type Database, rows } from "../../db/client.ts";
import { smtpTransport } from "../../jobs/mail-transport.ts";
import { OutboxWorker } from "../../jobs/outbox-worker.ts";
import { mailText, startTestSmtp, type TestSmtp } from "../../jobs/test-smtp.ts";
import { orgSlugOf, publishedEvent, registerPublic, ticketFromMail } from "./test-support.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let orgSlug: string;
let smtp: TestSmtp;
let outbox: OutboxWorker;
const now = new Date("2030-03-01T10:00:00Z");
beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => now);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  orgSlug = await orgSlugOf(app, headers);
  smtp = await startTestSmtp();
  outbox = new OutboxWorker({
    db,
    transport: smtpTransport(smtp.url),
    from: "events@example.test",
    now: () => now,
  });
});
afterAll(async () => {
  await smtp.close();
  await db.close();
});

/** Delivers the outbox and returns the text of the emails that went to `to`. */
async function mailsTo(to: string): Promise<string[]> {
  await outbox.runOnce();
  return smtp.received.filter((m) => m.to.includes(to)).map((m) => mailText(m.raw));
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await db.withOrg(admin.orgId, (tx) => rows<{ n: number }>(tx, query));
  return row!.n;
}

describe("public registration", () => {
  it("registers without sign-in and emails a ticket that verifies with the event's public key", async () => {
    const event = await publishedEvent(app, headers);
    const info = (await (await app.request(`/api/public/orgs/${orgSlug}/events/${event.slug}`)).json()) as {
      registrationOpen: boolean;
      startsLocal: string;
    };
    expect(info.registrationOpen).toBe(true);
    // 29 March 2030 is before Berlin moves to summer time (31 March), so 08:00Z is 09:00 CET.
    expect(info.startsLocal).toBe("Fri, 29 Mar 2030, 09:00 CET");
    const { status, body } = await registerPublic(app, orgSlug, event.slug, { email: "ada@example.test" });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: "registered", updated: false });
    expect(JSON.stringify(body)).not.toContain("TL1.");
    const [mail] = await mailsTo("ada@example.test");
    expect(mail).toContain(`Your ticket: `);
    const token = ticketFromMail(mail!);
    const [key] = await db.withOrg(admin.orgId, (tx) =>
      rows<{ k: string }>(tx, sql`select ticket_public_key as k from events where id = ${event.id}`),
    );
    const check = verifyToken(token, publicKeyFromRaw(key!.k), { now, kind: "ticket", eventId: event.id });
    expect(check.ok).toBe(true);
  });

  it("updates, never duplicates, when the same email registers twice", async () => {
    const event = await publishedEvent(app, headers, {
      registrationQuestions: [
        { key: "role", label: "Your role", kind: "choice", options: ["IT", "Finance"], required: true },
      ],
    });
    const first = await registerPublic(app, orgSlug, event.slug, {
      email: "bo@example.test",
      answers: { role: "IT" },
    });
    const second = await registerPublic(app, orgSlug, event.slug, {
      email: "BO@example.test",
      answers: { role: "Finance" },
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ updated: true, registrationId: first.body.registrationId });
    expect(await count(sql`select count(*)::int as n from registrations where event_id = ${event.id}`)).toBe(
      1,
    );
    expect(
      await count(
        sql`select count(*)::int as n from touchpoints where event_id = ${event.id} and kind = 'registration'`,
      ),
    ).toBe(1);
    expect(await count(sql`select count(*)::int as n from tickets where event_id = ${event.id}`)).toBe(1);
    const [reg] = await db.withOrg(admin.orgId, (tx) =>
      rows<{ answers: { role: string } }>(
        tx,
        sql`select answers from registrations where event_id = ${event.id}`,
      ),
    );
    expect(reg!.answers.role).toBe("Finance");
  });

  it("validates custom questions and consent, naming the field", async () => {
    const event = await publishedEvent(app, headers, {
      registrationQuestions: [
        { key: "role", label: "Your role", kind: "choice", options: ["IT", "Finance"], required: true },
        { key: "diet", label: "Dietary needs", kind: "text" },
      ],
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ answers: {} }, "answers.role"],
      [{ answers: { role: "Sales" } }, "answers.role"],
      [{ answers: { role: "IT", shoe: "42" } }, "answers.shoe"],
      [{ answers: { role: "IT" }, consent: false }, "consent"],
      [{ answers: { role: "IT" }, email: "not-an-email" }, "email"],
    ];
    for (const [body, field] of cases) {
      const res = await registerPublic(app, orgSlug, event.slug, { email: "cy@example.test", ...body });
      expect(res.status).toBe(400);
      expect(res.body.error?.field).toBe(field);
    }
    expect(await count(sql`select count(*)::int as n from registrations where event_id = ${event.id}`)).toBe(
      0,
    );
  });

  it("waitlists plainly when full and promotes the first in line when someone cancels", async () => {
    const event = await publishedEvent(app, headers, { capacity: 2 });
    await registerPublic(app, orgSlug, event.slug, { email: "p1@example.test" });
    await registerPublic(app, orgSlug, event.slug, { email: "p2@example.test" });
    const third = await registerPublic(app, orgSlug, event.slug, { email: "p3@example.test" });
    const fourth = await registerPublic(app, orgSlug, event.slug, { email: "p4@example.test" });
    expect(third.body).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
    expect(third.body.message).toMatch(/is full\. You are number 1 on the waitlist/);
    expect(fourth.body.waitlistPosition).toBe(2);
    expect((await mailsTo("p3@example.test")).join()).not.toContain("TL1.");

    const ticket = ticketFromMail((await mailsTo("p1@example.test"))[0]!);
    const cancel = await app.request(`/api/public/orgs/${orgSlug}/events/${event.slug}/cancellations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ticket }),
    });
    expect(cancel.status).toBe(200);
    const p3mails = await mailsTo("p3@example.test");
    expect(p3mails.some((m) => m.includes("TL1."))).toBe(true);
    const statuses = await db.withOrg(admin.orgId, (tx) =>
      rows<{ email: string; status: string }>(
        tx,
        sql`select p.email, r.status from registrations r join people p on p.id = r.person_id
            where r.event_id = ${event.id} order by p.email`,
      ),
    );
    expect(statuses.map((s) => s.status)).toEqual(["cancelled", "registered", "registered", "waitlisted"]);
    expect(
      await count(
        sql`select count(*)::int as n from tickets where event_id = ${event.id} and revoked_at is not null`,
      ),
    ).toBe(1);
  });

  it("refuses invite-only and unpublished events with the reason", async () => {
    const roundtable = await publishedEvent(app, headers, { type: "executive_roundtable" });
    const invite = await registerPublic(app, orgSlug, roundtable.slug, { email: "d@example.test" });
    expect(invite.status).toBe(403);
    expect(invite.body.error?.message).toContain("by invitation only");
    const draft = await publishedEvent(app, headers, { status: "draft" });
    expect((await registerPublic(app, orgSlug, draft.slug, { email: "d@example.test" })).status).toBe(409);
    expect((await registerPublic(app, "no-such-org", draft.slug, { email: "d@example.test" })).status).toBe(
      404,
    );
  });

  it("rate-limits repeated registrations of one email", async () => {
    const event = await publishedEvent(app, headers);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await registerPublic(app, orgSlug, event.slug, { email: "spam@example.test" }, `198.51.100.${i}`))
          .status,
      );
    }
    expect(statuses.slice(0, 5).every((s) => s === 200 || s === 201)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it("shows delivery status in the outbox and lets staff cancel with promotion", async () => {
    const event = await publishedEvent(app, headers, { capacity: 1 });
    const a = await registerPublic(app, orgSlug, event.slug, { email: "s1@example.test" });
    const b = await registerPublic(app, orgSlug, event.slug, { email: "s2@example.test" });
    const queued = (await (
      await app.request(`/api/outbox?refId=${a.body.registrationId}`, { headers })
    ).json()) as {
      emails: { status: string; purpose: string }[];
    };
    expect(queued.emails).toEqual([expect.objectContaining({ status: "queued", purpose: "ticket" })]);
    await outbox.runOnce();
    const sent = (await (
      await app.request(`/api/outbox?refId=${a.body.registrationId}`, { headers })
    ).json()) as {
      emails: { status: string }[];
    };
    expect(sent.emails[0]!.status).toBe("sent");
    const res = await app.request(`/api/events/${event.id}/registrations/${a.body.registrationId}/cancel`, {
      method: "POST",
      headers,
    });
    expect(await res.json()).toEqual({ promoted: [b.body.registrationId] });
    const list = (await (await app.request(`/api/events/${event.id}/registrations`, { headers })).json()) as {
      registrations: { id: string; status: string; ticketRevoked: boolean }[];
    };
    expect(list.registrations.map((r) => [r.status, r.ticketRevoked])).toEqual([
      ["cancelled", true],
      ["registered", false],
    ]);
  });
});
