import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { eventSessions } from "../../db/schema/index.ts";
import { requireEvent, sessionJson } from "./event-json.ts";
import type { CreateSessionInput, UpdateSessionInput } from "./schemas.ts";

// The agenda's three operations live together: each is a few lines over the same table and checks.

function checkTimes(startsAt: Date, endsAt: Date): void {
  if (endsAt < startsAt) throw new AppError("validation", "endsAt must not be before startsAt", "endsAt");
}

/** Adds a session to an event's agenda. */
export async function createSession(db: Database, orgId: string, eventId: string, input: CreateSessionInput) {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkTimes(startsAt, endsAt);
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const [row] = await tx
      .insert(eventSessions)
      .values({
        orgId,
        eventId,
        title: input.title,
        track: input.track ?? null,
        room: input.room ?? null,
        startsAt,
        endsAt,
        capacity: input.capacity ?? null,
        speakers: input.speakers ?? [],
        learningObjectives: input.learningObjectives ?? [],
        topics: input.topics ?? [],
        features: input.features ?? [],
        creditHours: input.creditHours ?? null,
      })
      .returning();
    return sessionJson(row!);
  });
}

/** Changes the given fields of a session. */
export async function updateSession(
  db: Database,
  orgId: string,
  eventId: string,
  sessionId: string,
  input: UpdateSessionInput,
) {
  return db.withOrg(orgId, async (tx) => {
    const where = and(
      eq(eventSessions.orgId, orgId),
      eq(eventSessions.eventId, eventId),
      eq(eventSessions.id, sessionId),
    );
    const [current] = await tx.select().from(eventSessions).where(where);
    if (!current) throw new AppError("not_found", `no session ${sessionId} in event ${eventId}`);
    const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : current.endsAt;
    checkTimes(startsAt, endsAt);
    const { startsAt: _s, endsAt: _e, ...rest } = input;
    const [row] = await tx
      .update(eventSessions)
      .set({ ...rest, startsAt, endsAt })
      .where(where)
      .returning();
    return sessionJson(row!);
  });
}

/** Removes a session from the agenda. */
export async function deleteSession(db: Database, orgId: string, eventId: string, sessionId: string) {
  const deleted = await db.withOrg(orgId, (tx) =>
    tx
      .delete(eventSessions)
      .where(
        and(
          eq(eventSessions.orgId, orgId),
          eq(eventSessions.eventId, eventId),
          eq(eventSessions.id, sessionId),
        ),
      )
      .returning({ id: eventSessions.id }),
  );
  if (deleted.length === 0) throw new AppError("not_found", `no session ${sessionId} in event ${eventId}`);
}
