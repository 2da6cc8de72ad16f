import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { verifyToken } from "../../core/tickets/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { eventBySlug, orgIdBySlug, type PublicEventRow } from "../registration/resolve-public.ts";
import { eventKeys } from "../registration/ticket-keys.ts";

export interface Attendee {
  orgId: string;
  event: PublicEventRow;
  personId: string;
  ticketId: string;
}

/**
 * Attendee pages identify the person by their ticket code (from the confirmation email's link): a valid, live
 * ticket of this event. No account, no password; a cancelled ticket stops working.
 */
export async function withAttendee<T>(
  db: Database,
  orgSlug: string,
  eventSlug: string,
  ticket: string | undefined,
  now: Date,
  fn: (tx: Tx, attendee: Attendee) => Promise<T>,
): Promise<T> {
  if (!ticket) throw new AppError("unauthenticated", "open this page from the link in your ticket email");
  const orgId = await orgIdBySlug(db, orgSlug);
  return db.withOrg(orgId, async (tx) => {
    const event = await eventBySlug(tx, orgId, eventSlug);
    const keys = await eventKeys(tx, orgId, event.id);
    const check = verifyToken(ticket, keys.publicKey, { now, kind: "ticket", eventId: event.id });
    if (!check.ok) throw new AppError("unauthenticated", `your ticket cannot be used here: ${check.message}`);
    const [t] = await rows<{ revoked: boolean; person_id: string }>(
      tx,
      sql`select t.revoked_at is not null as revoked, r.person_id from tickets t
          join registrations r on r.org_id = t.org_id and r.id = t.registration_id
          where t.org_id = ${orgId} and t.id = ${check.claims.id}`,
    );
    if (!t) throw new AppError("unauthenticated", "this ticket is not in our records");
    if (t.revoked) throw new AppError("unauthenticated", "this ticket was cancelled");
    return fn(tx, { orgId, event, personId: t.person_id, ticketId: check.claims.id });
  });
}
