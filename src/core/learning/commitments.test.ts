import { describe, expect, it } from "vitest";
import { commitmentSummary } from "./commitments.ts";

describe("commitment summary", () => {
  // 5 commitments: 2 fully, 1 partly, 1 not, 1 unanswered. Shares use the 4 answered follow-ups:
  // implemented (2+1)/4 = 0.75, fully 2/4 = 0.5. "time" named twice in one follow-up counts once.
  it("shares commitments implemented over answered follow-ups and tallies barriers", () => {
    const s = commitmentSummary([
      { id: "c1", learnerId: "A", activityId: "a", status: "fully" },
      { id: "c2", learnerId: "B", activityId: "a", status: "fully", barriers: [] },
      { id: "c3", learnerId: "C", activityId: "a", status: "partly", barriers: ["time", "time", "cost"] },
      { id: "c4", learnerId: "D", activityId: "a", status: "not", barriers: ["time"] },
      { id: "c5", learnerId: "E", activityId: "a", status: "no_response" },
    ]);
    expect(s).toEqual({
      total: 5,
      followedUp: 4,
      fully: 2,
      partly: 1,
      not: 1,
      noResponse: 1,
      implementedShare: 0.75,
      fullyShare: 0.5,
      barriers: [
        { barrier: "time", count: 2 },
        { barrier: "cost", count: 1 },
      ],
    });
  });

  it("has null shares before any follow-up is answered", () => {
    const s = commitmentSummary([{ id: "c1", learnerId: "A", activityId: "a", status: "no_response" }]);
    expect(s.implementedShare).toBeNull();
    expect(commitmentSummary([]).followedUp).toBe(0);
  });
});
