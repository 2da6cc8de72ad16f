import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { rawPublicKey, signToken } from "../../core/tickets/index.ts";
import { type Database, rows } from "../../db/client.ts";
import {
  accounts,
  eventSessions,
  events,
  people,
  registrations,
  tickets,
  users,
} from "../../db/schema/index.ts";
import { runLeadDigestNow } from "../../jobs/lead-digest.ts";

// biome-ignore lint/suspicious/noExplicitAny: tests read API JSON and assert on its shape
type Json = any;

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let clock = new Date("2030-03-30T14:00:00Z");
let eventId: string;
const keys = generateKeyPairSync("ed25519");

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => clock);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  eventId = await newEvent(admin.orgId);
});
afterAll(async () => {
  await db.close();
});

async function newEvent(orgId: string, name = "Field Summit"): Promise<string> {
  const [e] = await db.withOrg(orgId, (tx) =>
    tx
      .insert(events)
      .values({
        orgId,
        name,
        slug: `summit-${randomUUID().slice(0, 8)}`,
        type: "conference",
        format: "tactical",
        status: "published",
        startsAt: new Date("2030-03-29T08:00:00Z"),
        endsAt: new Date("2030-03-31T17:00:00Z"),
        timeZone: "Europe/Berlin",
        ticketPublicKey: rawPublicKey(keys.publicKey),
      })
      .returning({ id: events.id }),
  );
  return e!.id;
}

/** A registered person with a ticket; returns the person, ticket id and signed QR token. */
async function attendee(first: string, last: string, accountId: string | null = null) {
  return db.withOrg(admin.orgId, async (tx) => {
    const [p] = await tx
      .insert(people)
      .values({
        orgId: admin.orgId,
        firstName: first,
        lastName: last,
        email: `${first}.${last}@acme.test`.toLowerCase(),
        accountId,
        title: "Director of Operations",
      })
      .returning({ id: people.id });
    const [r] = await tx
      .insert(registrations)
      .values({ orgId: admin.orgId, eventId, personId: p!.id, status: "registered", source: "test" })
      .returning({ id: registrations.id });
    const [t] = await tx
      .insert(tickets)
      .values({
        orgId: admin.orgId,
        eventId,
        registrationId: r!.id,
        expiresAt: new Date("2030-04-01T00:00:00Z"),
      })
      .returning({ id: tickets.id });
    const token = signToken(
      { kind: "ticket", id: t!.id, eventId, subjectId: p!.id, expiresAt: new Date("2030-04-01T00:00:00Z") },
      keys.privateKey,
    );
    return { personId: p!.id, ticketId: t!.id, token };
  });
}

async function capture(body: Record<string, unknown>, auth = headers, event = eventId, via = app) {
  const res = await via.request(`/api/events/${event}/captures`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ nonce: randomUUID(), ...body }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function count(table: string, where = sql`true`): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db.owner,
    sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`,
  );
  return Number(r!.n);
}

describe("capture", () => {
  it("captures a badge scan as a lead with extracted fields, an offline touchpoint and an SLA", async () => {
    const a = await attendee("Dana", "Reyes");
    const note =
      "Problem: forecasting lives in spreadsheets. Urgent. Evaluating us vs Clari. Budget approx $60k. Mark (CRO) is the economic buyer. Next step: demo for Mark next Tuesday.";
    const res = await capture({ badge: a.token, note });
    expect(res.status).toBe(201);
    const { lead, conversation } = res.body;
    expect(res.body).toMatchObject({
      replay: false,
      merged: false,
      matchedBy: "badge",
      personCreated: false,
    });
    expect(lead.person.id).toBe(a.personId);
    expect(conversation.rawNote).toBe(note);
    expect(conversation.fields).toMatchObject({
      urgency: "now",
      buyingStage: "evaluating_vendors",
      nextStep: "demo for Mark",
      // Saturday 30 March 2030 in Berlin: next Tuesday is 2 April
      nextStepDate: "2030-04-02",
    });
    expect(conversation.extraction.extractor).toBe("builtin");
    expect(lead.tier).toMatch(/^[ABC]$/);
    expect(lead.signals.length).toBeGreaterThan(0);
    expect(lead.score).toBe(lead.signals.reduce((s: number, x: { points: number }) => s + x.points, 0));
    expect(lead.slaState).toBe("due");
    const [tp] = await rows<Record<string, unknown>>(
      db.owner,
      sql`select * from touchpoints where source = 'capture' and external_id = ${conversation.captureNonce}`,
    );
    expect(tp).toMatchObject({
      channel: "conversation",
      online: false,
      person_id: a.personId,
      event_id: eventId,
    });
    expect(conversation.touchpointId).toBe(tp!.id);
  });

  it("accepts a ticket id as the badge, and merges the same person twice at one event into one lead with both notes", async () => {
    const a = await attendee("Li", "Wei");
    const first = await capture({ badge: a.ticketId, note: "Pain: reconciling payments by hand." });
    clock = new Date(clock.getTime() + 3_600_000);
    const second = await capture({ badge: a.token, note: "Came back with her architect Omar; wants a POC." });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.merged).toBe(true);
    expect(second.body.lead.id).toBe(first.body.lead.id);
    expect(second.body.lead.conversations).toBe(2);
    expect(await count("leads", sql`person_id = ${a.personId}`)).toBe(1);
    const detail = (await (
      await app.request(`/api/leads/${first.body.lead.id}`, { headers })
    ).json()) as Json;
    expect(detail.conversationList.map((c: { rawNote: string }) => c.rawNote)).toEqual([
      "Pain: reconciling payments by hand.",
      "Came back with her architect Omar; wants a POC.",
    ]);
    expect(detail.fields.buyingStage).toBe("selecting");
    expect(detail.fields.problem).toContain("reconciling payments by hand");
  });

  it("replays an offline capture once: same nonce, same answer, nothing added", async () => {
    const a = await attendee("Omar", "Haddad");
    const nonce = randomUUID();
    const body = { nonce, badge: a.token, note: "offline note", occurredAt: "2030-03-30T13:00:00Z" };
    const first = await capture(body);
    const before = [await count("conversations"), await count("touchpoints"), await count("leads")];
    const again = await capture(body);
    expect(again.status).toBe(200);
    expect(again.body.replay).toBe(true);
    expect(again.body.conversation.id).toBe(first.body.conversation.id);
    expect([await count("conversations"), await count("touchpoints"), await count("leads")]).toEqual(before);
    expect(first.body.conversation.occurredAt).toBe("2030-03-30T13:00:00.000Z");
  });

  it("replays concurrent copies of one capture once", async () => {
    const nonce = randomUUID();
    const body = {
      nonce,
      person: { firstName: "Con", lastName: "Current", company: "Race Co" },
      note: "twice at once",
    };
    const results = await Promise.all([capture(body), capture(body), capture(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(await count("conversations", sql`capture_nonce = ${nonce}`)).toBe(1);
    expect(await count("people", sql`last_name = 'Current'`)).toBe(1);
  });

  it("creates a new person from what was typed when the badge is unknown, and refuses an unknown badge alone", async () => {
    const unknown = await capture({
      badge: "not-a-ticket-9f8e",
      person: {
        firstName: "Ola",
        lastName: "Nordmann",
        email: "ola@fjord.test",
        company: "Fjord AS",
        title: "CMO",
      },
      note: "Curious about attribution",
    });
    expect(unknown.status).toBe(201);
    expect(unknown.body).toMatchObject({ matchedBy: "unknown_badge", personCreated: true });
    expect(unknown.body.lead.person).toMatchObject({
      name: "Ola Nordmann",
      company: "Fjord AS",
      email: "ola@fjord.test",
    });
    const forged = signToken(
      {
        kind: "ticket",
        id: randomUUID(),
        eventId,
        subjectId: randomUUID(),
        expiresAt: new Date("2031-01-01"),
      },
      generateKeyPairSync("ed25519").privateKey,
    );
    const refused = await capture({ badge: forged, note: "x" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "validation", field: "badge" });
    // Typing the same person again (same email) finds them instead of creating a duplicate.
    const again = await capture({
      person: { firstName: "Ola", email: "OLA@fjord.test" },
      note: "second chat",
    });
    expect(again.body).toMatchObject({ personCreated: false, merged: true });
  });

  it("keeps the rep's confirmed fields over the proposal and records both", async () => {
    const note = "Budget approx $60k. Urgent. Send deck.";
    const res = await capture({
      person: { firstName: "Kim", lastName: "Lee", company: "Confirm Inc" },
      note,
      fields: { urgency: "this_quarter", budget: null, problem: "no pipeline visibility" },
    });
    expect(res.body.conversation.fields).toMatchObject({
      urgency: "this_quarter",
      budget: null,
      problem: "no pipeline visibility",
      nextStep: "Send deck",
    });
    expect(res.body.conversation.extraction).toMatchObject({
      proposed: { urgency: "now", budget: "Budget approx $60k" },
      confirmed: ["budget", "problem", "urgency"],
    });
    expect(res.body.conversation.rawNote).toBe(note);
  });

  it("never loses the raw note, even one the extractor cannot read", async () => {
    const notes = ["", "   ", "😀 — «ça va?» 10/10 <script>alert(1)</script>\n\ttabs", "x".repeat(19_000)];
    for (const note of notes) {
      const res = await capture({ person: { firstName: "Raw", lastName: `Note${note.length}` }, note });
      expect(res.status).toBe(201);
      expect(res.body.conversation.rawNote).toBe(note);
      const [row] = await rows<{ raw_note: string }>(
        db.owner,
        sql`select raw_note from conversations where id = ${res.body.conversation.id}`,
      );
      expect(row!.raw_note).toBe(note);
    }
    // A NUL cannot be stored: the capture is refused (the phone keeps it queued), never stored altered.
    const nul = await capture({ person: { firstName: "Nul" }, note: "a\u0000b" });
    expect(nul.status).toBe(400);
    expect(nul.body.error.field).toBe("note");
  });

  it("finds a person by name (registrants first) and captures them by id", async () => {
    const a = await attendee("Searchable", "Person");
    const res = await app.request(`/api/events/${eventId}/lead-people?q=searchable`, { headers });
    const { people: found } = (await res.json()) as Json;
    expect(found[0]).toMatchObject({ id: a.personId, name: "Searchable Person", registered: true });
    const cap = await capture({ personId: a.personId, note: "found by search" });
    expect(cap.body).toMatchObject({ matchedBy: "search", personCreated: false });
    const missing = await capture({ personId: randomUUID(), note: "x" });
    expect(missing.status).toBe(404);
    const list = (await (
      await app.request(`/api/events/${eventId}/leads?owner=me`, { headers })
    ).json()) as Json;
    expect(Array.isArray(list.leads)).toBe(true);
  });

  it("documents the lead routes with their roles in the OpenAPI document", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as Json;
    expect(doc.paths["/api/events/{id}/captures"].post["x-roles"]).toEqual(["admin", "marketer", "rep"]);
    expect(doc.paths["/api/events/{id}/lead-funnel"].get).toBeDefined();
    expect(doc.components.schemas.LeadDetail.allOf[1].required).toEqual([
      "conversationList",
      "followUps",
      "meetings",
      "sessions",
      "eventName",
      "eventTimeZone",
      "opportunity",
    ]);
  });

  it("refuses a viewer, a missing person and an unknown event", async () => {
    const viewer = await addUser(db, admin.orgId, "viewer");
    const asViewer = await capture({ person: { firstName: "V" } }, await signedIn(app, viewer));
    expect(asViewer.status).toBe(403);
    const none = await capture({ note: "nobody" });
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe("badge");
    const noEvent = await capture({ person: { firstName: "E" } }, headers, randomUUID());
    expect(noEvent.status).toBe(404);
  });
});

describe("routing", () => {
  it("routes to the account owner, else round-robin among the territory's reps", async () => {
    const orgAdmin = await orgWithAdmin(db);
    const h = await signedIn(app, orgAdmin);
    const event = await newEvent(orgAdmin.orgId);
    const [ann, bo, cy] = [
      await addUser(db, orgAdmin.orgId, "rep"),
      await addUser(db, orgAdmin.orgId, "rep"),
      await addUser(db, orgAdmin.orgId, "rep"),
    ];
    await db.withOrg(orgAdmin.orgId, async (tx) => {
      await tx.execute(sql`update users set territory = 'EMEA', name = 'Ann' where id = ${ann!.userId}`);
      await tx.execute(sql`update users set territory = 'EMEA', name = 'Bo' where id = ${bo!.userId}`);
      await tx.execute(sql`update users set territory = 'NA', name = 'Cy' where id = ${cy!.userId}`);
      await tx.insert(accounts).values([
        { orgId: orgAdmin.orgId, name: "Owned GmbH", territory: "EMEA", ownerUserId: cy!.userId },
        { orgId: orgAdmin.orgId, name: "Euro One", territory: "EMEA" },
        { orgId: orgAdmin.orgId, name: "Euro Two", territory: "emea" },
        { orgId: orgAdmin.orgId, name: "Euro Three", territory: "EMEA" },
      ]);
    });
    const owners: string[] = [];
    for (const company of ["Owned GmbH", "Euro One", "Euro Two", "Euro Three"]) {
      const r = await capture({ person: { firstName: "P", lastName: company, company }, note: "" }, h, event);
      owners.push(r.body.lead.ownerUserId);
      expect(r.body.routing).toBe(company === "Owned GmbH" ? "account_owner" : "territory_round_robin");
    }
    expect(owners).toEqual([cy!.userId, ann!.userId, bo!.userId, ann!.userId]);
    const unused = await db.withOrg(orgAdmin.orgId, (tx) => tx.select().from(users));
    expect(unused.length).toBe(4);
  });
});

describe("follow-up", () => {
  it("drafts a follow-up citing problem, next step, stakeholders and sessions attended, and sends it through the outbox", async () => {
    const a = await attendee("Priya", "Shah");
    const [session] = await db.withOrg(admin.orgId, (tx) =>
      tx
        .insert(eventSessions)
        .values({
          orgId: admin.orgId,
          eventId,
          title: "Forecasting without spreadsheets",
          startsAt: new Date("2030-03-30T09:00:00Z"),
          endsAt: new Date("2030-03-30T10:00:00Z"),
        })
        .returning({ id: eventSessions.id }),
    );
    await db.withOrg(admin.orgId, (tx) =>
      tx.execute(sql`insert into check_ins (org_id, event_id, session_id, person_id, direction, method, scan_nonce, occurred_at)
        values (${admin.orgId}, ${eventId}, ${session!.id}, ${a.personId}, 'entry', 'qr', ${randomUUID()}, now())`),
    );
    const cap = await capture({
      badge: a.token,
      note: "Problem: booth scans sit in a spreadsheet nobody opens. Next step: pricing call on Friday. Her CFO Daniel signs.",
    });
    const leadId = cap.body.lead.id;
    const draftRes = await app.request(`/api/leads/${leadId}/follow-up-draft`, {
      method: "POST",
      headers,
      body: JSON.stringify({}),
    });
    expect(draftRes.status).toBe(201);
    const draft = (await draftRes.json()) as Json;
    expect(draft).toMatchObject({ status: "draft", contextual: true, writer: "template" });
    expect(draft.cites).toEqual(["problem", "sessions", "next_step", "stakeholders"]);
    expect(draft.body).toContain("booth scans sit in a spreadsheet nobody opens");
    expect(draft.body).toContain('"Forecasting without spreadsheets"');
    expect(draft.body).toContain("pricing call on Friday 5 April");
    expect(draft.body).toContain("Daniel");

    const sent = await app.request(`/api/leads/${leadId}/follow-ups`, {
      method: "POST",
      headers,
      body: JSON.stringify({ draftId: draft.id, action: "send" }),
    });
    expect(sent.status).toBe(201);
    const row = (await sent.json()) as Json;
    expect(row).toMatchObject({ id: draft.id, status: "sent", contextual: true });
    const [mail] = await rows<{ purpose: string; to_address: string; subject: string }>(
      db.owner,
      sql`select purpose, to_address, subject from email_outbox where id = ${row.outboxId}`,
    );
    expect(mail).toMatchObject({ purpose: "lead_follow_up", to_address: "priya.shah@acme.test" });
    const lead = (await (await app.request(`/api/leads/${leadId}`, { headers })).json()) as Json;
    expect(lead).toMatchObject({ status: "followed_up", slaState: "met" });
    const reuse = await app.request(`/api/leads/${leadId}/follow-ups`, {
      method: "POST",
      headers,
      body: JSON.stringify({ draftId: draft.id, action: "send" }),
    });
    expect(reuse.status).toBe(409);
  });

  it("marks an edited follow-up generic when it no longer cites the problem or next step", async () => {
    const cap = await capture({
      person: { firstName: "Gen", lastName: "Eric", email: "gen@eric.test" },
      note: "Problem: reps ignore booth leads. Next step: demo Tuesday.",
    });
    const res = await app.request(`/api/leads/${cap.body.lead.id}/follow-ups`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        action: "send",
        subject: "Great to meet you",
        body: "Let me know if you want to chat!",
      }),
    });
    expect(((await res.json()) as Json).contextual).toBe(false);
    const call = await app.request(`/api/leads/${cap.body.lead.id}/follow-ups`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        action: "done",
        channel: "call",
        body: "Called about the demo Tuesday",
        at: "2030-03-30T16:00:00Z",
      }),
    });
    expect((await call.json()) as Json).toMatchObject({
      status: "done",
      contextual: true,
      sentAt: "2030-03-30T16:00:00.000Z",
    });
  });

  it("records a reply, an opportunity and a stage advance, and the funnel counts each link", async () => {
    const orgAdmin = await orgWithAdmin(db);
    const h = await signedIn(app, orgAdmin);
    const event = await newEvent(orgAdmin.orgId, "Funnel Fair");
    const t0 = clock;
    const full =
      "Problem: no pipeline visibility. Urgent. Evaluating us vs Acme. Next step: demo next Tuesday. Budget $50k.";
    const hot = await capture(
      {
        person: { firstName: "Hot", lastName: "Lead", company: "Hot Co", email: "hot@hot.test" },
        note: full,
      },
      h,
      event,
    );
    const cold = await capture(
      { person: { firstName: "Cold", lastName: "Lead", company: "Cold Co" }, note: "took a brochure" },
      h,
      event,
    );
    await capture(
      { person: { firstName: "Late", lastName: "Lead", company: "Late Co" }, note: full },
      h,
      event,
    );
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", headers: h, body: JSON.stringify(body) });
    clock = new Date(t0.getTime() + 2 * 3_600_000);
    const draft = (await (await post(`/api/leads/${hot.body.lead.id}/follow-up-draft`, {})).json()) as Json;
    expect(
      (await post(`/api/leads/${hot.body.lead.id}/follow-ups`, { draftId: draft.id, action: "send" })).status,
    ).toBe(201);
    expect((await post(`/api/leads/${hot.body.lead.id}/outcomes`, { kind: "reply" })).status).toBe(200);
    const opp = await post(`/api/leads/${hot.body.lead.id}/outcomes`, {
      kind: "opportunity",
      amountMinor: 5_000_000,
    });
    expect(((await opp.json()) as Json).lead.status).toBe("opportunity");
    expect(
      (await post(`/api/leads/${hot.body.lead.id}/outcomes`, { kind: "stage_change", toStage: "evaluation" }))
        .status,
    ).toBe(200);
    const detail = (await (
      await app.request(`/api/leads/${hot.body.lead.id}`, { headers: h })
    ).json()) as Json;
    expect(detail.opportunity).toMatchObject({ stage: "evaluation", amountMinor: 5_000_000 });
    expect(detail.eventName).toBe("Funnel Fair");
    const coldDetail = (await (
      await app.request(`/api/leads/${cold.body.lead.id}`, { headers: h })
    ).json()) as Json;
    expect(coldDetail.opportunity).toBeNull();
    expect((await post(`/api/leads/${cold.body.lead.id}/outcomes`, { kind: "reply" })).status).toBe(409);
    expect(
      (await post(`/api/leads/${cold.body.lead.id}/outcomes`, { kind: "meeting", notes: "coffee" })).status,
    ).toBe(200);
    const meetings = await count(
      "touchpoints",
      sql`source = 'lead_meeting' and person_id = ${cold.body.lead.person.id}`,
    );
    expect(meetings).toBe(1);

    const res = await app.request(`/api/events/${event}/lead-funnel`, { headers: h });
    expect(res.status).toBe(200);
    const funnel = (await res.json()) as Json;
    expect(funnel.captured).toBe(3);
    expect(funnel.links.map((l: { step: string; reached: number }) => [l.step, l.reached])).toEqual([
      ["captured", 3],
      ["context_complete", 2],
      ["followed_up_within_sla", 1],
      ["followed_up_with_context", 1],
      ["buyer_responded", 1],
      ["opportunity_created", 1],
      ["stage_advanced", 1],
    ]);
    // The cold lead's meeting is the buyer answering, not a follow-up: it responds without being followed up.
    expect(funnel.timeToFollowUp.followedUp).toBe(1);
    expect(funnel.links.find((l: { step: string }) => l.step === "buyer_responded").passed).toBe(2);
    expect(funnel.links.find((l: { step: string }) => l.step === "followed_up_within_sla").passed).toBe(1);
    expect(funnel.byFollowUp.contextual.opportunities).toBe(1);
    const viewer = await addUser(db, orgAdmin.orgId, "viewer");
    const asViewer = await app.request(`/api/events/${event}/lead-funnel`, {
      headers: await signedIn(app, viewer),
    });
    expect(asViewer.status).toBe(200);
  });
});

describe("edge cases of follow-ups and outcomes", () => {
  it("does not count a recorded meeting as the follow-up within SLA, before or after a late follow-up", async () => {
    const orgAdmin = await orgWithAdmin(db);
    const h = await signedIn(app, orgAdmin);
    const event = await newEvent(orgAdmin.orgId, "Meeting Mart");
    const saved = clock;
    const cap = await capture(
      {
        person: { firstName: "Mia", lastName: "Meet", company: "Meet Co", email: "mia@meet.test" },
        note: "Problem: no pipeline visibility. Urgent. Evaluating us vs Acme. Next step: demo next Tuesday.",
      },
      h,
      event,
    );
    const leadId = cap.body.lead.id;
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", headers: h, body: JSON.stringify(body) });
    clock = new Date(saved.getTime() + 3_600_000);
    expect(
      (await post(`/api/leads/${leadId}/outcomes`, { kind: "meeting", notes: "coffee at the booth" })).status,
    ).toBe(200);
    const detail = (await (await app.request(`/api/leads/${leadId}`, { headers: h })).json()) as Json;
    expect(detail.followUps).toEqual([]);
    expect(detail.meetings).toEqual([{ at: clock.toISOString(), notes: "coffee at the booth" }]);
    expect(detail.slaState).toBe("due");
    const steps = async () =>
      Object.fromEntries(
        (
          (await (await app.request(`/api/events/${event}/lead-funnel`, { headers: h })).json()) as Json
        ).links.map((l: { step: string; passed: number }) => [l.step, l.passed]),
      );
    expect(await steps()).toMatchObject({ followed_up_within_sla: 0, buyer_responded: 1 });
    // A follow-up long after the SLA, then another meeting: still not followed up within SLA.
    clock = new Date(saved.getTime() + 10 * 86_400_000);
    expect((await post(`/api/leads/${leadId}/follow-ups`, { action: "done", channel: "call" })).status).toBe(
      201,
    );
    clock = new Date(clock.getTime() + 3_600_000);
    expect((await post(`/api/leads/${leadId}/outcomes`, { kind: "meeting" })).status).toBe(200);
    expect(await steps()).toMatchObject({ followed_up_within_sla: 0, buyer_responded: 1 });
    const after = (await (await app.request(`/api/leads/${leadId}`, { headers: h })).json()) as Json;
    expect(after.slaState).toBe("missed");
    // The second meeting answered the late call.
    expect(after.followUps[0].respondedAt).toBe(clock.toISOString());
    clock = saved;
  });

  it("refuses a done follow-up dated before the capture, naming the field", async () => {
    const cap = await capture({
      person: { firstName: "Early", lastName: "Bird", company: "Early Co" },
      note: "Problem: forecasts by hand.",
      occurredAt: "2030-03-30T13:00:00Z",
    });
    const res = await app.request(`/api/leads/${cap.body.lead.id}/follow-ups`, {
      method: "POST",
      headers,
      body: JSON.stringify({ action: "done", channel: "call", at: "2030-03-30T12:59:00Z" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.error).toMatchObject({ code: "validation", field: "at" });
    expect(body.error.message).toContain("before the capture at 2030-03-30T13:00:00.000Z");
    expect(await count("follow_ups", sql`lead_id = ${cap.body.lead.id}`)).toBe(0);
    const onTime = await app.request(`/api/leads/${cap.body.lead.id}/follow-ups`, {
      method: "POST",
      headers,
      body: JSON.stringify({ action: "done", channel: "call", at: "2030-03-30T13:00:00Z" }),
    });
    expect(onTime.status).toBe(201);
  });
});

describe("another organization", () => {
  it("cannot see, follow up or record outcomes on a lead: 404 and nothing written", async () => {
    const cap = await capture({
      person: { firstName: "Ten", lastName: "Ant", email: "ten@ant.test" },
      note: "Problem: x y z.",
    });
    const leadId = cap.body.lead.id;
    const other = await orgWithAdmin(db);
    const h = await signedIn(app, other);
    const before = [
      await count("follow_ups"),
      await count("email_outbox"),
      await count("opportunities"),
      await count("touchpoints"),
    ];
    const attempts = [
      app.request(`/api/leads/${leadId}`, { headers: h }),
      app.request(`/api/leads/${leadId}/follow-up-draft`, { method: "POST", headers: h, body: "{}" }),
      app.request(`/api/leads/${leadId}/follow-ups`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ action: "send", subject: "hi", body: "hello" }),
      }),
      app.request(`/api/leads/${leadId}/outcomes`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ kind: "meeting" }),
      }),
      app.request(`/api/events/${eventId}/lead-funnel`, { headers: h }),
      app.request(`/api/events/${eventId}/captures`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ nonce: randomUUID(), person: { firstName: "X" } }),
      }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    expect([
      await count("follow_ups"),
      await count("email_outbox"),
      await count("opportunities"),
      await count("touchpoints"),
    ]).toEqual(before);
  });
});

describe("SLA digest", () => {
  it("lists an owner's overdue leads and queues one digest email per owner; capture schedules the daily job", async () => {
    const orgAdmin = await orgWithAdmin(db);
    const rep = await addUser(db, orgAdmin.orgId, "rep");
    const h = await signedIn(app, orgAdmin);
    const event = await newEvent(orgAdmin.orgId, "Digest Days");
    const saved = clock;
    await capture(
      {
        person: { firstName: "Over", lastName: "Due", company: "Late LLC" },
        note: "Urgent. Next step: call tomorrow.",
      },
      h,
      event,
    );
    clock = new Date(saved.getTime() + 6 * 86_400_000);
    const repHeaders = await signedIn(app, rep);
    const overdue = (await (await app.request("/api/leads/overdue", { headers: repHeaders })).json()) as Json;
    expect(overdue.digests).toHaveLength(1);
    expect(overdue.digests[0].ownerUserId).toBe(rep.userId);
    expect(overdue.digests[0].leads[0]).toMatchObject({ personName: "Over Due", eventName: "Digest Days" });
    expect(await runLeadDigestNow(db, orgAdmin.orgId, clock)).toBe(1);
    const [mail] = await rows<{ to_address: string; subject: string }>(
      db.owner,
      sql`select to_address, subject from email_outbox where org_id = ${orgAdmin.orgId} and purpose = 'lead_sla_digest'`,
    );
    expect(mail).toMatchObject({ to_address: rep.email, subject: "1 lead past the follow-up SLA" });
    expect(await count("jobs", sql`org_id = ${orgAdmin.orgId} and kind = 'lead_sla_digest'`)).toBe(1);
    clock = saved;
  });
});

describe("optional model", () => {
  let server: Server;
  let reply: (body: Json) => { status: number; content: string };
  let seen: { auth?: string; model?: string }[] = [];
  /** The app configured with the model served below. */
  let modelApp: TestApp;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => {
        data += c;
      });
      req.on("end", () => {
        const body = JSON.parse(data);
        seen.push({ auth: req.headers.authorization, model: body.model });
        const r = reply(body);
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: r.content } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    modelApp = testApp(db, () => clock, {
      THROUGHLINE_LLM_URL: `http://127.0.0.1:${port}/v1`,
      THROUGHLINE_LLM_MODEL: "test-model",
      THROUGHLINE_LLM_KEY: "sk-test",
      THROUGHLINE_LLM_TIMEOUT_MS: "2000",
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const fields = {
    problem: "forecasts in spreadsheets",
    useCase: "pipeline forecasting",
    urgency: "this_quarter",
    buyingStage: "selecting",
    budget: "$80k",
    timeline: "Q3",
    stakeholders: [{ name: "Mark", role: "economic_buyer" }],
    nextStep: "demo",
    nextStepDate: "2030-04-02",
  };
  const extract = async (note: string) =>
    (await (
      await modelApp.request("/api/leads/extract", {
        method: "POST",
        headers,
        body: JSON.stringify({ note, eventId }),
      })
    ).json()) as Json;

  it("uses the model's fields when it answers valid JSON", async () => {
    seen = [];
    reply = () => ({ status: 200, content: JSON.stringify(fields) });
    const out = await extract("Mark wants a demo");
    expect(out).toMatchObject({
      extractor: "llm",
      model: "test-model",
      fields,
      rawNote: "Mark wants a demo",
    });
    expect(seen).toEqual([{ auth: "Bearer sk-test", model: "test-model" }]);
  });

  it("falls back to the built-in extractor on invalid JSON, invalid fields or an error status", async () => {
    const note = "Urgent. Send deck tomorrow.";
    for (const [make, reason] of [
      [() => ({ status: 200, content: "Sure! The buyer is urgent." }), /did not return JSON/],
      [() => ({ status: 200, content: JSON.stringify({ ...fields, urgency: "asap" }) }), /urgency/],
      [() => ({ status: 500, content: "{}" }), /500/],
    ] as const) {
      reply = make;
      const out = await extract(note);
      expect(out.extractor).toBe("builtin");
      expect(out.fallbackReason).toMatch(reason);
      expect(out.fields).toMatchObject({ urgency: "now", nextStep: "Send deck", nextStepDate: "2030-03-31" });
      expect(out.rawNote).toBe(note);
    }
  });

  it("captures with the model's proposal and drafts with it on request", async () => {
    reply = (body) =>
      body.messages[0].content.includes("follow-up email")
        ? {
            status: 200,
            content: JSON.stringify({
              subject: "Your demo",
              body: "Hi, about forecasts in spreadsheets: see you at the demo.",
            }),
          }
        : { status: 200, content: JSON.stringify(fields) };
    const cap = await capture(
      { person: { firstName: "Ll", lastName: "M", email: "ll@m.test" }, note: "anything" },
      headers,
      eventId,
      modelApp,
    );
    expect(cap.body.conversation.extraction.extractor).toBe("llm");
    expect(cap.body.conversation.fields.budget).toBe("$80k");
    const draft = (await (
      await modelApp.request(`/api/leads/${cap.body.lead.id}/follow-up-draft`, {
        method: "POST",
        headers,
        body: JSON.stringify({ useLlm: true }),
      })
    ).json()) as Json;
    expect(draft).toMatchObject({ writer: "llm", subject: "Your demo", contextual: true });
  });
});

describe("optional model that cannot answer", () => {
  let silent: Server;
  let failing: Server;
  let silentApp: TestApp;
  let refusedApp: TestApp;
  let failingApp: TestApp;
  const listen = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  };
  const modelEnv = (port: number) => ({
    THROUGHLINE_LLM_URL: `http://127.0.0.1:${port}/v1`,
    THROUGHLINE_LLM_MODEL: "test-model",
    THROUGHLINE_LLM_TIMEOUT_MS: "300",
  });
  beforeAll(async () => {
    // Reads the request and never answers.
    silent = createServer((req) => req.resume());
    silentApp = testApp(db, () => clock, modelEnv(await listen(silent)));
    // Answers every call with an error status.
    failing = createServer((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end("{}");
    });
    failingApp = testApp(db, () => clock, modelEnv(await listen(failing)));
    // A port nobody listens on any more: the connection is refused.
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    refusedApp = testApp(db, () => clock, modelEnv(port));
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await new Promise((resolve) => failing.close(resolve));
  });

  const note = "Problem: reps ignore booth leads. Urgent. Next step: send deck tomorrow.";
  const builtin = { urgency: "now", nextStep: "send deck", nextStepDate: "2030-03-31" };

  for (const [name, via, reason] of [
    ["a model that never answers (timeout)", () => silentApp, /did not answer within 300 ms/],
    ["a refused connection", () => refusedApp, /could not be reached \(ECONNREFUSED\)/],
  ] as const) {
    it(`falls back to the built-in extractor on ${name}, in preview and capture`, async () => {
      const preview = (await (
        await via().request("/api/leads/extract", {
          method: "POST",
          headers,
          body: JSON.stringify({ note, eventId }),
        })
      ).json()) as Json;
      expect(preview).toMatchObject({ extractor: "builtin", rawNote: note, fields: builtin });
      expect(preview.fallbackReason).toMatch(reason);
      const cap = await capture(
        { person: { firstName: "Fall", lastName: `Back ${name}` }, note },
        headers,
        eventId,
        via(),
      );
      expect(cap.status).toBe(201);
      expect(cap.body.conversation.extraction).toMatchObject({ extractor: "builtin" });
      expect(cap.body.conversation.extraction.fallbackReason).toMatch(reason);
      expect(cap.body.conversation.fields).toMatchObject(builtin);
      expect(cap.body.conversation.rawNote).toBe(note);
    });
  }

  it("falls back to the template draft when the model fails, times out or cannot be reached", async () => {
    const cap = await capture({
      person: { firstName: "Draft", lastName: "Fallback", email: "draft@fallback.test" },
      note,
    });
    const leadId = cap.body.lead.id;
    const template = (await (
      await app.request(`/api/leads/${leadId}/follow-up-draft`, { method: "POST", headers, body: "{}" })
    ).json()) as Json;
    expect(template).toMatchObject({ writer: "template", contextual: true });
    for (const [via, reason] of [
      [failingApp, /answered 503/],
      [silentApp, /did not answer within 300 ms/],
      [refusedApp, /ECONNREFUSED/],
    ] as const) {
      const res = await via.request(`/api/leads/${leadId}/follow-up-draft`, {
        method: "POST",
        headers,
        body: JSON.stringify({ useLlm: true }),
      });
      expect(res.status).toBe(201);
      const draft = (await res.json()) as Json;
      expect(draft).toMatchObject({
        writer: "template",
        status: "draft",
        contextual: true,
        subject: template.subject,
        body: template.body,
        cites: template.cites,
      });
      expect(draft.fallbackReason).toMatch(reason);
    }
  });
});
