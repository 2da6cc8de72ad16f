import { sql } from "drizzle-orm";
import { type EventIndicators, eventIndicators } from "../../core/indicators/index.ts";
import { type Database, rows } from "../../db/client.ts";
import { requireEvent } from "../events/event-json.ts";

/** Reads an event's rows and computes its indicators with the pure engine. */
export async function loadIndicators(db: Database, orgId: string, eventId: string): Promise<EventIndicators> {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const ms = (v: Date | string) => new Date(v).getTime();
    const [registrations, checkIns, sessions, polls, pollAnswers, feedback] = [
      await rows<{
        personId: string;
        status: "registered" | "waitlisted" | "cancelled";
        attended: boolean | null;
        minutesAttended: number | null;
      }>(
        tx,
        sql`select person_id as "personId", status, attended, minutes_attended as "minutesAttended"
            from registrations where org_id = ${orgId} and event_id = ${eventId}`,
      ),
      await rows<{
        personId: string;
        sessionId: string | null;
        direction: "entry" | "exit";
        at: Date | string;
      }>(
        tx,
        sql`select person_id as "personId", session_id as "sessionId", direction, occurred_at as at
            from check_ins where org_id = ${orgId} and event_id = ${eventId}`,
      ),
      await rows<{
        id: string;
        title: string;
        startsAt: Date | string;
        endsAt: Date | string;
        capacity: number | null;
      }>(
        tx,
        sql`select id, title, starts_at as "startsAt", ends_at as "endsAt", capacity
            from event_sessions where org_id = ${orgId} and event_id = ${eventId}`,
      ),
      await rows<{ id: string; question: string; sessionId: string | null }>(
        tx,
        sql`select id, question, session_id as "sessionId" from polls where org_id = ${orgId} and event_id = ${eventId}`,
      ),
      await rows<{ pollId: string; personId: string }>(
        tx,
        sql`select a.poll_id as "pollId", a.person_id as "personId" from poll_answers a
            join polls p on p.org_id = a.org_id and p.id = a.poll_id where a.org_id = ${orgId} and p.event_id = ${eventId}`,
      ),
      await rows<{ sessionId: string | null; rating: number }>(
        tx,
        sql`select session_id as "sessionId", rating from feedback where org_id = ${orgId} and event_id = ${eventId}`,
      ),
    ];
    return eventIndicators({
      registrations,
      checkIns: checkIns.map((c) => ({ ...c, at: ms(c.at) })),
      sessions: sessions.map((s) => ({ ...s, startsAt: ms(s.startsAt), endsAt: ms(s.endsAt) })),
      polls,
      pollAnswers,
      feedback,
    });
  });
}
