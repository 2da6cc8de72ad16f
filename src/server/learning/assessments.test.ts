import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signedIn, testApp } from "../../../test/app.ts";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { jobs, responses } from "../../db/schema/index.ts";
import { addEvent, addPeople } from "./test-world.ts";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by shape in tests
type Json = any;

let db: Database;
let now = new Date("2025-03-01T12:00:00Z");
const clock = () => now;
let headers: Record<string, string>;
let orgId: string;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, clock);
  orgId = await createTestOrg(db);
  // Sessions expire against the database clock, so sign in on the real clock and use the cookie on the test clock.
  headers = await signedIn(testApp(db), await addUser(db, orgId, "educator"));
});
afterAll(async () => db.close());

async function call(method: string, path: string, body?: unknown, h: Record<string, string> = headers) {
  const res = await app.request(path, {
    method,
    headers: { ...h, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const item = (objective: string, correct = 0) => ({
  kind: "single" as const,
  prompt: `Which is right about ${objective}?`,
  options: ["a", "b", "c"],
  correct: [correct],
  objective,
  outcomeLevel: "3A" as const,
});

describe("assessments by signed link", () => {
  let eventId: string;
  let assessment: Json;
  let learners: string[];
  const tokens: Record<string, Record<string, string>> = {};

  it("creates items and the fixed schedule (pre until start, post at end, 30/90 days) with send and reminder jobs", async () => {
    ({ eventId } = await addEvent(db, orgId, {
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T17:00:00Z",
    }));
    const res = await call("POST", `/api/events/${eventId}/assessments`, {
      title: "Anticoagulation update",
      items: [item("O1"), item("O2", 1)],
    });
    expect(res.status).toBe(201);
    assessment = res.body;
    expect(assessment.schedule).toEqual([
      {
        phase: "pre",
        delayDays: null,
        opensAt: "2025-03-01T12:00:00.000Z",
        closesAt: "2025-03-10T09:00:00.000Z",
      },
      {
        phase: "post",
        delayDays: null,
        opensAt: "2025-03-10T17:00:00.000Z",
        closesAt: "2025-03-24T17:00:00.000Z",
      },
      {
        phase: "delayed",
        delayDays: 30,
        opensAt: "2025-04-09T17:00:00.000Z",
        closesAt: "2025-04-23T17:00:00.000Z",
      },
      {
        phase: "delayed",
        delayDays: 90,
        opensAt: "2025-06-08T17:00:00.000Z",
        closesAt: "2025-06-22T17:00:00.000Z",
      },
    ]);
    const scheduled = await db.withOrg(orgId, (tx) => tx.select().from(jobs).where(eq(jobs.orgId, orgId)));
    const sends = scheduled
      .filter((j) => j.kind === "learning.assessment.send")
      .map((j) => j.runAt.toISOString());
    expect(sends.sort()).toEqual([
      "2025-03-01T12:00:00.000Z",
      "2025-03-10T17:00:00.000Z",
      "2025-04-09T17:00:00.000Z",
      "2025-06-08T17:00:00.000Z",
    ]);
    expect(scheduled.filter((j) => j.kind === "learning.assessment.remind")).toHaveLength(4);
  });

  it("refuses a scenario item with two best answers, naming the field", async () => {
    const res = await call("POST", `/api/events/${eventId}/assessments`, {
      title: "Bad",
      items: [{ ...item("O1"), kind: "scenario", correct: [0, 1] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/items\.0\.correct.*one correct option/);
  });

  it("issues links; the same person gets the same attempt", async () => {
    learners = await addPeople(db, orgId, 4);
    const attempts: Record<string, Record<string, string>> = {};
    for (const phase of ["pre", "post"] as const) {
      const res = await call("POST", `/api/assessments/${assessment.id}/links`, {
        personIds: learners,
        phase,
      });
      expect(res.status).toBe(200);
      tokens[phase] = Object.fromEntries(res.body.links.map((l: Json) => [l.personId, l.token]));
      attempts[phase] = Object.fromEntries(res.body.links.map((l: Json) => [l.personId, l.attemptId]));
    }
    // One attempt per person and window: pre and post are different attempts.
    expect(new Set([...Object.values(attempts.pre!), ...Object.values(attempts.post!)]).size).toBe(8);
    const again = await call("POST", `/api/assessments/${assessment.id}/links`, {
      personIds: [learners[1], learners[0]],
      phase: "pre",
    });
    const first = await call("GET", `/api/learn/${tokens.pre![learners[0]!]}`, undefined, {});
    expect(again.body.links.map((l: Json) => [l.personId, l.attemptId])).toEqual([
      [learners[1], attempts.pre![learners[1]!]],
      [learners[0], attempts.pre![learners[0]!]],
    ]);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].correct).toBeUndefined();
    expect(first.body.confidenceScale.map((s: Json) => s.probability)).toEqual([0.25, 0.5, 0.75, 0.95]);
  });

  it("refuses an altered token", async () => {
    const t = tokens.pre![learners[0]!]!;
    const res = await call("GET", `/api/learn/${t.slice(0, -2)}xx`, undefined, {});
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/not valid/);
  });

  it("resumes a reused link and never double-counts an answer", async () => {
    now = new Date("2025-03-05T10:00:00Z");
    const [a, b] = assessment.items.map((i: Json) => i.id);
    const t = tokens.pre![learners[0]!]!;
    const first = await call(
      "PUT",
      `/api/learn/${t}/answers`,
      { answers: [{ itemId: a, answer: [2], confidence: 4 }] },
      {},
    );
    expect(first.body).toEqual({ saved: 1, answered: 1, total: 2 });
    const reopened = await call("GET", `/api/learn/${t}`, undefined, {});
    expect(reopened.body.answers).toEqual([{ itemId: a, answer: [2], confidence: 4 }]);
    await call(
      "PUT",
      `/api/learn/${t}/answers`,
      {
        answers: [
          { itemId: a, answer: [2], confidence: 4 },
          { itemId: b, answer: [0], confidence: 1 },
        ],
      },
      {},
    );
    const count = await db.withOrg(orgId, (tx) =>
      tx
        .select()
        .from(responses)
        .where(and(eq(responses.orgId, orgId), eq(responses.personId, learners[0]!))),
    );
    expect(count).toHaveLength(2);
    const submitted = await call("POST", `/api/learn/${t}/submit`, undefined, {});
    expect(submitted.body.submitted).toBe(true);
    const twice = await call("POST", `/api/learn/${t}/submit`, undefined, {});
    expect(twice.body.submittedAt).toBe(submitted.body.submittedAt);
    const late = await call(
      "PUT",
      `/api/learn/${t}/answers`,
      { answers: [{ itemId: a, answer: [0], confidence: 4 }] },
      {},
    );
    expect(late.status).toBe(409);
  });

  it("refuses an answer after the check closes with a clear message", async () => {
    now = new Date("2025-03-10T09:00:01Z");
    const [a] = assessment.items.map((i: Json) => i.id);
    const res = await call(
      "PUT",
      `/api/learn/${tokens.pre![learners[1]!]}/answers`,
      { answers: [{ itemId: a, answer: [0], confidence: 2 }] },
      {},
    );
    expect(res.status).toBe(410);
    expect(res.body.error.message).toBe(
      "this assessment closed on 2025-03-10 09:00 UTC; answers are no longer accepted",
    );
    const view = await call("GET", `/api/learn/${tokens.pre![learners[1]!]}`, undefined, {});
    expect(view.body.status).toBe("closed");
  });

  it("says when a check is not open yet", async () => {
    now = new Date("2025-03-10T16:00:00Z");
    const [a] = assessment.items.map((i: Json) => i.id);
    const res = await call(
      "PUT",
      `/api/learn/${tokens.post![learners[1]!]}/answers`,
      { answers: [{ itemId: a, answer: [0], confidence: 2 }] },
      {},
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/opens on 2025-03-10 17:00 UTC/);
  });
});

describe("hard close and multiple-choice grading", () => {
  it("refuses an answer after the assessment's hard closesAt, inside the window, with the close in the message", async () => {
    now = new Date("2025-06-20T12:00:00Z");
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-06-01T09:00:00Z",
      endsAt: "2025-06-01T17:00:00Z",
    });
    // The post window runs to 06-15 17:00 by default; the hard close cuts every window at 06-03 12:00.
    const created = await call("POST", `/api/events/${eventId}/assessments`, {
      title: "Hard close",
      closesAt: "2025-06-03T12:00:00Z",
      items: [item("O1")],
    });
    expect(created.status).toBe(201);
    const [person] = await addPeople(db, orgId, 1);
    const links = await call("POST", `/api/assessments/${created.body.id}/links`, {
      personIds: [person],
      phase: "post",
    });
    const token = links.body.links[0].token as string;
    const answer = { answers: [{ itemId: created.body.items[0].id, answer: [0], confidence: 3 }] };
    now = new Date("2025-06-03T11:59:00Z");
    expect((await call("PUT", `/api/learn/${token}/answers`, answer, {})).status).toBe(200);
    now = new Date("2025-06-03T12:00:01Z");
    const late = await call("PUT", `/api/learn/${token}/answers`, answer, {});
    expect(late.status).toBe(410);
    expect(late.body.error.message).toBe(
      "this assessment closed on 2025-06-03 12:00 UTC; answers are no longer accepted",
    );
    const submit = await call("POST", `/api/learn/${token}/submit`, undefined, {});
    expect(submit.status).toBe(410);
    const view = await call("GET", `/api/learn/${token}`, undefined, {});
    expect(view.body).toMatchObject({ status: "closed", message: late.body.error.message });
  });

  it("grades a multiple-choice item right only on the exact key (no partial credit)", async () => {
    now = new Date("2025-07-01T00:00:00Z");
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-07-10T09:00:00Z",
      endsAt: "2025-07-10T17:00:00Z",
    });
    const created = await call("POST", `/api/events/${eventId}/assessments`, {
      title: "Multiple",
      items: [
        {
          kind: "multiple",
          prompt: "Which two apply?",
          options: ["a", "b", "c", "d"],
          correct: [2, 0],
          objective: "O1",
          outcomeLevel: "3B",
        },
      ],
    });
    expect(created.body.items[0].correct).toEqual([0, 2]);
    const itemId = created.body.items[0].id as string;
    const choices: number[][] = [[0, 2], [2, 0], [0], [0, 1, 2], [1, 3], [2, 0, 2]];
    const people = await addPeople(db, orgId, choices.length);
    const links = await call("POST", `/api/assessments/${created.body.id}/links`, {
      personIds: people,
      phase: "pre",
    });
    for (const [i, answer] of choices.entries()) {
      const link = links.body.links.find((l: Json) => l.personId === people[i])!;
      const saved = await call(
        "PUT",
        `/api/learn/${link.token}/answers`,
        { answers: [{ itemId, answer, confidence: 3 }] },
        {},
      );
      expect(saved.status).toBe(200);
    }
    const rows = await db.withOrg(orgId, (tx) =>
      tx
        .select({ personId: responses.personId, correct: responses.correct })
        .from(responses)
        .where(and(eq(responses.orgId, orgId), eq(responses.itemId, itemId))),
    );
    const byPerson = Object.fromEntries(rows.map((r) => [r.personId, r.correct]));
    // Exact key in any order (a repeated option is the same choice) is right; a subset or superset is wrong.
    expect(people.map((p) => byPerson[p])).toEqual([true, true, false, false, false, true]);
  });
});
