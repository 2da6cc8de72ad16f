import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";
import type { ImportProblem } from "./parse-zoom-report.ts";

/** One person from an attendee file (Zoom or Eventbrite), reduced to what the event needs. */
export interface AttendeeRecord {
  /** Stable id of this person in the source file (repeat imports find the same one). */
  externalId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: "registered" | "cancelled";
  attended: boolean;
  minutes: number | null;
  registeredAt: Date | null;
  attendedAt: Date | null;
}

export interface AttendeeImportResult {
  runId: string;
  rowsRead: number;
  people: number;
  registrationsCreated: number;
  registrationsUpdated: number;
  registrationsUnchanged: number;
  touchpointsAdded: number;
  errors: ImportProblem[];
}

export interface AttendeeSource {
  /** touchpoints.source and registrations.source: "zoom" or "eventbrite". */
  source: string;
  /** import_runs.kind */
  kind: string;
  channel: string;
  online: boolean;
}

/**
 * Applies attendee records to an event in one transaction: people matched by email (created when new),
 * registrations created or brought up to date (attendance, minutes, cancellation), and one touchpoint per
 * registration and per attendance, keyed by the source's ids so that importing the same file again adds nothing.
 * Rows with problems are reported by row number and skipped; the rest are kept.
 */
export async function applyAttendees(
  db: Database,
  orgId: string,
  eventId: string,
  src: AttendeeSource,
  file: { name: string; rowsRead: number; errors: ImportProblem[] },
  records: readonly AttendeeRecord[],
  now: Date,
): Promise<AttendeeImportResult> {
  return db.withOrg(orgId, async (tx) => {
    const [event] = await rows<{ starts_at: Date | string }>(
      tx,
      sql`select starts_at from events where org_id = ${orgId} and id = ${eventId} for update`,
    );
    if (!event) throw new AppError("not_found", `no event ${eventId}`);
    const eventStart = new Date(event.starts_at);
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    let touchpoints = 0;
    for (const r of records) {
      const [person] = await rows<{ id: string }>(
        tx,
        sql`insert into people (org_id, email, first_name, last_name) values (${orgId}, ${r.email}, ${r.firstName}, ${r.lastName})
            on conflict (org_id, lower(email)) do update
              set first_name = coalesce(people.first_name, excluded.first_name),
                  last_name = coalesce(people.last_name, excluded.last_name)
            returning id`,
      );
      const personId = person!.id;
      const [existing] = await rows<{
        id: string;
        status: string;
        source: string;
        attended: boolean | null;
        minutes_attended: number | null;
      }>(
        tx,
        sql`select id, status, source, attended, minutes_attended from registrations
            where org_id = ${orgId} and event_id = ${eventId} and person_id = ${personId}`,
      );
      const minutes = r.minutes === null ? null : Math.round(r.minutes);
      if (!existing) {
        await tx.execute(
          sql`insert into registrations (org_id, event_id, person_id, status, source, external_id, consent, attended,
                minutes_attended, created_at, updated_at)
              values (${orgId}, ${eventId}, ${personId}, ${r.status}, ${src.source}, ${r.externalId}, false, ${r.attended},
                ${minutes}, ${(r.registeredAt ?? now).toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)`,
        );
        created++;
      } else {
        // The source may cancel only what it created; attendance it reports adds to any registration.
        const status = existing.source === src.source ? r.status : existing.status;
        const attended = (existing.attended ?? false) || r.attended;
        const mins = minutes ?? existing.minutes_attended;
        if (
          status === existing.status &&
          attended === (existing.attended ?? false) &&
          mins === existing.minutes_attended
        ) {
          unchanged++;
        } else {
          await tx.execute(
            sql`update registrations set status = ${status}, attended = ${attended}, minutes_attended = ${mins},
                  updated_at = ${now.toISOString()}::timestamptz
                where org_id = ${orgId} and id = ${existing.id}`,
          );
          updated++;
        }
      }
      const add = async (suffix: string, kind: string, at: Date, metadata: Record<string, unknown>) => {
        const inserted = await rows<{ id: string }>(
          tx,
          sql`insert into touchpoints (org_id, source, external_id, occurred_at, channel, kind, online, person_id,
                account_id, event_id, metadata)
              select ${orgId}, ${src.source}, ${`${r.externalId}:${suffix}`}, ${at.toISOString()}::timestamptz,
                ${src.channel}, ${kind}, ${src.online}, p.id, p.account_id, ${eventId}, ${JSON.stringify(metadata)}::jsonb
              from people p where p.org_id = ${orgId} and p.id = ${personId}
              on conflict (org_id, source, external_id) do nothing returning id`,
        );
        touchpoints += inserted.length;
      };
      await add("registration", "registration", r.registeredAt ?? eventStart, { status: r.status });
      if (r.attended) {
        await add("attended", "attended", r.attendedAt ?? eventStart, minutes === null ? {} : { minutes });
      }
    }
    const [run] = await rows<{ id: string }>(
      tx,
      sql`insert into import_runs (org_id, kind, file_name, mode, status, rows_total, rows_inserted, rows_unchanged,
            rows_rejected, errors, finished_at)
          values (${orgId}, ${src.kind}, ${file.name}, 'keep_valid', 'done', ${file.rowsRead}, ${created + updated},
            ${unchanged}, ${file.errors.length}, ${JSON.stringify(file.errors)}::jsonb, ${now.toISOString()}::timestamptz)
          returning id`,
    );
    return {
      runId: run!.id,
      rowsRead: file.rowsRead,
      people: records.length,
      registrationsCreated: created,
      registrationsUpdated: updated,
      registrationsUnchanged: unchanged,
      touchpointsAdded: touchpoints,
      errors: file.errors,
    };
  });
}
