import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signedIn, testApp } from "../../../test/app.ts";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { jobs } from "../../db/schema/index.ts";
import { addEvent, addPeople } from "./test-world.ts";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by shape in tests
type Json = any;

let db: Database;
let orgId: string;
let now = new Date("2025-09-01T00:00:00Z");
let app: ReturnType<typeof testApp>;
let educator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  app = testApp(db, () => now);
  educator = await signedIn(app, await addUser(db, orgId, "educator"));
  viewer = await signedIn(app, await addUser(db, orgId, "viewer"));
});
afterAll(async () => db.close());

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const item = { kind: "true_false", prompt: "x", correct: [0], objective: "O", outcomeLevel: "3A" };
const DAY = 86_400_000;
const plus = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();

async function jobsOf(assessmentId: string, kind: string) {
  const rows = await db.withOrg(orgId, (tx) =>
    tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.orgId, orgId), eq(jobs.kind, kind))),
  );
  return rows
    .filter((j) => j.payload.assessmentId === assessmentId)
    .map((j) => `${j.payload.phase}:${j.payload.delayDays}@${j.runAt.toISOString()}`)
    .sort();
}

describe("per-event learning settings", () => {
  it("shows the defaults until some are saved, and lets only writers change them", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-09-10T09:00:00Z",
      endsAt: "2025-09-10T17:00:00Z",
    });
    const first = await call("GET", `/api/events/${eventId}/learning-settings`, viewer);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      saved: false,
      delayDays: [30, 90],
      commitmentFollowUpDays: 30,
      reminderAfterDays: 3,
      windowDays: 14,
      creditType: "AMA PRA Category 1 Credit",
    });
    const denied = await call("PUT", `/api/events/${eventId}/learning-settings`, viewer, { windowDays: 7 });
    expect(denied.status).toBe(403);
    const saved = await call("PUT", `/api/events/${eventId}/learning-settings`, educator, { windowDays: 7 });
    expect(saved.status).toBe(200);
    // Fields left out keep their value.
    expect(saved.body).toMatchObject({
      saved: true,
      windowDays: 7,
      reminderAfterDays: 3,
      delayDays: [30, 90],
    });
    const again = await call("GET", `/api/events/${eventId}/learning-settings`, viewer);
    expect(again.body).toMatchObject({ saved: true, windowDays: 7, updatedAt: now.toISOString() });
  });

  it("refuses bad settings with the field and the reason", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-09-10T09:00:00Z",
      endsAt: "2025-09-10T17:00:00Z",
    });
    const path = `/api/events/${eventId}/learning-settings`;
    const late = await call("PUT", path, educator, { reminderAfterDays: 20 });
    expect(late.status).toBe(400);
    expect(late.body.error.field).toBe("reminderAfterDays");
    expect(late.body.error.message).toMatch(
      /reminder \(20 days after a check opens\) must come before the check closes \(14 days/,
    );
    const short = await call("PUT", path, educator, { windowDays: 2 });
    expect(short.body.error.field).toBe("windowDays");
    const twice = await call("PUT", path, educator, { delayDays: [30, 30] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.field).toBe("delayDays");
    expect(twice.body.error.message).toMatch(/lists a delay twice/);
    const unknown = await call("PUT", path, educator, { delayedDays: [30] });
    expect(unknown.status).toBe(400);
    const share = await call("PUT", path, educator, { minSessionShare: 1.5 });
    expect(share.body.error.field).toBe("minSessionShare");
    const missing = await call(
      "PUT",
      "/api/events/00000000-0000-4000-8000-000000000000/learning-settings",
      educator,
      {
        windowDays: 7,
      },
    );
    expect(missing.status).toBe(404);
    // Nothing was saved by the refused calls.
    expect((await call("GET", path, viewer)).body.saved).toBe(false);
  });

  it("books delayed checks, windows, reminders and the commitment follow-up at the saved days", async () => {
    const ends = "2025-09-10T17:00:00.000Z";
    const { eventId } = await addEvent(db, orgId, { startsAt: "2025-09-10T09:00:00Z", endsAt: ends });
    const path = `/api/events/${eventId}/learning-settings`;
    // An assessment created under the defaults keeps its 30/90-day schedule after the settings change.
    const before = await call("POST", `/api/events/${eventId}/assessments`, educator, {
      title: "A",
      items: [item],
    });
    expect(before.status).toBe(201);
    const put = await call("PUT", path, educator, {
      delayDays: [120, 45],
      windowDays: 10,
      reminderAfterDays: 2,
      commitmentFollowUpDays: 14,
    });
    expect(put.body.delayDays).toEqual([45, 120]);
    const created = await call("POST", `/api/events/${eventId}/assessments`, educator, {
      title: "B",
      items: [item],
    });
    expect(created.status).toBe(201);
    expect(created.body.delayDays).toEqual([45, 120]);
    expect(created.body.schedule).toEqual([
      { phase: "pre", delayDays: null, opensAt: now.toISOString(), closesAt: "2025-09-10T09:00:00.000Z" },
      { phase: "post", delayDays: null, opensAt: ends, closesAt: plus(ends, 10) },
      { phase: "delayed", delayDays: 45, opensAt: plus(ends, 45), closesAt: plus(ends, 55) },
      { phase: "delayed", delayDays: 120, opensAt: plus(ends, 120), closesAt: plus(ends, 130) },
    ]);
    expect(await jobsOf(created.body.id, "learning.assessment.send")).toEqual(
      [
        `pre:0@${now.toISOString()}`,
        `post:0@${ends}`,
        `delayed:45@${plus(ends, 45)}`,
        `delayed:120@${plus(ends, 120)}`,
      ].sort(),
    );
    expect(await jobsOf(created.body.id, "learning.assessment.remind")).toEqual(
      [
        `pre:0@${plus(now.toISOString(), 2)}`,
        `post:0@${plus(ends, 2)}`,
        `delayed:45@${plus(ends, 47)}`,
        `delayed:120@${plus(ends, 122)}`,
      ].sort(),
    );
    expect(before.body.delayDays).toEqual([30, 90]);
    expect(before.body.schedule.map((w: Json) => w.delayDays)).toEqual([null, null, 30, 90]);
    // An assessment that names its own delays keeps them.
    const own = await call("POST", `/api/events/${eventId}/assessments`, educator, {
      title: "C",
      delayDays: [60],
      items: [item],
    });
    expect(own.body.delayDays).toEqual([60]);

    // A commitment made at the end of the activity is followed up 14 days later.
    const [person] = await addPeople(db, orgId, 1);
    const links = await call("POST", `/api/events/${eventId}/learner-links`, educator, {
      personIds: [person],
      kind: "commitments",
    });
    now = new Date(ends);
    const token = links.body.links[0].token as string;
    const made = await call(
      "POST",
      `/api/learn/${token}/commitments`,
      { "content-type": "application/json" },
      {
        statements: ["Check renal function before dosing"],
      },
    );
    expect(made.status).toBe(200);
    expect(made.body.commitments[0].followUpDueAt).toBe(plus(ends, 14));
    const followUps = await db.withOrg(orgId, (tx) =>
      tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.orgId, orgId), eq(jobs.kind, "learning.commitment.follow_up"))),
    );
    expect(followUps.filter((j) => j.payload.eventId === eventId).map((j) => j.runAt.toISOString())).toEqual([
      plus(ends, 14),
    ]);
  });
});
