import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import { attendedPeopleSql, toMs } from "./event-context.ts";

/** Touchpoint kinds that carry a rep's own words about a deal (text in metadata.text). */
export const NOTE_KINDS = ["deal_note", "call_summary"] as const;
/** Touchpoint kinds that record a reinforcement of the kickoff (a drill, a coaching session). */
export const REINFORCEMENT_KINDS = ["reinforcement", "drill", "coaching"] as const;

/** A rep: a user with role rep, their team (territory), and what links them to the kickoff. */
export interface RepRow {
  userId: string;
  name: string;
  email: string;
  team: string;
  /** Their person record (same email), through which attendance, drills and certification are known. */
  personId: string | null;
  attended: boolean;
  /**
   * Drill reviews on the kickoff's cards, reinforcement touchpoints tied to the kickoff after it, and enrollments in a
   * journey for role "rep" from the kickoff on.
   */
  reinforcements: number;
  /** Certification: share of correct answers in the post-phase attempts of the kickoff's assessments. */
  certificationScore: number | null;
}

/** A closed deal of a rep. */
export interface ClosedDealRow {
  ownerUserId: string;
  amountMinor: number;
  openedAt: number;
  closedAt: number;
  won: boolean;
}

/** A deal note or call summary with its author. */
export interface NoteRow {
  repId: string;
  at: number;
  text: string;
}

/** Reps with attendance, reinforcement and certification for the kickoff. */
export async function loadReps(
  tx: Tx,
  orgId: string,
  event: { id: string; startsAt: Date; endsAt: Date },
): Promise<RepRow[]> {
  const eventId = event.id;
  const list = await rows<{
    user_id: string;
    name: string;
    email: string;
    team: string | null;
    person_id: string | null;
    attended: boolean | null;
    reinforcements: number | string | null;
    correct: number | string | null;
    answered: number | string | null;
  }>(
    tx,
    sql`with reps as (
          select distinct on (u.id) u.id as user_id, u.name, u.email, u.territory as team, p.id as person_id
          from users u left join people p on p.org_id = u.org_id and lower(p.email) = lower(u.email)
          where u.org_id = ${orgId} and u.role = 'rep' order by u.id, p.id),
        attended as (select distinct a.person_id from ${attendedPeopleSql(orgId, eventId)} a),
        drills as (
          select dc.person_id, count(*) as n from drill_reviews dr
          join drill_cards dc on dc.org_id = dr.org_id and dc.id = dr.card_id
          where dr.org_id = ${orgId} and dc.event_id = ${eventId} group by dc.person_id),
        touches as (
          select t.person_id, count(*) as n from touchpoints t
          where t.org_id = ${orgId} and t.event_id = ${eventId} and t.kind in ('reinforcement', 'drill', 'coaching')
            and t.occurred_at >= ${event.endsAt.toISOString()}::timestamptz group by t.person_id),
        enrolled as (
          select je.person_id, count(*) as n from journey_enrollments je
          join journeys j on j.org_id = je.org_id and j.id = je.journey_id
          where je.org_id = ${orgId} and j.role = 'rep' and je.enrolled_at >= ${event.startsAt.toISOString()}::timestamptz
          group by je.person_id),
        cert as (
          select aa.person_id, count(*) filter (where rs.correct) as correct, count(*) as answered from responses rs
          join assessment_attempts aa on aa.org_id = rs.org_id and aa.id = rs.attempt_id
          join assessments a on a.org_id = aa.org_id and a.id = aa.assessment_id
          where rs.org_id = ${orgId} and a.event_id = ${eventId} and aa.phase = 'post' group by aa.person_id)
        select r.*, (at.person_id is not null) as attended,
          coalesce(d.n, 0) + coalesce(t.n, 0) + coalesce(e.n, 0) as reinforcements,
          c.correct, c.answered
        from reps r
        left join attended at on at.person_id = r.person_id
        left join drills d on d.person_id = r.person_id
        left join touches t on t.person_id = r.person_id
        left join enrolled e on e.person_id = r.person_id
        left join cert c on c.person_id = r.person_id
        order by r.user_id`,
  );
  return list.map((r) => {
    const answered = Number(r.answered ?? 0);
    return {
      userId: r.user_id,
      name: r.name,
      email: r.email,
      team: r.team ?? "(no team)",
      personId: r.person_id,
      attended: r.attended === true,
      reinforcements: Number(r.reinforcements ?? 0),
      certificationScore: answered > 0 ? Number(r.correct ?? 0) / answered : null,
    };
  });
}

/** Deals of reps closed between `from` and `asOf`. */
export async function loadClosedDeals(
  tx: Tx,
  orgId: string,
  from: Date,
  asOf: Date,
): Promise<ClosedDealRow[]> {
  const list = await rows<{
    owner_user_id: string;
    amount_minor: number | string;
    opened_at: unknown;
    closed_at: unknown;
    is_won: boolean;
  }>(
    tx,
    sql`select o.owner_user_id, o.amount_minor, o.opened_at, o.closed_at, o.is_won from opportunities o
        join users u on u.org_id = o.org_id and u.id = o.owner_user_id and u.role = 'rep'
        where o.org_id = ${orgId} and o.is_won is not null
          and o.closed_at >= ${from.toISOString()}::timestamptz and o.closed_at <= ${asOf.toISOString()}::timestamptz
        order by o.id`,
  );
  return list.map((d) => ({
    ownerUserId: d.owner_user_id,
    amountMinor: Number(d.amount_minor),
    openedAt: toMs(d.opened_at),
    closedAt: toMs(d.closed_at),
    won: d.is_won,
  }));
}

/**
 * Deal notes and call summaries between `from` and `asOf`: the author is metadata.author_user_id when given,
 * otherwise the owner of the touchpoint's opportunity. Notes with no text or no author are left out.
 */
export async function loadNotes(tx: Tx, orgId: string, from: Date, asOf: Date): Promise<NoteRow[]> {
  const list = await rows<{ rep_id: string | null; occurred_at: unknown; text: string | null }>(
    tx,
    sql`select coalesce(t.metadata->>'author_user_id', o.owner_user_id::text) as rep_id, t.occurred_at,
          t.metadata->>'text' as text
        from touchpoints t
        left join opportunities o on o.org_id = t.org_id and o.id = t.opportunity_id
        where t.org_id = ${orgId} and t.kind in ('deal_note', 'call_summary')
          and t.occurred_at >= ${from.toISOString()}::timestamptz and t.occurred_at <= ${asOf.toISOString()}::timestamptz
        order by t.occurred_at, t.id`,
  );
  return list
    .filter((n) => n.rep_id && n.text)
    .map((n) => ({ repId: n.rep_id!, at: toMs(n.occurred_at), text: n.text! }));
}

/** The kickoff's phrase glossary. */
export async function loadGlossary(tx: Tx, orgId: string, eventId: string): Promise<string[]> {
  const list = await rows<{ phrase: string }>(
    tx,
    sql`select phrase from kickoff_phrases where org_id = ${orgId} and event_id = ${eventId} order by phrase`,
  );
  return list.map((p) => p.phrase);
}

/** Manager observations of the kickoff: per observation, items seen out of items on the checklist. */
export async function loadObservations(
  tx: Tx,
  orgId: string,
  eventId: string,
): Promise<{ repId: string; at: number; checked: number; total: number }[]> {
  const list = await rows<{ rep_user_id: string; observed_at: unknown; items: Record<string, boolean> }>(
    tx,
    sql`select rep_user_id, observed_at, items from manager_observations
        where org_id = ${orgId} and event_id = ${eventId} order by observed_at, id`,
  );
  return list
    .map((o) => {
      const values = Object.values(o.items ?? {});
      return {
        repId: o.rep_user_id,
        at: toMs(o.observed_at),
        checked: values.filter((v) => v === true).length,
        total: values.length,
      };
    })
    .filter((o) => o.total > 0);
}
