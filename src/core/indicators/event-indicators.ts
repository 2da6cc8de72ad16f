import { minutesInWindow, type Passage } from "./time-in-session.ts";

export interface IndicatorInput {
  registrations: readonly {
    personId: string;
    status: "registered" | "waitlisted" | "cancelled";
    /** Attendance reported by an import (webinar report), when there is no door scan. */
    attended?: boolean | null;
    minutesAttended?: number | null;
  }[];
  /** Door passages have sessionId null. */
  checkIns: readonly (Passage & { sessionId: string | null })[];
  sessions: readonly {
    id: string;
    title: string;
    startsAt: number;
    endsAt: number;
    capacity: number | null;
  }[];
  polls: readonly { id: string; question: string; sessionId: string | null }[];
  pollAnswers: readonly { pollId: string; personId: string }[];
  feedback: readonly { sessionId: string | null; rating: number }[];
}

/** A share with what it is made of (principle 7: every number shows its parts). Null when the base is zero. */
export interface Ratio {
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface Satisfaction {
  responses: number;
  mean: number | null;
  /** Share of ratings 4 or 5. */
  topTwoBox: Ratio;
  /** Count of ratings 1..5, index 0 = rating 1. */
  distribution: [number, number, number, number, number];
}

export interface EventIndicators {
  registrations: { registered: number; waitlisted: number; cancelled: number; total: number };
  /** Attendees (door entry, or reported attended by an import) over people registered. */
  showRate: Ratio;
  attendees: number;
  sessions: {
    sessionId: string;
    title: string;
    attendees: number;
    capacity: number | null;
    fill: Ratio | null;
    /** Minutes inside the session window, over people who entered. */
    minutes: { total: number; mean: number | null; median: number | null };
    satisfaction: Satisfaction;
  }[];
  /** People who answered at least one poll over attendees. */
  pollParticipation: Ratio;
  polls: { pollId: string; question: string; respondents: number }[];
  satisfaction: Satisfaction;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function satisfaction(ratings: readonly number[]): Satisfaction {
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let sum = 0;
  for (const r of ratings) {
    distribution[r - 1]!++;
    sum += r;
  }
  return {
    responses: ratings.length,
    mean: ratings.length > 0 ? sum / ratings.length : null,
    topTwoBox: ratio(distribution[3] + distribution[4], ratings.length),
    distribution,
  };
}

/**
 * The event's indicators (the indicator ledger, never blended with outcomes): registrations, show rate, attendance
 * and minutes per session, poll participation and satisfaction. Pure: same input, same output, row order irrelevant.
 */
export function eventIndicators(input: IndicatorInput): EventIndicators {
  const counts = { registered: 0, waitlisted: 0, cancelled: 0, total: input.registrations.length };
  for (const r of input.registrations) counts[r.status]++;
  const registered = new Set(
    input.registrations.filter((r) => r.status === "registered").map((r) => r.personId),
  );
  const attendees = new Set<string>();
  for (const c of input.checkIns)
    if (c.sessionId === null && c.direction === "entry") attendees.add(c.personId);
  for (const r of input.registrations) if (r.attended && r.status !== "cancelled") attendees.add(r.personId);
  // Show rate counts registered people who came; walk-ins (checked in, no place) do not inflate it.
  const shown = [...registered].filter((p) => attendees.has(p)).length;

  const sessions = [...input.sessions]
    .sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id))
    .map((s) => {
      const passages = input.checkIns.filter((c) => c.sessionId === s.id);
      const entered = new Set(passages.filter((p) => p.direction === "entry").map((p) => p.personId));
      const minutes = [...minutesInWindow(passages, s.startsAt, s.endsAt)]
        .filter(([personId]) => entered.has(personId))
        .map(([, m]) => m);
      const total = minutes.reduce((a, b) => a + b, 0);
      return {
        sessionId: s.id,
        title: s.title,
        attendees: entered.size,
        capacity: s.capacity,
        fill: s.capacity ? ratio(entered.size, s.capacity) : null,
        minutes: { total, mean: minutes.length > 0 ? total / minutes.length : null, median: median(minutes) },
        satisfaction: satisfaction(input.feedback.filter((f) => f.sessionId === s.id).map((f) => f.rating)),
      };
    });

  const respondents = new Map<string, Set<string>>();
  for (const a of input.pollAnswers) {
    let set = respondents.get(a.pollId);
    if (!set) {
      set = new Set();
      respondents.set(a.pollId, set);
    }
    set.add(a.personId);
  }
  const anyPoll = new Set(input.pollAnswers.map((a) => a.personId));
  const pollBase = attendees.size;
  return {
    registrations: counts,
    showRate: ratio(shown, registered.size),
    attendees: attendees.size,
    sessions,
    pollParticipation: ratio([...anyPoll].filter((p) => attendees.has(p)).length, pollBase),
    polls: [...input.polls]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => ({ pollId: p.id, question: p.question, respondents: respondents.get(p.id)?.size ?? 0 })),
    satisfaction: satisfaction(input.feedback.map((f) => f.rating)),
  };
}
