import { sql } from "drizzle-orm";
import { type Database, rows } from "../../db/client.ts";
import type { EventFormat, EventType } from "../../db/schema/vocabulary.ts";

export interface EventSummary {
  id: string;
  name: string;
  type: EventType;
  format: EventFormat;
  status: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string | null;
  registrations: number;
  attended: number;
  /** Cost per currency (minor units), one entry per currency of the event's cost lines: never added across. */
  costs: { currency: string; amountMinor: number }[];
}

/** Events of the caller's organization, newest first, with registration, attendance and cost totals. */
export async function listEvents(
  db: Database,
  orgId: string,
  filter: { type?: EventType | undefined; limit: number; offset: number },
): Promise<{ events: EventSummary[]; total: number }> {
  return db.withOrg(orgId, async (tx) => {
    const typeFilter = filter.type ? sql`and e.type = ${filter.type}` : sql``;
    const list = await rows<EventSummary>(
      tx,
      sql`select e.id, e.name, e.type, e.format, e.status,
            to_char(e.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "startsAt",
            to_char(e.ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "endsAt",
            e.time_zone as "timeZone", e.venue,
            (select count(*)::int from registrations r where r.org_id = e.org_id and r.event_id = e.id
               and r.status = 'registered') as registrations,
            (select count(distinct c.person_id)::int from check_ins c where c.org_id = e.org_id and c.event_id = e.id
               and c.session_id is null) +
            (select count(*)::int from registrations r where r.org_id = e.org_id and r.event_id = e.id
               and r.attended and not exists (select 1 from check_ins c where c.org_id = r.org_id
                 and c.event_id = r.event_id and c.person_id = r.person_id and c.session_id is null)) as attended,
            (select coalesce(json_agg(json_build_object('currency', k.currency, 'amountMinor', k.total)
                 order by k.currency), '[]'::json)
               from (select currency, sum(amount_minor)::float8 as total from event_costs
                     where org_id = e.org_id and event_id = e.id group by currency) k) as costs
          from events e
          where e.org_id = ${orgId} ${typeFilter}
          order by e.starts_at desc, e.id
          limit ${filter.limit} offset ${filter.offset}`,
    );
    const [count] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from events e where e.org_id = ${orgId} ${typeFilter}`,
    );
    return { events: list, total: count?.n ?? 0 };
  });
}
