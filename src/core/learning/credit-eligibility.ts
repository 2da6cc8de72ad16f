import type { Attendance } from "./model.ts";
import { byString } from "./stats.ts";

/** A session that carries credit. */
export interface CreditSession {
  sessionId: string;
  durationMinutes: number;
  creditHours: number;
}

/** Credit rule. Credits are an indicator of attendance, never of learning: no score enters this rule. */
export interface CreditRule {
  /** A learner earns a session's credit by attending at least this share of its duration. */
  minSessionShare: number;
  /** …and is eligible at all only with at least this many minutes attended across the credited sessions. */
  minTotalMinutes: number;
  /** Credit is claimed in multiples of this (AMA PRA Category 1: 0.25); the total is rounded down. */
  increment: number;
}

export const DEFAULT_CREDIT_RULE: CreditRule = {
  minSessionShare: 0.75,
  minTotalMinutes: 60,
  increment: 0.25,
};

export interface CreditDecision {
  learnerId: string;
  eligible: boolean;
  creditHours: number;
  /** Minutes counted, each session capped at its duration (a kiosk double scan cannot inflate time). */
  attendedMinutes: number;
  qualifyingSessions: string[];
  reason: string;
}

/**
 * Credit per learner from attendance and minimum time: each session whose duration the learner attended at
 * least `minSessionShare` of earns its credit hours; the total is rounded down to the increment.
 */
export function creditEligibility(
  attendance: readonly Attendance[],
  sessions: readonly CreditSession[],
  rule: CreditRule = DEFAULT_CREDIT_RULE,
): CreditDecision[] {
  const sessionById = new Map(sessions.map((s) => [s.sessionId, s]));
  const minutes = new Map<string, Map<string, number>>();
  for (const a of attendance) {
    if (!a.sessionId || !sessionById.has(a.sessionId) || !(a.minutes > 0)) continue;
    const bySession = minutes.get(a.learnerId) ?? new Map<string, number>();
    bySession.set(a.sessionId, (bySession.get(a.sessionId) ?? 0) + a.minutes);
    minutes.set(a.learnerId, bySession);
  }
  const learners = [...new Set(attendance.map((a) => a.learnerId))].sort(byString);
  return learners.map((learnerId): CreditDecision => {
    let attendedMinutes = 0;
    let hours = 0;
    const qualifyingSessions: string[] = [];
    for (const [sessionId, m] of minutes.get(learnerId) ?? []) {
      const s = sessionById.get(sessionId);
      if (!s) continue;
      const capped = Math.min(m, Math.max(0, s.durationMinutes));
      attendedMinutes += capped;
      if (s.durationMinutes > 0 && capped >= rule.minSessionShare * s.durationMinutes) {
        qualifyingSessions.push(sessionId);
        hours += Math.max(0, s.creditHours);
      }
    }
    qualifyingSessions.sort(byString);
    // Round in integer steps of the increment; the epsilon absorbs float error like 0.1 + 0.2.
    const creditHours =
      rule.increment > 0 ? Math.floor(hours / rule.increment + 1e-9) * rule.increment : hours;
    if (attendedMinutes < rule.minTotalMinutes) {
      return {
        learnerId,
        eligible: false,
        creditHours: 0,
        attendedMinutes,
        qualifyingSessions,
        reason: `attended ${attendedMinutes} min, below the ${rule.minTotalMinutes} min minimum`,
      };
    }
    if (creditHours <= 0) {
      return {
        learnerId,
        eligible: false,
        creditHours: 0,
        attendedMinutes,
        qualifyingSessions,
        reason:
          qualifyingSessions.length === 0
            ? `no session attended for at least ${Math.round(rule.minSessionShare * 100)}% of its duration`
            : `${hours} h earned, below the smallest claimable increment of ${rule.increment} h`,
      };
    }
    return {
      learnerId,
      eligible: true,
      creditHours,
      attendedMinutes,
      qualifyingSessions,
      reason: `${qualifyingSessions.length} session(s) attended for at least ${Math.round(rule.minSessionShare * 100)}% of their duration`,
    };
  });
}
