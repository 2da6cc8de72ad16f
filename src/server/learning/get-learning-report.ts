import { learningReport } from "../../core/learning/index.ts";
import type { Database } from "../../db/client.ts";
import { drillSummary } from "./drills.ts";
import { requireEvent } from "./event-lookup.ts";
import { loadEventLearning } from "./learning-input.ts";

/**
 * The learning report of one event from the database: the engine's report per activity (the event), session,
 * objective and item, with indicators and outcomes in separate ledgers, plus the item texts for labels and the
 * reinforcement drills reported apart. Without a pre-test the gain reads "no baseline".
 */
export async function getLearningReport(db: Database, orgId: string, eventId: string, now: Date) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const data = await loadEventLearning(tx, orgId, eventId);
    const report = learningReport({
      items: data.items,
      responses: data.responses,
      attendance: data.attendance.rows,
      satisfaction: data.satisfaction,
      commitments: data.commitments,
    });
    const activity = report.activities.find((a) => a.activityId === eventId) ?? null;
    const knowledge = activity?.outcomes.knowledge ?? null;
    const gain = knowledge?.gainOfClassAverages;
    const baseline =
      !knowledge || gain?.kind === "no_baseline"
        ? "no baseline"
        : gain?.kind === "no_matched_learners"
          ? "no matched learners"
          : "present";
    return {
      eventId,
      eventName: event.name,
      eventType: event.type,
      generatedAt: now.toISOString(),
      baseline,
      headline: knowledge
        ? {
            gainOfClassAverages: gain?.kind === "gain" ? gain.value : null,
            gainLabel: gain?.kind === "gain" ? "normalized gain of class averages ⟨g⟩" : baseline,
            meanOfLearnerGains:
              knowledge.meanOfLearnerGains.kind === "gain" ? knowledge.meanOfLearnerGains.value : null,
            retention: knowledge.retention.map((r) => ({
              delayDays: r.delayDays,
              ratio: r.ratio,
              matchedRatio: r.matched.ratio,
            })),
            confidentWrongShare: activity!.outcomes.misconceptions.share,
            highestMooreLevel: activity!.outcomes.moore.highest,
          }
        : null,
      report: activity,
      sessions: data.sessions.map((s) => ({ id: s.id, title: s.title })),
      itemText: data.itemRows.map((i) => ({
        itemId: i.id,
        prompt: i.prompt,
        objective: i.objective,
        kind: i.kind,
        outcomeLevel: i.outcomeLevel,
      })),
      ignoredResponses: report.ignoredResponses,
      reinforcement: await drillSummary(tx, orgId, eventId, now),
    };
  });
}
