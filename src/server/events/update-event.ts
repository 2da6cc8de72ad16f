import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { events } from "../../db/schema/index.ts";
import { scheduleStallSweep } from "../movement/movement-jobs.ts";
import { eventJson, isUniqueViolation, requireEvent } from "./event-json.ts";
import type { UpdateEventInput } from "./schemas.ts";

/**
 * Changes the given fields of an event; dates are checked against each other after the change. An event that is
 * (or becomes) an executive roundtable books the organization's daily stall sweep, as on creation.
 */
export async function updateEvent(
  db: Database,
  orgId: string,
  eventId: string,
  input: UpdateEventInput,
  now: Date = new Date(),
) {
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
      if (row!.type === "executive_roundtable" && row!.status !== "cancelled")
        await scheduleStallSweep(tx, orgId, now);
      return eventJson(row!);
    } catch (error) {
      if (isUniqueViolation(error, "events_slug_key")) {
        throw new AppError("conflict", `another event already uses the slug "${input.slug}"`, "slug");
      }
      throw error;
    }
  });
}
