import type { Database } from "../../db/client.ts";
import { localDateTime } from "../events/time-zone.ts";
import { eventBySlug, orgIdBySlug } from "./resolve-public.ts";
import { registeredCount } from "./waitlist.ts";

/** What the public registration page shows: no internal fields, times also written in the event's zone. */
export async function getPublicEvent(db: Database, orgSlug: string, eventSlug: string, now: Date) {
  const orgId = await orgIdBySlug(db, orgSlug);
  return db.withOrg(orgId, async (tx) => {
    const e = await eventBySlug(tx, orgId, eventSlug);
    const placesLeft =
      e.capacity === null ? null : Math.max(0, e.capacity - (await registeredCount(tx, orgId, e.id)));
    return {
      name: e.name,
      slug: e.slug,
      type: e.type,
      status: e.status,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      timeZone: e.timeZone,
      startsLocal: localDateTime(e.startsAt, e.timeZone),
      venue: e.venue,
      virtualUrl: e.virtualUrl,
      description: e.description,
      inviteOnly: e.inviteOnly,
      registrationOpen: e.status === "published" && !e.inviteOnly && e.endsAt.getTime() > now.getTime(),
      placesLeft,
      questions: e.registrationQuestions,
    };
  });
}
