import { and, asc, eq } from "drizzle-orm";
import type { Attendance } from "../../core/learning/index.ts";
import type { Tx } from "../../db/client.ts";
import { checkIns, registrations } from "../../db/schema/index.ts";
import type { SessionRow } from "./event-lookup.ts";

export interface EventAttendance {
  /** Minutes per learner and session (and activity-level minutes without a session), for the engine. */
  rows: Attendance[];
  /** People with any check-in, or marked attended by an import. */
  attended: Set<string>;
}

/**
 * Attendance of an event from door and session check-ins and imported attendance.
 * - Session minutes pair each entry with the next exit of the same person and session; an entry with no exit counts
 *   until the session ends. Every span is clipped to the session's own start and end, so a kiosk double scan or a
 *   late exit cannot add time.
 * - Imported minutes (registrations.minutes_attended, e.g. a webinar report) count for the event's only session when
 *   it has exactly one and the person has no session check-in; otherwise they are activity-level minutes.
 */
export async function eventAttendance(
  tx: Tx,
  orgId: string,
  eventId: string,
  sessions: readonly SessionRow[],
): Promise<EventAttendance> {
  const scans = await tx
    .select()
    .from(checkIns)
    .where(and(eq(checkIns.orgId, orgId), eq(checkIns.eventId, eventId)))
    .orderBy(asc(checkIns.occurredAt), asc(checkIns.id));
  const regs = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.orgId, orgId), eq(registrations.eventId, eventId)));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const attended = new Set<string>();
  const minutes = new Map<string, number>();
  const open = new Map<string, Date>();
  const key = (p: string, s: string) => `${p}|${s}`;
  const add = (p: string, s: SessionRow, from: Date, to: Date) => {
    const a = Math.max(from.getTime(), s.startsAt.getTime());
    const b = Math.min(to.getTime(), s.endsAt.getTime());
    if (b > a) minutes.set(key(p, s.id), (minutes.get(key(p, s.id)) ?? 0) + (b - a) / 60_000);
  };
  for (const c of scans) {
    attended.add(c.personId);
    if (!c.sessionId) continue;
    const s = sessionById.get(c.sessionId);
    if (!s) continue;
    const k = key(c.personId, s.id);
    if (c.direction === "entry") {
      if (!open.has(k)) open.set(k, c.occurredAt);
    } else {
      const from = open.get(k);
      if (from) {
        add(c.personId, s, from, c.occurredAt);
        open.delete(k);
      }
    }
  }
  for (const [k, from] of open) {
    const [p, sid] = k.split("|") as [string, string];
    const s = sessionById.get(sid)!;
    add(p, s, from, s.endsAt);
  }
  const withSessionScan = new Set([...minutes.keys()].map((k) => k.split("|")[0]!));
  const rows: Attendance[] = [];
  for (const [k, m] of minutes) {
    const [p, sid] = k.split("|") as [string, string];
    rows.push({ learnerId: p, activityId: eventId, sessionId: sid, minutes: m });
  }
  for (const r of regs) {
    if (r.attended) attended.add(r.personId);
    if (r.minutesAttended === null || r.minutesAttended <= 0) continue;
    attended.add(r.personId);
    if (withSessionScan.has(r.personId)) continue;
    const only = sessions.length === 1 ? sessions[0]! : null;
    rows.push({
      learnerId: r.personId,
      activityId: eventId,
      ...(only ? { sessionId: only.id } : {}),
      minutes: r.minutesAttended,
    });
  }
  for (const p of attended) {
    if (!rows.some((r) => r.learnerId === p)) rows.push({ learnerId: p, activityId: eventId, minutes: 0 });
  }
  return { rows, attended };
}
