import { type SQL, sql } from "drizzle-orm";
import { DAY_MS } from "../../core/movement/index.ts";
import { rows, type Tx } from "../../db/client.ts";
import { attendedPeopleSql, toMs } from "./event-context.ts";

/** A "month" of the before/after panels: 30 days, counted from the event start. */
export const MONTH_MS = 30 * DAY_MS;

/** A partner with the number of its people who attended the event. */
export interface PartnerRow {
  id: string;
  name: string;
  tier: string | null;
  attendees: number;
  /** Attended another partner event by the as-of date (such a partner is no control: its own lift would leak in). */
  attendedOther: boolean;
}

/** The monthly panel around an event: `monthsBefore` months before its start and `monthsAfter` after it. */
export interface Panel {
  eventAtMs: number;
  monthsBefore: number;
  monthsAfter: number;
}

/** A partner's deal registrations per panel month, and its first registration after the event. */
export interface RegistrationSeries {
  partnerId: string;
  /** Index 0 = the month just before the event (before) / the first month after it (after). */
  before: number[];
  after: number[];
  /** The first registration at or after the event start, by the as-of date; null when none. */
  firstAfterMs: number | null;
}

/** Closed deals of one slice: counts and exact sums, from which the friction scorecard's rates and means follow. */
export interface FrictionSums {
  closed: number;
  won: number;
  /** Σ (closed − opened) in whole milliseconds over the closed deals. */
  cycleMs: number;
  /** Σ discount of the won deals that have one, in hundredths of a percent (discounts carry two decimals). */
  discountHundredths: number;
  /** Won deals with a discount. */
  discounted: number;
}

/** Our deals through one partner (or, with `partnerId` null, the direct deals), summed for the report. */
export interface PartnerDealSums {
  partnerId: string | null;
  /** Deals closed by the as-of date: all of them, those closed before the event start, those closed after it. */
  allTime: FrictionSums;
  before: FrictionSums;
  after: FrictionSums;
  /** Amounts (minor units) of partner-sourced deals opened in each panel month; index 0 as in `RegistrationSeries`. */
  sourcedBeforeMinor: number[];
  sourcedAfterMinor: number[];
}

/**
 * The panel months as instants, oldest first: `monthsBefore + monthsAfter + 1` bounds from event − monthsBefore·M to
 * event + monthsAfter·M. Month j of `width_bucket(t, bounds)` (1-based) holds bounds[j − 1] ≤ t < bounds[j]. The bounds
 * are whole milliseconds, so t falls in the same month as its whole milliseconds counted from the event start would
 * put it (a time on a bound opens the later month).
 */
function panelBounds(panel: Panel): SQL {
  const n = panel.monthsBefore + panel.monthsAfter + 1;
  const bounds = Array.from({ length: n }, (_, i) =>
    new Date(panel.eventAtMs + (i - panel.monthsBefore) * MONTH_MS).toISOString(),
  );
  return sql`array[${sql.join(
    bounds.map((b) => sql`${b}::timestamptz`),
    sql`, `,
  )}]`;
}

/** Adds `value` to the panel month of a `width_bucket` number (months outside the panel are dropped). */
function addToMonth(panel: Panel, before: number[], after: number[], bucket: number, value: number): void {
  if (bucket < 1) return;
  if (bucket <= panel.monthsBefore) before[panel.monthsBefore - bucket]! += value;
  else if (bucket <= panel.monthsBefore + panel.monthsAfter) after[bucket - panel.monthsBefore - 1]! += value;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/**
 * Plans the partner queries for this transaction. They are costed high enough for PostgreSQL to compile them (JIT),
 * about 30 ms per query on the large demo that buys nothing: the work is scanning and counting.
 */
export async function planPartnerQueries(tx: Tx): Promise<void> {
  await tx.execute(sql`set local jit = off`);
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
    // Each attended set is built once, and only the people in either set are looked up (by key): a pass over every
    // person of the organization to test membership cost more than the sets (a million people on the large demo).
    sql`with here as materialized (select distinct person_id from ${attendedPeopleSql(orgId, eventId)} h(person_id)),
        elsewhere as materialized (
          select c.person_id from check_ins c join events e on e.org_id = c.org_id and e.id = c.event_id
           where c.org_id = ${orgId} and c.direction = 'entry' and c.event_id <> ${eventId}
             and e.type = 'partner_event' and e.starts_at <= ${asOf.toISOString()}::timestamptz
          union
          select r.person_id from registrations r join events e on e.org_id = r.org_id and e.id = r.event_id
           where r.org_id = ${orgId} and r.attended and r.status <> 'cancelled' and r.event_id <> ${eventId}
             and e.type = 'partner_event' and e.starts_at <= ${asOf.toISOString()}::timestamptz),
        marked as (
          select s.person_id, bool_or(s.here) as here, bool_or(not s.here) as other
            from (select person_id, true as here from here
                  union all
                  select person_id, false as here from elsewhere) s
           group by s.person_id),
        counted as (
          select p.partner_id,
                 count(*) filter (where m.here)::int as attendees,
                 count(*) filter (where m.other)::int as other
            from marked m join people p on p.org_id = ${orgId} and p.id = m.person_id
           where p.partner_id is not null
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

/**
 * Deal registrations per partner and panel month, from the panel start to `asOf`, with each partner's first
 * registration after the event start. Partners without a registration in that span are absent.
 */
export async function loadRegistrationSeries(
  tx: Tx,
  orgId: string,
  panel: Panel,
  asOf: Date,
): Promise<RegistrationSeries[]> {
  const from = new Date(panel.eventAtMs - panel.monthsBefore * MONTH_MS).toISOString();
  const eventAt = new Date(panel.eventAtMs).toISOString();
  // One row per partner with the month of each registration (an index-only scan gives them in partner order, so
  // no sort): counting them here is cheaper than grouping by month on the server (~150 ms against ~250 ms on the
  // large demo), and far cheaper than a row per registration (420k rows, ~0.9 s).
  const list = await rows<{ partner_id: string; months: number[]; first_after: unknown }>(
    tx,
    sql`select partner_id, array_agg(width_bucket(registered_at, ${panelBounds(panel)})) as months,
               min(registered_at) filter (where registered_at >= ${eventAt}::timestamptz) as first_after
          from deal_registrations
         where org_id = ${orgId} and registered_at >= ${from}::timestamptz
           and registered_at <= ${asOf.toISOString()}::timestamptz
         group by partner_id`,
  );
  return list.map((r) => {
    const before = zeros(panel.monthsBefore);
    const after = zeros(panel.monthsAfter);
    for (const m of r.months) addToMonth(panel, before, after, Number(m), 1);
    return {
      partnerId: r.partner_id,
      before,
      after,
      firstAfterMs: r.first_after === null ? null : toMs(r.first_after),
    };
  });
}

const sumsColumns = (prefix: string, slice: SQL) => {
  const col = (name: string) => sql.raw(`${prefix}_${name}`);
  return sql`count(*) filter (where ${slice})::int as ${col("closed")},
    count(*) filter (where ${slice} and d.is_won)::int as ${col("won")},
    coalesce(sum(d.cycle_ms) filter (where ${slice}), 0) as ${col("cycle_ms")},
    coalesce(sum(d.discount_hundredths) filter (where ${slice} and d.is_won), 0) as ${col("discount")},
    count(d.discount_hundredths) filter (where ${slice} and d.is_won)::int as ${col("discounted")}`;
};

type SumsRow = Record<`${"b" | "a"}_${"closed" | "won" | "cycle_ms" | "discount" | "discounted"}`, number>;

const readSums = (r: SumsRow, p: "b" | "a"): FrictionSums => ({
  closed: Number(r[`${p}_closed`]),
  won: Number(r[`${p}_won`]),
  cycleMs: Number(r[`${p}_cycle_ms`]),
  discountHundredths: Number(r[`${p}_discount`]),
  discounted: Number(r[`${p}_discounted`]),
});

/**
 * Our deals opened by `asOf`, summed per partner (and once for the direct deals, `partnerId` null): closed deals
 * (closed by `asOf`; a deal closed later counts as open) of all time, before and after the event start, and the
 * amounts of partner-sourced deals opened in each panel month. Deals that are neither closed nor sourced in the
 * panel add nothing and are skipped.
 */
export async function loadPartnerDealSums(
  tx: Tx,
  orgId: string,
  panel: Panel,
  asOf: Date,
): Promise<PartnerDealSums[]> {
  const until = asOf.toISOString();
  const eventAt = new Date(panel.eventAtMs).toISOString();
  const from = new Date(panel.eventAtMs - panel.monthsBefore * MONTH_MS).toISOString();
  const to = new Date(panel.eventAtMs + panel.monthsAfter * MONTH_MS).toISOString();
  const closed = sql`d.closed`;
  // A closed deal closed either before the event start or after it: all-time sums are the two added (exactly).
  const list = await rows<SumsRow & { partner_id: string | null; sourced: unknown[][] | null }>(
    tx,
    // Sums are exact (whole milliseconds, hundredths of a percent), so the means computed from them do not depend
    // on the order of the deals. Sourced deals come as [month, amount] pairs.
    sql`select d.partner_id,
               ${sumsColumns("b", sql`${closed} and d.closed_at < ${eventAt}::timestamptz`)},
               ${sumsColumns("a", sql`${closed} and d.closed_at >= ${eventAt}::timestamptz`)},
               array_agg(array[width_bucket(d.opened_at, ${panelBounds(panel)})::int8, d.amount_minor])
                 filter (where d.sourced) as sourced
          from (select o.partner_id, o.opened_at, o.closed_at, o.is_won, o.amount_minor,
                       o.closed_at <= ${until}::timestamptz and o.is_won is not null as closed,
                       (extract(epoch from date_trunc('milliseconds', o.closed_at)
                                         - date_trunc('milliseconds', o.opened_at)) * 1000)::int8 as cycle_ms,
                       (o.discount_pct * 100)::int8 as discount_hundredths,
                       o.partner_id is not null and o.source = 'partner_sourced'
                         and o.opened_at >= ${from}::timestamptz and o.opened_at < ${to}::timestamptz as sourced
                  from opportunities o
                 where o.org_id = ${orgId} and o.opened_at <= ${until}::timestamptz) d
         where d.closed or d.sourced
         group by d.partner_id`,
  );
  return list.map((r) => {
    const sourcedBeforeMinor = zeros(panel.monthsBefore);
    const sourcedAfterMinor = zeros(panel.monthsAfter);
    for (const [month, amount] of r.sourced ?? [])
      addToMonth(panel, sourcedBeforeMinor, sourcedAfterMinor, Number(month), Number(amount));
    const before = readSums(r, "b");
    const after = readSums(r, "a");
    return {
      partnerId: r.partner_id,
      allTime: addSums(before, after),
      before,
      after,
      sourcedBeforeMinor,
      sourcedAfterMinor,
    };
  });
}

/** The sums of two disjoint slices of deals. */
export function addSums(a: FrictionSums, b: FrictionSums): FrictionSums {
  return {
    closed: a.closed + b.closed,
    won: a.won + b.won,
    cycleMs: a.cycleMs + b.cycleMs,
    discountHundredths: a.discountHundredths + b.discountHundredths,
    discounted: a.discounted + b.discounted,
  };
}
