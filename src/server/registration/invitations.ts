import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { decodeToken, signToken, verifyToken } from "../../core/tickets/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import type { Role } from "../../db/schema/vocabulary.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import { emailQueued } from "../../jobs/wake.ts";
import { localDateTime } from "../events/time-zone.ts";
import { recordTouchpoint, upsertPersonByEmail } from "./people.ts";
import { eventById, orgIdBySlug, type PublicEventRow } from "./resolve-public.ts";
import { eventKeys } from "./ticket-keys.ts";
import { type Links, queueTicketEmail, revokeTickets, ticketFor } from "./tickets.ts";
import { promoteFromWaitlist, registeredCount, waitlistPosition } from "./waitlist.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export type InvitationRow = {
  id: string;
  personId: string;
  email: string | null;
  name: string;
  status: string;
  reason: string | null;
  nominatedBy: string | null;
  /** The colleague who nominated the guest, as they are named in the organization. */
  nominatedByName: string | null;
  decidedBy: string | null;
  respondedAt: string | null;
  /** The guest's registration once they accepted: registered, waitlisted or cancelled. */
  registrationStatus: "registered" | "waitlisted" | "cancelled" | null;
  /** 1-based place on the waitlist while waitlisted, in the order used to promote. */
  waitlistPosition: number | null;
};

async function orgSlug(tx: Tx, orgId: string): Promise<string> {
  const [o] = await rows<{ slug: string }>(tx, sql`select slug from organizations where id = ${orgId}`);
  return o!.slug;
}

/** A rep (or anyone who may nominate) proposes a guest for an invite-only event; nominating twice changes nothing. */
export async function nominate(
  db: Database,
  orgId: string,
  userId: string,
  eventId: string,
  guest: {
    email: string;
    firstName?: string | undefined;
    lastName?: string | undefined;
    reason?: string | undefined;
  },
) {
  return db.withOrg(orgId, async (tx) => {
    const event = await eventById(tx, orgId, eventId);
    if (!event.inviteOnly) {
      throw new AppError(
        "conflict",
        `${event.name} is open for registration; nominations are for invite-only events`,
      );
    }
    const personId = await upsertPersonByEmail(tx, orgId, guest);
    const [row] = await rows<{ id: string; status: string }>(
      tx,
      sql`insert into invitations (org_id, event_id, person_id, nominated_by, status, reason)
          values (${orgId}, ${eventId}, ${personId}, ${userId}, 'nominated', ${guest.reason ?? null})
          on conflict (org_id, event_id, person_id) do update set reason = coalesce(invitations.reason, excluded.reason)
          returning id, status`,
    );
    return row!;
  });
}

/** The event owner, an admin or a marketer approves or declines a nomination. */
export async function decide(
  db: Database,
  caller: { orgId: string; userId: string; role: Role },
  eventId: string,
  invitationId: string,
  decision: "approve" | "decline",
  reason: string | undefined,
  now: Date,
) {
  const { orgId } = caller;
  return db.withOrg(orgId, async (tx) => {
    const [e] = await rows<{ owner_user_id: string | null }>(
      tx,
      sql`select owner_user_id from events where org_id = ${orgId} and id = ${eventId}`,
    );
    if (!e) throw new AppError("not_found", `no event ${eventId}`);
    if (caller.role !== "admin" && caller.role !== "marketer" && e.owner_user_id !== caller.userId) {
      throw new AppError("forbidden", "only the event owner, an admin or a marketer decides on nominations");
    }
    const [inv] = await rows<{ status: string }>(
      tx,
      sql`select status from invitations where org_id = ${orgId} and event_id = ${eventId} and id = ${invitationId}`,
    );
    if (!inv) throw new AppError("not_found", "no such invitation");
    if (!["nominated", "approved", "declined"].includes(inv.status)) {
      throw new AppError("conflict", `the invitation was already ${inv.status}`);
    }
    const status = decision === "approve" ? "approved" : "declined";
    await tx.execute(
      sql`update invitations set status = ${status}, decided_by = ${caller.userId},
            decided_at = ${now.toISOString()}::timestamptz, reason = coalesce(${reason ?? null}, reason)
          where org_id = ${orgId} and id = ${invitationId}`,
    );
    return { id: invitationId, status };
  });
}

/** Emails every approved invitation (or the given ones) with a signed RSVP link; returns how many went out. */
export async function sendInvitations(
  db: Database,
  orgId: string,
  eventId: string,
  baseUrl: string,
  now: Date,
): Promise<{ sent: number }> {
  const sent = await db.withOrg(orgId, async (tx) => {
    const event = await eventById(tx, orgId, eventId);
    const keys = await eventKeys(tx, orgId, eventId);
    const slug = await orgSlug(tx, orgId);
    const approved = await rows<{
      id: string;
      person_id: string;
      email: string | null;
      first_name: string | null;
    }>(
      tx,
      sql`select i.id, i.person_id, p.email, p.first_name from invitations i
          join people p on p.org_id = i.org_id and p.id = i.person_id
          where i.org_id = ${orgId} and i.event_id = ${eventId} and i.status = 'approved' for update of i`,
    );
    let n = 0;
    for (const inv of approved) {
      if (!inv.email) continue;
      const token = signToken(
        { kind: "rsvp", id: inv.id, eventId, subjectId: inv.person_id, expiresAt: event.endsAt },
        keys.privateKey,
      );
      await tx.execute(
        sql`update invitations set status = 'sent', rsvp_token_hash = ${sha256(token)} where org_id = ${orgId} and id = ${inv.id}`,
      );
      const link = `${baseUrl}/rsvp/${slug}/${encodeURIComponent(token)}`;
      await enqueueEmail(
        tx,
        orgId,
        {
          to: inv.email,
          subject: `Invitation: ${event.name}`,
          purpose: "invitation",
          refId: inv.id,
          text: [
            `Hello ${inv.first_name ?? ""},`.replace(" ,", ","),
            "",
            `you are invited to ${event.name}, ${localDateTime(event.startsAt, event.timeZone)}${event.venue ? ` at ${event.venue}` : ""}.`,
            "",
            `Accept or send your regrets here: ${link}`,
          ].join("\n"),
        },
        now,
      );
      n++;
    }
    return n;
  });
  emailQueued();
  return { sent };
}

async function resolveRsvp(tx: Tx, orgId: string, token: string, now: Date) {
  const claims = decodeToken(token);
  if (claims?.kind !== "rsvp") throw new AppError("validation", "this is not an invitation link", "token");
  const event = await eventById(tx, orgId, claims.eventId, true).catch((error: unknown) => {
    // A link whose event part was altered names no event of ours: say the link is bad, not that an event is missing.
    if (error instanceof AppError && error.code === "not_found") {
      throw new AppError(
        "validation",
        "the invitation link cannot be used: it was altered or is incomplete",
        "token",
      );
    }
    throw error;
  });
  const keys = await eventKeys(tx, orgId, event.id);
  const check = verifyToken(token, keys.publicKey, { now, kind: "rsvp", eventId: event.id });
  if (!check.ok)
    throw new AppError("validation", `the invitation link cannot be used: ${check.message}`, "token");
  const [inv] = await rows<{ id: string; status: string; person_id: string; hash: string | null }>(
    tx,
    sql`select id, status, person_id, rsvp_token_hash as hash from invitations where org_id = ${orgId} and id = ${claims.id}`,
  );
  if (!inv || inv.hash !== sha256(token))
    throw new AppError("not_found", "this invitation is no longer valid");
  return { event, inv };
}

/** What the RSVP page shows. */
export async function rsvpView(db: Database, slug: string, token: string, now: Date) {
  const orgId = await orgIdBySlug(db, slug);
  return db.withOrg(orgId, async (tx) => {
    const { event, inv } = await resolveRsvp(tx, orgId, token, now);
    return {
      event: {
        name: event.name,
        startsLocal: localDateTime(event.startsAt, event.timeZone),
        venue: event.venue,
      },
      status: inv.status,
    };
  });
}

/**
 * The guest accepts (a registration and a ticket, or the waitlist when full) or sends regrets (cancelling a place
 * already taken, which goes to the waitlist).
 */
export async function respond(
  db: Database,
  slug: string,
  token: string,
  response: "accept" | "regret",
  baseUrl: string,
  now: Date,
): Promise<{ status: string; message: string }> {
  const orgId = await orgIdBySlug(db, slug);
  const links: Links = { baseUrl, orgSlug: slug };
  const result = await db.withOrg(orgId, async (tx) => {
    const { event, inv } = await resolveRsvp(tx, orgId, token, now);
    if (event.endsAt.getTime() <= now.getTime()) throw new AppError("gone", `${event.name} has ended`);
    const [person] = await rows<{ email: string; first_name: string | null }>(
      tx,
      sql`select email, first_name from people where org_id = ${orgId} and id = ${inv.person_id}`,
    );
    const [reg] = await rows<{ id: string; status: string }>(
      tx,
      sql`select id, status from registrations where org_id = ${orgId} and event_id = ${event.id} and person_id = ${inv.person_id}`,
    );
    if (response === "regret") {
      await tx.execute(
        sql`update invitations set status = 'regretted', responded_at = ${now.toISOString()}::timestamptz
            where org_id = ${orgId} and id = ${inv.id}`,
      );
      if (reg && reg.status !== "cancelled") {
        await tx.execute(
          sql`update registrations set status = 'cancelled', updated_at = ${now.toISOString()}::timestamptz
              where org_id = ${orgId} and id = ${reg.id}`,
        );
        await revokeTickets(tx, orgId, reg.id, "guest sent regrets", now);
        await promoteFromWaitlist(tx, orgId, event, links, now);
      }
      return {
        status: "regretted",
        message: `Thank you for letting us know. We will miss you at ${event.name}.`,
      };
    }
    await tx.execute(
      sql`update invitations set status = 'accepted', responded_at = ${now.toISOString()}::timestamptz
          where org_id = ${orgId} and id = ${inv.id}`,
    );
    if (reg && reg.status !== "cancelled") {
      return { status: reg.status, message: `You had already accepted; see you at ${event.name}.` };
    }
    const full = event.capacity !== null && (await registeredCount(tx, orgId, event.id)) >= event.capacity;
    const status = full ? "waitlisted" : "registered";
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into registrations (org_id, event_id, person_id, status, source, consent, waitlisted_at, updated_at)
          values (${orgId}, ${event.id}, ${inv.person_id}, ${status}, 'invitation', true,
                  ${full ? now.toISOString() : null}::timestamptz, ${now.toISOString()}::timestamptz)
          on conflict (org_id, event_id, person_id) do update set status = excluded.status,
            waitlisted_at = excluded.waitlisted_at, updated_at = excluded.updated_at
          returning id`,
    );
    const registrationId = row!.id;
    await recordTouchpoint(tx, orgId, {
      externalId: `registration:${registrationId}`,
      occurredAt: now,
      kind: "registration",
      online: true,
      personId: inv.person_id,
      eventId: event.id,
      metadata: { source: "invitation", invitationId: inv.id },
    });
    if (full) {
      const position = await waitlistPosition(tx, orgId, event.id, registrationId);
      return {
        status,
        message: `${event.name} is full. You are number ${position} on the waitlist; if a place opens we will email your ticket.`,
      };
    }
    const { token: ticket } = await ticketFor(
      tx,
      orgId,
      event as PublicEventRow,
      registrationId,
      inv.person_id,
    );
    await queueTicketEmail(
      tx,
      orgId,
      event,
      { email: person!.email, name: person!.first_name ?? person!.email, registrationId },
      ticket,
      links,
      now,
    );
    return { status, message: `You are registered for ${event.name}. Your ticket is on its way by email.` };
  });
  emailQueued();
  return result;
}

/** Invitations of an event with the guest, the decision trail and, once accepted, the registration (or waitlist place). */
export async function listInvitations(
  db: Database,
  orgId: string,
  eventId: string,
): Promise<InvitationRow[]> {
  return db.withOrg(orgId, async (tx) => {
    await eventById(tx, orgId, eventId);
    // The waitlist order is the one promoteFromWaitlist and waitlistPosition use.
    return rows<InvitationRow>(
      tx,
      sql`select i.id, i.person_id as "personId", p.email,
            trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) as name, i.status, i.reason,
            i.nominated_by as "nominatedBy", u.name as "nominatedByName", i.decided_by as "decidedBy",
            to_char(i.responded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "respondedAt",
            r.status as "registrationStatus",
            case when r.status = 'waitlisted' then
              (select count(*)::int from registrations w
                where w.org_id = r.org_id and w.event_id = r.event_id and w.status = 'waitlisted'
                  and (w.waitlisted_at, w.created_at, w.id) <= (r.waitlisted_at, r.created_at, r.id))
            end as "waitlistPosition"
          from invitations i join people p on p.org_id = i.org_id and p.id = i.person_id
          left join users u on u.org_id = i.org_id and u.id = i.nominated_by
          left join registrations r on r.org_id = i.org_id and r.event_id = i.event_id and r.person_id = i.person_id
          where i.org_id = ${orgId} and i.event_id = ${eventId} order by i.created_at, i.id`,
    );
  });
}
