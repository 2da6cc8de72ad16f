import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { verifyToken } from "../../core/tickets/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { emailQueued } from "../../jobs/wake.ts";
import { eventById, eventBySlug, orgIdBySlug, type PublicEventRow } from "./resolve-public.ts";
import { eventKeys } from "./ticket-keys.ts";
import { type Links, revokeTickets } from "./tickets.ts";
import { promoteFromWaitlist } from "./waitlist.ts";

/** Cancels inside the caller's transaction: revokes tickets and fills the place from the waitlist. */
async function cancelInTx(
  tx: Tx,
  orgId: string,
  event: PublicEventRow,
  registrationId: string,
  reason: string,
  links: Links,
  now: Date,
): Promise<{ promoted: string[] }> {
  const [reg] = await rows<{ status: string }>(
    tx,
    sql`select status from registrations where org_id = ${orgId} and id = ${registrationId} and event_id = ${event.id}`,
  );
  if (!reg) throw new AppError("not_found", `no registration ${registrationId} for this event`);
  if (reg.status === "cancelled") return { promoted: [] };
  await tx.execute(
    sql`update registrations set status = 'cancelled', updated_at = ${now.toISOString()}::timestamptz
        where org_id = ${orgId} and id = ${registrationId}`,
  );
  await revokeTickets(tx, orgId, registrationId, reason, now);
  return { promoted: await promoteFromWaitlist(tx, orgId, event, links, now) };
}

/** The attendee cancels with their own ticket code (the code proves it is theirs). */
export async function cancelWithTicket(
  db: Database,
  orgSlug: string,
  eventSlug: string,
  ticket: string,
  baseUrl: string,
  now: Date,
): Promise<{ promoted: string[] }> {
  const orgId = await orgIdBySlug(db, orgSlug);
  const result = await db.withOrg(orgId, async (tx) => {
    const event = await eventBySlug(tx, orgId, eventSlug, true);
    const keys = await eventKeys(tx, orgId, event.id);
    const check = verifyToken(ticket, keys.publicKey, { now, kind: "ticket", eventId: event.id });
    if (!check.ok) {
      if (check.reason === "revoked") return { promoted: [] };
      throw new AppError("validation", `the ticket cannot be used: ${check.message}`, "ticket");
    }
    const [t] = await rows<{ registration_id: string; revoked_at: unknown }>(
      tx,
      sql`select registration_id, revoked_at from tickets where org_id = ${orgId} and id = ${check.claims.id}`,
    );
    if (!t) throw new AppError("not_found", "this ticket is unknown");
    if (t.revoked_at) return { promoted: [] };
    return cancelInTx(
      tx,
      orgId,
      event,
      t.registration_id,
      "cancelled by attendee",
      { baseUrl, orgSlug },
      now,
    );
  });
  emailQueued();
  return result;
}

/** Staff cancel a registration (or a waitlist place) from the event's registration list. */
export async function cancelRegistration(
  db: Database,
  orgId: string,
  eventId: string,
  registrationId: string,
  baseUrl: string,
  now: Date,
): Promise<{ promoted: string[] }> {
  const result = await db.withOrg(orgId, async (tx) => {
    const event = await eventById(tx, orgId, eventId, true);
    const [org] = await rows<{ slug: string }>(tx, sql`select slug from organizations where id = ${orgId}`);
    return cancelInTx(
      tx,
      orgId,
      event,
      registrationId,
      "cancelled by staff",
      { baseUrl, orgSlug: org!.slug },
      now,
    );
  });
  emailQueued();
  return result;
}
