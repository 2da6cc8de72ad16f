import { describe, expect, it } from "vitest";
import { type CreditSession, creditEligibility, DEFAULT_CREDIT_RULE } from "./credit-eligibility.ts";
import type { Attendance } from "./model.ts";

const sessions: CreditSession[] = [
  { sessionId: "s1", durationMinutes: 60, creditHours: 1 },
  { sessionId: "s2", durationMinutes: 90, creditHours: 1.5 },
  { sessionId: "s3", durationMinutes: 30, creditHours: 0.5 },
];
const at = (learnerId: string, sessionId: string | undefined, minutes: number): Attendance => ({
  learnerId,
  activityId: "cme",
  minutes,
  ...(sessionId ? { sessionId } : {}),
});

describe("credit eligibility", () => {
  // Default rule: attend ≥ 75% of a session to earn its credit; ≥ 60 min in total; 0.25 increments.
  //   A: s1 50 ≥ 45 ✓, s2 60 < 67.5 ✗, s3 30 ≥ 22.5 ✓ → 1 + 0.5 = 1.5 h, 140 min.
  //   B: s1 40 + 10 = 50 ✓ but 50 min < 60 → not eligible.
  //   C: s1 120 (double scan) capped at 60 ✓ → 1 h, 60 min.
  //   D: only activity-level time (no session) → 0 min counted → not eligible.
  it("earns each session's credit from attendance share and minimum time", () => {
    const decisions = creditEligibility(
      [
        at("A", "s1", 50),
        at("A", "s2", 60),
        at("A", "s3", 30),
        at("B", "s1", 40),
        at("B", "s1", 10),
        at("C", "s1", 120),
        at("D", undefined, 200),
      ],
      sessions,
    );
    expect(decisions.map((d) => [d.learnerId, d.eligible, d.creditHours, d.attendedMinutes])).toEqual([
      ["A", true, 1.5, 140],
      ["B", false, 0, 50],
      ["C", true, 1, 60],
      ["D", false, 0, 0],
    ]);
    expect(decisions[0]?.qualifyingSessions).toEqual(["s1", "s3"]);
    expect(decisions[1]?.reason).toBe("attended 50 min, below the 60 min minimum");
  });

  it("rounds the total down to the credit increment", () => {
    const d = creditEligibility(
      [at("A", "x", 60)],
      [{ sessionId: "x", durationMinutes: 60, creditHours: 0.7 }],
    );
    expect(d[0]?.creditHours).toBe(0.5);
    const none = creditEligibility(
      [at("A", "x", 60)],
      [{ sessionId: "x", durationMinutes: 60, creditHours: 0.2 }],
      DEFAULT_CREDIT_RULE,
    );
    expect(none[0]).toMatchObject({
      eligible: false,
      creditHours: 0,
      reason: "0.2 h earned, below the smallest claimable increment of 0.25 h",
    });
  });

  it("is empty for empty input", () => {
    expect(creditEligibility([], sessions)).toEqual([]);
  });
});
