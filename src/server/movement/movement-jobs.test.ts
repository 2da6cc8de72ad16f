import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { kickoffPhrases } from "../../db/schema/index.ts";
import { JobRunner } from "../../jobs/job-runner.ts";
import {
  nextSweepTime,
  registerMovementJobs,
  STALL_CHECK_JOB,
  STALL_SWEEP_JOB,
  scheduleStallSweep,
  stallCheckJob,
} from "./movement-jobs.ts";
import { sendAdoptionAlerts } from "./send-alerts.ts";
import { DAY, uid, World } from "./test-world.ts";

// Today 2025-06-20 10:00Z. Roundtable RT started 15 days ago; a cancelled one, one 200 days ago, one next week and a
// partner event are never checked.
const NOW = new Date("2025-06-20T10:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const RT = uid(9, 701);
const OWNER = uid(8, 701);
const REP = uid(8, 702);
const KICKOFF = uid(9, 710);

let db: Database;
let orgId: string;
let clock = NOW;
let runner: JobRunner;
let w: World;

async function jobs(kind: string) {
  return db.withOrg(orgId, (tx) =>
    rows<{ status: string; run_at: Date | string; payload: { eventId: string; days: number } }>(
      tx,
      sql`select status, run_at, payload from jobs where org_id = ${orgId} and kind = ${kind} order by run_at`,
    ),
  );
}
async function outbox(purpose: string) {
  return db.withOrg(orgId, (tx) =>
    rows<{ to_address: string; subject: string; text_body: string }>(
      tx,
      sql`select to_address, subject, text_body from email_outbox where org_id = ${orgId} and purpose = ${purpose}
          order by created_at`,
    ),
  );
}

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  runner = registerMovementJobs(new JobRunner(db, () => clock));
  w = new World(db, orgId);
  await w.user(OWNER, "marketer");
  await w.event(RT, "executive_roundtable", ago(15));
  await w.event(uid(9, 702), "executive_roundtable", ago(10));
  await db.owner.execute(
    sql`update events set status = 'cancelled' where org_id = ${orgId} and id = ${uid(9, 702)}`,
  );
  await w.event(uid(9, 703), "executive_roundtable", ago(200));
  await w.event(uid(9, 704), "executive_roundtable", ago(-7));
  await w.event(uid(9, 705), "partner_event", ago(15));
  // The attending account's deal never moves and nobody engages after the room; the owner is told.
  await w.account(uid(1, 701), "enterprise", OWNER);
  await w.person(uid(2, 701), { accountId: uid(1, 701), role: "champion" });
  await w.attend(RT, uid(2, 701), ago(15), "checkin");
  await w.opportunity(uid(3, 701), uid(1, 701), [["discovery", ago(60)]]);
  await w.account(uid(1, 702), "enterprise");
  await w.opportunity(uid(3, 702), uid(1, 702), [
    ["discovery", ago(60)],
    ["proposal", ago(5)],
  ]);
});
afterAll(async () => {
  await db.close();
});

describe("movement jobs", () => {
  it("sweeps daily: books the 14/30/60-day checks of roundtables that have ended, then the next sweep", async () => {
    await db.withOrg(orgId, (tx) => scheduleStallSweep(tx, orgId, NOW));
    const first = nextSweepTime(NOW);
    expect(first.toISOString()).toBe("2025-06-21T06:00:00.000Z");
    clock = first;
    expect(await runner.runOnce()).toEqual({ done: 1, failed: 0 });
    const checks = await jobs(STALL_CHECK_JOB);
    // RT started 2025-06-05 10:00Z: its 14-day check fell due yesterday (within the two-day grace), 30 and 60 ahead.
    expect(checks.map((j) => [j.payload.eventId, j.payload.days, new Date(j.run_at).toISOString()])).toEqual([
      [RT, 14, "2025-06-19T11:00:00.000Z"],
      [RT, 30, "2025-07-05T11:00:00.000Z"],
      [RT, 60, "2025-08-04T11:00:00.000Z"],
    ]);
    const sweeps = await jobs(STALL_SWEEP_JOB);
    expect(sweeps.filter((j) => j.status === "done")).toHaveLength(1);
    expect(sweeps.filter((j) => j.status === "pending").map((j) => new Date(j.run_at).toISOString())).toEqual(
      ["2025-06-22T06:00:00.000Z"],
    );
    // The next day's sweep books nothing twice.
    clock = new Date("2025-06-22T06:00:00Z");
    await runner.runOnce();
    expect((await jobs(STALL_CHECK_JOB)).filter((j) => j.payload.days === 14)).toHaveLength(1);
    expect(await jobs(STALL_CHECK_JOB)).toHaveLength(3);
  });

  it("runs a due stall check: the stalled account's owner gets one email naming the missing link", async () => {
    // The 14-day check was due when the sweep ran; the runner has already run it. Its email:
    const emails = await outbox("stall_alert");
    expect(emails).toHaveLength(1);
    expect(emails[0]!.to_address).toBe(`${OWNER}@example.test`);
    expect(emails[0]!.subject).toBe(`Stalled after Event 02bd: Account 02bd (14 days)`);
    expect(emails[0]!.text_body).toContain("Missing link:");
    expect(emails[0]!.text_body).toContain("insight stays individual: missing");
    const done = (await jobs(STALL_CHECK_JOB)).find((j) => j.payload.days === 14)!;
    expect(done.status).toBe("done");
    // Running the handler again raises nothing new.
    await stallCheckJob({ db, orgId, jobId: "again", payload: { eventId: RT, days: 14 }, now: clock });
    expect(await outbox("stall_alert")).toHaveLength(1);
    // A month on, the 30-day check finds the same account stalled at 30 days: a second email.
    clock = new Date("2025-07-05T20:00:00Z");
    await runner.runOnce();
    const later = await outbox("stall_alert");
    expect(later.map((e) => e.subject)).toEqual([
      "Stalled after Event 02bd: Account 02bd (14 days)",
      "Stalled after Event 02bd: Account 02bd (30 days)",
    ]);
  });

  it("emails the kickoff's owner once when a rep's messaging adoption falls below the threshold", async () => {
    const t0 = new Date("2025-05-05T09:00:00Z");
    const end = new Date(t0.getTime() + 2 * DAY);
    const asOf = new Date(end.getTime() + 28 * DAY);
    await w.event(KICKOFF, "sales_kickoff", t0, end);
    await db.owner.execute(
      sql`update events set owner_user_id = ${OWNER} where org_id = ${orgId} and id = ${KICKOFF}`,
    );
    await db.owner.insert(kickoffPhrases).values({ orgId, eventId: KICKOFF, phrase: "time to value" });
    await w.user(REP, "rep", "East");
    await w.person(uid(2, 710), { email: `${REP}@example.test` });
    await w.attend(KICKOFF, uid(2, 710), t0, "checkin");
    await w.opportunity(uid(3, 710), uid(1, 702), [["discovery", new Date(t0.getTime() - 90 * DAY)]], {
      ownerUserId: REP,
    });
    // Two notes a week after the kickoff: both use the positioning in weeks 1–2, one of four in weeks 3–4.
    const uses = [
      [true, true],
      [true, true],
      [true, false],
      [false, false],
    ];
    for (const [k, week] of uses.entries())
      for (const [j, used] of week.entries())
        await w.touch({
          at: new Date(end.getTime() + (k * 7 + 2 + j * 2) * DAY),
          channel: "note",
          kind: "deal_note",
          opportunityId: uid(3, 710),
          metadata: { text: used ? "Walked through time to value" : "Chased the paperwork" },
        });
    const run = await sendAdoptionAlerts(db, orgId, KICKOFF, { asOf, now: asOf });
    expect(run).toMatchObject({ raised: 1, emailsQueued: 1, alreadyRaised: 0 });
    const emails = await outbox("adoption_alert");
    expect(emails).toHaveLength(1);
    expect(emails[0]!.to_address).toBe(`${OWNER}@example.test`);
    expect(emails[0]!.subject).toBe(`Messaging adoption below 50% after Event 02c6: User 02be`);
    expect(emails[0]!.text_body).toContain(
      "used the new positioning in 25% of deal notes and call summaries",
    );
    expect(emails[0]!.text_body).toContain("in weeks 3–4 after Event 02c6 (4 notes; threshold 50%)");
    expect(emails[0]!.text_body).toContain("Earlier weeks: 100%.");
    const again = await sendAdoptionAlerts(db, orgId, KICKOFF, { asOf, now: asOf });
    expect(again).toMatchObject({ raised: 0, emailsQueued: 0, alreadyRaised: 1 });
    expect(await outbox("adoption_alert")).toHaveLength(1);
  });
});
