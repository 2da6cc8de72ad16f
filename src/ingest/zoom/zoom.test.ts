import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLocalTime } from "./local-time.ts";
import { parseZoomReport } from "./parse-zoom-report.ts";

const fixture = readFileSync(join(import.meta.dirname, "fixtures/webinar-attendee-report.csv"), "utf8");

describe("wall-clock times in a zone", () => {
  it("reads Zoom's and ISO formats across a daylight-saving change", () => {
    // New York: EDT (UTC-4) until 2 Nov 2025, EST (UTC-5) after.
    expect(parseLocalTime("Nov 1, 2025 10:00:00", "America/New_York")?.toISOString()).toBe(
      "2025-11-01T14:00:00.000Z",
    );
    expect(parseLocalTime("Nov 4, 2025 10:00:00", "America/New_York")?.toISOString()).toBe(
      "2025-11-04T15:00:00.000Z",
    );
    expect(parseLocalTime("11/04/2025 10:00:00 AM", "America/New_York")?.toISOString()).toBe(
      "2025-11-04T15:00:00.000Z",
    );
    expect(parseLocalTime("11/04/2025 12:30:00 PM", "UTC")?.toISOString()).toBe("2025-11-04T12:30:00.000Z");
    expect(parseLocalTime("11/04/2025 12:30:00 AM", "UTC")?.toISOString()).toBe("2025-11-04T00:30:00.000Z");
    expect(parseLocalTime("2025-09-02 14:05:33", "Europe/Berlin")?.toISOString()).toBe(
      "2025-09-02T12:05:33.000Z",
    );
    expect(parseLocalTime("2025-09-02T14:05:33-07:00", "Europe/Berlin")?.toISOString()).toBe(
      "2025-09-02T21:05:33.000Z",
    );
  });

  it("takes the first of a repeated autumn hour and refuses impossible dates", () => {
    expect(parseLocalTime("Nov 2, 2025 01:30:00", "America/New_York")?.toISOString()).toBe(
      "2025-11-02T05:30:00.000Z",
    );
    expect(parseLocalTime("Feb 30, 2025 10:00:00", "UTC")).toBeUndefined();
    expect(parseLocalTime("yesterday-ish", "UTC")).toBeUndefined();
  });

  it("reads a time in the hour a spring-forward change skips with the offset from before the change", () => {
    // Berlin: 02:00 CET on 29 March 2026 became 03:00 CEST; 02:30 is read at UTC+1, so it is shown as 03:30 CEST.
    expect(parseLocalTime("Mar 29, 2026 02:30:00", "Europe/Berlin")?.toISOString()).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    // New York: 02:00 EST on 8 March 2026 became 03:00 EDT; 02:15 is read at UTC-5.
    expect(parseLocalTime("03/08/2026 02:15:00 AM", "America/New_York")?.toISOString()).toBe(
      "2026-03-08T07:15:00.000Z",
    );
    // The minutes either side of the gap are unaffected.
    expect(parseLocalTime("2026-03-29 01:59", "Europe/Berlin")?.toISOString()).toBe(
      "2026-03-29T00:59:00.000Z",
    );
    expect(parseLocalTime("2026-03-29 03:00", "Europe/Berlin")?.toISOString()).toBe(
      "2026-03-29T01:00:00.000Z",
    );
  });
});

describe("Zoom webinar attendee report", () => {
  it("reads the header block, skips hosts and panelists, and sums a rejoining person's minutes by email", () => {
    const r = parseZoomReport(fixture, "America/New_York");
    expect(r.topic).toBe("Pipeline Reviews That Move Deals");
    expect(r.webinarId).toBe("86422319087");
    expect(r.startedAt?.toISOString()).toBe("2025-11-04T15:00:12.000Z");
    expect(r.rowsRead).toBe(6);
    const byEmail = Object.fromEntries(r.attendees.map((a) => [a.email, a]));
    expect(Object.keys(byEmail).sort()).toEqual([
      "lena.fischer@acme.test",
      "priya.shah@initech.test",
      "tom.baker@globex.test",
    ]);
    expect(byEmail["lena.fischer@acme.test"]).toMatchObject({ attended: true, minutes: 57, rows: [13, 14] });
    expect(byEmail["lena.fischer@acme.test"]!.firstJoin?.toISOString()).toBe("2025-11-04T15:01:30.000Z");
    expect(byEmail["priya.shah@initech.test"]).toMatchObject({
      attended: false,
      minutes: 0,
      firstJoin: null,
    });
  });

  it("reports malformed rows by number, field and reason", () => {
    const r = parseZoomReport(fixture, "America/New_York");
    expect(r.errors).toEqual([
      { row: 17, field: "Email", reason: "no email, so the person cannot be matched" },
      { row: 18, field: "Join Time", reason: '"yesterday-ish" is not a date and time' },
    ]);
  });

  it("says plainly when the file is not an attendee report", () => {
    expect(parseZoomReport("a,b\n1,2\n", "UTC").errors[0]!.reason).toContain(
      "not a Zoom webinar attendee report",
    );
  });
});
