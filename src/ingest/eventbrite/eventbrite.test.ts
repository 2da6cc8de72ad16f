import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEventbriteExport } from "./parse-eventbrite-export.ts";

const fixture = readFileSync(join(import.meta.dirname, "fixtures/attendee-export.csv"), "utf8");

describe("Eventbrite attendee export", () => {
  it("reads one attendee per row, with statuses, check-ins and order times in the event's zone", () => {
    const r = parseEventbriteExport(fixture, "Europe/Berlin");
    expect(r.rowsRead).toBe(7);
    expect(r.attendees.map((a) => [a.externalId, a.email, a.status, a.attended])).toEqual([
      ["11029384751", "lena.fischer@acme.test", "registered", false],
      ["11029384752", "jonas.weber@acme.test", "registered", true],
      ["11029399120", "sofia.rossi@globex.test", "cancelled", false],
      ["11029401877", "omar.haddad@initech.test", "registered", false],
    ]);
    expect(r.attendees[0]!.orderedAt?.toISOString()).toBe("2025-09-02T12:05:33.000Z");
  });

  it("reports malformed rows by number, field and reason", () => {
    expect(parseEventbriteExport(fixture, "Europe/Berlin").errors).toEqual([
      { row: 6, field: "Email", reason: "no email, so the person cannot be matched" },
      { row: 7, field: "Order Date", reason: '"sometime in September" is not a date' },
      { row: 8, field: "Attendee Status", reason: 'unknown status "Pending Approval"' },
    ]);
  });

  it("names a missing required column", () => {
    const r = parseEventbriteExport("Order #,First Name,Email\n1,A,a@b.test\n", "UTC");
    expect(r.errors).toEqual([
      { row: 1, field: "Last Name, Attendee Status", reason: "required column missing" },
    ]);
  });
});
