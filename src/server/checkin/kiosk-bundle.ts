import { sql } from "drizzle-orm";
import { buildRevocationList, type RevocationList } from "../../core/tickets/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { requireEvent } from "../events/event-json.ts";
import { eventKeys } from "../registration/ticket-keys.ts";

/** Ticket ids of the event that were revoked (cancelled registrations). */
export async function revocationList(
  tx: Tx,
  orgId: string,
  eventId: string,
  now: Date,
): Promise<RevocationList> {
  const revoked = await rows<{ id: string }>(
    tx,
    sql`select id from tickets where org_id = ${orgId} and event_id = ${eventId} and revoked_at is not null`,
  );
  return buildRevocationList(
    eventId,
    revoked.map((r) => r.id),
    now,
  );
}

/**
 * Everything a kiosk needs to keep working offline: the public key (verify codes), the revocation list (refuse
 * cancelled tickets), the agenda (per-session check-in) and the roster (search by name).
 */
export async function kioskBundle(db: Database, orgId: string, eventId: string, now: Date) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const keys = await eventKeys(tx, orgId, eventId);
    const sessions = await rows<{
      id: string;
      title: string;
      room: string | null;
      startsAt: string;
      endsAt: string;
    }>(
      tx,
      sql`select id, title, room, to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "startsAt",
            to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "endsAt"
          from event_sessions where org_id = ${orgId} and event_id = ${eventId} order by starts_at, title`,
    );
    const roster = await rows<{
      personId: string;
      name: string;
      email: string | null;
      ticketId: string | null;
    }>(
      tx,
      sql`select r.person_id as "personId", trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) as name,
            p.email,
            (select t.id from tickets t where t.org_id = r.org_id and t.registration_id = r.id and t.revoked_at is null
              order by t.issued_at desc limit 1) as "ticketId"
          from registrations r join people p on p.org_id = r.org_id and p.id = r.person_id
          where r.org_id = ${orgId} and r.event_id = ${eventId} and r.status = 'registered'
          order by p.last_name, p.first_name, p.email`,
    );
    return {
      event: {
        id: event.id,
        name: event.name,
        timeZone: event.timeZone,
        startsAt: event.startsAt.toISOString(),
        endsAt: event.endsAt.toISOString(),
      },
      publicKey: keys.publicKeyRaw,
      revocations: await revocationList(tx, orgId, eventId, now),
      sessions,
      roster,
      serverTime: now.toISOString(),
    };
  });
}
