import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { accounts, events } from "../../db/schema/index.ts";
import { JobRunner } from "../../jobs/job-runner.ts";
import { LEAD_DIGEST_JOB, registerLeadDigest } from "../../jobs/lead-digest.ts";

// The daily SLA digest as the server runs it: scheduled by the first capture, claimed by the job runner at 08:00
// UTC, one email per owner with leads past their SLA, the next day's run booked, and never twice for one day.

let db: Database;
let app: TestApp;
let admin: TestUser;
let ann: TestUser;
let bo: TestUser;
let headers: Record<string, string>;
let clock = new Date("2030-03-30T14:00:00Z");
let runner: JobRunner;

async function digestMails() {
  return rows<{ to_address: string; subject: string; text_body: string }>(
    db.owner,
    sql`select to_address, subject, text_body from email_outbox
        where org_id = ${admin.orgId} and purpose = 'lead_sla_digest' order by created_at, to_address`,
  );
}

async function digestJobs() {
  return rows<{ status: string; run_at: Date | string; payload: { day?: string } }>(
    db.owner,
    sql`select status, run_at, payload from jobs where org_id = ${admin.orgId} and kind = ${LEAD_DIGEST_JOB}
        order by run_at`,
  );
}
/** Each digest job: its status, the day it is for, and when it is due (a finished job's run_at is its lease). */
const jobSummary = async () =>
  (await digestJobs()).map((j) =>
    j.status === "done"
      ? [j.status, j.payload.day]
      : [j.status, new Date(j.run_at).toISOString(), j.payload.day],
  );

beforeAll(async () => {
  db = await openTestDatabase();
  // Every tier must be followed up within an hour, so the morning after, every lead not followed up is overdue.
  app = testApp(db, () => clock, { THROUGHLINE_LEAD_SLA_HOURS: "A=1,B=1,C=1" });
  admin = await orgWithAdmin(db);
  ann = await addUser(db, admin.orgId, "rep");
  bo = await addUser(db, admin.orgId, "rep");
  headers = await signedIn(app, admin);
  runner = registerLeadDigest(new JobRunner(db, () => clock));
  const [e] = await db.withOrg(admin.orgId, async (tx) => {
    await tx.insert(accounts).values([
      { orgId: admin.orgId, name: "Ann Account", ownerUserId: ann.userId },
      { orgId: admin.orgId, name: "Bo Account", ownerUserId: bo.userId },
    ]);
    return tx
      .insert(events)
      .values({
        orgId: admin.orgId,
        name: "Digest Expo",
        slug: `digest-${randomUUID().slice(0, 8)}`,
        type: "conference",
        format: "tactical",
        status: "published",
        startsAt: new Date("2030-03-29T08:00:00Z"),
        endsAt: new Date("2030-03-31T17:00:00Z"),
        timeZone: "UTC",
      })
      .returning({ id: events.id });
  });
  const capture = async (firstName: string, company: string) => {
    const res = await app.request(`/api/events/${e!.id}/captures`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        nonce: randomUUID(),
        person: { firstName, lastName: "Buyer", company },
        note: "Next step: call tomorrow.",
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { lead: { id: string; ownerUserId: string } }).lead;
  };
  expect((await capture("Aria", "Ann Account")).ownerUserId).toBe(ann.userId);
  await capture("Abel", "Ann Account");
  await capture("Bea", "Bo Account");
  const done = await capture("Ben", "Bo Account");
  // Followed up in time: not in any digest.
  const res = await app.request(`/api/leads/${done.id}/follow-ups`, {
    method: "POST",
    headers,
    body: JSON.stringify({ action: "done", channel: "call" }),
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await db.close();
});

describe("daily SLA digest through the job runner", () => {
  it("is booked by the first capture for 08:00 UTC the next morning and does not run before", async () => {
    expect(await jobSummary()).toEqual([["pending", "2030-03-31T08:00:00.000Z", "2030-03-31"]]);
    clock = new Date("2030-03-31T07:59:00Z");
    expect(await runner.runOnce()).toEqual({ done: 0, failed: 0 });
    expect(await digestMails()).toEqual([]);
  });

  it("sends one email per owner with leads past their SLA and books the next day's run", async () => {
    clock = new Date("2030-03-31T08:00:30Z");
    expect(await runner.runOnce()).toEqual({ done: 1, failed: 0 });
    const mails = await digestMails();
    expect(mails.map((m) => [m.to_address, m.subject]).sort()).toEqual(
      [
        [ann.email, "2 leads past the follow-up SLA"],
        [bo.email, "1 lead past the follow-up SLA"],
      ].sort(),
    );
    const toAnn = mails.find((m) => m.to_address === ann.email)!;
    expect(toAnn.text_body).toContain("Aria Buyer");
    expect(toAnn.text_body).toContain("Abel Buyer");
    expect(mails.find((m) => m.to_address === bo.email)!.text_body).not.toContain("Ben Buyer");
    expect(await jobSummary()).toEqual([
      ["done", "2030-03-31"],
      ["pending", "2030-04-01T08:00:00.000Z", "2030-04-01"],
    ]);
  });

  it("sends nothing twice when the same day's job runs again (retried after its emails were committed)", async () => {
    // As if the process stopped after the handler committed and before the job was marked done.
    await db.owner.execute(
      sql`update jobs set status = 'pending', run_at = ${clock.toISOString()}::timestamptz
          where org_id = ${admin.orgId} and kind = ${LEAD_DIGEST_JOB} and payload->>'day' = '2030-03-31'`,
    );
    clock = new Date("2030-03-31T08:05:00Z");
    expect(await runner.runOnce()).toEqual({ done: 1, failed: 0 });
    expect(await digestMails()).toHaveLength(2);
    expect((await jobSummary()).filter(([status]) => status === "pending")).toEqual([
      ["pending", "2030-04-01T08:00:00.000Z", "2030-04-01"],
    ]);
  });

  it("sends the next day's digest the next morning", async () => {
    clock = new Date("2030-04-01T08:00:10Z");
    expect(await runner.runOnce()).toEqual({ done: 1, failed: 0 });
    const mails = await digestMails();
    expect(mails).toHaveLength(4);
    expect(mails.filter((m) => m.to_address === ann.email)).toHaveLength(2);
    expect((await jobSummary()).at(-1)).toEqual(["pending", "2030-04-02T08:00:00.000Z", "2030-04-02"]);
  });
});
