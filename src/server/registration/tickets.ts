import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { signToken, tokenDigest } from "../../core/tickets/index.ts";
import { rows, type Tx } from "../../db/client.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import { localDateTime } from "../events/time-zone.ts";
import { eventKeys } from "./ticket-keys.ts";

/** A ticket is valid until a day after the event ends (late exits and feedback). */
const VALID_AFTER_END_MS = 24 * 3_600_000;

export interface TicketEvent {
  id: string;
  name: string;
  slug: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venue: string | null;
  virtualUrl: string | null;
}

/** The registration's live ticket token, issuing a ticket if it has none (idempotent: one live ticket at a time). */
export async function ticketFor(
  tx: Tx,
  orgId: string,
  event: TicketEvent,
  registrationId: string,
  personId: string,
): Promise<{ ticketId: string; token: string }> {
  const keys = await eventKeys(tx, orgId, event.id);
  const [live] = await rows<{ id: string; expires_at: Date | string; code_digest: string | null }>(
    tx,
    sql`select id, expires_at, code_digest from tickets where org_id = ${orgId} and registration_id = ${registrationId}
          and revoked_at is null order by issued_at desc limit 1`,
  );
  const ticketId = live?.id ?? randomUUID();
  const expiresAt = live ? new Date(live.expires_at) : new Date(event.endsAt.getTime() + VALID_AFTER_END_MS);
  // Ed25519 signatures are deterministic: a live ticket's code is the same every time it is sent.
  const token = signToken(
    { kind: "ticket", id: ticketId, eventId: event.id, subjectId: personId, expiresAt },
    keys.privateKey,
  );
  const digest = tokenDigest(token);
  if (!live) {
    await tx.execute(
      sql`insert into tickets (org_id, id, event_id, registration_id, expires_at, code_digest)
          values (${orgId}, ${ticketId}, ${event.id}, ${registrationId}, ${expiresAt.toISOString()}::timestamptz, ${digest})`,
    );
  } else if (live.code_digest !== digest) {
    // A ticket issued before codes were recorded: record it now, so that check-in knows it without its signature.
    await tx.execute(
      sql`update tickets set code_digest = ${digest} where org_id = ${orgId} and id = ${ticketId}`,
    );
  }
  return { ticketId, token };
}

/** Revokes every live ticket of a registration; kiosks learn it from the revocation list. */
export async function revokeTickets(
  tx: Tx,
  orgId: string,
  registrationId: string,
  reason: string,
  now: Date,
) {
  await tx.execute(
    sql`update tickets set revoked_at = ${now.toISOString()}::timestamptz, revoked_reason = ${reason}
        where org_id = ${orgId} and registration_id = ${registrationId} and revoked_at is null`,
  );
}

export interface Links {
  /** Origin of the public web app, e.g. https://events.example.com */
  baseUrl: string;
  orgSlug: string;
}

/** Queues the confirmation email that carries the ticket. */
export async function queueTicketEmail(
  tx: Tx,
  orgId: string,
  event: TicketEvent,
  to: { email: string; name: string; registrationId: string },
  token: string,
  links: Links,
  now: Date,
): Promise<void> {
  const where = [event.venue, event.virtualUrl].filter(Boolean).join(" · ");
  const ticketUrl = `${links.baseUrl}/t/${encodeURIComponent(token)}`;
  const attendeeUrl = `${links.baseUrl}/e/${links.orgSlug}/${event.slug}?t=${encodeURIComponent(token)}`;
  await enqueueEmail(
    tx,
    orgId,
    {
      to: to.email,
      subject: `Your ticket: ${event.name}`,
      purpose: "ticket",
      refId: to.registrationId,
      text: [
        `Hello ${to.name},`,
        "",
        `you are registered for ${event.name}.`,
        `When: ${localDateTime(event.startsAt, event.timeZone)} (${event.timeZone})`,
        ...(where ? [`Where: ${where}`] : []),
        "",
        "Show this ticket at the door (the QR code is on the ticket page):",
        ticketUrl,
        "",
        "Ticket code (a scanner or the kiosk search accepts it):",
        token,
        "",
        `Polls, questions and feedback during the event: ${attendeeUrl}`,
      ].join("\n"),
    },
    now,
  );
}
