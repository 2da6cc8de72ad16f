import { generateKeyPairSync } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { decodeToken, signToken, tokenDigest } from "../../core/tickets/index.ts";
import { type Database, rows } from "../../db/client.ts";
import {
  orgSlugOf,
  publishedEvent,
  registerPublic,
  type TestEvent,
  ticketFromMail,
} from "../registration/test-support.ts";
import type { ScanResult } from "./scan.ts";
import { signatureChecks } from "./verify-scans.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let orgSlug: string;
let clock = new Date("2030-03-01T10:00:00Z");
let ip = 0;
let nonce = 0;
beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => clock);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  orgSlug = await orgSlugOf(app, headers);
});
afterAll(async () => {
  await db.close();
});

/** Registers through the public API and returns the ticket code from the queued confirmation email. */
async function ticketFor(event: TestEvent, email: string, name = "Grace Hopper"): Promise<string> {
  const [firstName, lastName] = name.split(" ");
  const res = await registerPublic(
    app,
    orgSlug,
    event.slug,
    { email, firstName, lastName },
    `192.0.2.${ip++ % 250}`,
  );
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(res.body)}`);
  const [mail] = await db.withOrg(admin.orgId, (tx) =>
    rows<{ text_body: string }>(
      tx,
      sql`select text_body from email_outbox where to_address = ${email} and purpose = 'ticket' order by created_at desc limit 1`,
    ),
  );
  return ticketFromMail(mail!.text_body);
}

async function scan(
  event: TestEvent,
  scans: Record<string, unknown>[],
  auth: Record<string, string> = headers,
): Promise<ScanResult[]> {
  const res = await app.request(`/api/events/${event.id}/check-ins`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ scans: scans.map((s) => ({ nonce: `n-${++nonce}-${Math.random()}`, ...s })) }),
  });
  if (res.status !== 200) throw new Error(`check-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { results: ScanResult[] }).results;
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await db.withOrg(admin.orgId, (tx) => rows<{ n: number }>(tx, query));
  return row!.n;
}

describe("door check-in", () => {
  it("checks in once; a replayed nonce and a second scan add nothing and say when", async () => {
    const event = await publishedEvent(app, headers, { timeZone: "Europe/Berlin" });
    const ticket = await ticketFor(event, "grace@example.test");
    clock = new Date("2030-03-30T08:14:00Z"); // 09:14 in Berlin (CET, the day before summer time)
    const [first] = await scan(event, [{ ticket, nonce: "kiosk1-0001" }]);
    expect(first).toMatchObject({
      outcome: "checked_in",
      replay: false,
      atLocal: "09:14",
      person: { name: "Grace Hopper" },
    });
    clock = new Date("2030-03-30T08:20:00Z");
    const [replay] = await scan(event, [{ ticket, nonce: "kiosk1-0001" }]);
    expect(replay).toMatchObject({ outcome: "checked_in", replay: true, atLocal: "09:14" });
    const [again] = await scan(event, [{ ticket, method: "wedge" }]);
    expect(again).toMatchObject({ outcome: "already_checked_in", replay: false });
    expect(again!.message).toBe("Grace Hopper is already checked in at 09:14");
    expect(await count(sql`select count(*)::int as n from check_ins where event_id = ${event.id}`)).toBe(1);
    expect(
      await count(
        sql`select count(*)::int as n from touchpoints where event_id = ${event.id} and kind = 'check_in'`,
      ),
    ).toBe(1);
  });

  it("writes the local time correctly on both sides of a daylight-saving change", async () => {
    const event = await publishedEvent(app, headers, {
      timeZone: "America/New_York",
      startsAt: "2030-03-09T13:00:00Z",
      endsAt: "2030-03-11T22:00:00Z",
    });
    // US summer time starts on Sunday 10 March 2030: 14:14Z is 09:14 EST on the 9th, 13:14Z is 09:14 EDT on the 10th.
    clock = new Date("2030-03-09T14:14:00Z");
    const before = await ticketFor(event, "est@example.test");
    const after = await ticketFor(event, "edt@example.test");
    const [a] = await scan(event, [{ ticket: before }]);
    clock = new Date("2030-03-10T13:14:00Z");
    const [b] = await scan(event, [{ ticket: after }]);
    expect([a!.atLocal, b!.atLocal]).toEqual(["09:14", "09:14"]);
    const [again] = await scan(event, [{ ticket: before }]);
    expect(again!.message).toMatch(/already checked in at 09:14$/);
  });

  it("refuses forged, expired, revoked and foreign codes with the reason", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    const other = await publishedEvent(app, headers);
    const good = await ticketFor(event, "forge@example.test");
    const claims = decodeToken(good)!;
    const forged = signToken(claims, generateKeyPairSync("ed25519").privateKey);
    const foreign = await ticketFor(other, "foreign@example.test");
    const cancelled = await ticketFor(event, "cancel@example.test");
    await app.request(`/api/public/orgs/${orgSlug}/events/${event.slug}/cancellations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ticket: cancelled }),
    });
    const results = await scan(event, [
      { ticket: forged },
      { ticket: foreign },
      { ticket: cancelled },
      { ticket: "hello" },
    ]);
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ["rejected", "forged"],
      // The organization's own ticket for its other event, known by its recorded digest (a kiosk offline, holding
      // this event's key only, finds its signature invalid instead).
      ["rejected", "wrong_event"],
      ["rejected", "revoked"],
      ["rejected", "malformed"],
    ]);
    expect(results[0]!.message).toBe("the code's signature is not valid for this event");
    expect(results[1]!.message).toBe("this code is for another event");
    expect(results[2]!.message).toBe("this ticket was cancelled");
    const revocations = (await (
      await app.request(`/api/events/${event.id}/revocations`, { headers })
    ).json()) as {
      ticketIds: string[];
    };
    expect(revocations.ticketIds).toEqual([decodeToken(cancelled)!.id]);
    clock = new Date("2030-04-02T10:00:00Z"); // a day after the event ended: the ticket has expired
    const [expired] = await scan(event, [{ ticket: good }]);
    expect(expired).toMatchObject({ outcome: "rejected", reason: "expired" });
    expect(await count(sql`select count(*)::int as n from check_ins where event_id = ${event.id}`)).toBe(0);
  });
});

describe("knowing a ticket's code", () => {
  it("takes a code it issued by its recorded digest, and checks any other by its signature", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    const issued = await ticketFor(event, "digest@example.test");
    const stored = await count(
      sql`select count(*)::int as n from tickets where event_id = ${event.id} and code_digest = ${tokenDigest(issued)}`,
    );
    expect(stored).toBe(1);
    let before = signatureChecks();
    const [first] = await scan(event, [{ ticket: ` ${issued} ` }]);
    expect(first).toMatchObject({ outcome: "checked_in" });
    expect(signatureChecks() - before).toBe(0);

    // A ticket whose code was not recorded (issued before codes were): checked by its signature, once.
    const unrecorded = await ticketFor(event, "unrecorded@example.test");
    await db.owner.execute(
      sql`update tickets set code_digest = null where org_id = ${admin.orgId} and id = ${decodeToken(unrecorded)!.id}`,
    );
    before = signatureChecks();
    const [second] = await scan(event, [{ ticket: unrecorded, direction: "entry" }]);
    expect(second).toMatchObject({ outcome: "checked_in" });
    expect(signatureChecks() - before).toBe(1);
    // Registering again sends the ticket again: the same code (the signature is deterministic), now recorded.
    const again = await registerPublic(
      app,
      orgSlug,
      event.slug,
      { email: "unrecorded@example.test", firstName: "Ada", lastName: "Lovelace" },
      "192.0.2.251",
    );
    expect(again.status).toBe(200);
    const mails = await db.withOrg(admin.orgId, (tx) =>
      rows<{ text_body: string }>(
        tx,
        sql`select text_body from email_outbox where to_address = 'unrecorded@example.test' and purpose = 'ticket'`,
      ),
    );
    expect(mails.map((m) => ticketFromMail(m.text_body))).toEqual([unrecorded, unrecorded]);
    expect(
      await count(
        sql`select count(*)::int as n from tickets where id = ${decodeToken(unrecorded)!.id} and code_digest = ${tokenDigest(unrecorded)}`,
      ),
    ).toBe(1);
  });
});

describe("bad scans", () => {
  it("refuses a NUL character in a scan's text with a 400 that names the field", async () => {
    const event = await publishedEvent(app, headers);
    const res = await app.request(`/api/events/${event.id}/check-ins`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ scans: [{ nonce: "kiosk-1\u0000-0001", personId: admin.userId }] }),
    });
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain("nonce");
    expect(body).toContain("NUL");
  });
});

describe("session check-in", () => {
  it("pairs entry and exit into minutes in session, and refuses an exit without an entry", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    const session = (await (
      await app.request(`/api/events/${event.id}/sessions`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          title: "Workshop",
          startsAt: "2030-03-30T09:00:00Z",
          endsAt: "2030-03-30T11:00:00Z",
        }),
      })
    ).json()) as { id: string };
    const ticket = await ticketFor(event, "sess@example.test");
    clock = new Date("2030-03-30T09:05:00Z");
    const [noEntry] = await scan(event, [{ ticket, sessionId: session.id, direction: "exit" }]);
    expect(noEntry!.outcome).toBe("not_checked_in");
    await scan(event, [{ ticket, sessionId: session.id }]);
    clock = new Date("2030-03-30T09:50:00Z");
    const [exit] = await scan(event, [{ ticket, sessionId: session.id, direction: "exit" }]);
    expect(exit).toMatchObject({ outcome: "checked_out", minutesInSession: 45 });
    const [reentry] = await scan(event, [{ ticket, sessionId: session.id }]);
    expect(reentry!.outcome).toBe("checked_in");
    const [wrongSession] = await scan(event, [{ ticket, sessionId: event.id }]);
    expect(wrongSession).toMatchObject({ outcome: "rejected", reason: "unknown_session" });
  });

  it("keeps the scan time a kiosk replays from its offline queue", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    const ticket = await ticketFor(event, "offline@example.test");
    clock = new Date("2030-03-30T10:00:00Z");
    const [r] = await scan(event, [{ ticket, occurredAt: "2030-03-30T08:02:00Z" }]);
    expect(r!.atLocal).toBe("09:02");
  });
});

describe("kiosks", () => {
  it("checks in by name search for registered people only", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    await ticketFor(event, "search@example.test", "Katherine Johnson");
    const bundle = (await (await app.request(`/api/events/${event.id}/kiosk`, { headers })).json()) as {
      roster: { personId: string; name: string }[];
      publicKey: string;
    };
    expect(bundle.roster.map((r) => r.name)).toEqual(["Katherine Johnson"]);
    expect(bundle.publicKey).toHaveLength(43);
    const [byName] = await scan(event, [{ personId: bundle.roster[0]!.personId, method: "search" }]);
    expect(byName!.outcome).toBe("checked_in");
    const stranger = await publishedEvent(app, headers);
    const [notHere] = await scan(stranger, [{ personId: bundle.roster[0]!.personId, method: "search" }]);
    expect(notHere).toMatchObject({ outcome: "rejected", reason: "not_registered" });
  });

  it("accepts a kiosk credential for its own event only", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    const other = await publishedEvent(app, headers);
    const ticket = await ticketFor(event, "kiosk@example.test");
    const { token } = (await (
      await app.request(`/api/events/${event.id}/kiosk-token`, { method: "POST", headers })
    ).json()) as { token: string };
    const kiosk = { authorization: `Kiosk ${token}` };
    const [ok] = await scan(event, [{ ticket }], kiosk);
    expect(ok!.outcome).toBe("checked_in");
    const elsewhere = await app.request(`/api/events/${other.id}/check-ins`, {
      method: "POST",
      headers: { ...kiosk, "content-type": "application/json" },
      body: JSON.stringify({ scans: [{ nonce: "x-123456789", ticket }] }),
    });
    expect(elsewhere.status).toBe(403);
    const bogus = await app.request(`/api/events/${event.id}/check-ins`, {
      method: "POST",
      headers: { authorization: `Kiosk ${ticket}`, "content-type": "application/json" },
      body: JSON.stringify({ scans: [{ nonce: "x-123456789", ticket }] }),
    });
    expect(bogus.status).toBe(401);
  });

  it("counts one check-in when many kiosks send the same person at once, and all of a crowd", async () => {
    clock = new Date("2030-03-01T10:00:00Z");
    const event = await publishedEvent(app, headers);
    const tickets = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ticketFor(event, `crowd${i}@example.test`)),
    );
    clock = new Date("2030-03-30T08:00:00Z");
    const twice = await Promise.all(Array.from({ length: 10 }, () => scan(event, [{ ticket: tickets[0] }])));
    expect(twice.flat().filter((r) => r.outcome === "checked_in")).toHaveLength(1);
    const crowd = await Promise.all(tickets.slice(1).map((ticket) => scan(event, [{ ticket }])));
    expect(crowd.flat().every((r) => r.outcome === "checked_in")).toBe(true);
    expect(await count(sql`select count(*)::int as n from check_ins where event_id = ${event.id}`)).toBe(20);
  });
});
