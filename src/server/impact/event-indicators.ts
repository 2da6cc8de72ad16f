import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";

/** The indicators ledger of an event: activity, never summed with outcomes into one score. */
export interface EventIndicators {
  /** Registrations with status registered (waitlisted and cancelled reported beside). */
  registrations: number;
  waitlisted: number;
  cancelled: number;
  /** People who came: a door check-in, or attendance reported by an import (webinar minutes). */
  attended: number;
  /** attended / registrations; null without registrations. */
  attendanceRate: number | null;
  engagement: {
    pollAnswers: number;
    questions: number;
    sessionCheckIns: number;
    conversations: number;
    /** Distinct people who answered a poll, asked a question, gave feedback, checked into a session or talked to us. */
    engagedPeople: number;
    /** engagedPeople / attended; null without attendees. */
    engagedShare: number | null;
  };
  leads: { captured: number; tierA: number; tierB: number; tierC: number; converted: number };
  satisfaction: { responses: number; averageRating: number | null };
}

/** Reads an event's indicators in one query (inside `db.withOrg`). */
export async function eventIndicators(tx: Tx, orgId: string, eventId: string): Promise<EventIndicators> {
  const [r] = await rows<{
    registrations: number;
    waitlisted: number;
    cancelled: number;
    attended: number;
    poll_answers: number;
    questions: number;
    session_check_ins: number;
    conversations: number;
    engaged: number;
    leads: number;
    tier_a: number;
    tier_b: number;
    tier_c: number;
    converted: number;
    responses: number;
    rating: number | null;
  }>(
    tx,
    sql`with reg as (select status, person_id, attended from registrations
                      where org_id = ${orgId} and event_id = ${eventId}),
             door as (select distinct person_id from check_ins
                      where org_id = ${orgId} and event_id = ${eventId} and session_id is null),
             came as (select person_id from door
                      union select person_id from reg where attended),
             answers as (select a.person_id from poll_answers a join polls p on p.org_id = a.org_id and p.id = a.poll_id
                         where a.org_id = ${orgId} and p.event_id = ${eventId}),
             asked as (select person_id from questions where org_id = ${orgId} and event_id = ${eventId}),
             rated as (select person_id, rating from feedback where org_id = ${orgId} and event_id = ${eventId}),
             sessions as (select distinct person_id from check_ins
                          where org_id = ${orgId} and event_id = ${eventId} and session_id is not null),
             talks as (select person_id from conversations where org_id = ${orgId} and event_id = ${eventId}),
             captured as (select tier, status, opportunity_id from leads where org_id = ${orgId} and event_id = ${eventId})
        select (select count(*)::int from reg where status = 'registered') as registrations,
               (select count(*)::int from reg where status = 'waitlisted') as waitlisted,
               (select count(*)::int from reg where status = 'cancelled') as cancelled,
               (select count(*)::int from came) as attended,
               (select count(*)::int from answers) as poll_answers,
               (select count(*)::int from asked) as questions,
               (select count(*)::int from sessions) as session_check_ins,
               (select count(*)::int from talks) as conversations,
               (select count(*)::int from (select person_id from answers union select person_id from asked
                  union select person_id from rated union select person_id from sessions
                  union select person_id from talks) e where person_id is not null) as engaged,
               (select count(*)::int from captured) as leads,
               (select count(*)::int from captured where tier = 'A') as tier_a,
               (select count(*)::int from captured where tier = 'B') as tier_b,
               (select count(*)::int from captured where tier = 'C') as tier_c,
               (select count(*)::int from captured where opportunity_id is not null or status = 'opportunity')
                 as converted,
               (select count(*)::int from rated) as responses,
               (select avg(rating)::float8 from rated) as rating`,
  );
  const x = r!;
  return {
    registrations: x.registrations,
    waitlisted: x.waitlisted,
    cancelled: x.cancelled,
    attended: x.attended,
    attendanceRate: x.registrations > 0 ? x.attended / x.registrations : null,
    engagement: {
      pollAnswers: x.poll_answers,
      questions: x.questions,
      sessionCheckIns: x.session_check_ins,
      conversations: x.conversations,
      engagedPeople: x.engaged,
      engagedShare: x.attended > 0 ? x.engaged / x.attended : null,
    },
    leads: { captured: x.leads, tierA: x.tier_a, tierB: x.tier_b, tierC: x.tier_c, converted: x.converted },
    satisfaction: { responses: x.responses, averageRating: x.rating },
  };
}
