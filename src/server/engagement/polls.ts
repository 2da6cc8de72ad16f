import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { requireEvent } from "../events/event-json.ts";
import { recordTouchpoint } from "../registration/people.ts";
import type { Attendee } from "./attendee.ts";

export interface PollView {
  id: string;
  sessionId: string | null;
  question: string;
  options: string[];
  status: "draft" | "open" | "closed";
  /** Answers per option, in option order. */
  counts: number[];
  respondents: number;
}

async function requireSession(tx: Tx, orgId: string, eventId: string, sessionId: string | null | undefined) {
  if (!sessionId) return;
  const [s] = await rows<{ id: string }>(
    tx,
    sql`select id from event_sessions where org_id = ${orgId} and event_id = ${eventId} and id = ${sessionId}`,
  );
  if (!s) throw new AppError("validation", "no such session in this event", "sessionId");
}

/** Creates a poll (a draft until opened). */
export async function createPoll(
  db: Database,
  orgId: string,
  eventId: string,
  input: { question: string; options: string[]; sessionId?: string | null | undefined },
) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    await requireSession(tx, orgId, eventId, input.sessionId);
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into polls (org_id, event_id, session_id, question, options)
          values (${orgId}, ${eventId}, ${input.sessionId ?? null}, ${input.question}, ${JSON.stringify(input.options)}::jsonb)
          returning id`,
    );
    return (await pollsOf(tx, orgId, eventId, row!.id))[0]!;
  });
}

/** Opens or closes a poll. */
export async function setPollStatus(
  db: Database,
  orgId: string,
  eventId: string,
  pollId: string,
  status: "open" | "closed",
) {
  return db.withOrg(orgId, async (tx) => {
    const updated = await rows<{ id: string }>(
      tx,
      sql`update polls set status = ${status} where org_id = ${orgId} and event_id = ${eventId} and id = ${pollId} returning id`,
    );
    if (updated.length === 0) throw new AppError("not_found", `no poll ${pollId} in this event`);
    return (await pollsOf(tx, orgId, eventId, pollId))[0]!;
  });
}

/** Polls of an event with their results. */
export async function pollsOf(tx: Tx, orgId: string, eventId: string, pollId?: string): Promise<PollView[]> {
  const polls = await rows<{
    id: string;
    session_id: string | null;
    question: string;
    options: string[];
    status: PollView["status"];
  }>(
    tx,
    sql`select id, session_id, question, options, status from polls where org_id = ${orgId} and event_id = ${eventId}
        ${pollId ? sql`and id = ${pollId}` : sql``} order by created_at, id`,
  );
  const answers = await rows<{ poll_id: string; option_index: number; n: number }>(
    tx,
    sql`select a.poll_id, a.option_index, count(*)::int as n from poll_answers a
        join polls p on p.org_id = a.org_id and p.id = a.poll_id
        where a.org_id = ${orgId} and p.event_id = ${eventId} group by a.poll_id, a.option_index`,
  );
  return polls.map((p) => {
    const counts = p.options.map(() => 0);
    for (const a of answers) if (a.poll_id === p.id) counts[a.option_index] = a.n;
    return {
      id: p.id,
      sessionId: p.session_id,
      question: p.question,
      options: p.options,
      status: p.status,
      counts,
      respondents: counts.reduce((x, y) => x + y, 0),
    };
  });
}

/** An attendee answers an open poll, once: a second answer is refused and the first kept. */
export async function answerPoll(tx: Tx, a: Attendee, pollId: string, optionIndex: number, now: Date) {
  const [poll] = await rows<{ status: string; options: string[] }>(
    tx,
    sql`select status, options from polls where org_id = ${a.orgId} and event_id = ${a.event.id} and id = ${pollId}`,
  );
  if (!poll) throw new AppError("not_found", "no such poll");
  if (poll.status !== "open") throw new AppError("conflict", "this poll is not open");
  if (optionIndex >= poll.options.length) {
    throw new AppError("validation", `optionIndex must be below ${poll.options.length}`, "optionIndex");
  }
  const inserted = await rows<{ id: string }>(
    tx,
    sql`insert into poll_answers (org_id, poll_id, person_id, option_index, answered_at)
        values (${a.orgId}, ${pollId}, ${a.personId}, ${optionIndex}, ${now.toISOString()}::timestamptz)
        on conflict (org_id, poll_id, person_id) do nothing returning id`,
  );
  if (inserted.length === 0) throw new AppError("conflict", "you have already answered this poll");
  await recordTouchpoint(tx, a.orgId, {
    externalId: `poll_answer:${inserted[0]!.id}`,
    occurredAt: now,
    kind: "poll_answer",
    online: !a.event.venue,
    personId: a.personId,
    eventId: a.event.id,
    metadata: { pollId, optionIndex },
  });
  return (await pollsOf(tx, a.orgId, a.event.id, pollId))[0]!;
}
