import { describe, expect, it } from "vitest";
import { clarityScore } from "./clarity-score.ts";
import type { Item, LearnerResponse } from "./model.ts";

const items: Item[] = [
  { id: "s1", activityId: "t", objectiveId: "o", kind: "scenario", level: "4" },
  { id: "s2", activityId: "t", objectiveId: "o", kind: "scenario", level: "4" },
  { id: "q1", activityId: "t", objectiveId: "o", kind: "single", level: "3A" },
];
const r = (
  itemId: string,
  correct: boolean,
  confidence?: 1 | 2 | 3 | 4,
  phase: LearnerResponse["phase"] = "post",
): LearnerResponse => ({ learnerId: "L", itemId, phase, correct, ...(confidence ? { confidence } : {}) });

describe("clarity score", () => {
  // Scenario answers in the post phase: right+certain, right+unsure, wrong+fairly sure, right+unrated,
  // right+fairly sure → n 5; right 4/5 = 0.8; confident and right 2/5 = 0.4 → score 40; confident and wrong 1/5.
  it("is the percent of scenario answers that are right and confident", () => {
    const c = clarityScore(items, [
      r("s1", true, 4),
      r("s1", true, 2),
      r("s1", false, 3),
      r("s2", true),
      r("s2", true, 3),
      r("q1", true, 4),
      r("s1", false, 4, "pre"),
    ]);
    expect(c).toEqual({
      n: 5,
      correctShare: 0.8,
      confidentCorrectShare: 0.4,
      confidentWrongShare: 0.2,
      score: 40,
    });
  });

  it("is null without scenario answers", () => {
    expect(clarityScore(items, []).score).toBeNull();
  });
});
