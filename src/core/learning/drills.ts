import { type Card, createEmptyCard, type FSRSParameters, fsrs, type Grade, Rating } from "ts-fsrs";
import type { ConfidenceStep } from "./model.ts";
import { byString } from "./stats.ts";

/**
 * Reinforcement drills: one FSRS card per learner × objective, scheduled in whole days. Drill answers are
 * practice, not measurement: nothing here feeds the knowledge metrics, which come only from the fixed pre, post
 * and delayed checks of `measurementSchedule`.
 */

/**
 * FSRS configured for day-level scheduling: short-term (minute) learning steps off, so every review lands at
 * least one day later; no fuzz, so the schedule is deterministic; intervals capped at a year.
 */
export const DRILL_FSRS_PARAMETERS: Partial<FSRSParameters> = {
  request_retention: 0.9,
  maximum_interval: 365,
  enable_fuzz: false,
  enable_short_term: false,
  learning_steps: [],
  relearning_steps: [],
};

const scheduler = fsrs(DRILL_FSRS_PARAMETERS);

export type DrillRating = "again" | "hard" | "good" | "easy";

const grades: Record<DrillRating, Grade> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
};

export interface DrillCard {
  learnerId: string;
  objectiveId: string;
  /** The FSRS state; `due` is always midnight UTC of the day the drill is due. */
  fsrs: Card;
}

const DAY_MS = 86_400_000;

/** Midnight UTC of the day `at` falls in. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** A new drill card for one learner and objective, due today. */
export function newDrillCard(learnerId: string, objectiveId: string, now: Date): DrillCard {
  const card = createEmptyCard(now);
  return { learnerId, objectiveId, fsrs: { ...card, due: startOfUtcDay(now) } };
}

/** One new card per learner × objective (duplicates collapsed), sorted by learner then objective. */
export function drillCards(
  learnerIds: readonly string[],
  objectiveIds: readonly string[],
  now: Date,
): DrillCard[] {
  const learners = [...new Set(learnerIds)].sort(byString);
  const objectives = [...new Set(objectiveIds)].sort(byString);
  return learners.flatMap((l) => objectives.map((o) => newDrillCard(l, o, now)));
}

/** The card after one review at `now`; the input card is not changed. The next due date is a whole day. */
export function scheduleReview(card: DrillCard, rating: DrillRating, now: Date): DrillCard {
  const next = scheduler.next(card.fsrs, now, grades[rating]).card;
  return {
    learnerId: card.learnerId,
    objectiveId: card.objectiveId,
    fsrs: { ...next, due: startOfUtcDay(next.due) },
  };
}

/** Cards due at `now` (due date on or before it), soonest first, then by learner and objective. */
export function dueCards(cards: readonly DrillCard[], now: Date): DrillCard[] {
  const t = now.getTime();
  return cards
    .filter((c) => c.fsrs.due.getTime() <= t)
    .sort(
      (a, b) =>
        a.fsrs.due.getTime() - b.fsrs.due.getTime() ||
        byString(a.learnerId, b.learnerId) ||
        byString(a.objectiveId, b.objectiveId),
    );
}

/**
 * The FSRS rating of a drill answer: wrong is "again"; right is "hard" when guessing or unsure (step 1–2),
 * "good" when fairly sure (3) and "easy" when certain (4); right without a confidence step is "good".
 */
export function drillRating(correct: boolean, confidence?: ConfidenceStep): DrillRating {
  if (!correct) return "again";
  if (confidence === undefined || confidence === 3) return "good";
  return confidence === 4 ? "easy" : "hard";
}
