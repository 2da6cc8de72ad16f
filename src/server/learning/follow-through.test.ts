import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { assessmentAttempts, emailOutbox, jobs } from "../../db/schema/index.ts";
import { JobRunner } from "../../jobs/job-runner.ts";
import { answerFollowUp, commitmentLinks, listCommitments, makeCommitments } from "./commitments.ts";
import { createAssessment } from "./create-assessment.ts";
import { registerLearningJobs } from "./learning-jobs.ts";
import { addEvent, addPeople, register } from "./test-world.ts";

let db: Database;
let orgId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
});
afterAll(async () => db.close());

const outbox = () =>
  db.withOrg(orgId, (tx) => tx.select().from(emailOutbox).where(eq(emailOutbox.orgId, orgId)));

describe("scheduled sends, reminders and commitment follow-ups", () => {
  it("sends each window's links once, reminds once, and survives a new runner (jobs live in the table)", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T17:00:00Z",
    });
    const learners = await addPeople(db, orgId, 3);
    await register(db, orgId, eventId, learners);
    const a = await createAssessment(
      db,
      orgId,
      eventId,
      {
        title: "Check",
        delayDays: [30],
        items: [{ kind: "true_false", prompt: "x", correct: [0], objective: "O", outcomeLevel: "3A" }],
      },
      new Date("2025-03-01T00:00:00Z"),
    );
    let now = new Date("2025-03-01T00:00:01Z");
    const runner = () => {
      const r = new JobRunner(db, () => now);
      registerLearningJobs(r);
      return r;
    };
    await runner().runOnce();
    expect((await outbox()).filter((m) => m.purpose === "learning.assessment")).toHaveLength(3);
    // A second runner (a restarted process) finds nothing left to send for the pre-test.
    await runner().runOnce();
    expect((await outbox()).filter((m) => m.purpose === "learning.assessment")).toHaveLength(3);
    // Reminders 3 days later go to the 3 unsubmitted attempts, once.
    now = new Date("2025-03-04T00:00:01Z");
    await runner().runOnce();
    await runner().runOnce();
    expect((await outbox()).filter((m) => m.purpose === "learning.assessment.reminder")).toHaveLength(3);
    // Post and 30-day checks open on schedule.
    now = new Date("2025-04-09T17:00:01Z");
    await runner().runOnce();
    const attempts = await db.withOrg(orgId, (tx) =>
      tx
        .select()
        .from(assessmentAttempts)
        .where(and(eq(assessmentAttempts.orgId, orgId), eq(assessmentAttempts.assessmentId, a.id))),
    );
    expect(attempts.map((x) => `${x.phase}:${x.delayDays}`).sort()).toEqual([
      ...Array(3).fill("delayed:30"),
      ...Array(3).fill("post:0"),
      ...Array(3).fill("pre:0"),
    ]);
    expect((await outbox()).filter((m) => m.purpose === "learning.assessment")).toHaveLength(9);
    const pending = await db.withOrg(orgId, (tx) =>
      tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.orgId, orgId), eq(jobs.status, "failed"))),
    );
    expect(pending).toEqual([]);
  });

  it("takes up to 3 commitments, schedules the follow-up, and records implemented fully/partly/not with barriers", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-05-10T09:00:00Z",
      endsAt: "2025-05-10T17:00:00Z",
    });
    const [p1, p2] = await addPeople(db, orgId, 2);
    const { links } = await commitmentLinks(db, orgId, eventId, [p1!, p2!], "commitments", undefined);
    const at = new Date("2025-05-10T17:30:00Z");
    const made = await makeCommitments(
      db,
      links[0]!.token,
      ["Check renal function first", "Use the new score"],
      at,
    );
    expect(made.commitments).toHaveLength(2);
    expect(made.commitments[0]!.followUpDueAt).toBe("2025-06-09T17:30:00.000Z");
    // The same statement again is not a new commitment; a fourth is refused.
    await makeCommitments(db, links[0]!.token, ["check renal function first"], at);
    await expect(
      makeCommitments(
        db,
        links[0]!.token,
        ["A", "B"].map((x) => `Statement ${x}`),
        at,
      ),
    ).rejects.toThrow(/at most 3/);
    await makeCommitments(db, links[1]!.token, ["Share the checklist"], at);

    const follow = await commitmentLinks(db, orgId, eventId, [p1!, p2!], "follow_up", undefined);
    const [c1, c2] = made.commitments;
    await expect(
      answerFollowUp(db, follow.links[0]!.token, { commitmentId: c1!.id, status: "fully", barriers: [] }, at),
    ).rejects.toThrow(/opens on 2025-06-09/);
    const later = new Date("2025-06-10T00:00:00Z");
    await answerFollowUp(
      db,
      follow.links[0]!.token,
      { commitmentId: c1!.id, status: "fully", barriers: [] },
      later,
    );
    await answerFollowUp(
      db,
      follow.links[0]!.token,
      { commitmentId: c2!.id, status: "not", barriers: ["time", "no buy-in"] },
      later,
    );
    await expect(
      answerFollowUp(
        db,
        follow.links[0]!.token,
        { commitmentId: c2!.id, status: "partly", barriers: [] },
        new Date("2025-07-01T00:00:00Z"),
      ),
    ).rejects.toThrow(/closed on 2025-06-23/);
    const list = await listCommitments(db, orgId, eventId);
    // 1 fully + 0 partly of 2 answered = 0.5; the unanswered one is counted but not in the denominator.
    expect(list.summary).toMatchObject({ total: 3, followedUp: 2, noResponse: 1, implementedShare: 0.5 });
    const scheduled = await db.withOrg(orgId, (tx) =>
      tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.orgId, orgId), eq(jobs.kind, "learning.commitment.follow_up"))),
    );
    expect(scheduled.map((j) => j.runAt.toISOString()).sort()).toEqual([
      "2025-06-09T17:30:00.000Z",
      "2025-06-09T17:30:00.000Z",
    ]);
    const now = new Date("2025-06-09T18:00:00Z");
    const r = new JobRunner(db, () => now);
    registerLearningJobs(r);
    await r.runOnce();
    expect(
      (await outbox()).filter((m) => m.purpose.startsWith("learning.commitment.follow_up")),
    ).toHaveLength(2);
  });
});
