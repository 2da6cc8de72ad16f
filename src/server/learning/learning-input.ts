import { and, eq, isNotNull } from "drizzle-orm";
import type {
  Commitment,
  CommitmentStatus,
  Item,
  LearnerResponse,
  Satisfaction,
} from "../../core/learning/index.ts";
import type { Tx } from "../../db/client.ts";
import {
  assessmentAttempts,
  assessmentItems,
  assessments,
  commitments,
  feedback,
  responses,
} from "../../db/schema/index.ts";
import { type EventAttendance, eventAttendance } from "./attendance.ts";
import { eventSessionsOf, type SessionRow } from "./event-lookup.ts";

const statusOf: Record<string, CommitmentStatus> = {
  pending: "no_response",
  implemented_fully: "fully",
  implemented_partly: "partly",
  not_implemented: "not",
};

export interface EventLearningData {
  items: Item[];
  responses: LearnerResponse[];
  satisfaction: Satisfaction[];
  commitments: Commitment[];
  attendance: EventAttendance;
  sessions: SessionRow[];
  /** Item kind, for clarity (scenario items). */
  itemRows: (typeof assessmentItems.$inferSelect & { sessionId: string | null })[];
}

/**
 * Everything the learning engine reads for one event, as plain rows: items (activity = the event, objective = the
 * item's objective text), measurement responses of submitted attempts only (pre, post, delayed; drill answers live
 * elsewhere),
 * satisfaction from session feedback, commitments with their follow-up status, and attendance.
 */
export async function loadEventLearning(tx: Tx, orgId: string, eventId: string): Promise<EventLearningData> {
  const sessions = await eventSessionsOf(tx, orgId, eventId);
  const itemRows = await tx
    .select({ item: assessmentItems, sessionId: assessments.sessionId })
    .from(assessmentItems)
    .innerJoin(
      assessments,
      and(eq(assessments.orgId, assessmentItems.orgId), eq(assessments.id, assessmentItems.assessmentId)),
    )
    .where(and(eq(assessmentItems.orgId, orgId), eq(assessments.eventId, eventId)));
  const items: Item[] = itemRows.map(({ item, sessionId }) => ({
    id: item.id,
    activityId: eventId,
    ...(sessionId ? { sessionId } : {}),
    objectiveId: item.objective,
    kind: item.kind,
    level: item.outcomeLevel,
  }));
  const answerRows = await tx
    .select({
      personId: responses.personId,
      itemId: responses.itemId,
      correct: responses.correct,
      confidence: responses.confidence,
      phase: assessmentAttempts.phase,
      delayDays: assessmentAttempts.delayDays,
    })
    .from(responses)
    .innerJoin(
      assessmentAttempts,
      and(eq(assessmentAttempts.orgId, responses.orgId), eq(assessmentAttempts.id, responses.attemptId)),
    )
    .innerJoin(
      assessments,
      and(
        eq(assessments.orgId, assessmentAttempts.orgId),
        eq(assessments.id, assessmentAttempts.assessmentId),
      ),
    )
    // Only submitted attempts count: answers saved and never submitted are a draft the learner may still change
    // (or abandoned), and a report that moved with drafts could not be reproduced.
    .where(
      and(
        eq(responses.orgId, orgId),
        eq(assessments.eventId, eventId),
        isNotNull(assessmentAttempts.submittedAt),
      ),
    );
  const learnerResponses: LearnerResponse[] = answerRows.map((r) => ({
    learnerId: r.personId,
    itemId: r.itemId,
    phase: r.phase,
    ...(r.phase === "delayed" ? { delayDays: r.delayDays } : {}),
    correct: r.correct,
    confidence: r.confidence as 1 | 2 | 3 | 4,
  }));
  const ratings = await tx
    .select()
    .from(feedback)
    .where(and(eq(feedback.orgId, orgId), eq(feedback.eventId, eventId)));
  const satisfaction: Satisfaction[] = ratings.map((f) => ({
    learnerId: f.personId ?? `anonymous:${f.id}`,
    activityId: eventId,
    ...(f.sessionId ? { sessionId: f.sessionId } : {}),
    rating: f.rating,
  }));
  const commitmentRows = await tx
    .select()
    .from(commitments)
    .where(and(eq(commitments.orgId, orgId), eq(commitments.eventId, eventId)));
  const commitmentList: Commitment[] = commitmentRows.map((c) => ({
    id: c.id,
    learnerId: c.personId,
    activityId: eventId,
    status: statusOf[c.status] ?? "no_response",
    barriers: c.barriers,
  }));
  const attendance = await eventAttendance(tx, orgId, eventId, sessions);
  return {
    items,
    responses: learnerResponses,
    satisfaction,
    commitments: commitmentList,
    attendance,
    sessions,
    itemRows: itemRows.map(({ item, sessionId }) => ({ ...item, sessionId })),
  };
}
