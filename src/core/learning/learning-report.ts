import { type Misconceptions, misconceptions } from "./calibration.ts";
import { type CommitmentSummary, commitmentSummary } from "./commitments.ts";
import { type ItemAnalysis, itemAnalysis } from "./item-analysis.ts";
import { type KnowledgeMetrics, knowledgeMetrics } from "./knowledge-metrics.ts";
import type {
  Attendance,
  Commitment,
  Item,
  ItemKind,
  ItemLevel,
  LearnerResponse,
  Phase,
  Satisfaction,
} from "./model.ts";
import {
  DEFAULT_MOORE_THRESHOLDS,
  type MooreOutcome,
  type MooreThresholds,
  mooreOutcome,
} from "./moore-level.ts";
import { byString, mean } from "./stats.ts";

export interface LearningInput {
  items: readonly Item[];
  responses: readonly LearnerResponse[];
  attendance?: readonly Attendance[];
  satisfaction?: readonly Satisfaction[];
  commitments?: readonly Commitment[];
}

/** Indicator: who was there and who answered what. */
export interface Participation {
  /** Distinct learners with an attendance record. */
  attended: number;
  /** Distinct learners who attended or left any answer, rating or commitment. */
  participants: number;
  preTakers: number;
  postTakers: number;
  delayedTakers: { delayDays: number; n: number }[];
  matchedPrePost: number;
  satisfactionRatings: number;
  commitmentsMade: number;
}

/** Indicator: satisfaction on the 1..5 scale. */
export interface SatisfactionSummary {
  n: number;
  mean: number | null;
}

export interface ItemReport {
  itemId: string;
  objectiveId: string;
  sessionId: string | null;
  kind: ItemKind;
  level: ItemLevel;
  answered: Record<Phase, number>;
  /** Proportion correct per phase (delayed: all delays together). */
  facility: Record<Phase, number | null>;
  /** Corrected item–total correlation on the post-test. */
  discrimination: number | null;
  /** Confident-and-wrong answers over all phases. */
  confidentWrong: { count: number; rated: number; share: number | null };
}

export interface Reliability {
  alpha: number | null;
  k: number;
  completeLearners: number;
}

export interface ActivityReport {
  activityId: string;
  /** Indicators: activity happened and was liked. Never blended with outcomes. */
  indicators: { participation: Participation; satisfaction: SatisfactionSummary };
  /** Outcomes: what was learned, kept and done. */
  outcomes: {
    knowledge: KnowledgeMetrics;
    knowledgeByLevel: Record<ItemLevel, KnowledgeMetrics | null>;
    misconceptions: Misconceptions;
    reliability: { pre: Reliability; post: Reliability };
    commitments: CommitmentSummary;
    moore: MooreOutcome;
  };
  sessions: {
    sessionId: string;
    indicators: { participation: Participation; satisfaction: SatisfactionSummary };
    outcomes: { knowledge: KnowledgeMetrics };
  }[];
  objectives: { objectiveId: string; knowledge: KnowledgeMetrics; misconceptions: Misconceptions }[];
  items: ItemReport[];
}

export interface LearningReport {
  activities: ActivityReport[];
  /** Responses whose item is unknown: left out of every metric, counted here so nothing vanishes silently. */
  ignoredResponses: number;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort(byString);

function participation(
  itemIds: ReadonlySet<string>,
  responses: readonly LearnerResponse[],
  attendance: readonly Attendance[],
  satisfaction: readonly Satisfaction[],
  commitments: readonly Commitment[],
  knowledge: KnowledgeMetrics,
): Participation {
  const answered = responses.filter((r) => itemIds.has(r.itemId));
  const everyone = new Set([
    ...attendance.map((a) => a.learnerId),
    ...answered.map((r) => r.learnerId),
    ...satisfaction.map((s) => s.learnerId),
    ...commitments.map((c) => c.learnerId),
  ]);
  return {
    attended: new Set(attendance.map((a) => a.learnerId)).size,
    participants: everyone.size,
    preTakers: knowledge.pre.n,
    postTakers: knowledge.post.n,
    delayedTakers: knowledge.delayed.map((d) => ({ delayDays: d.delayDays, n: d.n })),
    matchedPrePost: knowledge.matchedPrePost,
    satisfactionRatings: satisfaction.length,
    commitmentsMade: commitments.length,
  };
}

function satisfactionSummary(ratings: readonly Satisfaction[]): SatisfactionSummary {
  return { n: ratings.length, mean: mean(ratings.map((r) => r.rating)) };
}

function reliability(a: ItemAnalysis): Reliability {
  return { alpha: a.alpha, k: a.k, completeLearners: a.completeLearners };
}

function activityReport(
  activityId: string,
  input: Required<LearningInput>,
  thresholds: MooreThresholds,
): ActivityReport {
  const items = input.items.filter((i) => i.activityId === activityId);
  const itemIds = items.map((i) => i.id);
  const itemSet = new Set(itemIds);
  const responses = input.responses.filter((r) => itemSet.has(r.itemId));
  const attendance = input.attendance.filter((a) => a.activityId === activityId);
  const satisfaction = input.satisfaction.filter((s) => s.activityId === activityId);
  const commitments = input.commitments.filter((c) => c.activityId === activityId);

  const knowledge = knowledgeMetrics(itemIds, responses);
  const byLevel = (level: ItemLevel) => {
    const ids = items.filter((i) => i.level === level).map((i) => i.id);
    return ids.length === 0 ? null : knowledgeMetrics(ids, responses);
  };
  const knowledgeByLevel = { "3A": byLevel("3A"), "3B": byLevel("3B"), "4": byLevel("4") };
  const part = participation(itemSet, responses, attendance, satisfaction, commitments, knowledge);
  const sat = satisfactionSummary(satisfaction);
  const commitmentResult = commitmentSummary(commitments);

  const sessionIds = sorted([
    ...items.flatMap((i) => (i.sessionId ? [i.sessionId] : [])),
    ...attendance.flatMap((a) => (a.sessionId ? [a.sessionId] : [])),
    ...satisfaction.flatMap((s) => (s.sessionId ? [s.sessionId] : [])),
  ]);
  const sessions = sessionIds.map((sessionId) => {
    const ids = items.filter((i) => i.sessionId === sessionId).map((i) => i.id);
    const idSet = new Set(ids);
    const sResponses = responses.filter((r) => idSet.has(r.itemId));
    const sAttendance = attendance.filter((a) => a.sessionId === sessionId);
    const sSatisfaction = satisfaction.filter((s) => s.sessionId === sessionId);
    const sKnowledge = knowledgeMetrics(ids, sResponses);
    return {
      sessionId,
      indicators: {
        participation: participation(idSet, sResponses, sAttendance, sSatisfaction, [], sKnowledge),
        satisfaction: satisfactionSummary(sSatisfaction),
      },
      outcomes: { knowledge: sKnowledge },
    };
  });

  const objectives = sorted(items.map((i) => i.objectiveId)).map((objectiveId) => {
    const objectiveItems = items.filter((i) => i.objectiveId === objectiveId);
    return {
      objectiveId,
      knowledge: knowledgeMetrics(
        objectiveItems.map((i) => i.id),
        responses,
      ),
      misconceptions: misconceptions(objectiveItems, responses),
    };
  });

  const analyses = {
    pre: itemAnalysis(itemIds, responses, "pre"),
    post: itemAnalysis(itemIds, responses, "post"),
    delayed: itemAnalysis(itemIds, responses, "delayed"),
  };
  const allMisconceptions = misconceptions(items, responses);
  const itemReports = [...items]
    .sort((a, b) => byString(a.id, b.id))
    .map((item): ItemReport => {
      const stat = (phase: Phase) => analyses[phase].items.find((s) => s.itemId === item.id);
      const rated = responses.filter((r) => r.itemId === item.id && r.confidence !== undefined).length;
      const count = allMisconceptions.byItem.find((m) => m.itemId === item.id)?.count ?? 0;
      return {
        itemId: item.id,
        objectiveId: item.objectiveId,
        sessionId: item.sessionId ?? null,
        kind: item.kind,
        level: item.level,
        answered: {
          pre: stat("pre")?.answered ?? 0,
          post: stat("post")?.answered ?? 0,
          delayed: stat("delayed")?.answered ?? 0,
        },
        facility: {
          pre: stat("pre")?.facility ?? null,
          post: stat("post")?.facility ?? null,
          delayed: stat("delayed")?.facility ?? null,
        },
        discrimination: stat("post")?.discrimination ?? null,
        confidentWrong: { count, rated, share: rated === 0 ? null : count / rated },
      };
    });

  return {
    activityId,
    indicators: { participation: part, satisfaction: sat },
    outcomes: {
      knowledge,
      knowledgeByLevel,
      misconceptions: allMisconceptions,
      reliability: {
        pre: reliability(analyses.pre),
        post: reliability(analyses.post),
      },
      commitments: commitmentResult,
      moore: mooreOutcome(
        {
          participants: part.participants,
          satisfaction: sat,
          knowledgeByLevel,
          commitments: commitmentResult,
        },
        thresholds,
      ),
    },
    sessions,
    objectives,
    items: itemReports,
  };
}

/**
 * The learning report of every activity in the input: indicators and outcomes side by side, per activity,
 * session, objective and item. Pure: the same input in any row order gives the same report.
 */
export function learningReport(
  input: LearningInput,
  thresholds: MooreThresholds = DEFAULT_MOORE_THRESHOLDS,
): LearningReport {
  const full: Required<LearningInput> = {
    items: input.items,
    responses: input.responses,
    attendance: input.attendance ?? [],
    satisfaction: input.satisfaction ?? [],
    commitments: input.commitments ?? [],
  };
  const known = new Set(full.items.map((i) => i.id));
  const activityIds = sorted([
    ...full.items.map((i) => i.activityId),
    ...full.attendance.map((a) => a.activityId),
    ...full.satisfaction.map((s) => s.activityId),
    ...full.commitments.map((c) => c.activityId),
  ]);
  return {
    activities: activityIds.map((id) => activityReport(id, full, thresholds)),
    ignoredResponses: full.responses.filter((r) => !known.has(r.itemId)).length,
  };
}
