import { describe, expect, it } from "vitest";
import { OVERLOAD_TOPICS_PER_HOUR, sessionLoad } from "./session-load.ts";

describe("session load", () => {
  it("flags more than 4 distinct topics per hour as overload", () => {
    // 7 distinct topics (case and spaces ignored) in 90 min: 7 / 1.5 = 4.67 per hour > 4.
    const s = sessionLoad({
      sessionId: "s",
      durationMinutes: 90,
      topics: ["A", "b", "B ", " a", "c", "d", "e", "f", "g"],
    });
    expect(s.topics).toBe(7);
    expect(s.topicsPerHour).toBeCloseTo(14 / 3, 12);
    expect(s.overloaded).toBe(true);
  });

  it("does not flag exactly the threshold, nor a session without duration", () => {
    const at = sessionLoad({ sessionId: "s", durationMinutes: 60, topics: ["a", "b", "c", "d"] });
    expect(at.topicsPerHour).toBe(OVERLOAD_TOPICS_PER_HOUR);
    expect(at.overloaded).toBe(false);
    expect(sessionLoad({ sessionId: "s", durationMinutes: 0, topics: ["a"] })).toEqual({
      sessionId: "s",
      topics: 1,
      hours: 0,
      topicsPerHour: null,
      overloaded: false,
    });
  });
});
