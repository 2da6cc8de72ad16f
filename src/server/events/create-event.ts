import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { events } from "../../db/schema/index.ts";
import { defaultFormat, type EventType } from "../../db/schema/vocabulary.ts";
import { scheduleStallSweep } from "../movement/movement-jobs.ts";
import { eventJson, isUniqueViolation } from "./event-json.ts";
import type { CreateEventInput } from "./schemas.ts";

/** Invite-only by default: the formats whose guests are nominated and approved rather than self-registered. */
const inviteOnlyByDefault: ReadonlySet<EventType> = new Set(["executive_roundtable", "partner_event"]);

/** Turns a name into a URL slug ("Berlin Summit 2025" → "berlin-summit-2025"). */
export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
  return s || "event";
}

/**
 * Creates an event; the format defaults from the type, and the slug from the name. An executive roundtable also books
 * the organization's daily stall sweep (idempotent), which schedules its 14/30/60-day stall checks once it has ended.
 */
export async function createEvent(
  db: Database,
  orgId: string,
  userId: string,
  input: CreateEventInput,
  now: Date = new Date(),
) {
  if (new Date(input.endsAt) < new Date(input.startsAt)) {
    throw new AppError("validation", "endsAt must not be before startsAt", "endsAt");
  }
  const slug = input.slug ?? slugify(input.name);
  try {
    const [row] = await db.withOrg(orgId, async (tx) => {
      if (input.type === "executive_roundtable") await scheduleStallSweep(tx, orgId, now);
      return tx
        .insert(events)
        .values({
          orgId,
          name: input.name,
          slug,
          type: input.type,
          format: input.format ?? defaultFormat[input.type],
          status: input.status ?? "draft",
          startsAt: new Date(input.startsAt),
          endsAt: new Date(input.endsAt),
          timeZone: input.timeZone,
          venue: input.venue ?? null,
          virtualUrl: input.virtualUrl ?? null,
          capacity: input.capacity ?? null,
          inviteOnly: input.inviteOnly ?? inviteOnlyByDefault.has(input.type),
          ownerUserId: input.ownerUserId ?? userId,
          description: input.description ?? null,
          registrationQuestions: input.registrationQuestions ?? [],
        })
        .returning();
    });
    return eventJson(row!);
  } catch (error) {
    if (isUniqueViolation(error, "events_slug_key")) {
      throw new AppError("conflict", `another event already uses the slug "${slug}"; choose another`, "slug");
    }
    throw error;
  }
}
