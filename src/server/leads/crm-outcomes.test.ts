import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { buyerResponseOf } from "../../core/leads/buyer-response.ts";
import { type Database, rows } from "../../db/client.ts";
import { events } from "../../db/schema/index.ts";
import { importCsv } from "../../ingest/import-csv.ts";
import type { ImportKind } from "../../ingest/kinds/index.ts";
import { linkLeadOutcomes } from "../../ingest/link-lead-outcomes.ts";

// Replies, meetings, opportunities and stage changes that arrive by CRM import reach the leads they follow, and the
// funnel counts them exactly as it counts the same outcomes recorded by hand.

// biome-ignore lint/suspicious/noExplicitAny: tests read API JSON and assert on its shape
type Json = any;

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let clock = new Date("2030-03-30T14:00:00Z");
let eventId: string;
const lead: Record<string, { id: string; personId: string }> = {};

const CAPTURED = "2030-03-30T14:00:00Z";
const FOLLOWED_UP = "2030-03-30T16:00:00Z";

async function post(path: string, body: unknown) {
  const res = await app.request(path, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

async function importText(kind: ImportKind, lines: string[]) {
  const result = await importCsv(db, admin.orgId, kind, [`${lines.join("\n")}\n`], {
    fileName: `${kind}.csv`,
  });
  expect(result.status, JSON.stringify(result.errors)).toBe("done");
  return result;
}

const funnel = async () =>
  (await (await app.request(`/api/events/${eventId}/lead-funnel`, { headers })).json()) as Json;
const reached = (f: Json) =>
  Object.fromEntries(f.links.map((l: { step: string; reached: number }) => [l.step, l.reached]));

/** Every lead's and follow-up's outcome columns, to prove a second import changes none of them. */
const outcomeState = () =>
  rows<Record<string, unknown>>(
    db.owner,
    sql`select l.id, l.status, l.opportunity_id, f.id as follow_up_id, f.responded_at
        from leads l left join follow_ups f on f.org_id = l.org_id and f.lead_id = l.id
        where l.org_id = ${admin.orgId} order by l.id, f.id`,
  );

const contextNote =
  "Problem: booth leads rot in a spreadsheet. Urgent. Evaluating us vs Acme. Next step: demo next Tuesday.";

const ACCOUNTS = [
  "external_id,name,domain",
  "ACC-REPLY,Reply Corp,reply.test",
  "ACC-MEET,Meet Corp,meet.test",
  "ACC-SILENT,Silent Corp,silent.test",
];
const PEOPLE = [
  "external_id,email,first_name,last_name,account_external_id",
  "P-REPLY,rita@reply.test,Rita,Reply,ACC-REPLY",
  "P-MEET,mo@meet.test,Mo,Meet,ACC-MEET",
  "P-SILENT,sid@silent.test,Sid,Silent,ACC-SILENT",
];
const TOUCHES = [
  "external_id,source,occurred_at,channel,kind,online,person_external_id",
  // Before the follow-up: not an answer to it.
  "T1,hubspot,2030-03-30T15:00:00Z,email,reply,true,P-REPLY",
  "T2,hubspot,2030-04-01T09:30:00Z,email,Email Reply,true,P-REPLY",
  "T3,hubspot,2030-04-02T10:00:00Z,email,reply,true,P-REPLY",
  "T4,hubspot,2030-04-01T12:00:00Z,email,open,true,P-MEET",
  "T5,hubspot,2030-04-03T15:00:00Z,meeting,demo,false,P-MEET",
  // Never followed up: a reply with nothing to answer is not a response.
  "T6,hubspot,2030-04-01T09:00:00Z,email,reply,true,P-SILENT",
];
const OPPORTUNITIES = [
  "external_id,account_external_id,name,amount,currency,stage,opened_at",
  // Opened before the capture: not the lead's.
  "O-OLD,ACC-REPLY,Old renewal,1000.00,USD,closed_won,2029-11-01T00:00:00Z",
  "O-NEW,ACC-REPLY,Event deal,50000.00,USD,prospecting,2030-04-05T00:00:00Z",
  "O-LATER,ACC-REPLY,Second deal,9000.00,USD,prospecting,2030-05-01T00:00:00Z",
];
const STAGE_CHANGES = [
  "external_id,opportunity_external_id,from_stage,to_stage,changed_at",
  "S1,O-NEW,,prospecting,2030-04-05T00:00:00Z",
  "S2,O-NEW,prospecting,evaluation,2030-04-20T00:00:00Z",
];

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => clock);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  const [e] = await db.withOrg(admin.orgId, (tx) =>
    tx
      .insert(events)
      .values({
        orgId: admin.orgId,
        name: "CRM Summit",
        slug: `crm-${randomUUID().slice(0, 8)}`,
        type: "conference",
        format: "tactical",
        status: "published",
        startsAt: new Date("2030-03-29T08:00:00Z"),
        endsAt: new Date("2030-03-31T17:00:00Z"),
        timeZone: "Europe/Berlin",
      })
      .returning({ id: events.id }),
  );
  eventId = e!.id;
  await importText("accounts", ACCOUNTS);
  await importText("people", PEOPLE);
  const people = await rows<{ id: string; external_id: string }>(
    db.owner,
    sql`select id, external_id from people where org_id = ${admin.orgId}`,
  );
  clock = new Date(CAPTURED);
  for (const p of people) {
    const cap = await post(`/api/events/${eventId}/captures`, {
      nonce: randomUUID(),
      personId: p.id,
      note: contextNote,
    });
    expect(cap.status).toBe(201);
    lead[p.external_id] = { id: cap.body.lead.id, personId: p.id };
  }
  clock = new Date(FOLLOWED_UP);
  for (const key of ["P-REPLY", "P-MEET"]) {
    const draft = await post(`/api/leads/${lead[key]!.id}/follow-up-draft`, {});
    expect(
      (await post(`/api/leads/${lead[key]!.id}/follow-ups`, { draftId: draft.body.id, action: "send" }))
        .status,
    ).toBe(201);
  }
});
afterAll(async () => {
  await db.close();
});

describe("CRM outcomes reaching the funnel", () => {
  it("reads a reply or a meeting by channel and kind, as the import's SQL does", () => {
    expect(buyerResponseOf("email", "Email Reply")).toBe("reply");
    expect(buyerResponseOf("call", "inbound-call")).toBe("reply");
    expect(buyerResponseOf("meeting", "demo")).toBe("meeting");
    expect(buyerResponseOf("event", "Meeting Held")).toBe("meeting");
    expect(buyerResponseOf("email", "open")).toBeNull();
    expect(buyerResponseOf("email", "follow_up")).toBeNull();
  });

  it("marks followed-up leads responded from imported replies and meetings, and links the first later opportunity", async () => {
    const before = reached(await funnel());
    expect(before).toMatchObject({
      captured: 3,
      context_complete: 3,
      followed_up_within_sla: 2,
      buyer_responded: 0,
      opportunity_created: 0,
    });

    await importText("touchpoints", TOUCHES);
    await importText("opportunities", OPPORTUNITIES);
    await importText("stage-changes", STAGE_CHANGES);

    const state = await rows<{
      key: string;
      status: string;
      responded_at: Date | string | null;
      opp: string | null;
    }>(
      db.owner,
      sql`select p.external_id as key, l.status, f.responded_at, o.external_id as opp
          from leads l join people p on p.org_id = l.org_id and p.id = l.person_id
          left join follow_ups f on f.org_id = l.org_id and f.lead_id = l.id and f.status = 'sent'
          left join opportunities o on o.org_id = l.org_id and o.id = l.opportunity_id
          where l.org_id = ${admin.orgId} order by 1`,
    );
    const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
    expect(state.map((s) => [s.key, s.status, iso(s.responded_at), s.opp])).toEqual([
      // The first reply after the follow-up (not the one before it, not the later one).
      ["P-MEET", "responded", "2030-04-03T15:00:00.000Z", null],
      ["P-REPLY", "opportunity", "2030-04-01T09:30:00.000Z", "O-NEW"],
      ["P-SILENT", "new", null, null],
    ]);

    const after = await funnel();
    expect(reached(after)).toEqual({
      captured: 3,
      context_complete: 3,
      followed_up_within_sla: 2,
      followed_up_with_context: 2,
      buyer_responded: 2,
      opportunity_created: 1,
      stage_advanced: 1,
    });
    expect(after.byFollowUp.contextual).toMatchObject({ leads: 2, responded: 2, opportunities: 1 });
  });

  it("changes nothing when the same files are imported again", async () => {
    const before = await outcomeState();
    const funnelBefore = await funnel();
    for (const [kind, lines] of [
      ["touchpoints", TOUCHES],
      ["opportunities", OPPORTUNITIES],
      ["stage-changes", STAGE_CHANGES],
    ] as const) {
      const again = await importText(kind, lines);
      expect(again.rowsInserted).toBe(0);
    }
    expect(await db.withOrg(admin.orgId, (tx) => linkLeadOutcomes(tx, admin.orgId))).toEqual({
      opportunities: 0,
      responses: 0,
    });
    expect(await outcomeState()).toEqual(before);
    expect(await funnel()).toEqual(funnelBefore);
  });

  it("reads a reply imported before the follow-up was recorded on the next import", async () => {
    const silent = lead["P-SILENT"]!;
    // The follow-up is recorded after the reply was imported, dated before the reply.
    clock = new Date("2030-04-04T09:00:00Z");
    const done = await post(`/api/leads/${silent.id}/follow-ups`, {
      action: "done",
      channel: "call",
      body: "Checking in after the summit",
      at: "2030-03-31T08:00:00Z",
    });
    expect(done.status).toBe(201);
    expect(done.body.respondedAt).toBeNull();
    await importText("touchpoints", [TOUCHES[0]!, "T7,hubspot,2030-04-04T10:00:00Z,web,visit,true,P-SILENT"]);
    const [f] = await rows<{ responded_at: Date | string | null }>(
      db.owner,
      sql`select responded_at from follow_ups where org_id = ${admin.orgId} and id = ${done.body.id}`,
    );
    // T6 (a reply on 1 April) now follows the follow-up of 31 March.
    expect(new Date(f!.responded_at!).toISOString()).toBe("2030-04-01T09:00:00.000Z");
    expect(reached(await funnel()).buyer_responded).toBe(2);
    expect((await funnel()).links.find((l: Json) => l.step === "buyer_responded").passed).toBe(3);
  });
});
