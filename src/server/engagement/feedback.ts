import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { rows, type Tx } from "../../db/client.ts";
import { recordTouchpoint } from "../registration/people.ts";
import type { Attendee } from "./attendee.ts";

/**
 * Session (or whole-event, sessionId null) feedback: a rating 1–5 and an optional comment. One per person and
 * session: giving it again replaces the earlier one.
 */
export async function giveFeedback(
  tx: Tx,
  a: Attendee,
  input: { sessionId?: string | null | undefined; rating: number; comment?: string | null | undefined },
  now: Date,
): Promise<{ id: string; replaced: boolean }> {
  const sessionId = input.sessionId ?? null;
  if (sessionId) {
    const [s] = await rows<{ id: string }>(
      tx,
      sql`select id from event_sessions where org_id = ${a.orgId} and event_id = ${a.event.id} and id = ${sessionId}`,
    );
    if (!s) throw new AppError("validation", "no such session in this event", "sessionId");
  }
  // One per person and session without a unique index: serialise this person's feedback writes.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`feedback:${a.event.id}:${a.personId}`}, 0))`,
  );
  const [existing] = await rows<{ id: string }>(
    tx,
    sql`select id from feedback where org_id = ${a.orgId} and event_id = ${a.event.id} and person_id = ${a.personId}
          and session_id is not distinct from ${sessionId}::uuid`,
  );
  let id: string;
  if (existing) {
    id = existing.id;
    await tx.execute(
      sql`update feedback set rating = ${input.rating}, comment = ${input.comment ?? null}
          where org_id = ${a.orgId} and id = ${id}`,
    );
  } else {
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into feedback (org_id, event_id, session_id, person_id, rating, comment, created_at)
          values (${a.orgId}, ${a.event.id}, ${sessionId}, ${a.personId}, ${input.rating}, ${input.comment ?? null},
                  ${now.toISOString()}::timestamptz) returning id`,
    );
    id = row!.id;
  }
  await recordTouchpoint(tx, a.orgId, {
    externalId: `feedback:${id}`,
    occurredAt: now,
    kind: "feedback",
    online: !a.event.venue,
    personId: a.personId,
    eventId: a.event.id,
    sessionId,
    metadata: { rating: input.rating },
  });
  return { id, replaced: !!existing };
}
