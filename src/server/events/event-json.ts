import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Tx } from "../../db/client.ts";
import { type eventCosts, type eventSessions, events } from "../../db/schema/index.ts";
import type { RegistrationQuestion } from "./schemas.ts";

type EventRow = typeof events.$inferSelect;
type SessionRow = typeof eventSessions.$inferSelect;
type CostRow = typeof eventCosts.$inferSelect;

/** The API shape of an event; the private ticket key never leaves the server. */
export function eventJson(e: EventRow) {
  return {
    id: e.id,
    name: e.name,
    slug: e.slug,
    type: e.type,
    format: e.format,
    status: e.status,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    timeZone: e.timeZone,
    venue: e.venue,
    virtualUrl: e.virtualUrl,
    capacity: e.capacity,
    inviteOnly: e.inviteOnly,
    ownerUserId: e.ownerUserId,
    description: e.description,
    registrationQuestions: e.registrationQuestions as RegistrationQuestion[],
    hasTicketKey: e.ticketPublicKey !== null,
    createdAt: e.createdAt.toISOString(),
  };
}

export function sessionJson(s: SessionRow) {
  return {
    id: s.id,
    eventId: s.eventId,
    title: s.title,
    track: s.track,
    room: s.room,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    capacity: s.capacity,
    speakers: s.speakers,
    learningObjectives: s.learningObjectives,
    topics: s.topics,
    features: s.features,
    creditHours: s.creditHours === null ? null : Number(s.creditHours),
  };
}

export function costJson(k: CostRow) {
  return {
    id: k.id,
    eventId: k.eventId,
    category: k.category,
    description: k.description,
    amountMinor: Number(k.amountMinor),
    currency: k.currency,
    incurredAt: k.incurredAt ? k.incurredAt.toISOString() : null,
  };
}

/** The event row, or a not_found error naming the id. */
export async function requireEvent(tx: Tx, orgId: string, eventId: string): Promise<EventRow> {
  const [e] = await tx
    .select()
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.id, eventId)));
  if (!e) throw new AppError("not_found", `no event ${eventId}`);
  return e;
}

/** Maps a unique-violation from the database to a conflict the caller can act on. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.cause?.code;
  const name = e?.constraint ?? e?.cause?.constraint;
  return code === "23505" && (constraint === undefined || name === constraint);
}
