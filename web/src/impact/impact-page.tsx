import { NotBuilt } from "../layout/not-built.tsx";

/** Attribution and ROI. */
export function ImpactPage() {
  return (
    <NotBuilt
      title="Impact"
      question="What did each event return, by when, and how sure are we?"
      planned={[
        "Two ledgers side by side, never blended: indicators (registrations, attendance, engagement, leads) and outcomes (learning, product use, behaviour change, pipeline, revenue).",
        "ROI as a curve at 0, 30, 90, 180 and 365 days, with the headline horizon set by the event's format.",
        "Lift against matched accounts and people who were not there (difference-in-differences), with confidence intervals.",
        "Multi-touch attribution, rule-based and data-driven, run with and without offline conversations side by side; sourced versus influenced pipeline.",
        "Every attributed dollar traceable to the touchpoints behind it, and a portfolio view across events.",
      ]}
      meanwhile={
        <p>
          Available today from the command line: <code>throughline attribution</code> and{" "}
          <code>throughline did</code>.
        </p>
      }
    />
  );
}
