import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";
import { emailQueued } from "../../jobs/wake.ts";
import { requireEvent } from "../events/event-json.ts";

export interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  purpose: string;
  refId: string | null;
  status: "queued" | "sending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
  createdAt: string;
}

const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** Delivery status of the organization's emails, newest first; with `eventId`, only the emails of that event. */
export async function listOutbox(
  db: Database,
  orgId: string,
  filter: {
    status?: string | undefined;
    refId?: string | undefined;
    eventId?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ emails: OutboxRow[]; counts: Record<string, number> }> {
  return db.withOrg(orgId, async (tx) => {
    if (filter.eventId) await requireEvent(tx, orgId, filter.eventId);
    // An event's emails are those about its registrations (tickets, waitlist), its invitations, or the event itself.
    const scope = filter.eventId
      ? sql`and (ref_id = ${filter.eventId}
          or ref_id in (select id from registrations where org_id = ${orgId} and event_id = ${filter.eventId})
          or ref_id in (select id from invitations where org_id = ${orgId} and event_id = ${filter.eventId}))`
      : sql``;
    const where = sql`org_id = ${orgId} ${scope} ${filter.status ? sql`and status = ${filter.status}` : sql``}
      ${filter.refId ? sql`and ref_id = ${filter.refId}` : sql``}`;
    const emails = await rows<OutboxRow>(
      tx,
      sql`select id, to_address as "to", subject, purpose, ref_id as "refId", status, attempts, last_error as "lastError",
            ${iso("next_attempt_at")} as "nextAttemptAt", ${iso("sent_at")} as "sentAt", ${iso("created_at")} as "createdAt"
          from email_outbox where ${where} order by created_at desc, id limit ${filter.limit} offset ${filter.offset}`,
    );
    const counts = await rows<{ status: string; n: number }>(
      tx,
      sql`select status, count(*)::int as n from email_outbox where org_id = ${orgId} ${scope} group by status`,
    );
    return {
      emails,
      counts: Object.fromEntries(
        ["queued", "sending", "sent", "failed"].map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0]),
      ),
    };
  });
}

/** Puts a failed email back in the queue for another round of attempts. */
export async function retryEmail(db: Database, orgId: string, id: string, now: Date): Promise<void> {
  const updated = await db.withOrg(orgId, (tx) =>
    rows<{ id: string }>(
      tx,
      sql`update email_outbox set status = 'queued', attempts = 0, next_attempt_at = ${now.toISOString()}::timestamptz
          where org_id = ${orgId} and id = ${id} and status = 'failed' returning id`,
    ),
  );
  if (updated.length === 0) throw new AppError("conflict", "only a failed email can be retried");
  emailQueued();
}
