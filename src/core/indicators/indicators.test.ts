import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventIndicators, type IndicatorInput } from "./event-indicators.ts";
import { minutesInWindow } from "./time-in-session.ts";

const min = (m: number) => Date.UTC(2030, 2, 30, 9, 0) + m * 60_000;

describe("minutes in a session window", () => {
  it("sums entry/exit pairs, ignores repeated entries and stray exits, and closes an open entry at the end", () => {
    const m = minutesInWindow(
      [
        { personId: "a", direction: "entry", at: min(0) },
        { personId: "a", direction: "entry", at: min(5) }, // repeat while inside: ignored
        { personId: "a", direction: "exit", at: min(30) },
        { personId: "a", direction: "exit", at: min(31) }, // stray exit: ignored
        { personId: "a", direction: "entry", at: min(40) }, // never closed: until the end (60)
        { personId: "b", direction: "entry", at: min(-15) }, // early: counts from the start
        { personId: "b", direction: "exit", at: min(10) },
      ],
      min(0),
      min(60),
    );
    expect(Object.fromEntries(m)).toEqual({ a: 50, b: 10 });
  });

  it("gives zero to a person who left before the session began", () => {
    const m = minutesInWindow(
      [
        { personId: "c", direction: "entry", at: min(-30) },
        { personId: "c", direction: "exit", at: min(-10) },
      ],
      min(0),
      min(60),
    );
    expect(m.get("c")).toBe(0);
  });
});

const worked: IndicatorInput = {
  registrations: [
    { personId: "p1", status: "registered" },
    { personId: "p2", status: "registered" },
    { personId: "p3", status: "registered" },
    { personId: "p4", status: "registered", attended: true, minutesAttended: 55 }, // imported webinar attendance
    { personId: "p5", status: "waitlisted" },
    { personId: "p6", status: "cancelled" },
  ],
  checkIns: [
    { personId: "p1", sessionId: null, direction: "entry", at: min(-30) },
    { personId: "p2", sessionId: null, direction: "entry", at: min(-20) },
    { personId: "w1", sessionId: null, direction: "entry", at: min(-20) }, // walk-in, no registration
    { personId: "p1", sessionId: "s1", direction: "entry", at: min(0) },
    { personId: "p1", sessionId: "s1", direction: "exit", at: min(45) },
    { personId: "p2", sessionId: "s1", direction: "entry", at: min(10) },
  ],
  sessions: [{ id: "s1", title: "Keynote", startsAt: min(0), endsAt: min(60), capacity: 4 }],
  polls: [
    { id: "q1", question: "Which feature?", sessionId: "s1" },
    { id: "q2", question: "Ready to buy?", sessionId: null },
  ],
  pollAnswers: [
    { pollId: "q1", personId: "p1" },
    { pollId: "q1", personId: "p2" },
    { pollId: "q2", personId: "p1" },
  ],
  feedback: [
    { sessionId: "s1", rating: 5 },
    { sessionId: "s1", rating: 4 },
    { sessionId: null, rating: 2 },
  ],
};

describe("event indicators", () => {
  it("computes the worked example exactly", () => {
    const r = eventIndicators(worked);
    expect(r.registrations).toEqual({ registered: 4, waitlisted: 1, cancelled: 1, total: 6 });
    // p1, p2 by door scan, p4 by import; the walk-in counts as an attendee but not toward the show rate.
    expect(r.attendees).toBe(4);
    expect(r.showRate).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    expect(r.sessions).toEqual([
      {
        sessionId: "s1",
        title: "Keynote",
        attendees: 2,
        capacity: 4,
        fill: { value: 0.5, numerator: 2, denominator: 4 },
        minutes: { total: 95, mean: 47.5, median: 47.5 },
        satisfaction: {
          responses: 2,
          mean: 4.5,
          topTwoBox: { value: 1, numerator: 2, denominator: 2 },
          distribution: [0, 0, 0, 1, 1],
        },
      },
    ]);
    expect(r.pollParticipation).toEqual({ value: 0.5, numerator: 2, denominator: 4 });
    expect(r.polls).toEqual([
      { pollId: "q1", question: "Which feature?", respondents: 2 },
      { pollId: "q2", question: "Ready to buy?", respondents: 1 },
    ]);
    expect(r.satisfaction.mean).toBeCloseTo(11 / 3, 12);
    expect(r.satisfaction.topTwoBox).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
  });

  it("answers null shares, not NaN, for an event with nobody", () => {
    const r = eventIndicators({
      registrations: [],
      checkIns: [],
      sessions: [],
      polls: [],
      pollAnswers: [],
      feedback: [],
    });
    expect(r.showRate.value).toBeNull();
    expect(r.pollParticipation.value).toBeNull();
    expect(r.satisfaction.mean).toBeNull();
  });

  it("does not depend on the order of input rows", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const a = [...xs];
          let s = seed >>> 0;
          for (let i = a.length - 1; i > 0; i--) {
            s = (s * 1664525 + 1013904223) >>> 0;
            const j = s % (i + 1);
            [a[i], a[j]] = [a[j]!, a[i]!];
          }
          return a;
        };
        const shuffled: IndicatorInput = {
          registrations: shuffle(worked.registrations),
          checkIns: shuffle(worked.checkIns),
          sessions: shuffle(worked.sessions),
          polls: shuffle(worked.polls),
          pollAnswers: shuffle(worked.pollAnswers),
          feedback: shuffle(worked.feedback),
        };
        expect(eventIndicators(shuffled)).toEqual(eventIndicators(worked));
      }),
      { numRuns: 50 },
    );
  });
});
