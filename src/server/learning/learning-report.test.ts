import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { issueLinks } from "./attempts.ts";
import { createAssessment } from "./create-assessment.ts";
import { answerDrill, openDrill } from "./drills.ts";
import { getLearningReport } from "./get-learning-report.ts";
import { saveAnswers, submitAttempt } from "./take-assessment.ts";
import { addEvent, addPeople } from "./test-world.ts";

let db: Database;
let orgId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
});
afterAll(async () => db.close());

const item = (objective: string) => ({
  kind: "single" as const,
  prompt: `About ${objective}`,
  options: ["right", "wrong"],
  correct: [0],
  objective,
  outcomeLevel: "3A" as const,
});

type Mark = [right: boolean, confidence: 1 | 2 | 3 | 4];

/** Answers each learner's two items (objective O1, O2) in one phase and submits. */
async function sit(
  assessmentId: string,
  itemIds: string[],
  phase: "pre" | "post" | "delayed",
  marks: Record<number, [Mark, Mark]>,
  learners: string[],
  at: Date,
  delayDays?: number,
) {
  const { links } = await issueLinks(
    db,
    orgId,
    assessmentId,
    { personIds: Object.keys(marks).map((i) => learners[Number(i)]!), phase, delayDays },
    undefined,
  );
  for (const link of links) {
    const m = marks[learners.indexOf(link.personId)]!;
    await saveAnswers(
      db,
      link.token,
      {
        answers: m.map(([right, confidence], j) => ({
          itemId: itemIds[j]!,
          answer: [right ? 0 : 1],
          confidence,
        })),
      },
      at,
    );
    await submitAttempt(db, link.token, at);
  }
}

describe("learning report from the database (worked example)", () => {
  it("recovers hand-computed gains, retention and confident-and-wrong share; drills never move them", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T17:00:00Z",
    });
    const a = await createAssessment(
      db,
      orgId,
      eventId,
      { title: "Worked", items: [item("O1"), item("O2")] },
      new Date("2025-03-01T00:00:00Z"),
    );
    const ids = a.items.map((i) => i.id);
    const L = await addPeople(db, orgId, 4);
    // Pre: L0 0%, L1 50%, L2 0%, L3 100%. L0's wrong O1 answer is certain: confident-and-wrong.
    await sit(
      a.id,
      ids,
      "pre",
      {
        0: [
          [false, 4],
          [false, 1],
        ],
        1: [
          [true, 2],
          [false, 2],
        ],
        2: [
          [false, 1],
          [false, 1],
        ],
        3: [
          [true, 2],
          [true, 2],
        ],
      },
      L,
      new Date("2025-03-05T00:00:00Z"),
    );
    // Post: L0 100, L1 100, L2 50 (O2 wrong while fairly sure: confident-and-wrong), L3 100.
    await sit(
      a.id,
      ids,
      "post",
      {
        0: [
          [true, 4],
          [true, 4],
        ],
        1: [
          [true, 4],
          [true, 4],
        ],
        2: [
          [true, 4],
          [false, 3],
        ],
        3: [
          [true, 4],
          [true, 4],
        ],
      },
      L,
      new Date("2025-03-10T18:00:00Z"),
    );
    // Delayed 30 d: L0 50, L1 100, L2 0; L3 did not answer.
    await sit(
      a.id,
      ids,
      "delayed",
      {
        0: [
          [true, 2],
          [false, 2],
        ],
        1: [
          [true, 2],
          [true, 2],
        ],
        2: [
          [false, 1],
          [false, 1],
        ],
      },
      L,
      new Date("2025-04-10T00:00:00Z"),
      30,
    );

    const before = await getLearningReport(db, orgId, eventId, new Date("2025-04-11T00:00:00Z"));
    const k = before.report!.outcomes.knowledge;
    expect(before.baseline).toBe("present");
    expect(k.pre.meanPercent).toBe(37.5);
    expect(k.post.meanPercent).toBe(87.5);
    // ⟨g⟩ = (87.5 − 37.5) / (100 − 37.5) = 0.8
    expect(k.gainOfClassAverages).toMatchObject({
      kind: "gain",
      basis: "gain_of_class_averages",
      value: 0.8,
    });
    // Learner gains 1, 1, 0.5; L3 (pre 100) excluded at the ceiling: 2.5 / 3.
    expect(k.meanOfLearnerGains).toMatchObject({
      kind: "gain",
      basis: "mean_of_learner_gains",
      included: 3,
      excludedAtCeiling: 1,
    });
    expect(k.meanOfLearnerGains.kind === "gain" && k.meanOfLearnerGains.value).toBeCloseTo(2.5 / 3, 12);
    // Retention at 30 d: 50 / 87.5 over everyone; matched (L0–L2) 50 / 83.33 = 0.6.
    expect(k.retention[0]!.ratio).toBeCloseTo(50 / 87.5, 12);
    expect(k.retention[0]!.matched.ratio).toBeCloseTo(0.6, 12);
    // 2 confident-and-wrong answers among 22 rated answers.
    expect(before.headline!.confidentWrongShare).toBeCloseTo(2 / 22, 12);
    expect(before.report!.outcomes.misconceptions.byItem.map((m) => m.count).sort()).toEqual([1, 1]);

    // Drills after the post-test: practice answers, all wrong, never counted.
    const drill = (await import("./link-token.ts")).signLink;
    const token = await db.withOrg(orgId, (tx) => drill(tx, { o: orgId, k: "drill", i: eventId, p: L[0]! }));
    const due = await openDrill(db, token, new Date("2025-03-12T00:00:00Z"));
    expect(due.due).toHaveLength(2);
    for (const d of due.due) {
      const r = await answerDrill(
        db,
        token,
        { cardId: d.cardId, itemId: d.item.id, answer: [1], confidence: 4 },
        new Date("2025-03-12T00:00:00Z"),
      );
      expect(r.rating).toBe("again");
    }
    await expect(
      answerDrill(
        db,
        token,
        { cardId: due.due[0]!.cardId, itemId: due.due[0]!.item.id, answer: [0], confidence: 4 },
        new Date("2025-03-12T01:00:00Z"),
      ),
    ).rejects.toThrow(/already practised/);
    const after = await getLearningReport(db, orgId, eventId, new Date("2025-04-11T00:00:00Z"));
    expect(after.report).toEqual(before.report);
    expect(after.reinforcement).toMatchObject({ reviews: 2, correctShare: 0 });
  });

  it("counts only submitted attempts: answers saved but never submitted stay out of the report", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T17:00:00Z",
    });
    const a = await createAssessment(
      db,
      orgId,
      eventId,
      { title: "Drafts", items: [item("O1"), item("O2")] },
      new Date("2025-03-01T00:00:00Z"),
    );
    const ids = a.items.map((i) => i.id);
    const L = await addPeople(db, orgId, 3);
    const all = (right: boolean): [Mark, Mark] => [
      [right, 4],
      [right, 4],
    ];
    await sit(a.id, ids, "pre", { 0: all(false), 1: all(true) }, L, new Date("2025-03-05T00:00:00Z"));
    await sit(a.id, ids, "post", { 0: all(true), 1: all(true) }, L, new Date("2025-03-10T18:00:00Z"));
    // L2 answers every item wrong while certain, in both checks, and never submits.
    for (const phase of ["pre", "post"] as const) {
      const { links } = await issueLinks(db, orgId, a.id, { personIds: [L[2]!], phase }, undefined);
      await saveAnswers(
        db,
        links[0]!.token,
        { answers: ids.map((itemId) => ({ itemId, answer: [1], confidence: 4 as const })) },
        new Date(phase === "pre" ? "2025-03-05T00:00:00Z" : "2025-03-10T18:00:00Z"),
      );
    }
    const r = await getLearningReport(db, orgId, eventId, new Date("2025-03-25T00:00:00Z"));
    const k = r.report!.outcomes.knowledge;
    // Submitted only: pre (0 + 100) / 2 = 50, post 100; with L2's drafts it would read 33.3 and 66.7.
    expect([k.pre.n, k.pre.meanPercent, k.post.n, k.post.meanPercent]).toEqual([2, 50, 2, 100]);
    expect(k.gainOfClassAverages).toMatchObject({ kind: "gain", value: 1 });
    // L0's 2 wrong pre answers were rated 4: confident-and-wrong 2 of 8 submitted answers (L2's 4 not counted).
    expect(r.headline!.confidentWrongShare).toBeCloseTo(2 / 8, 12);
  });

  it("reports no baseline when there was no pre-test", async () => {
    const { eventId } = await addEvent(db, orgId, {
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T17:00:00Z",
    });
    // Set up after the activity started: no pre-test window is created.
    const a = await createAssessment(
      db,
      orgId,
      eventId,
      { title: "Late", items: [item("O1"), item("O2")] },
      new Date("2025-03-10T10:00:00Z"),
    );
    expect(a.schedule.map((w) => w.phase)).toEqual(["post", "delayed", "delayed"]);
    const L = await addPeople(db, orgId, 2);
    await sit(
      a.id,
      a.items.map((i) => i.id),
      "post",
      {
        0: [
          [true, 4],
          [true, 4],
        ],
        1: [
          [true, 3],
          [false, 2],
        ],
      },
      L,
      new Date("2025-03-10T18:00:00Z"),
    );
    const report = await getLearningReport(db, orgId, eventId, new Date("2025-03-11T00:00:00Z"));
    expect(report.baseline).toBe("no baseline");
    expect(report.headline!.gainLabel).toBe("no baseline");
    expect(report.headline!.gainOfClassAverages).toBeNull();
    expect(report.report!.outcomes.knowledge.gainOfClassAverages).toEqual({ kind: "no_baseline" });
    await expect(issueLinks(db, orgId, a.id, { personIds: L, phase: "pre" }, undefined)).rejects.toThrow(
      /no pre check/,
    );
  });
});
