import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { DAY, uid, World } from "./test-world.ts";

const T0 = new Date("2025-03-01T18:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const NOW = at(75);

let db: Database;
let app: TestApp;
let admin: TestUser;
let headers: Record<string, string>;
let outsider: Record<string, string>;
let viewer: Record<string, string>;
const ROUNDTABLE = uid(9, 11);
const PARTNER_EVENT = uid(9, 12);
const KICKOFF = uid(9, 13);
const OWNER = uid(8, 11);

beforeAll(async () => {
  db = await openTestDatabase();
  // Sign-in sessions live on the real clock, so the app keeps it; the reports take asOf explicitly.
  app = testApp(db);
  admin = await orgWithAdmin(db);
  headers = await signedIn(app, admin);
  viewer = await signedIn(app, await addUser(db, admin.orgId, "viewer"));
  outsider = await signedIn(app, await orgWithAdmin(db));
  const w = new World(db, admin.orgId);
  await w.user(OWNER, "rep", "East");
  await w.event(ROUNDTABLE, "executive_roundtable", T0);
  await w.event(PARTNER_EVENT, "partner_event", T0);
  await w.event(KICKOFF, "sales_kickoff", T0, at(2));
  // One attending account whose deal stalls (only the attendee engages), one that did not attend, as control.
  await w.account(uid(1, 1), "enterprise", OWNER);
  await w.account(uid(1, 2), "enterprise", OWNER);
  await w.person(uid(2, 1), { accountId: uid(1, 1), role: "champion" });
  await w.attend(ROUNDTABLE, uid(2, 1), T0);
  await w.touch({ at: at(3), channel: "email", personId: uid(2, 1) });
  await w.opportunity(uid(3, 1), uid(1, 1), [["discovery", at(-30)]], {
    amountMinor: 5_000_000,
    ownerUserId: OWNER,
  });
  await w.opportunity(
    uid(3, 2),
    uid(1, 2),
    [
      ["discovery", at(-30)],
      ["proposal", at(20)],
    ],
    { amountMinor: 5_000_000, ownerUserId: OWNER },
  );
  await w.partner(uid(4, 1));
  await w.partner(uid(4, 2));
});

afterAll(async () => {
  await db.close();
});

describe("movement routes", () => {
  it("reports roundtable movement to any signed-in role, and 404 for another organization", async () => {
    const res = await app.request(
      `/api/events/${ROUNDTABLE}/movement?resamples=200&seed=2&asOf=${NOW.toISOString()}`,
      {
        headers: viewer,
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      asOf: string;
      accounts: { accountId: string; stall: { days: number; status: string; missingLink?: string }[] }[];
    };
    expect(body.asOf).toBe(NOW.toISOString());
    expect(body.accounts[0]!.stall.map((s) => [s.days, s.status, s.missingLink])).toEqual([
      [14, "stalled", "not_shared_internally"],
      [30, "stalled", "not_shared_internally"],
      [60, "stalled", "not_shared_internally"],
    ]);
    for (const path of ["movement", "partners", "kickoff", "acceleration", "movement/outcomes"]) {
      const other = await app.request(`/api/events/${ROUNDTABLE}/${path}`, { headers: outsider });
      expect({ path, status: other.status }).toEqual({ path, status: 404 });
    }
  });

  it("names the field of a bad query", async () => {
    const res = await app.request(`/api/events/${ROUNDTABLE}/movement?stallDays=soon`, { headers });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe("stallDays");
    const typo = await app.request(`/api/events/${ROUNDTABLE}/movement?stalDays=14`, { headers });
    expect(typo.status).toBe(400);
  });

  it("lets the caller choose the match keys and replacement, and refuses an unknown key", async () => {
    const res = await app.request(
      `/api/events/${ROUNDTABLE}/movement?resamples=200&asOf=${NOW.toISOString()}&exact=segment,owner&nearest=amount&replacement=true`,
      { headers },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      matching: unknown;
      outcomes: { velocity: { status: string; balance: Record<string, unknown> } };
    };
    expect(body.matching).toEqual({
      exact: ["segment", "owner"],
      nearest: ["amount"],
      k: 1,
      replacement: true,
      caliper: null,
    });
    expect(body.outcomes.velocity.status).toBe("compared");
    expect(Object.keys(body.outcomes.velocity.balance)).toEqual(["amount"]);
    const byDefault = (await (
      await app.request(`/api/events/${ROUNDTABLE}/movement?resamples=200&asOf=${NOW.toISOString()}`, {
        headers,
      })
    ).json()) as typeof body;
    expect(Object.keys(byDefault.outcomes.velocity.balance)).toEqual(["amount", "age_at_event_days"]);
    const bad = await app.request(`/api/events/${ROUNDTABLE}/movement?exact=segment,region`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("exact");
  });

  it("raises each stall alert once, emails the account owner and schedules the later checks", async () => {
    const first = await app.request(`/api/events/${ROUNDTABLE}/movement/alerts`, { method: "POST", headers });
    expect(first.status).toBe(200);
    const run = (await first.json()) as { raised: number; emailsQueued: number; scheduled: string[] };
    expect([run.raised, run.emailsQueued]).toEqual([3, 1]);
    expect(run.scheduled).toHaveLength(3);
    const again = (await (
      await app.request(`/api/events/${ROUNDTABLE}/movement/alerts`, { method: "POST", headers })
    ).json()) as { raised: number; alreadyRaised: number; emailsQueued: number };
    expect([again.raised, again.alreadyRaised, again.emailsQueued]).toEqual([0, 3, 0]);
    const mail = await db.withOrg(admin.orgId, (tx) =>
      rows<{ to_address: string; subject: string; text_body: string }>(
        tx,
        sql`select to_address, subject, text_body from email_outbox where purpose = 'stall_alert'`,
      ),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to_address).toBe(`${OWNER}@example.test`);
    expect(mail[0]!.subject).toContain("(60 days)");
    expect(mail[0]!.text_body).toContain("not shared internally");
    const jobs = await db.withOrg(admin.orgId, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from jobs where kind = 'movement.stall_check'`),
    );
    expect(jobs[0]!.n).toBe(3);
    const forbidden = await app.request(`/api/events/${ROUNDTABLE}/movement/alerts`, {
      method: "POST",
      headers: viewer,
    });
    expect(forbidden.status).toBe(403);
  });

  it("reports partner impact, saying why there is no estimate when no partner attended", async () => {
    const res = await app.request(`/api/events/${PARTNER_EVENT}/partners?monthsBefore=2&resamples=200`, {
      headers,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcomes: { registrations: { status: string; message: string } } };
    expect(body.outcomes.registrations).toMatchObject({
      status: "insufficient",
      message: "no partner attended: nothing to compare",
    });
  });

  it("sets the kickoff glossary and checklist, records an observation, and reports adoption", async () => {
    const g = await app.request(`/api/events/${KICKOFF}/kickoff/glossary`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ phrases: ["Time to value", "time-to-value", "platform consolidation"] }),
    });
    expect(g.status).toBe(200);
    expect(await g.json()).toEqual({ phrases: ["Time to value", "platform consolidation"] });
    const c = await app.request(`/api/events/${KICKOFF}/kickoff/checklist`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ items: ["Opens with the customer's time to value", "Names the consolidation"] }),
    });
    const { items } = (await c.json()) as { items: { id: string }[] };
    expect(items).toHaveLength(2);
    const o = await app.request(`/api/events/${KICKOFF}/kickoff/observations`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        repUserId: OWNER,
        observedAt: at(10).toISOString(),
        items: { [items[0]!.id]: true, [items[1]!.id]: false },
      }),
    });
    expect(o.status).toBe(201);
    const bad = await app.request(`/api/events/${KICKOFF}/kickoff/observations`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        repUserId: OWNER,
        observedAt: at(10).toISOString(),
        items: { [uid(7, 7)]: true },
      }),
    });
    expect(bad.status).toBe(400);
    const k = await app.request(`/api/events/${KICKOFF}/kickoff?resamples=200`, { headers });
    expect(k.status).toBe(200);
    const body = (await k.json()) as {
      outcomes: { adoption: { status: string; glossary: string[] } };
      reps: { userId: string; adoption: { checklistAfter: number | null } }[];
    };
    expect(body.outcomes.adoption.status).toBe("measured");
    expect(body.reps[0]!.adoption.checklistAfter).toBe(0.5);
  });

  it("returns outcome-ledger entries by event type", async () => {
    const res = await app.request(`/api/events/${ROUNDTABLE}/movement/outcomes?resamples=200`, { headers });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { measure: string; ledger: string }[] };
    expect(entries.every((e) => e.ledger === "outcome")).toBe(true);
    expect(entries.map((e) => e.measure)).toContain("stalled_account_share");
  });
});
