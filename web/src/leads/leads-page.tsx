import { NotBuilt } from "../layout/not-built.tsx";

/** Leads captured at events and their follow-up. */
export function LeadsPage() {
  return (
    <NotBuilt
      title="Leads"
      question="Did sales get the leads with their context, and did anyone follow up in time?"
      planned={[
        "Badge scans and conversations with their qualification: problem, use case, urgency, buying stage, next step and date, stakeholders, notes.",
        "Priority tiers and routing to the right rep, with follow-up SLA alerts.",
        "Contextual follow-up drafts built from what was said at the event.",
        "The continuity funnel from conversation to opportunity, showing where leads drop out.",
      ]}
    />
  );
}
