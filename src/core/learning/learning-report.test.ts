import { describe, expect, it } from "vitest";
import { type LearningInput, learningReport } from "./learning-report.ts";
import type { Commitment, Item, Satisfaction } from "./model.ts";
import { DEFAULT_MOORE_THRESHOLDS } from "./moore-level.ts";
import { nonFiniteNumbers, scored } from "./test-support.ts";

const items: Item[] = [
  { id: "decl", activityId: "cme", sessionId: "s1", objectiveId: "o1", kind: "single", level: "3A" },
  { id: "proc", activityId: "cme", sessionId: "s2", objectiveId: "o2", kind: "multiple", level: "3B" },
];
const learners = ["A", "B", "C", "D"];
const satisfaction: Satisfaction[] = [5, 4, 4, 3].map((rating, i) => ({
  learnerId: learners[i] ?? "",
  activityId: "cme",
  sessionId: "s1",
  rating,
}));
const commitments: Commitment[] = (["fully", "fully", "partly", "not"] as const).map((status, i) => ({
  id: `c${i}`,
  learnerId: learners[i] ?? "",
  activityId: "cme",
  status,
}));

// Procedural item: pre A 40, B 60, C 100, D 20 → 55; post A 70, B 80, C 100, D 100 → 87.5 (shown as 88%);
// ⟨g⟩ = 32.5/45 = 0.722… (0.72). Declarative item: post only, so no baseline and no level 3A.
// Satisfaction (5+4+4+3)/4 = 4.0. Commitments: 3 of 4 answered implemented = 75%.
const input: LearningInput = {
  items,
  responses: [
    ...scored("proc", "pre", { A: 0.4, B: 0.6, C: 1, D: 0.2 }),
    ...scored("proc", "post", { A: 0.7, B: 0.8, C: 1, D: 1 }),
    ...scored("decl", "post", { A: 1, B: 1, C: 0, D: 1 }),
    ...scored("ghost", "post", { A: 1 }),
  ],
  attendance: learners.map((learnerId) => ({ learnerId, activityId: "cme", sessionId: "s1", minutes: 60 })),
  satisfaction,
  commitments,
};

describe("learning report", () => {
  const small = { ...DEFAULT_MOORE_THRESHOLDS, minN: 4 };

  it("names the evidence for each Moore level and the highest level reached", () => {
    const [a] = learningReport(input, small).activities;
    expect(a?.activityId).toBe("cme");
    const moore = a?.outcomes.moore;
    expect(moore?.levels).toEqual([
      { level: "1", reached: true, evidence: "1: 4 learners participated" },
      { level: "2", reached: true, evidence: "2: satisfaction mean 4.0 of 5, n=4" },
      {
        level: "3A",
        reached: false,
        evidence:
          "3A: declarative items have no pre-test (post mean 75%, n=4); learning is not validated without a baseline",
      },
      {
        level: "3B",
        reached: true,
        evidence: "3B: procedural items post mean 88% vs pre 55%, gain 0.72, n=4",
      },
      { level: "4", reached: false, evidence: "4: no competence items" },
      { level: "5", reached: true, evidence: "5: 75% of commitments implemented fully or partly, n=4" },
    ]);
    expect(moore?.highest?.level).toBe("5");
  });

  it("does not claim a level below the minimum sample (default n ≥ 10)", () => {
    const moore = learningReport(input).activities[0]?.outcomes.moore;
    expect(moore?.highest?.level).toBe("1");
    expect(moore?.levels.find((l) => l.level === "3B")).toEqual({
      level: "3B",
      reached: false,
      evidence: "3B not reached: procedural items post mean 88% vs pre 55%, gain 0.72, n=4 (n below 10)",
    });
  });

  it("does not reach a knowledge level when the gain is below 0.30", () => {
    const flat: LearningInput = {
      items,
      responses: [
        ...scored("proc", "pre", { A: 0.7, B: 0.7, C: 0.7, D: 0.7 }),
        ...scored("proc", "post", { A: 0.8, B: 0.8, C: 0.75, D: 0.75 }),
      ],
    };
    const level = learningReport(flat, small).activities[0]?.outcomes.moore.levels.find(
      (l) => l.level === "3B",
    );
    // ⟨g⟩ = (77.5 − 70)/30 = 0.25 < 0.30.
    expect(level?.reached).toBe(false);
    expect(level?.evidence).toBe(
      "3B not reached: procedural items post mean 78% vs pre 70%, gain 0.25, n=4 (gain below 0.30)",
    );
  });

  it("keeps indicators and outcomes apart, per session, objective and item", () => {
    const report = learningReport(input, small);
    expect(report.ignoredResponses).toBe(1);
    const a = report.activities[0];
    expect(a?.indicators.participation).toEqual({
      attended: 4,
      participants: 4,
      preTakers: 4,
      postTakers: 4,
      delayedTakers: [],
      matchedPrePost: 4,
      satisfactionRatings: 4,
      commitmentsMade: 4,
    });
    expect(a?.indicators.satisfaction).toEqual({ n: 4, mean: 4 });
    expect(a?.sessions.map((s) => s.sessionId)).toEqual(["s1", "s2"]);
    expect(a?.sessions[0]?.indicators.satisfaction.mean).toBe(4);
    expect(a?.sessions[1]?.outcomes.knowledge.gainOfClassAverages.kind).toBe("gain");
    expect(a?.sessions[0]?.outcomes.knowledge.gainOfClassAverages).toEqual({ kind: "no_baseline" });
    expect(a?.objectives.map((o) => [o.objectiveId, o.knowledge.itemCount])).toEqual([
      ["o1", 1],
      ["o2", 1],
    ]);
    expect(a?.items.find((i) => i.itemId === "decl")).toMatchObject({
      answered: { pre: 0, post: 4, delayed: 0 },
      facility: { pre: null, post: 0.75, delayed: null },
    });
    // Only the procedural item was asked pre and post, so the activity's gain is that item's 13/18, untouched
    // by the post-only declarative item.
    const g = a?.outcomes.knowledge.gainOfClassAverages;
    expect(g?.kind === "gain" && g.value).toBeCloseTo(13 / 18, 9);
    expect(a?.outcomes.knowledge.prePostItems).toBe(1);
    expect(a?.outcomes.commitments.implementedShare).toBe(0.75);
  });

  it("returns an empty report for empty input", () => {
    expect(learningReport({ items: [], responses: [] })).toEqual({ activities: [], ignoredResponses: 0 });
  });

  it("never emits NaN for an activity with items but no answers", () => {
    const report = learningReport({ items, responses: [] });
    expect(report.activities).toHaveLength(1);
    expect(nonFiniteNumbers(report)).toEqual([]);
    expect(report.activities[0]?.outcomes.moore.highest).toBeNull();
  });
});
