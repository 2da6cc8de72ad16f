/** Closed vocabularies shared by the schema, the API and the engines. */
export const roles = ["admin", "marketer", "rep", "partner_manager", "educator", "viewer"] as const;
export type Role = (typeof roles)[number];

export const eventTypes = [
  "conference",
  "trade_show",
  "field_event",
  "executive_roundtable",
  "partner_event",
  "sales_kickoff",
  "customer_training",
  "cme_activity",
  "webinar",
] as const;
export type EventType = (typeof eventTypes)[number];

export const eventFormats = ["tactical", "strategic"] as const;
export type EventFormat = (typeof eventFormats)[number];

/** Default format by type: strategic formats show their change late (180/365 days), tactical ones early. */
export const defaultFormat: Record<EventType, EventFormat> = {
  conference: "tactical",
  trade_show: "tactical",
  field_event: "tactical",
  executive_roundtable: "strategic",
  partner_event: "strategic",
  sales_kickoff: "strategic",
  customer_training: "tactical",
  cme_activity: "tactical",
  webinar: "tactical",
};

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

export const costCategories = ["venue", "travel", "catering", "sponsorship", "staff", "other"] as const;

/** Opportunity stages in order; the last two are closed. Probabilities weight open pipeline. */
export const opportunityStages = [
  "prospecting",
  "discovery",
  "evaluation",
  "proposal",
  "negotiation",
  "closed_won",
  "closed_lost",
] as const;
export type OpportunityStage = (typeof opportunityStages)[number];
export const stageProbability: Record<OpportunityStage, number> = {
  prospecting: 0.1,
  discovery: 0.2,
  evaluation: 0.4,
  proposal: 0.6,
  negotiation: 0.8,
  closed_won: 1,
  closed_lost: 0,
};

export const touchpointChannels = [
  "email",
  "web",
  "ads",
  "content",
  "social",
  "event",
  "conversation",
  "meeting",
  "call",
  "webinar",
  "partner",
  "direct",
] as const;

export const urgencies = ["now", "this_quarter", "later", "none"] as const;
export const buyingStages = [
  "learning",
  "problem_defined",
  "evaluating_vendors",
  "selecting",
  "purchasing",
] as const;
export const assessmentPhases = ["pre", "post", "delayed"] as const;
export const itemKinds = ["single", "multiple", "true_false", "scenario"] as const;
export const outcomeLevels = ["3A", "3B", "4"] as const;
export const commitmentStatuses = [
  "pending",
  "implemented_fully",
  "implemented_partly",
  "not_implemented",
] as const;
