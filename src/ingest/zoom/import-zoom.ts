import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";
import { type AttendeeImportResult, applyAttendees } from "./apply-attendees.ts";
import { parseZoomReport } from "./parse-zoom-report.ts";

/** Imports a Zoom webinar attendee report into an event: minutes summed per email, attendance, touchpoints. */
export async function importZoomReport(
  db: Database,
  orgId: string,
  eventId: string,
  file: { name: string; text: string },
  now: Date,
): Promise<AttendeeImportResult & { webinarId: string | null; topic: string | null }> {
  const [event] = await db.withOrg(orgId, (tx) =>
    rows<{ time_zone: string }>(
      tx,
      sql`select time_zone from events where org_id = ${orgId} and id = ${eventId}`,
    ),
  );
  if (!event) throw new AppError("not_found", `no event ${eventId}`);
  const report = parseZoomReport(file.text, event.time_zone);
  const key = report.webinarId ?? eventId;
  const result = await applyAttendees(
    db,
    orgId,
    eventId,
    { source: "zoom", kind: "zoom_webinar_attendees", channel: "webinar", online: true },
    { name: file.name, rowsRead: report.rowsRead, errors: report.errors },
    report.attendees.map((a) => ({
      externalId: `${key}:${a.email}`,
      email: a.email,
      firstName: a.firstName,
      lastName: a.lastName,
      status: "registered",
      attended: a.attended,
      minutes: a.attended ? a.minutes : null,
      registeredAt: a.registeredAt,
      attendedAt: a.firstJoin,
    })),
    now,
  );
  return { ...result, webinarId: report.webinarId, topic: report.topic };
}
