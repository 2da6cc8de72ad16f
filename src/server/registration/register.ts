import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import { emailQueued } from "../../jobs/wake.ts";
import { recordTouchpoint, upsertPersonByEmail } from "./people.ts";
import { eventBySlug, orgIdBySlug } from "./resolve-public.ts";
import { type Links, queueTicketEmail, ticketFor } from "./tickets.ts";
import { validateAnswers } from "./validate-answers.ts";
import { registeredCount, waitlistPosition } from "./waitlist.ts";

export interface RegistrationInput {
  email: string;
  firstName: string;
  lastName: string;
  answers: Record<string, unknown>;
  consent: boolean;
}

export interface RegistrationResult {
  registrationId: string;
  status: "registered" | "waitlisted";
  /** True when this email had already registered and the registration was updated. */
  updated: boolean;
  waitlistPosition: number | null;
  /** What to tell the person, in plain words. */
  message: string;
}

/**
 * Public registration by org and event slug. Idempotent by email: a second registration updates the first (answers,
 * consent) and never duplicates it. When the event is full the person joins the waitlist and is told so. The
 * ticket goes only to the email address (never in the response), so nobody gets a ticket by typing another's email.
 */
export async function registerForEvent(
  db: Database,
  orgSlug: string,
  eventSlug: string,
  input: RegistrationInput,
  baseUrl: string,
  now: Date,
): Promise<RegistrationResult> {
  if (!input.consent) {
    throw new AppError("validation", "consent must be given to register", "consent");
  }
  const orgId = await orgIdBySlug(db, orgSlug);
  const links: Links = { baseUrl, orgSlug };
  const result = await db.withOrg(orgId, async (tx) => {
    const event = await eventBySlug(tx, orgId, eventSlug, true);
    if (event.status !== "published") {
      throw new AppError("conflict", `registration for ${event.name} is not open`);
    }
    if (event.inviteOnly) {
      throw new AppError(
        "forbidden",
        `${event.name} is by invitation only; ask your contact for an invitation`,
      );
    }
    if (event.endsAt.getTime() <= now.getTime()) {
      throw new AppError("gone", `${event.name} has ended`);
    }
    const answers = validateAnswers(event.registrationQuestions, input.answers);
    const personId = await upsertPersonByEmail(tx, orgId, input);
    const [existing] = await rows<{ id: string; status: string }>(
      tx,
      sql`select id, status from registrations where org_id = ${orgId} and event_id = ${event.id} and person_id = ${personId}`,
    );
    let registrationId: string;
    let status: "registered" | "waitlisted";
    const updated = existing !== undefined && existing.status !== "cancelled";
    if (existing && existing.status !== "cancelled") {
      registrationId = existing.id;
      status = existing.status as "registered" | "waitlisted";
      await tx.execute(
        sql`update registrations set answers = ${JSON.stringify(answers)}::jsonb, consent = ${input.consent},
              updated_at = ${now.toISOString()}::timestamptz
            where org_id = ${orgId} and id = ${registrationId}`,
      );
    } else {
      const full = event.capacity !== null && (await registeredCount(tx, orgId, event.id)) >= event.capacity;
      status = full ? "waitlisted" : "registered";
      const waitlistedAt = full ? now.toISOString() : null;
      const [row] = await rows<{ id: string }>(
        tx,
        sql`insert into registrations (org_id, event_id, person_id, status, source, answers, consent, waitlisted_at, updated_at)
            values (${orgId}, ${event.id}, ${personId}, ${status}, 'registration_page', ${JSON.stringify(answers)}::jsonb,
                    ${input.consent}, ${waitlistedAt}::timestamptz, ${now.toISOString()}::timestamptz)
            on conflict (org_id, event_id, person_id) do update
              set status = excluded.status, answers = excluded.answers, consent = excluded.consent,
                  waitlisted_at = excluded.waitlisted_at, updated_at = excluded.updated_at
            returning id`,
      );
      registrationId = row!.id;
    }
    await recordTouchpoint(tx, orgId, {
      externalId: `registration:${registrationId}`,
      occurredAt: now,
      kind: "registration",
      online: true,
      personId,
      eventId: event.id,
      metadata: { source: "registration_page" },
    });
    const name = input.firstName || input.email;
    let position: number | null = null;
    let message: string;
    if (status === "registered") {
      const { token } = await ticketFor(tx, orgId, event, registrationId, personId);
      await queueTicketEmail(
        tx,
        orgId,
        event,
        { email: input.email, name, registrationId },
        token,
        links,
        now,
      );
      message = updated
        ? `You were already registered for ${event.name}; we updated your answers and sent your ticket again to ${input.email}.`
        : `You are registered for ${event.name}. Your ticket is on its way to ${input.email}.`;
    } else {
      position = await waitlistPosition(tx, orgId, event.id, registrationId);
      message = `${event.name} is full. You are number ${position} on the waitlist; if a place opens we will email your ticket to ${input.email}.`;
      await enqueueEmail(
        tx,
        orgId,
        {
          to: input.email,
          subject: `Waitlist: ${event.name}`,
          purpose: "waitlist",
          refId: registrationId,
          text: `Hello ${name},\n\n${message}\n`,
        },
        now,
      );
    }
    return { registrationId, status, updated, waitlistPosition: position, message };
  });
  emailQueued();
  return result;
}
