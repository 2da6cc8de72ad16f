import { describe, expect, it } from "vitest";
import { findDates, localDay, resolveDate } from "./dates.ts";

// Wednesday 14 May 2025, 15:00 in New York.
const WED = new Date("2025-05-14T19:00:00Z");
const NY = "America/New_York";

describe("resolveDate", () => {
  it.each([
    ["today", "2025-05-14"],
    ["tomorrow", "2025-05-15"],
    ["day after tomorrow", "2025-05-16"],
    ["Friday", "2025-05-16"],
    ["this Friday", "2025-05-16"],
    ["by Friday", "2025-05-16"],
    ["Wednesday", "2025-05-21"],
    ["next Tuesday", "2025-05-20"],
    ["next Friday", "2025-05-23"],
    ["next week", "2025-05-19"],
    ["end of week", "2025-05-16"],
    ["end of next week", "2025-05-23"],
    ["in two weeks", "2025-05-28"],
    ["in 3 days", "2025-05-17"],
    ["in a month", "2025-06-14"],
    ["in a couple of weeks", "2025-05-28"],
    ["end of month", "2025-05-31"],
    ["next month", "2025-06-01"],
    ["by end of Q3", "2025-09-30"],
    ["end of Q1", "2026-03-31"],
    ["end of quarter", "2025-06-30"],
    ["end of year", "2025-12-31"],
    ["June 3rd", "2025-06-03"],
    ["3 June", "2025-06-03"],
    ["on Thursday 22 May", "2025-05-22"],
    ["Monday May 19", "2025-05-19"],
    ["March 12", "2026-03-12"],
    ["5/22", "2025-05-22"],
    ["2025-07-01", "2025-07-01"],
    ["end of June", "2025-06-30"],
    ["mid-June", "2025-06-15"],
    ["in September", "2025-09-01"],
    ["Q3", "2025-07-01"],
    ["next quarter", "2025-07-01"],
    ["next year", "2026-01-01"],
    ["in the fall", "2025-09-01"],
  ])("reads %s as %s", (phrase, expected) => {
    expect(resolveDate(phrase, WED, NY)).toBe(expected);
  });

  it("resolves against the calendar day in the capture's time zone, not UTC", () => {
    // 00:30 on Thursday in Berlin is still Wednesday in UTC.
    const late = new Date("2025-05-14T22:30:00Z");
    expect(resolveDate("tomorrow", late, "Europe/Berlin")).toBe("2025-05-16");
    expect(resolveDate("tomorrow", late, "America/Los_Angeles")).toBe("2025-05-15");
  });

  it("clamps a month step to the last day of a shorter month", () => {
    expect(resolveDate("in a month", new Date("2025-01-31T12:00:00Z"), "UTC")).toBe("2025-02-28");
  });

  it("rolls a passed month-day into next year", () => {
    expect(resolveDate("January 10", WED, NY)).toBe("2026-01-10");
  });

  it("does not read ratios, percentages or head-counts as dates", () => {
    const today = localDay(WED, NY);
    expect(findDates("checks at 30/90 days, 24/7 support, 12k employees, 5000 staff", today)).toEqual([]);
  });

  it("finds each phrase once with its position", () => {
    const text = "Send deck tomorrow, then demo next Tuesday.";
    const found = findDates(text, localDay(WED, NY));
    expect(found.map((d) => [d.text, d.date])).toEqual([
      ["tomorrow", "2025-05-15"],
      ["next Tuesday", "2025-05-20"],
    ]);
    expect(text.slice(found[1]!.start, found[1]!.end)).toBe("next Tuesday");
  });
});
