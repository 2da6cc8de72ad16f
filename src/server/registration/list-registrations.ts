import { sql } from "drizzle-orm";
import { type Database, rows } from "../../db/client.ts";
import { requireEvent } from "../events/event-json.ts";

export interface RegistrationRow {
  id: string;
  personId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  status: string;
  source: string;
  answers: Record<string, unknown>;
  consent: boolean;
  waitlistedAt: string | null;
  createdAt: string;
  ticketId: string | null;
  ticketRevoked: boolean;
  checkedInAt: string | null;
  emailStatus: string | null;
}

/** Registrations of an event with the person, the live ticket, door check-in and the last email's delivery status. */
export async function listRegistrations(
  db: Database,
  orgId: string,
  eventId: string,
  filter: { status?: string | undefined; q?: string | undefined; limit: number; offset: number },
): Promise<{ registrations: RegistrationRow[]; total: number }> {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const status = filter.status ? sql`and r.status = ${filter.status}` : sql``;
    const q = filter.q
      ? sql`and (p.email ilike ${`%${filter.q}%`} or (coalesce(p.first_name,'') || ' ' || coalesce(p.last_name,'')) ilike ${`%${filter.q}%`})`
      : sql``;
    const list = await rows<RegistrationRow>(
      tx,
      sql`select r.id, r.person_id as "personId", p.email, p.first_name as "firstName", p.last_name as "lastName",
            r.status, r.source, r.answers, r.consent,
            to_char(r.waitlisted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "waitlistedAt",
            to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
            t.id as "ticketId", coalesce(t.revoked_at is not null, false) as "ticketRevoked",
            (select to_char(min(c.occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from check_ins c
              where c.org_id = r.org_id and c.event_id = r.event_id and c.person_id = r.person_id
                and c.session_id is null and c.direction = 'entry') as "checkedInAt",
            (select o.status from email_outbox o where o.org_id = r.org_id and o.ref_id = r.id
              order by o.created_at desc limit 1) as "emailStatus"
          from registrations r
          join people p on p.org_id = r.org_id and p.id = r.person_id
          left join lateral (select id, revoked_at from tickets t where t.org_id = r.org_id and t.registration_id = r.id
                             order by t.issued_at desc limit 1) t on true
          where r.org_id = ${orgId} and r.event_id = ${eventId} ${status} ${q}
          order by r.created_at, r.id
          limit ${filter.limit} offset ${filter.offset}`,
    );
    const [count] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from registrations r join people p on p.org_id = r.org_id and p.id = r.person_id
          where r.org_id = ${orgId} and r.event_id = ${eventId} ${status} ${q}`,
    );
    return { registrations: list, total: count?.n ?? 0 };
  });
}
