import { describe, expect, it } from "vitest";
import { commitmentSchema, responseSchema } from "./model.ts";

describe("input schemas", () => {
  it("accepts a dichotomous and a partial-credit response", () => {
    expect(
      responseSchema.safeParse({ learnerId: "A", itemId: "q", phase: "pre", correct: true }).success,
    ).toBe(true);
    expect(
      responseSchema.safeParse({
        learnerId: "A",
        itemId: "q",
        phase: "delayed",
        delayDays: 30,
        score: 0.5,
        confidence: 3,
      }).success,
    ).toBe(true);
  });

  it("rejects a response with both or neither of correct and score, naming the field", () => {
    for (const bad of [
      { learnerId: "A", itemId: "q", phase: "post" },
      { learnerId: "A", itemId: "q", phase: "post", correct: true, score: 1 },
    ]) {
      const r = responseSchema.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(["correct"]);
    }
  });

  it("ties delayDays to the delayed phase and confidence to 1..4", () => {
    const base = { learnerId: "A", itemId: "q", correct: true };
    expect(responseSchema.safeParse({ ...base, phase: "delayed" }).success).toBe(false);
    expect(responseSchema.safeParse({ ...base, phase: "post", delayDays: 30 }).success).toBe(false);
    expect(responseSchema.safeParse({ ...base, phase: "post", confidence: 5 }).success).toBe(false);
    expect(responseSchema.safeParse({ ...base, phase: "post", extra: 1 }).success).toBe(false);
  });

  it("defaults a commitment's barriers to none", () => {
    expect(
      commitmentSchema.parse({ id: "c", learnerId: "A", activityId: "a", status: "partly" }).barriers,
    ).toEqual([]);
  });
});
