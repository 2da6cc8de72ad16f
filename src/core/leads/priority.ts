// The explainable priority of a lead: fit (who they are) plus intent (what they said), each signal with its points,
// summed into a score that sets tier A, B or C. Every point on a lead can be traced to one listed signal.

import { budgetAmounts } from "./text.ts";
import type { BuyingRole, LeadFields, Tier } from "./vocabulary.ts";

/** One reason a lead scored what it did. */
export interface Signal {
  /** "fit: …" or "intent: …", readable as is. */
  signal: string;
  points: number;
}

/** Who the lead is: their company and their own role. */
export interface FitInput {
  segment?: string | null;
  employees?: number | null;
  industry?: string | null;
  title?: string | null;
  buyingRole?: BuyingRole | null;
}

/** Points for each signal and the tier thresholds; organizations may change any of them. */
export interface PriorityConfig {
  segment: Record<"enterprise" | "mid_market" | "smb", number>;
  /** [minimum employees, points], largest first. */
  employees: [number, number][];
  seniority: { top: number; vp: number; director: number; manager: number; other: number };
  /** Points when the account's industry is one of `targetIndustries`. */
  industry: number;
  targetIndustries: string[];
  urgency: Record<"now" | "this_quarter" | "later", number>;
  stage: Record<"learning" | "problem_defined" | "evaluating_vendors" | "selecting" | "purchasing", number>;
  budget: { amount: number; mentioned: number };
  nextStep: { dated: number; undated: number };
  /** Per distinct stakeholder role, up to `maxRoles`. */
  stakeholderRole: number;
  maxRoles: number;
  /** Lowest score of tier A and of tier B. */
  tierA: number;
  tierB: number;
}

export const DEFAULT_PRIORITY: PriorityConfig = {
  segment: { enterprise: 15, mid_market: 10, smb: 4 },
  employees: [
    [5000, 12],
    [1000, 10],
    [200, 7],
    [50, 4],
    [1, 1],
  ],
  seniority: { top: 15, vp: 12, director: 10, manager: 6, other: 2 },
  industry: 8,
  targetIndustries: [],
  urgency: { now: 12, this_quarter: 9, later: 3 },
  stage: { learning: 1, problem_defined: 5, evaluating_vendors: 8, selecting: 11, purchasing: 14 },
  budget: { amount: 8, mentioned: 2 },
  nextStep: { dated: 10, undated: 4 },
  stakeholderRole: 2,
  maxRoles: 3,
  tierA: 60,
  tierB: 35,
};

/** A lead's score, its parts and the signals behind it. */
export interface Priority {
  fit: number;
  intent: number;
  score: number;
  tier: Tier;
  signals: Signal[];
}

/** How a budget text reads: an amount or approval, mentioned without one, or explicitly none. */
export function budgetKind(budget: string | null): "amount" | "mentioned" | "none" | null {
  if (!budget) return null;
  if (/\bno (?:budget|money)\b|\bnot budgeted\b|\bzero budget\b/i.test(budget)) return "none";
  if (/\b(?:tbd|unknown|not disclosed|undisclosed|not discussed)\b/i.test(budget)) return "mentioned";
  if (
    budgetAmounts(budget).length > 0 ||
    /\b(?:approved|allocated|set aside|earmarked|signed off)\b/i.test(budget)
  )
    return "amount";
  return "mentioned";
}

function segmentKey(segment: string): keyof PriorityConfig["segment"] | null {
  const s = segment.toLowerCase().replace(/[\s-]+/g, "_");
  if (s.startsWith("ent")) return "enterprise";
  if (s.startsWith("mid") || s === "mm") return "mid_market";
  if (s === "smb" || s.startsWith("small") || s === "sme") return "smb";
  return null;
}

function seniority(input: FitInput, c: PriorityConfig): Signal | null {
  const byRole: Record<BuyingRole, number> = {
    economic_buyer: c.seniority.top,
    executive_sponsor: c.seniority.top,
    champion: c.seniority.director,
    finance: c.seniority.director,
    technical_evaluator: c.seniority.director,
    operational_leader: c.seniority.director,
    user: c.seniority.manager - 2,
    other: 0,
  };
  const title = input.title ?? "";
  let byTitle = 0;
  if (/\b(?:chief|ceo|cfo|cto|cio|ciso|cmo|cro|coo|chro|president|founder|owner|partner)\b/i.test(title))
    byTitle = c.seniority.top;
  else if (/\b(?:s?vp|evp|vice president|head of)\b/i.test(title)) byTitle = c.seniority.vp;
  else if (/\bdirector\b/i.test(title)) byTitle = c.seniority.director;
  else if (/\b(?:manager|lead|principal)\b/i.test(title)) byTitle = c.seniority.manager;
  else if (title.trim()) byTitle = c.seniority.other;
  const role = input.buyingRole ? byRole[input.buyingRole] : 0;
  if (role === 0 && byTitle === 0) return null;
  return role >= byTitle
    ? { signal: `fit: buying role ${input.buyingRole!.replace(/_/g, " ")}`, points: role }
    : { signal: `fit: title ${title.trim()}`, points: byTitle };
}

/** Scores a lead from who they are and what the conversation established. Pure and deterministic. */
export function scoreLead(
  fit: FitInput,
  fields: LeadFields,
  config: PriorityConfig = DEFAULT_PRIORITY,
): Priority {
  const fitSignals: Signal[] = [];
  const intentSignals: Signal[] = [];
  if (fit.segment) {
    const key = segmentKey(fit.segment);
    if (key) fitSignals.push({ signal: `fit: segment ${fit.segment}`, points: config.segment[key] });
  }
  if (fit.employees && fit.employees > 0) {
    const band = config.employees.find(([min]) => fit.employees! >= min);
    if (band)
      fitSignals.push({ signal: `fit: ${fit.employees.toLocaleString("en-US")} employees`, points: band[1] });
  }
  const senior = seniority(fit, config);
  if (senior) fitSignals.push(senior);
  if (fit.industry && config.targetIndustries.some((i) => i.toLowerCase() === fit.industry!.toLowerCase())) {
    fitSignals.push({ signal: `fit: target industry ${fit.industry}`, points: config.industry });
  }

  if (fields.urgency && fields.urgency !== "none") {
    intentSignals.push({
      signal: `intent: urgency ${fields.urgency.replace("_", " ")}`,
      points: config.urgency[fields.urgency],
    });
  }
  if (fields.buyingStage) {
    intentSignals.push({
      signal: `intent: stage ${fields.buyingStage.replace(/_/g, " ")}`,
      points: config.stage[fields.buyingStage],
    });
  }
  const budget = budgetKind(fields.budget);
  if (budget === "amount")
    intentSignals.push({ signal: `intent: budget ${fields.budget}`, points: config.budget.amount });
  if (budget === "mentioned")
    intentSignals.push({
      signal: `intent: budget discussed (${fields.budget})`,
      points: config.budget.mentioned,
    });
  if (fields.nextStep) {
    intentSignals.push(
      fields.nextStepDate
        ? { signal: `intent: next step with a date (${fields.nextStepDate})`, points: config.nextStep.dated }
        : { signal: "intent: next step without a date", points: config.nextStep.undated },
    );
  }
  const roles = [...new Set(fields.stakeholders.map((s) => s.role))].slice(0, config.maxRoles);
  if (roles.length > 0) {
    intentSignals.push({
      signal: `intent: stakeholders named (${roles.map((r) => r.replace(/_/g, " ")).join(", ")})`,
      points: roles.length * config.stakeholderRole,
    });
  }
  const fitTotal = fitSignals.reduce((s, x) => s + x.points, 0);
  const intentTotal = intentSignals.reduce((s, x) => s + x.points, 0);
  const score = fitTotal + intentTotal;
  const tier: Tier = score >= config.tierA ? "A" : score >= config.tierB ? "B" : "C";
  return { fit: fitTotal, intent: intentTotal, score, tier, signals: [...fitSignals, ...intentSignals] };
}
