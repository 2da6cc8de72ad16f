import { and, asc, eq, inArray } from "drizzle-orm";
import type { Card } from "ts-fsrs";
import { AppError } from "../../core/errors.ts";
import {
  type ConfidenceStep,
  drillCards as coreDrillCards,
  type DrillCard,
  drillRating,
  scheduleReview,
  startOfUtcDay,
} from "../../core/learning/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { assessmentItems, assessments, drillCards, drillReviews } from "../../db/schema/index.ts";
import { scheduleJob } from "../../jobs/job-runner.ts";
import { gradeAnswer } from "./grade.ts";
import { LEARNING_JOBS } from "./job-kinds.ts";
import { verifyLink } from "./link-token.ts";

/**
 * Reinforcement drills: spaced practice on one FSRS card per learner × objective. They are kept apart from
 * measurement on purpose: drill answers go to drill_reviews, never to responses, and the measurement windows never
 * move with drill results, so the knowledge metrics are not biased by practice.
 */

function toJson(card: Card): Record<string, unknown> {
  return { ...card, due: card.due.toISOString(), last_review: card.last_review?.toISOString() ?? null };
}

function fromJson(value: Record<string, unknown>): Card {
  const v = value as Record<string, unknown> & { due: string; last_review: string | null };
  const { last_review, ...rest } = v;
  return {
    ...(rest as unknown as Card),
    due: new Date(v.due),
    ...(last_review ? { last_review: new Date(last_review) } : {}),
  };
}

/** One card per learner × objective (created once); the first drill is due the day after the post-test. */
export async function ensureDrillCards(
  tx: Tx,
  orgId: string,
  eventId: string,
  personId: string,
  objectives: readonly string[],
  now: Date,
): Promise<number> {
  const firstDay = new Date(startOfUtcDay(now).getTime() + 86_400_000);
  const cards = coreDrillCards([personId], objectives, firstDay);
  if (cards.length === 0) return 0;
  const inserted = await tx
    .insert(drillCards)
    .values(
      cards.map((c) => ({
        orgId,
        eventId,
        personId,
        objective: c.objectiveId,
        fsrs: toJson(c.fsrs),
        dueAt: c.fsrs.due,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: drillCards.id });
  await scheduleJob(tx, orgId, {
    kind: LEARNING_JOBS.drillDue,
    runAt: firstDay,
    payload: { eventId, personId },
    dedupeKey: `${LEARNING_JOBS.drillDue}:${eventId}:${personId}:${firstDay.toISOString().slice(0, 10)}`,
  });
  return inserted.length;
}

async function objectiveItems(tx: Tx, orgId: string, eventId: string) {
  const rows = await tx
    .select({
      id: assessmentItems.id,
      objective: assessmentItems.objective,
      kind: assessmentItems.kind,
      prompt: assessmentItems.prompt,
      options: assessmentItems.options,
      correct: assessmentItems.correct,
      position: assessmentItems.position,
    })
    .from(assessmentItems)
    .innerJoin(
      assessments,
      and(eq(assessments.orgId, assessmentItems.orgId), eq(assessments.id, assessmentItems.assessmentId)),
    )
    .where(and(eq(assessmentItems.orgId, orgId), eq(assessments.eventId, eventId)))
    .orderBy(asc(assessmentItems.id));
  const byObjective = new Map<string, typeof rows>();
  for (const r of rows) byObjective.set(r.objective, [...(byObjective.get(r.objective) ?? []), r]);
  return byObjective;
}

/** The drills due for the learner of a drill link: one item per due card, rotating through the objective's items. */
export async function openDrill(db: Database, token: string, now: Date) {
  const link = await verifyLink(db, token, "drill");
  return db.withOrg(link.o, async (tx) => {
    const cards = await tx
      .select()
      .from(drillCards)
      .where(
        and(eq(drillCards.orgId, link.o), eq(drillCards.eventId, link.i), eq(drillCards.personId, link.p!)),
      )
      .orderBy(asc(drillCards.dueAt), asc(drillCards.objective));
    const items = await objectiveItems(tx, link.o, link.i);
    const due = cards.filter((c) => c.dueAt.getTime() <= now.getTime());
    const next = cards.find((c) => c.dueAt.getTime() > now.getTime());
    return {
      kind: "drill" as const,
      note: "Practice only: drill answers never count toward your assessment results.",
      due: due.flatMap((c) => {
        const pool = items.get(c.objective) ?? [];
        const item = pool[c.reviews % Math.max(1, pool.length)];
        if (!item) return [];
        return [
          {
            cardId: c.id,
            objective: c.objective,
            item: { id: item.id, kind: item.kind, prompt: item.prompt, options: item.options },
          },
        ];
      }),
      nextDueAt: next ? next.dueAt.toISOString() : null,
      cards: cards.length,
    };
  });
}

/**
 * Records one drill answer and reschedules the card in whole days. A card is reviewed once per due day: the same
 * answer sent again (a reused link) is refused as already practised, never counted twice.
 */
export async function answerDrill(
  db: Database,
  token: string,
  input: { cardId: string; itemId: string; answer: number[]; confidence: ConfidenceStep },
  now: Date,
) {
  const link = await verifyLink(db, token, "drill");
  return db.withOrg(link.o, async (tx) => {
    const [card] = await tx
      .select()
      .from(drillCards)
      .where(
        and(
          eq(drillCards.orgId, link.o),
          eq(drillCards.id, input.cardId),
          eq(drillCards.personId, link.p!),
          eq(drillCards.eventId, link.i),
        ),
      );
    if (!card) throw new AppError("not_found", `no drill card ${input.cardId} on this link`);
    if (card.dueAt.getTime() > now.getTime()) {
      throw new AppError(
        "conflict",
        `already practised; the next drill on this objective is due ${card.dueAt.toISOString().slice(0, 10)}`,
      );
    }
    const [item] = await tx
      .select()
      .from(assessmentItems)
      .where(and(eq(assessmentItems.orgId, link.o), eq(assessmentItems.id, input.itemId)));
    if (!item || item.objective !== card.objective) {
      throw new AppError("validation", "this item does not belong to the card's objective", "itemId");
    }
    const correct = gradeAnswer(item, input.answer);
    const rating = drillRating(correct, input.confidence);
    const current: DrillCard = {
      learnerId: card.personId,
      objectiveId: card.objective,
      fsrs: fromJson(card.fsrs),
    };
    const next = scheduleReview(current, rating, now);
    const dueDay = card.dueAt.toISOString().slice(0, 10);
    const [review] = await tx
      .insert(drillReviews)
      .values({
        orgId: link.o,
        cardId: card.id,
        itemId: item.id,
        dueDay,
        answer: [...new Set(input.answer)].sort((a, b) => a - b),
        correct,
        confidence: input.confidence,
        rating,
        reviewedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: drillReviews.id });
    if (!review) throw new AppError("conflict", "this drill was already answered for today");
    await tx
      .update(drillCards)
      .set({ fsrs: toJson(next.fsrs), dueAt: next.fsrs.due, reviews: card.reviews + 1 })
      .where(and(eq(drillCards.orgId, link.o), eq(drillCards.id, card.id)));
    await scheduleJob(tx, link.o, {
      kind: LEARNING_JOBS.drillDue,
      runAt: next.fsrs.due,
      payload: { eventId: link.i, personId: link.p! },
      dedupeKey: `${LEARNING_JOBS.drillDue}:${link.i}:${link.p}:${next.fsrs.due.toISOString().slice(0, 10)}`,
    });
    return { correct, rating, correctOptions: item.correct, nextDueAt: next.fsrs.due.toISOString() };
  });
}

/** Drill activity of an event, reported apart from measurement: cards, reviews, share right, cards due. */
export async function drillSummary(tx: Tx, orgId: string, eventId: string, now: Date) {
  const cards = await tx
    .select()
    .from(drillCards)
    .where(and(eq(drillCards.orgId, orgId), eq(drillCards.eventId, eventId)));
  const ids = cards.map((c) => c.id);
  const reviews =
    ids.length === 0
      ? []
      : await tx
          .select()
          .from(drillReviews)
          .where(and(eq(drillReviews.orgId, orgId), inArray(drillReviews.cardId, ids)));
  const due = cards.filter((c) => c.dueAt.getTime() <= now.getTime()).length;
  const right = reviews.filter((r) => r.correct).length;
  return {
    note: "Reinforcement practice. Not part of any knowledge metric: measurement uses only pre, post and delayed checks.",
    learners: new Set(cards.map((c) => c.personId)).size,
    cards: cards.length,
    reviews: reviews.length,
    correctShare: reviews.length === 0 ? null : right / reviews.length,
    dueNow: due,
  };
}

/** Reviews by a person on an objective (journeys: a reinforcement step is done by a right drill answer). */
export async function drillReviewsOf(tx: Tx, orgId: string, personIds: string[]) {
  if (personIds.length === 0) return [];
  return tx
    .select({
      personId: drillCards.personId,
      objective: drillCards.objective,
      correct: drillReviews.correct,
      reviewedAt: drillReviews.reviewedAt,
    })
    .from(drillReviews)
    .innerJoin(
      drillCards,
      and(eq(drillCards.orgId, drillReviews.orgId), eq(drillCards.id, drillReviews.cardId)),
    )
    .where(and(eq(drillReviews.orgId, orgId), inArray(drillCards.personId, personIds)));
}
