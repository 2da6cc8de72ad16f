import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import { attendedPeopleSql, toMs } from "./event-context.ts";

/** A partner with the number of its people who attended the event. */
export interface PartnerRow {
  id: string;
  name: string;
  tier: string | null;
  attendees: number;
  /** Attended another partner event by the as-of date (such a partner is no control: its own lift would leak in). */
  attendedOther: boolean;
}

/** A deal registration: partner, time, amount. */
export interface RegistrationRow {
  partnerId: string;
  at: number;
  amountMinor: number;
  status: string;
}

/** An opportunity through a partner (sourced or influenced), with what the friction scorecard needs. */
export interface PartnerDealRow {
  id: string;
  partnerId: string | null;
  source: string | null;
  amountMinor: number;
  openedAt: number;
  closedAt: number | null;
  isWon: boolean | null;
  discountPct: number | null;
}

/** Every partner of the organization, with how many of its people attended the event, and whether another. */
export async function loadPartners(
  tx: Tx,
  orgId: string,
  eventId: string,
  asOf: Date,
): Promise<PartnerRow[]> {
  const list = await rows<{
    id: string;
    name: string;
    tier: string | null;
    attendees: number;
    other: number;
  }>(
    tx,
    // Each attended set is built once and counted per partner in one pass (a count per partner over the sets ran
    // them again for every partner: minutes on a large organization).
    sql`with here as materialized (select distinct person_id from ${attendedPeopleSql(orgId, eventId)} h(person_id)),
        elsewhere as materialized (
          select c.person_id from check_ins c join events e on e.org_id = c.org_id and e.id = c.event_id
           where c.org_id = ${orgId} and c.direction = 'entry' and c.event_id <> ${eventId}
             and e.type = 'partner_event' and e.starts_at <= ${asOf.toISOString()}::timestamptz
          union
          select r.person_id from registrations r join events e on e.org_id = r.org_id and e.id = r.event_id
           where r.org_id = ${orgId} and r.attended and r.status <> 'cancelled' and r.event_id <> ${eventId}
             and e.type = 'partner_event' and e.starts_at <= ${asOf.toISOString()}::timestamptz),
        counted as (
          select p.partner_id,
                 count(*) filter (where p.id in (select person_id from here))::int as attendees,
                 count(*) filter (where p.id in (select person_id from elsewhere))::int as other
            from people p
           where p.org_id = ${orgId} and p.partner_id is not null
             and (p.id in (select person_id from here) or p.id in (select person_id from elsewhere))
           group by p.partner_id)
        select pa.id, pa.name, pa.tier, coalesce(k.attendees, 0) as attendees, coalesce(k.other, 0) as other
          from partners pa left join counted k on k.partner_id = pa.id
         where pa.org_id = ${orgId} order by pa.id`,
  );
  return list.map((p) => ({
    id: p.id,
    name: p.name,
    tier: p.tier,
    attendees: Number(p.attendees),
    attendedOther: Number(p.other) > 0,
  }));
}

/** Deal registrations between `from` and `asOf`. */
export async function loadRegistrations(
  tx: Tx,
  orgId: string,
  from: Date,
  asOf: Date,
): Promise<RegistrationRow[]> {
  const list = await rows<{
    partner_id: string;
    registered_at: unknown;
    amount_minor: number | string;
    status: string;
  }>(
    tx,
    sql`select partner_id, registered_at, amount_minor, status from deal_registrations
        where org_id = ${orgId} and registered_at >= ${from.toISOString()}::timestamptz
          and registered_at <= ${asOf.toISOString()}::timestamptz
        order by partner_id, registered_at, id`,
  );
  return list.map((r) => ({
    partnerId: r.partner_id,
    at: toMs(r.registered_at),
    amountMinor: Number(r.amount_minor),
    status: r.status,
  }));
}

/**
 * Every opportunity opened by `asOf`, with its partner (null for direct deals); what happened after `asOf` is
 * hidden (a deal closed later counts as open).
 */
export async function loadDeals(tx: Tx, orgId: string, asOf: Date): Promise<PartnerDealRow[]> {
  const until = asOf.toISOString();
  const list = await rows<{
    id: string;
    partner_id: string | null;
    source: string | null;
    amount_minor: number | string;
    opened_at: unknown;
    closed_at: unknown;
    is_won: boolean | null;
    discount_pct: number | string | null;
  }>(
    tx,
    sql`select id, partner_id, source, amount_minor, opened_at,
          case when closed_at <= ${until}::timestamptz then closed_at end as closed_at,
          case when closed_at <= ${until}::timestamptz then is_won end as is_won, discount_pct
        from opportunities where org_id = ${orgId} and opened_at <= ${until}::timestamptz order by id`,
  );
  return list.map((d) => ({
    id: d.id,
    partnerId: d.partner_id,
    source: d.source,
    amountMinor: Number(d.amount_minor),
    openedAt: toMs(d.opened_at),
    closedAt: d.closed_at === null ? null : toMs(d.closed_at),
    isWon: d.is_won,
    discountPct: d.discount_pct === null ? null : Number(d.discount_pct),
  }));
}
