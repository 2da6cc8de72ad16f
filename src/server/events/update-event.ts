import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { events } from "../../db/schema/index.ts";
import { eventJson, isUniqueViolation, requireEvent } from "./event-json.ts";
import type { UpdateEventInput } from "./schemas.ts";

/** Changes the given fields of an event; dates are checked against each other after the change. */
export async function updateEvent(db: Database, orgId: string, eventId: string, input: UpdateEventInput) {
  return db.withOrg(orgId, async (tx) => {
    const current = await requireEvent(tx, orgId, eventId);
    const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : current.endsAt;
    if (endsAt < startsAt) throw new AppError("validation", "endsAt must not be before startsAt", "endsAt");
    const { startsAt: _s, endsAt: _e, ...rest } = input;
    try {
      const [row] = await tx
        .update(events)
        .set({ ...rest, startsAt, endsAt })
        .where(and(eq(events.orgId, orgId), eq(events.id, eventId)))
        .returning();
      return eventJson(row!);
    } catch (error) {
      if (isUniqueViolation(error, "events_slug_key")) {
        throw new AppError("conflict", `another event already uses the slug "${input.slug}"`, "slug");
      }
      throw error;
    }
  });
}
