import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { rows, type Tx } from "../../db/client.ts";
import { recordTouchpoint } from "../registration/people.ts";
import type { Attendee } from "./attendee.ts";

export interface QuestionView {
  id: string;
  sessionId: string | null;
  text: string;
  answered: boolean;
  votes: number;
  /** Whether the asking attendee has upvoted it (false for staff views). */
  mine: boolean;
  createdAt: string;
}

/** Questions of an event, most upvoted first, then oldest first. */
export async function questionsOf(
  tx: Tx,
  orgId: string,
  eventId: string,
  personId?: string,
): Promise<QuestionView[]> {
  return rows<QuestionView>(
    tx,
    sql`select q.id, q.session_id as "sessionId", q.text, q.answered,
          (select count(*)::int from question_votes v where v.org_id = q.org_id and v.question_id = q.id) as votes,
          exists (select 1 from question_votes v where v.org_id = q.org_id and v.question_id = q.id
            and v.person_id = ${personId ?? null}) as mine,
          to_char(q.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"
        from questions q where q.org_id = ${orgId} and q.event_id = ${eventId}
        order by votes desc, q.created_at, q.id`,
  );
}

/** An attendee asks a question (optionally in a session). */
export async function askQuestion(
  tx: Tx,
  a: Attendee,
  input: { text: string; sessionId?: string | null | undefined },
  now: Date,
) {
  if (input.sessionId) {
    const [s] = await rows<{ id: string }>(
      tx,
      sql`select id from event_sessions where org_id = ${a.orgId} and event_id = ${a.event.id} and id = ${input.sessionId}`,
    );
    if (!s) throw new AppError("validation", "no such session in this event", "sessionId");
  }
  const [q] = await rows<{ id: string }>(
    tx,
    sql`insert into questions (org_id, event_id, session_id, person_id, text, created_at)
        values (${a.orgId}, ${a.event.id}, ${input.sessionId ?? null}, ${a.personId}, ${input.text},
                ${now.toISOString()}::timestamptz) returning id`,
  );
  await recordTouchpoint(tx, a.orgId, {
    externalId: `question:${q!.id}`,
    occurredAt: now,
    kind: "question",
    online: !a.event.venue,
    personId: a.personId,
    eventId: a.event.id,
    sessionId: input.sessionId ?? null,
  });
  return q!.id;
}

/** Upvotes a question, once per person: voting again changes nothing. */
export async function voteQuestion(tx: Tx, a: Attendee, questionId: string, now: Date) {
  const [q] = await rows<{ id: string; session_id: string | null }>(
    tx,
    sql`select id, session_id from questions where org_id = ${a.orgId} and event_id = ${a.event.id} and id = ${questionId}`,
  );
  if (!q) throw new AppError("not_found", "no such question");
  await tx.execute(
    sql`insert into question_votes (org_id, question_id, person_id) values (${a.orgId}, ${questionId}, ${a.personId})
        on conflict do nothing`,
  );
  await recordTouchpoint(tx, a.orgId, {
    externalId: `question_vote:${questionId}:${a.personId}`,
    occurredAt: now,
    kind: "question_vote",
    online: !a.event.venue,
    personId: a.personId,
    eventId: a.event.id,
    sessionId: q.session_id,
  });
}
