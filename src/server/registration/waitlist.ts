import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import type { PublicEventRow } from "./resolve-public.ts";
import { type Links, queueTicketEmail, ticketFor } from "./tickets.ts";

/** Registered people now holding a place. */
export async function registeredCount(tx: Tx, orgId: string, eventId: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from registrations where org_id = ${orgId} and event_id = ${eventId} and status = 'registered'`,
  );
  return row?.n ?? 0;
}

/** 1-based place on the waitlist, in order of joining it. */
export async function waitlistPosition(tx: Tx, orgId: string, eventId: string, registrationId: string) {
  const [row] = await rows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from registrations w, registrations me
        where me.org_id = ${orgId} and me.id = ${registrationId}
          and w.org_id = me.org_id and w.event_id = ${eventId} and w.status = 'waitlisted'
          and (w.waitlisted_at, w.created_at, w.id) <= (me.waitlisted_at, me.created_at, me.id)`,
  );
  return row?.n ?? 0;
}

/**
 * Fills free places from the waitlist, oldest first: each promoted person gets a ticket by email. The caller holds
 * the event row lock, so two cancellations cannot promote the same person or overfill the event.
 */
export async function promoteFromWaitlist(
  tx: Tx,
  orgId: string,
  event: PublicEventRow,
  links: Links,
  now: Date,
): Promise<string[]> {
  if (event.capacity === null) return [];
  const free = event.capacity - (await registeredCount(tx, orgId, event.id));
  if (free <= 0) return [];
  const promoted = await rows<{ id: string; person_id: string; email: string; first_name: string | null }>(
    tx,
    sql`update registrations r set status = 'registered', updated_at = ${now.toISOString()}::timestamptz
        from people p
        where r.org_id = ${orgId} and r.id in (
            select id from registrations where org_id = ${orgId} and event_id = ${event.id} and status = 'waitlisted'
            order by waitlisted_at, created_at, id limit ${free})
          and p.org_id = r.org_id and p.id = r.person_id
        returning r.id, r.person_id, p.email, p.first_name`,
  );
  for (const r of promoted) {
    const { token } = await ticketFor(tx, orgId, event, r.id, r.person_id);
    await enqueueEmail(
      tx,
      orgId,
      {
        to: r.email,
        subject: `A place opened: ${event.name}`,
        purpose: "waitlist_promoted",
        refId: r.id,
        text: `Good news: a place opened at ${event.name} and it is yours. Your ticket follows in a separate email.`,
      },
      now,
    );
    await queueTicketEmail(
      tx,
      orgId,
      event,
      { email: r.email, name: r.first_name ?? r.email, registrationId: r.id },
      token,
      links,
      now,
    );
  }
  return promoted.map((r) => r.id);
}
