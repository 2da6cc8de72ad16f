import { and, asc, eq, inArray } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type CommitmentStatus, commitmentSummary } from "../../core/learning/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { commitments, people } from "../../db/schema/index.ts";
import { scheduleJob } from "../../jobs/job-runner.ts";
import { DAY_MS, requireEvent, settingsOf, utcText } from "./event-lookup.ts";
import { LEARNING_JOBS } from "./job-kinds.ts";
import { learnerUrl, signLink, verifyLink } from "./link-token.ts";

/** At most this many commitment-to-change statements per learner and event. */
export const MAX_COMMITMENTS = 3;

const toDb = { fully: "implemented_fully", partly: "implemented_partly", not: "not_implemented" } as const;
const fromDb: Record<string, CommitmentStatus> = {
  pending: "no_response",
  implemented_fully: "fully",
  implemented_partly: "partly",
  not_implemented: "not",
};

type Row = typeof commitments.$inferSelect;

function commitmentJson(c: Row) {
  return {
    id: c.id,
    statement: c.statement,
    followUpDueAt: c.followUpDueAt ? c.followUpDueAt.toISOString() : null,
    status: fromDb[c.status] ?? "no_response",
    barriers: c.barriers,
    respondedAt: c.respondedAt ? c.respondedAt.toISOString() : null,
  };
}

async function ofLearner(tx: Tx, orgId: string, eventId: string, personId: string) {
  return tx
    .select()
    .from(commitments)
    .where(
      and(eq(commitments.orgId, orgId), eq(commitments.eventId, eventId), eq(commitments.personId, personId)),
    )
    .orderBy(asc(commitments.createdAt), asc(commitments.id));
}

/** The commitments a learner's link shows, with when the follow-up comes. */
export async function openCommitments(db: Database, token: string) {
  const link = await verifyLink(db, token, "commitments");
  return db.withOrg(link.o, async (tx) => {
    const event = await requireEvent(tx, link.o, link.i);
    const rows = await ofLearner(tx, link.o, link.i, link.p!);
    return {
      kind: "commitments" as const,
      eventName: event.name,
      max: MAX_COMMITMENTS,
      commitments: rows.map(commitmentJson),
    };
  });
}

/**
 * Adds commitment-to-change statements (at most 3 per learner and event; a statement already made is not added
 * twice). The follow-up is due `commitmentFollowUpDays` later and is scheduled as a durable job.
 */
export async function makeCommitments(db: Database, token: string, statements: string[], now: Date) {
  const link = await verifyLink(db, token, "commitments");
  return db.withOrg(link.o, async (tx) => {
    const event = await requireEvent(tx, link.o, link.i);
    if (now.getTime() < event.startsAt.getTime()) {
      throw new AppError(
        "conflict",
        "commitments to change are made at or after the activity; come back then",
      );
    }
    const settings = await settingsOf(tx, link.o, link.i);
    const existing = await ofLearner(tx, link.o, link.i, link.p!);
    const seen = new Set(existing.map((c) => c.statement.trim().toLowerCase()));
    const fresh = [...new Map(statements.map((s) => [s.trim().toLowerCase(), s.trim()])).entries()]
      .filter(([k]) => !seen.has(k))
      .map(([, s]) => s);
    if (existing.length + fresh.length > MAX_COMMITMENTS) {
      throw new AppError(
        "conflict",
        `at most ${MAX_COMMITMENTS} commitments per activity; you have ${existing.length} and sent ${fresh.length} new`,
        "statements",
      );
    }
    const due = new Date(now.getTime() + settings.commitmentFollowUpDays * DAY_MS);
    if (fresh.length > 0) {
      await tx.insert(commitments).values(
        fresh.map((statement) => ({
          orgId: link.o,
          eventId: link.i,
          personId: link.p!,
          statement,
          followUpDueAt: due,
        })),
      );
      await scheduleJob(tx, link.o, {
        kind: LEARNING_JOBS.commitmentFollowUp,
        runAt: existing[0]?.followUpDueAt ?? due,
        payload: { eventId: link.i, personId: link.p! },
        dedupeKey: `${LEARNING_JOBS.commitmentFollowUp}:${link.i}:${link.p}`,
      });
    }
    return { commitments: (await ofLearner(tx, link.o, link.i, link.p!)).map(commitmentJson) };
  });
}

/**
 * Records the follow-up of one commitment: implemented fully, partly or not, and the barriers. It opens when the
 * follow-up is due and stays open for the event's window; answering again before it closes replaces the answer.
 */
export async function answerFollowUp(
  db: Database,
  token: string,
  input: { commitmentId: string; status: "fully" | "partly" | "not"; barriers: string[] },
  now: Date,
) {
  const link = await verifyLink(db, token, "follow_up");
  return db.withOrg(link.o, async (tx) => {
    const rows = await ofLearner(tx, link.o, link.i, link.p!);
    const c = rows.find((r) => r.id === input.commitmentId);
    if (!c) throw new AppError("not_found", "no such commitment on this link", "commitmentId");
    const settings = await settingsOf(tx, link.o, link.i);
    const due = c.followUpDueAt ?? c.createdAt;
    if (now.getTime() < due.getTime()) {
      throw new AppError("conflict", `the follow-up opens on ${utcText(due)}; come back then`);
    }
    const closes = new Date(due.getTime() + settings.windowDays * DAY_MS);
    if (now.getTime() > closes.getTime()) {
      throw new AppError(
        "gone",
        `this follow-up closed on ${utcText(closes)}; answers are no longer accepted`,
      );
    }
    await tx
      .update(commitments)
      .set({ status: toDb[input.status], barriers: [...new Set(input.barriers)], respondedAt: now })
      .where(and(eq(commitments.orgId, link.o), eq(commitments.id, c.id)));
    return { commitments: (await ofLearner(tx, link.o, link.i, link.p!)).map(commitmentJson) };
  });
}

/** The follow-up link's view: the learner's commitments and their answers. */
export async function openFollowUp(db: Database, token: string) {
  const link = await verifyLink(db, token, "follow_up");
  return db.withOrg(link.o, async (tx) => {
    const event = await requireEvent(tx, link.o, link.i);
    const rows = await ofLearner(tx, link.o, link.i, link.p!);
    return { kind: "follow_up" as const, eventName: event.name, commitments: rows.map(commitmentJson) };
  });
}

/** Event-level learner links: state commitments, answer their follow-up, practise drills or claim credit. */
export async function commitmentLinks(
  db: Database,
  orgId: string,
  eventId: string,
  personIds: string[],
  kind: "commitments" | "follow_up" | "drill" | "credit",
  publicUrl: string | undefined,
) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const found = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.orgId, orgId), inArray(people.id, personIds)));
    const known = new Set(found.map((p) => p.id));
    const missing = personIds.find((p) => !known.has(p));
    if (missing) throw new AppError("validation", `no person ${missing}`, "personIds");
    const links = [];
    for (const personId of [...known]) {
      const token = await signLink(tx, { o: orgId, k: kind, i: eventId, p: personId });
      links.push({ personId, token, url: learnerUrl(publicUrl, token) });
    }
    return { links };
  });
}

/** All commitments of an event with the engine's summary (implemented share, barriers by frequency). */
export async function listCommitments(db: Database, orgId: string, eventId: string) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const rows = await tx
      .select()
      .from(commitments)
      .where(and(eq(commitments.orgId, orgId), eq(commitments.eventId, eventId)))
      .orderBy(asc(commitments.createdAt), asc(commitments.id));
    const summary = commitmentSummary(
      rows.map((c) => ({
        id: c.id,
        learnerId: c.personId,
        activityId: eventId,
        status: fromDb[c.status] ?? "no_response",
        barriers: c.barriers,
      })),
    );
    return { summary, commitments: rows.map((c) => ({ personId: c.personId, ...commitmentJson(c) })) };
  });
}
