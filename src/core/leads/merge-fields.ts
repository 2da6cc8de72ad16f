import { emptyFields, type LeadFields } from "./vocabulary.ts";

/**
 * The context of a lead captured more than once (the same person at one event): for each field the latest
 * conversation that says something wins; stakeholders are the union by name (a later role replaces an earlier one);
 * the next step and its date travel together.
 */
export function mergeFields(conversations: { occurredAt: Date; fields: LeadFields }[]): LeadFields {
  const ordered = [...conversations].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const out = emptyFields();
  const people = new Map<string, { name: string; role: LeadFields["stakeholders"][number]["role"] }>();
  for (const { fields } of ordered) {
    if (fields.problem) out.problem = fields.problem;
    if (fields.useCase) out.useCase = fields.useCase;
    if (fields.urgency) out.urgency = fields.urgency;
    if (fields.buyingStage) out.buyingStage = fields.buyingStage;
    if (fields.budget) out.budget = fields.budget;
    if (fields.timeline) out.timeline = fields.timeline;
    if (fields.nextStep) {
      out.nextStep = fields.nextStep;
      out.nextStepDate = fields.nextStepDate;
    }
    for (const s of fields.stakeholders)
      people.set(s.name.trim().toLowerCase(), { name: s.name, role: s.role });
  }
  out.stakeholders = [...people.values()];
  return out;
}

/** Context is complete when the problem, urgency, buying stage and next step are all known. */
export function contextComplete(fields: LeadFields): boolean {
  return Boolean(fields.problem && fields.urgency && fields.buyingStage && fields.nextStep);
}
