import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";
import { type AttendeeImportResult, applyAttendees } from "../zoom/apply-attendees.ts";
import { parseEventbriteExport } from "./parse-eventbrite-export.ts";

/** Imports an Eventbrite attendee export into an event: registrations, cancellations, check-ins as attendance. */
export async function importEventbriteExport(
  db: Database,
  orgId: string,
  eventId: string,
  file: { name: string; text: string },
  now: Date,
): Promise<AttendeeImportResult> {
  const [event] = await db.withOrg(orgId, (tx) =>
    rows<{ time_zone: string }>(
      tx,
      sql`select time_zone from events where org_id = ${orgId} and id = ${eventId}`,
    ),
  );
  if (!event) throw new AppError("not_found", `no event ${eventId}`);
  const parsed = parseEventbriteExport(file.text, event.time_zone);
  return applyAttendees(
    db,
    orgId,
    eventId,
    { source: "eventbrite", kind: "eventbrite_attendees", channel: "event", online: false },
    { name: file.name, rowsRead: parsed.rowsRead, errors: parsed.errors },
    parsed.attendees.map((a) => ({
      externalId: a.externalId,
      email: a.email,
      firstName: a.firstName,
      lastName: a.lastName,
      status: a.status,
      attended: a.attended,
      minutes: null,
      registeredAt: a.orderedAt,
      attendedAt: null,
    })),
    now,
  );
}
