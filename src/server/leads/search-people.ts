import { sql } from "drizzle-orm";
import { type Database, rows } from "../../db/client.ts";
import { requireEvent } from "../events/event-json.ts";

/** People whose name, email or company contains `q`, those registered for the event first (for capture by name). */
export async function searchPeople(db: Database, orgId: string, eventId: string, q: string, limit = 20) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const found = await rows<{
      id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      title: string | null;
      company: string | null;
      registered: boolean;
    }>(
      tx,
      sql`select p.id, p.first_name, p.last_name, p.email, p.title, a.name as company,
            exists (select 1 from registrations r where r.org_id = p.org_id and r.person_id = p.id
                    and r.event_id = ${eventId}) as registered
          from people p left join accounts a on a.org_id = p.org_id and a.id = p.account_id
          where p.org_id = ${orgId} and (
            lower(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) like ${like}
            or lower(coalesce(p.email, '')) like ${like}
            or lower(coalesce(a.name, '')) like ${like})
          order by registered desc, p.last_name nulls last, p.first_name nulls last, p.id
          limit ${limit}`,
    );
    return found.map((p) => ({
      id: p.id,
      name: [p.first_name, p.last_name].filter(Boolean).join(" ") || p.email || "unknown",
      email: p.email,
      title: p.title,
      company: p.company,
      registered: p.registered,
    }));
  });
}
