// The closed vocabularies of a lead's qualification. They mirror src/db/schema/vocabulary.ts (core uses nothing
// outside core, so they are repeated here; a test proves the two lists agree).

export const urgencies = ["now", "this_quarter", "later", "none"] as const;
export type Urgency = (typeof urgencies)[number];

export const buyingStages = [
  "learning",
  "problem_defined",
  "evaluating_vendors",
  "selecting",
  "purchasing",
] as const;
export type BuyingStage = (typeof buyingStages)[number];

export const buyingRoles = [
  "economic_buyer",
  "technical_evaluator",
  "champion",
  "executive_sponsor",
  "operational_leader",
  "finance",
  "user",
  "other",
] as const;
export type BuyingRole = (typeof buyingRoles)[number];

export const tiers = ["A", "B", "C"] as const;
export type Tier = (typeof tiers)[number];

/** Someone the buyer mentioned, with the role they play in the purchase. */
export interface Stakeholder {
  name: string;
  role: BuyingRole;
}

/** What a conversation at the booth established. Every field may be unknown (null / empty). */
export interface LeadFields {
  problem: string | null;
  useCase: string | null;
  urgency: Urgency | null;
  buyingStage: BuyingStage | null;
  budget: string | null;
  timeline: string | null;
  stakeholders: Stakeholder[];
  nextStep: string | null;
  /** Calendar date (YYYY-MM-DD) in the capture's time zone. */
  nextStepDate: string | null;
}

export const leadFieldNames = [
  "problem",
  "useCase",
  "urgency",
  "buyingStage",
  "budget",
  "timeline",
  "stakeholders",
  "nextStep",
  "nextStepDate",
] as const satisfies readonly (keyof LeadFields)[];
export type LeadFieldName = (typeof leadFieldNames)[number];

/** Fields with nothing known. */
export function emptyFields(): LeadFields {
  return {
    problem: null,
    useCase: null,
    urgency: null,
    buyingStage: null,
    budget: null,
    timeline: null,
    stakeholders: [],
    nextStep: null,
    nextStepDate: null,
  };
}
