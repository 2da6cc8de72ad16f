import { and, asc, eq } from "drizzle-orm";
import {
  type Attendance,
  type Commitment,
  type Item,
  type LearnerResponse,
  learningReport,
  type Satisfaction,
} from "../../core/learning/index.ts";
import type { Database } from "../../db/client.ts";
import { assessments, events } from "../../db/schema/index.ts";
import type { EventType } from "../../db/schema/vocabulary.ts";
import { loadEventLearning } from "./learning-input.ts";

const POOLED = "pooled";

/**
 * Learning across every activity of one type (CME activities by default), pooled: each learner's sitting of each
 * activity counts as one learner (person × event), so someone who took two activities weighs twice, once per
 * activity. Returns the pooled headline figures and each activity's own.
 */
export async function learningSummary(db: Database, orgId: string, type: EventType, now: Date) {
  return db.withOrg(orgId, async (tx) => {
    const withAssessments = await tx
      .selectDistinct({ id: events.id, name: events.name, endsAt: events.endsAt })
      .from(events)
      .innerJoin(assessments, and(eq(assessments.orgId, events.orgId), eq(assessments.eventId, events.id)))
      .where(and(eq(events.orgId, orgId), eq(events.type, type)))
      .orderBy(asc(events.endsAt));
    const items: Item[] = [];
    const responses: LearnerResponse[] = [];
    const attendance: Attendance[] = [];
    const satisfaction: Satisfaction[] = [];
    const commitments: Commitment[] = [];
    const perEvent = [];
    for (const e of withAssessments) {
      const d = await loadEventLearning(tx, orgId, e.id);
      const who = (learnerId: string) => `${learnerId}|${e.id}`;
      items.push(...d.items.map(({ sessionId: _s, ...i }) => ({ ...i, activityId: POOLED })));
      responses.push(...d.responses.map((r) => ({ ...r, learnerId: who(r.learnerId) })));
      attendance.push(
        ...d.attendance.rows.map(({ sessionId: _s, ...a }) => ({
          ...a,
          activityId: POOLED,
          learnerId: who(a.learnerId),
        })),
      );
      satisfaction.push(
        ...d.satisfaction.map(({ sessionId: _s, ...s }) => ({
          ...s,
          activityId: POOLED,
          learnerId: who(s.learnerId),
        })),
      );
      commitments.push(
        ...d.commitments.map((c) => ({ ...c, activityId: POOLED, learnerId: who(c.learnerId) })),
      );
      const own = learningReport({ items: d.items, responses: d.responses }).activities[0];
      const k = own?.outcomes.knowledge;
      perEvent.push({
        eventId: e.id,
        name: e.name,
        endsAt: e.endsAt.toISOString(),
        matchedPrePost: k?.matchedPrePost ?? 0,
        gainOfClassAverages: k?.gainOfClassAverages.kind === "gain" ? k.gainOfClassAverages.value : null,
        gainLabel:
          k?.gainOfClassAverages.kind === "gain" ? "gain" : (k?.gainOfClassAverages.kind ?? "no_baseline"),
      });
    }
    const pooled = learningReport({
      items,
      responses,
      attendance,
      satisfaction,
      commitments,
    }).activities.find((a) => a.activityId === POOLED);
    const k = pooled?.outcomes.knowledge;
    return {
      type,
      generatedAt: now.toISOString(),
      activities: withAssessments.length,
      pooled: k
        ? {
            learnerSittings: pooled!.indicators.participation.participants,
            matchedPrePost: k.matchedPrePost,
            preMeanPercent: k.pre.meanPercent,
            postMeanPercent: k.post.meanPercent,
            gainOfClassAverages: k.gainOfClassAverages,
            meanOfLearnerGains: k.meanOfLearnerGains,
            retention: k.retention,
            confidentWrongPostShare: k.calibration.post.confidentWrong.share,
            calibration: k.calibration,
            commitments: pooled!.outcomes.commitments,
            moore: pooled!.outcomes.moore,
          }
        : null,
      perEvent,
    };
  });
}
