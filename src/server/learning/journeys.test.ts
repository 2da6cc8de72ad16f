import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signedIn, testApp } from "../../../test/app.ts";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { checkIns, productUsageEvents } from "../../db/schema/index.ts";
import { createAssessment } from "./create-assessment.ts";
import { answerDrill, ensureDrillCards, openDrill } from "./drills.ts";
import { signLink } from "./link-token.ts";
import { addAccount, addEvent, addPeople } from "./test-world.ts";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by shape in tests
type Json = any;

let db: Database;
let orgId: string;
let app: ReturnType<typeof testApp>;
let headers: Record<string, string>;
let now = new Date("2025-03-20T00:00:00Z");

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  app = testApp(db, () => now);
  headers = await signedIn(testApp(db), await addUser(db, orgId, "educator"));
});
afterAll(async () => db.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("learning journeys per role", () => {
  it("verifies steps from check-ins, drills and product usage; coaching is recorded; mastery per role", async () => {
    const { eventId, sessionIds } = await addEvent(db, orgId, {
      type: "customer_training",
      startsAt: "2025-03-03T15:00:00Z",
      endsAt: "2025-03-03T16:00:00Z",
      sessions: [
        {
          title: "Pipelines 101",
          startsAt: "2025-03-03T15:00:00Z",
          endsAt: "2025-03-03T16:00:00Z",
          features: ["pipelines"],
        },
      ],
    });
    await createAssessment(
      db,
      orgId,
      eventId,
      {
        title: "Pipelines",
        items: [
          {
            kind: "scenario",
            prompt: "A run fails. What do you do?",
            options: ["Retry", "Read the log"],
            correct: [1],
            objective: "Debug a run",
            outcomeLevel: "4",
          },
        ],
      },
      new Date("2025-03-01T00:00:00Z"),
    );
    const account = await addAccount(db, orgId, { name: "Initech" });
    const [ana, bo] = await addPeople(db, orgId, 2, { accountId: account });
    const bad = await call("POST", "/api/journeys", {
      name: "x",
      role: "admin",
      steps: [{ kind: "task", title: "No feature" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/steps\.0\.feature/);
    const created = await call("POST", "/api/journeys", {
      name: "Pipeline admin",
      role: "admin",
      steps: [
        { kind: "session", title: "Attend Pipelines 101", sessionId: sessionIds[0] },
        { kind: "reinforcement", title: "Drill: debugging", objective: "Debug a run", offsetDays: 7 },
        { kind: "task", title: "Build a pipeline", feature: "pipelines", offsetDays: 14 },
        { kind: "coaching", title: "Review with your CSM", offsetDays: 21 },
      ],
    });
    expect(created.status).toBe(201);
    const j = created.body;
    expect(
      (
        await call("POST", `/api/journeys/${j.id}/enrollments`, {
          personIds: [ana, bo],
          enrolledAt: "2025-03-01T00:00:00Z",
        })
      ).body,
    ).toEqual({ enrolled: 2, alreadyEnrolled: 0 });
    expect((await call("POST", `/api/journeys/${j.id}/enrollments`, { personIds: [ana] })).body).toEqual({
      enrolled: 0,
      alreadyEnrolled: 1,
    });

    await db.withOrg(orgId, async (tx) => {
      await tx.insert(checkIns).values(
        [ana!, bo!].map((p, i) => ({
          orgId,
          eventId,
          sessionId: sessionIds[0]!,
          personId: p,
          direction: "entry" as const,
          method: "qr" as const,
          scanNonce: `j${i}`,
          occurredAt: new Date("2025-03-03T15:01:00Z"),
        })),
      );
      await tx.insert(productUsageEvents).values([
        {
          orgId,
          externalId: "g1",
          accountId: account,
          personId: bo!,
          feature: "pipelines",
          occurredAt: new Date("2025-03-03T15:30:00Z"),
          guided: true,
        },
        {
          orgId,
          externalId: "i1",
          accountId: account,
          personId: ana!,
          feature: "pipelines",
          occurredAt: new Date("2025-03-10T10:00:00Z"),
        },
      ]);
      await ensureDrillCards(tx, orgId, eventId, ana!, ["Debug a run"], new Date("2025-03-04T00:00:00Z"));
    });
    const token = await db.withOrg(orgId, (tx) =>
      signLink(tx, { o: orgId, k: "drill", i: eventId, p: ana! }),
    );
    const due = await openDrill(db, token, new Date("2025-03-06T00:00:00Z"));
    await answerDrill(
      db,
      token,
      { cardId: due.due[0]!.cardId, itemId: due.due[0]!.item.id, answer: [1], confidence: 3 },
      new Date("2025-03-06T00:00:00Z"),
    );
    const coach = j.steps[3].id;
    expect(
      (
        await call("POST", `/api/journeys/${j.id}/enrollments/${ana}/coaching/${coach}`, {
          note: "walked through failures",
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call("POST", `/api/journeys/${j.id}/enrollments/${ana}/coaching/${j.steps[2].id}`, {
          note: "x",
        })
      ).status,
    ).toBe(400);

    const progress = (await call("GET", `/api/journeys/${j.id}/progress`)).body;
    const byPerson = Object.fromEntries(progress.learners.map((l: Json) => [l.personId, l]));
    expect(byPerson[ana!].steps.map((s: Json) => s.status)).toEqual(["done", "done", "done", "done"]);
    expect(byPerson[ana!].steps[2].evidence).toBe("used pipelines on their own (usage event i1)");
    expect(byPerson[ana!]).toMatchObject({ progress: 1, mastery: 1 });
    // Bo attended, used the feature only guided, never drilled: due dates passed, so those steps are overdue.
    expect(byPerson[bo!].steps.map((s: Json) => s.status)).toEqual(["done", "overdue", "overdue", "pending"]);
    expect(byPerson[bo!]).toMatchObject({ progress: 0.25, mastery: 0 });

    now = new Date("2025-03-20T00:00:00Z");
    const mastery = (await call("GET", "/api/journeys/mastery")).body;
    expect(mastery.roles).toEqual([
      { role: "admin", journeys: 1, learners: 2, meanProgress: 0.625, meanMastery: 0.5, masteredShare: 0.5 },
    ]);
  });
});
