import type { CommitmentSummary } from "./commitments.ts";
import type { KnowledgeMetrics } from "./knowledge-metrics.ts";
import type { ItemLevel } from "./model.ts";

/** Moore's outcome levels this engine can evidence: 1 participation … 5 performance. */
export const mooreLevels = ["1", "2", "3A", "3B", "4", "5"] as const;
export type MooreLevel = (typeof mooreLevels)[number];

/** What it takes for an activity to have reached a level. Every threshold is documented in docs/learning-metrics.md. */
export interface MooreThresholds {
  /** Level 1: at least this many learners attended. */
  minParticipants: number;
  /** Levels 2–5: at least this many learners (ratings, matched pre/post learners, answered follow-ups). */
  minN: number;
  /** Level 2: mean satisfaction on the 1..5 scale at least this. */
  minSatisfaction: number;
  /** Levels 3A, 3B, 4: matched post mean (percent) at least this… */
  minPostPercent: number;
  /** …and normalized gain of class averages at least this (Hake's "medium gain"). */
  minGain: number;
  /** Level 5: share of answered commitment follow-ups implemented fully or partly at least this. */
  minImplementedShare: number;
}

export const DEFAULT_MOORE_THRESHOLDS: MooreThresholds = {
  minParticipants: 1,
  minN: 10,
  minSatisfaction: 4,
  minPostPercent: 70,
  minGain: 0.3,
  minImplementedShare: 0.5,
};

export interface MooreLevelResult {
  level: MooreLevel;
  reached: boolean;
  /** The numbers behind the verdict, e.g. "3B: procedural items post mean 78% vs pre 52%, gain 0.54, n=120". */
  evidence: string;
}

export interface MooreOutcome {
  /** The highest level reached, or null when not even level 1 was. */
  highest: MooreLevelResult | null;
  levels: MooreLevelResult[];
}

export interface MooreInput {
  participants: number;
  satisfaction: { n: number; mean: number | null };
  /** Knowledge metrics over the items of each level; null (or itemCount 0) when the activity has no such items. */
  knowledgeByLevel: Record<ItemLevel, KnowledgeMetrics | null>;
  commitments: CommitmentSummary;
}

const levelNames: Record<ItemLevel, string> = { "3A": "declarative", "3B": "procedural", "4": "competence" };

const pct = (x: number) => `${Math.round(x)}%`;
const two = (x: number) => x.toFixed(2);

function knowledgeLevel(level: ItemLevel, k: KnowledgeMetrics | null, t: MooreThresholds): MooreLevelResult {
  const name = `${levelNames[level]} items`;
  if (!k || k.itemCount === 0) return { level, reached: false, evidence: `${level}: no ${name}` };
  const g = k.gainOfClassAverages;
  if (g.kind === "no_baseline") {
    const post = k.post.meanPercent === null ? "no post-test" : `post mean ${pct(k.post.meanPercent)}`;
    return {
      level,
      reached: false,
      evidence: `${level}: ${name} have no pre-test (${post}, n=${k.post.n}); learning is not validated without a baseline`,
    };
  }
  if (g.kind === "no_matched_learners") {
    return {
      level,
      reached: false,
      evidence: `${level}: ${name} have no learner with both pre and post (pre n=${g.preCount}, post n=${g.postCount})`,
    };
  }
  if (g.kind === "no_headroom") {
    return {
      level,
      reached: false,
      evidence: `${level}: ${name} pre mean 100%, no headroom to show a gain, n=${g.matched}`,
    };
  }
  const facts = `${name} post mean ${pct(g.postMean)} vs pre ${pct(g.preMean)}, gain ${two(g.value)}, n=${g.matched}`;
  const misses: string[] = [];
  if (g.matched < t.minN) misses.push(`n below ${t.minN}`);
  if (g.postMean < t.minPostPercent) misses.push(`post mean below ${t.minPostPercent}%`);
  if (g.value < t.minGain) misses.push(`gain below ${two(t.minGain)}`);
  return misses.length === 0
    ? { level, reached: true, evidence: `${level}: ${facts}` }
    : { level, reached: false, evidence: `${level} not reached: ${facts} (${misses.join("; ")})` };
}

/** Each Moore level 1–5 with its verdict and evidence, and the highest level reached. */
export function mooreOutcome(input: MooreInput, t: MooreThresholds = DEFAULT_MOORE_THRESHOLDS): MooreOutcome {
  const levels: MooreLevelResult[] = [];

  const p = input.participants;
  levels.push(
    p >= t.minParticipants && p > 0
      ? { level: "1", reached: true, evidence: `1: ${p} learners participated` }
      : { level: "1", reached: false, evidence: `1 not reached: ${p} learners participated` },
  );

  const s = input.satisfaction;
  if (s.mean === null || s.n === 0) {
    levels.push({ level: "2", reached: false, evidence: "2: no satisfaction ratings" });
  } else {
    const facts = `satisfaction mean ${s.mean.toFixed(1)} of 5, n=${s.n}`;
    const misses: string[] = [];
    if (s.n < t.minN) misses.push(`n below ${t.minN}`);
    if (s.mean < t.minSatisfaction) misses.push(`mean below ${t.minSatisfaction.toFixed(1)}`);
    levels.push(
      misses.length === 0
        ? { level: "2", reached: true, evidence: `2: ${facts}` }
        : { level: "2", reached: false, evidence: `2 not reached: ${facts} (${misses.join("; ")})` },
    );
  }

  for (const level of ["3A", "3B", "4"] as const) {
    levels.push(knowledgeLevel(level, input.knowledgeByLevel[level], t));
  }

  const c = input.commitments;
  if (c.implementedShare === null) {
    levels.push({
      level: "5",
      reached: false,
      evidence:
        c.total === 0
          ? "5: no commitments to change"
          : `5: no commitment follow-up answered yet (${c.total} made)`,
    });
  } else {
    const facts = `${pct(c.implementedShare * 100)} of commitments implemented fully or partly, n=${c.followedUp}`;
    const misses: string[] = [];
    if (c.followedUp < t.minN) misses.push(`n below ${t.minN}`);
    if (c.implementedShare < t.minImplementedShare)
      misses.push(`share below ${pct(t.minImplementedShare * 100)}`);
    levels.push(
      misses.length === 0
        ? { level: "5", reached: true, evidence: `5: ${facts}` }
        : { level: "5", reached: false, evidence: `5 not reached: ${facts} (${misses.join("; ")})` },
    );
  }

  const reached = levels.filter((l) => l.reached);
  return { highest: reached[reached.length - 1] ?? null, levels };
}
