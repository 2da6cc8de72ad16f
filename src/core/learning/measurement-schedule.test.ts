import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { measurementSchedule } from "./measurement-schedule.ts";

describe("measurement schedule", () => {
  const end = new Date("2025-03-01T17:00:00Z");

  it("fixes pre, post and delayed dates at 30 and 90 days by default", () => {
    // 1 March + 30 days = 31 March; + 90 days = 30 May (31 March days + 30 April days + 29).
    const s = measurementSchedule(end);
    expect(s.post.at.toISOString()).toBe("2025-03-01T17:00:00.000Z");
    expect(s.pre.dueBy.toISOString()).toBe("2025-03-01T17:00:00.000Z");
    expect(s.delayed.map((d) => [d.delayDays, d.at.toISOString()])).toEqual([
      [30, "2025-03-31T17:00:00.000Z"],
      [90, "2025-05-30T17:00:00.000Z"],
    ]);
  });

  it("takes the pre-test before the event starts, and sorts and de-duplicates delays", () => {
    const s = measurementSchedule(end, [180, 30, 30], new Date("2025-02-27T08:00:00Z"));
    expect(s.pre.dueBy.toISOString()).toBe("2025-02-27T08:00:00.000Z");
    expect(s.delayed.map((d) => d.delayDays)).toEqual([30, 180]);
  });

  it("rejects delays that are not positive whole days, naming the field", () => {
    for (const bad of [[0], [-30], [1.5], [Number.NaN]]) {
      try {
        measurementSchedule(end, bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe("validation");
        expect((e as AppError).field).toBe("delays");
      }
    }
    expect(() => measurementSchedule(end, [30], new Date("2025-03-02T00:00:00Z"))).toThrow(/after eventEnd/);
    expect(() => measurementSchedule(new Date("nope"))).toThrow(AppError);
  });
});
