import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import { attendedPeopleSql, toMs } from "./event-context.ts";

/** Touchpoint kinds that carry a rep's own words about a deal (text in metadata.text). */
export const NOTE_KINDS = ["deal_note", "call_summary"] as const;
/** Touchpoint kinds that record a reinforcement of the kickoff (a drill, a coaching session). */
export const REINFORCEMENT_KINDS = ["reinforcement", "drill", "coaching"] as const;

/**
 * A rep: a user with role rep, their team (territory), and what links them to the kickoff. Attendance, reinforcement
 * and certification are known through their person record (the person with the same email).
 */
export interface RepRow {
  userId: string;
  name: string;
  email: string;
  team: string;
  attended: boolean;
  /**
   * Drill reviews on the kickoff's cards, reinforcement touchpoints tied to the kickoff after it, and enrollments in a
   * journey for role "rep" from the kickoff on.
   */
  reinforcements: number;
  /** Certification: share of correct answers in the post-phase attempts of the kickoff's assessments. */
  certificationScore: number | null;
}

/** A rep's closed deals, column-wise, in opportunity id order. Times in ms since the epoch, read to the millisecond. */
export interface RepClosedDeals {
  openedAt: Float64Array;
  closedAt: Float64Array;
  amountMinor: Float64Array;
  won: Uint8Array;
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
  // A rep's person record is the one with the same email. Under row-level security a match on lower(email) cannot
  // use the email index (lower is not leakproof) and would read every person, so only the people with some kickoff
  // activity are read, by id, and matched to the reps by email: the other reps have no activity to count.
  const list = await rows<{
    user_id: string;
    name: string;
    email: string;
    team: string | null;
    attended: boolean | null;
    reinforcements: number | string | null;
    correct: number | string | null;
    answered: number | string | null;
  }>(
    tx,
    sql`with attended as (select distinct a.person_id from ${attendedPeopleSql(orgId, eventId)} a),
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
          where je.org_id = ${orgId}
            and je.journey_id = any(array(select j.id from journeys j where j.org_id = ${orgId} and j.role = 'rep'))
            and je.enrolled_at >= ${event.startsAt.toISOString()}::timestamptz
          group by je.person_id),
        cert as (
          select aa.person_id, count(*) filter (where rs.correct) as correct, count(*) as answered from responses rs
          join assessment_attempts aa on aa.org_id = rs.org_id and aa.id = rs.attempt_id
          join assessments a on a.org_id = aa.org_id and a.id = aa.assessment_id
          where rs.org_id = ${orgId} and a.event_id = ${eventId} and aa.phase = 'post' group by aa.person_id),
        active as (
          select person_id from attended union select person_id from drills union select person_id from touches
          union select person_id from enrolled union select person_id from cert),
        linked as (
          select p.id as person_id, lower(p.email) as email from people p
          where p.org_id = ${orgId} and p.id = any(array(select person_id from active)))
        select u.id as user_id, u.name, u.email, u.territory as team, (at.person_id is not null) as attended,
          coalesce(d.n, 0) + coalesce(t.n, 0) + coalesce(e.n, 0) as reinforcements,
          c.correct, c.answered
        from users u
        left join linked l on l.email = lower(u.email)
        left join attended at on at.person_id = l.person_id
        left join drills d on d.person_id = l.person_id
        left join touches t on t.person_id = l.person_id
        left join enrolled e on e.person_id = l.person_id
        left join cert c on c.person_id = l.person_id
        where u.org_id = ${orgId} and u.role = 'rep'
        order by u.id`,
  );
  return list.map((r) => {
    const answered = Number(r.answered ?? 0);
    return {
      userId: r.user_id,
      name: r.name,
      email: r.email,
      team: r.team ?? "(no team)",
      attended: r.attended === true,
      reinforcements: Number(r.reinforcements ?? 0),
      certificationScore: answered > 0 ? Number(r.correct ?? 0) / answered : null,
    };
  });
}

/** Bytes per deal in `loadClosedDeals`' packed rows: id (uuid), closed and opened (timestamptz), amount (int8), won. */
const DEAL_BYTES = 41;
/** Microseconds from the epoch to 2000-01-01, the origin of PostgreSQL's binary timestamps, in ms. */
const PG_EPOCH_MS = 946_684_800_000;

/** A big-endian int64 at `o` as a number (exact below 2^53). */
function int64(view: DataView, o: number): number {
  return view.getInt32(o) * 4294967296 + view.getUint32(o + 4);
}

/** A binary timestamptz (µs since 2000, big-endian int64) at `o` as ms since the epoch, rounded down to the ms. */
function timestampMs(view: DataView, o: number): number {
  const hi = view.getInt32(o);
  const lo = view.getUint32(o + 4);
  // floor((hi·2³² + lo) / 1000) without leaving exact integers: 2³² = 4,294,967·1000 + 296.
  return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000) + PG_EPOCH_MS;
}

/**
 * Deals of reps closed between `from` and `asOf`, per rep, each rep's in opportunity id order (so that every sum over
 * them is taken in the same order). Each rep's deals come as one row of packed binary values: one row per rep instead
 * of one per deal, since on a large organization the per-row cost of the wire format is most of the read. The rows
 * are packed in scan order and put in id order here: cheaper than sorting every deal by rep and id in the database.
 */
export async function loadClosedDeals(
  tx: Tx,
  orgId: string,
  from: Date,
  asOf: Date,
): Promise<Map<string, RepClosedDeals>> {
  const list = await rows<{ owner_user_id: string; deals: Uint8Array }>(
    tx,
    sql`select o.owner_user_id,
          string_agg(uuid_send(o.id) || timestamptz_send(o.closed_at) || timestamptz_send(o.opened_at)
            || int8send(o.amount_minor) || boolsend(o.is_won), ''::bytea) as deals
        from opportunities o
        where o.org_id = ${orgId} and o.is_won is not null
          and o.closed_at >= ${from.toISOString()}::timestamptz and o.closed_at <= ${asOf.toISOString()}::timestamptz
          and o.owner_user_id in (select u.id from users u where u.org_id = ${orgId} and u.role = 'rep')
        group by o.owner_user_id`,
  );
  const out = new Map<string, RepClosedDeals>();
  for (const row of list) {
    const bytes = row.deals;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = bytes.byteLength / DEAL_BYTES;
    // uuid order is the order of its 16 bytes (unsigned), compared here four at a time; ids are unique.
    const byId = (a: number, b: number): number => {
      for (let k = 0; k < 16; k += 4) {
        const x = view.getUint32(a * DEAL_BYTES + k);
        const y = view.getUint32(b * DEAL_BYTES + k);
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    };
    const order = Array.from({ length: n }, (_, i) => i);
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = byId(i - 1, i) < 0;
    if (!sorted) order.sort(byId);
    const deals: RepClosedDeals = {
      openedAt: new Float64Array(n),
      closedAt: new Float64Array(n),
      amountMinor: new Float64Array(n),
      won: new Uint8Array(n),
    };
    for (let i = 0; i < n; i++) {
      const o = order[i]! * DEAL_BYTES + 16;
      deals.closedAt[i] = timestampMs(view, o);
      deals.openedAt[i] = timestampMs(view, o + 8);
      deals.amountMinor[i] = int64(view, o + 16);
      deals.won[i] = bytes[o + 24]!;
    }
    out.set(row.owner_user_id, deals);
  }
  return out;
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
