import { describe, expect, it } from "vitest";
import { DAY_MS } from "./measure-movement.ts";
import {
  type AccountActivation,
  committeeCoverage,
  measureActivation,
  type StallLink,
  stallReason,
} from "./stall-reasons.ts";

const base: AccountActivation = {
  attendees: 2,
  attendeesEngaged: 0,
  othersEngaged: 0,
  newStakeholders: 0,
  meetings: 0,
  stageChanges: 0,
};

describe("stallReason", () => {
  const cases: [string, Partial<AccountActivation>, "moved" | "stalled", StallLink | null][] = [
    ["names insight_stays_individual when nobody engaged", {}, "stalled", "insight_stays_individual"],
    [
      "names not_shared_internally when only attendees engaged",
      { attendeesEngaged: 2 },
      "stalled",
      "not_shared_internally",
    ],
    [
      "names no_formal_evaluation when others engaged without a new stakeholder or meeting",
      { attendeesEngaged: 1, othersEngaged: 2 },
      "stalled",
      "no_formal_evaluation",
    ],
    [
      "names no_urgency when a new stakeholder engaged but no stage changed",
      { attendeesEngaged: 1, othersEngaged: 1, newStakeholders: 1 },
      "stalled",
      "no_urgency",
    ],
    [
      "names no_urgency when there were meetings but no stage change",
      { othersEngaged: 1, meetings: 3 },
      "stalled",
      "no_urgency",
    ],
    [
      "skips the first link when someone other than the attendees engaged",
      { othersEngaged: 1 },
      "stalled",
      "no_formal_evaluation",
    ],
    ["reports moved with no missing link when a stage changed", { stageChanges: 1 }, "moved", null],
  ];
  it.each(cases)("%s", (_name, patch, status, link) => {
    const r = stallReason({ ...base, ...patch }, 30, 45);
    expect(r.status).toBe(status);
    expect(r.missingLink).toBe(link);
    expect(r.chain.map((c) => c.link)).toEqual([
      "insight_stays_individual",
      "not_shared_internally",
      "no_formal_evaluation",
      "no_urgency",
    ]);
  });

  it("says pending, never stalled, while the window is still open", () => {
    const r = stallReason({ ...base, attendeesEngaged: 1 }, 30, 29.5);
    expect(r.status).toBe("pending");
    expect(r.missingLink).toBe("not_shared_internally");
    expect(r.explanation).toContain("30-day window open");
  });

  it("shows the counts behind each link", () => {
    const r = stallReason({ ...base, attendeesEngaged: 1, othersEngaged: 3, newStakeholders: 2 }, 14, 20);
    expect(r.chain[0]!.evidence).toBe("1 of 2 attendees and 3 other people engaged");
    expect(r.chain[2]!.evidence).toBe("2 new stakeholders, 0 follow-up meetings");
    expect(r.explanation).toBe(
      "stalled at 14 days: no urgency: the account engaged and met, but no stage changed",
    );
  });

  it("refuses negative counts", () => {
    expect(() => stallReason({ ...base, meetings: -1 }, 14, 20)).toThrow(/meetings/);
  });
});

describe("measureActivation", () => {
  const event = Date.UTC(2025, 0, 10);
  const d = (days: number) => event + days * DAY_MS;
  const touches = [
    { personId: "a1", at: d(-10), channel: "email" }, // attendee, before
    { personId: "p1", at: d(-30), channel: "email" }, // known stakeholder, before
    { personId: "a1", at: d(3), channel: "email" }, // attendee after
    { personId: "p1", at: d(5), channel: "call" }, // known stakeholder after
    { personId: "p2", at: d(12), channel: "meeting" }, // new stakeholder in a meeting
    { personId: "p3", at: d(20), channel: "web" }, // new stakeholder after 14 days
    { personId: "p4", at: d(-200), channel: "web" }, // engaged long ago: counts as new
    { personId: "p4", at: d(40), channel: "meeting" },
    { personId: null, at: d(8), channel: "meeting" }, // a meeting with no known person
  ];
  const input = {
    eventAtMs: event,
    asOfMs: d(100),
    attendeeIds: new Set(["a1", "a2"]),
    touches,
    stageChangesMs: [d(-5), d(25)],
  };

  it("counts engagement, new stakeholders, meetings and stage changes per window", () => {
    expect(measureActivation(input, 14)).toEqual({
      attendees: 2,
      attendeesEngaged: 1,
      othersEngaged: 2,
      newStakeholders: 1,
      meetings: 2,
      stageChanges: 0,
    });
    expect(measureActivation(input, 30)).toEqual({
      attendees: 2,
      attendeesEngaged: 1,
      othersEngaged: 3,
      newStakeholders: 2,
      meetings: 2,
      stageChanges: 1,
    });
    expect(measureActivation(input, 60).newStakeholders).toBe(3);
  });

  it("uses nothing after the as-of date", () => {
    expect(measureActivation({ ...input, asOfMs: d(10) }, 30)).toEqual({
      attendees: 2,
      attendeesEngaged: 1,
      othersEngaged: 1,
      newStakeholders: 0,
      meetings: 1,
      stageChanges: 0,
    });
  });
});

describe("committeeCoverage", () => {
  const event = Date.UTC(2025, 0, 10);
  const d = (days: number) => event + days * DAY_MS;
  it("covers a role when one of its holders engaged in the window", () => {
    const people = [
      { id: "eb", role: "economic_buyer" },
      { id: "ch1", role: "champion" },
      { id: "ch2", role: "champion" },
      { id: "fi", role: "finance" },
      { id: "u", role: "user" },
    ];
    const touches = [
      { personId: "ch1", at: d(-20), channel: "email" },
      { personId: "fi", at: d(-100), channel: "email" }, // outside the 90-day window
      { personId: "eb", at: d(0), channel: "event" }, // attending counts as after
      { personId: "ch2", at: d(30), channel: "meeting" },
      { personId: "fi", at: d(120), channel: "email" }, // past the window
      { personId: "u", at: d(5), channel: "web" },
    ];
    const c = committeeCoverage(people, touches, { eventAtMs: event, asOfMs: d(200) });
    expect(c.coveredBefore).toBe(1);
    expect(c.coveredAfter).toBe(2);
    expect(c.gained).toEqual(["economic_buyer"]);
    expect(c.lost).toEqual([]);
    expect(c.roles.find((r) => r.role === "champion")).toEqual({
      role: "champion",
      people: 2,
      engagedBefore: 1,
      engagedAfter: 1,
      coveredBefore: true,
      coveredAfter: true,
    });
    expect(c.roles.find((r) => r.role === "finance")!.people).toBe(1);
    expect(c.roles.find((r) => r.role === "finance")!.coveredAfter).toBe(false);
  });
});
