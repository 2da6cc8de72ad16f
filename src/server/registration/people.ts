import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";

/**
 * The person with this email (case-insensitive), created if new. Names fill gaps but never overwrite what a CRM
 * import already knows.
 */
export async function upsertPersonByEmail(
  tx: Tx,
  orgId: string,
  person: { email: string; firstName?: string | null; lastName?: string | null },
): Promise<string> {
  const [row] = await rows<{ id: string }>(
    tx,
    sql`insert into people (org_id, email, first_name, last_name)
        values (${orgId}, ${person.email.trim()}, ${person.firstName ?? null}, ${person.lastName ?? null})
        on conflict (org_id, lower(email)) do update
          set first_name = coalesce(people.first_name, excluded.first_name),
              last_name = coalesce(people.last_name, excluded.last_name)
        returning id`,
  );
  return row!.id;
}

export interface TouchpointInput {
  externalId: string;
  occurredAt: Date;
  kind: string;
  channel?: string;
  online: boolean;
  personId: string;
  eventId: string;
  sessionId?: string | null;
  metadata?: Record<string, unknown>;
  source?: string;
}

/**
 * Appends to the timeline. (source, external_id) is unique and the external id is derived from the row it records,
 * so recording the same thing twice adds nothing.
 */
export async function recordTouchpoint(tx: Tx, orgId: string, t: TouchpointInput): Promise<void> {
  await tx.execute(
    sql`insert into touchpoints (org_id, source, external_id, occurred_at, channel, kind, online, person_id,
          account_id, event_id, session_id, metadata)
        select ${orgId}, ${t.source ?? "throughline"}, ${t.externalId}, ${t.occurredAt.toISOString()}::timestamptz,
          ${t.channel ?? "event"}, ${t.kind}, ${t.online}, p.id, p.account_id, ${t.eventId}, ${t.sessionId ?? null},
          ${JSON.stringify(t.metadata ?? {})}::jsonb
        from people p where p.org_id = ${orgId} and p.id = ${t.personId}
        on conflict (org_id, source, external_id) do nothing`,
  );
}
