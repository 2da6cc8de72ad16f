import type { Database } from "../../db/client.ts";
import { accelerationOfReport } from "./acceleration.ts";
import { type AnalysisOptions, loadEvent } from "./event-context.ts";
import { kickoffImpact } from "./kickoff-impact.ts";
import { partnerImpact } from "./partner-impact.ts";
import { type RoundtableMovement, roundtableMovement } from "./roundtable-movement.ts";

/**
 * One entry of the outcomes ledger (kept apart from indicators, never blended into a score): what was measured,
 * at which horizon, the estimate with its interval, how, and on how many units. `estimate: null` carries a note
 * saying why there is no number.
 */
export interface OutcomeEntry {
  ledger: "outcome";
  eventId: string;
  kind: "pipeline_movement" | "behaviour_change";
  measure: string;
  horizonDays: number | null;
  estimate: number | null;
  ci: [number, number] | null;
  unit: string;
  method: string;
  n: number;
  note?: string;
}

/**
 * The movement outcomes of an event for the outcomes ledger, by event type: executive roundtables give pipeline
 * movement against matched accounts (with the acceleration value that enters their ROI), partner events the partner
 * lift, sales kickoffs behaviour change. Other types give no entries. `daysSavedHorizon` sets the roundtable's
 * days-saved horizon (default 90; the event report passes its own horizon).
 */
export async function movementOutcomes(
  db: Database,
  orgId: string,
  eventId: string,
  options: AnalysisOptions & { daysSavedHorizon?: number },
  /** A roundtable report already computed for these options (the event report shares it with ROI). */
  roundtable?: RoundtableMovement,
): Promise<OutcomeEntry[]> {
  const event = await db.withOrg(orgId, (tx) => loadEvent(tx, orgId, eventId));
  const base = { ledger: "outcome" as const, eventId };
  if (event.type === "executive_roundtable") {
    const r = roundtable ?? (await roundtableMovement(db, orgId, eventId, options));
    const v = r.outcomes.velocity;
    const entries: OutcomeEntry[] = [];
    if (v.status === "compared") {
      v.survival.horizons.forEach((h, i) => {
        const d = v.survival.probabilityByDifference[i]!;
        entries.push({
          ...base,
          kind: "pipeline_movement",
          measure: "share_moved_to_next_stage_difference",
          horizonDays: h,
          estimate: d.estimate,
          ci: d.ci,
          unit: "share",
          method: "matched controls, Kaplan–Meier, bootstrap over matched sets",
          n: v.match.matched,
          ...(d.note ? { note: d.note } : {}),
        });
      });
    } else {
      entries.push({
        ...base,
        kind: "pipeline_movement",
        measure: "share_moved_to_next_stage_difference",
        horizonDays: null,
        estimate: null,
        ci: null,
        unit: "share",
        method: "matched controls",
        n: 0,
        note: v.message,
      });
    }
    const d = r.outcomes.daysSaved;
    entries.push({
      ...base,
      kind: "pipeline_movement",
      measure: "days_saved_to_next_stage",
      horizonDays: d.horizonDays,
      estimate: d.estimate,
      ci: d.ci,
      unit: "days per deal",
      method: "restricted mean time to next stage, controls minus attendees, bootstrap over matched sets",
      n: d.sets,
      ...(d.note ? { note: d.note } : {}),
    });
    const a = accelerationOfReport(r);
    entries.push({
      ...base,
      kind: "pipeline_movement",
      measure: "acceleration_value",
      horizonDays: a.horizonDays,
      estimate: a.valueMinor,
      ci: a.ciMinor,
      unit: "minor units",
      method:
        "days saved to next stage × weighted daily value (amount × stage win probability / 365) × matched deals",
      n: a.deals,
      ...(a.note ? { note: a.note } : {}),
    });
    for (const s of r.outcomes.stallShare)
      entries.push({
        ...base,
        kind: "pipeline_movement",
        measure: "stalled_account_share",
        horizonDays: s.days,
        estimate: s.share,
        ci: s.ci,
        unit: "share",
        method: "attending accounts with no stage change, Wilson interval",
        n: s.stalled + s.moved,
        ...(s.share === null ? { note: "no attending account has a complete window yet" } : {}),
      });
    return entries;
  }
  if (event.type === "partner_event") {
    const r = await partnerImpact(db, orgId, eventId, options);
    return [r.outcomes.registrations, r.outcomes.sourcedPipeline].map((d) => ({
      ...base,
      kind: "pipeline_movement" as const,
      measure: d.outcome,
      horizonDays: Math.round(r.months.after * r.months.monthDays),
      estimate: d.status === "estimated" ? d.estimate : null,
      ci: d.status === "estimated" ? d.ci : null,
      unit: d.outcome.startsWith("registrations")
        ? "registrations per partner-month"
        : "minor units per partner-month",
      method: "difference-in-differences, attending vs non-attending partners, partner-clustered SE",
      n: d.status === "estimated" ? d.nUnits : d.treatedUnits + d.controlUnits,
      ...(d.status === "insufficient" ? { note: d.message } : {}),
    }));
  }
  if (event.type === "sales_kickoff") {
    const r = await kickoffImpact(db, orgId, eventId, options);
    const horizon = r.windows.weeksAfter * 7;
    const entries: OutcomeEntry[] = (
      [
        ["win_rate_change", r.outcomes.winRate.change, "share"],
        ["cycle_days_change", r.outcomes.cycleDays.change, "days"],
        ["deal_size_change", r.outcomes.dealSizeMinor.change, "minor units"],
      ] as const
    ).map(([measure, c, unit]) => ({
      ...base,
      kind: "behaviour_change" as const,
      measure,
      horizonDays: horizon,
      estimate: c.status === "estimated" ? c.estimate : null,
      ci: c.status === "estimated" ? c.ci : null,
      unit,
      method:
        c.status === "estimated" && c.design === "difference_in_differences"
          ? "difference-in-differences, attending vs non-attending reps, rep-clustered SE"
          : "before/after of attending reps, bootstrap over reps",
      n: r.indicators.attendingReps,
      ...(c.status === "insufficient" ? { note: c.message } : {}),
    }));
    const a = r.outcomes.adoption;
    entries.push({
      ...base,
      kind: "behaviour_change",
      measure: "messaging_adoption_after",
      horizonDays: horizon,
      estimate: a.status === "measured" ? a.after : null,
      ci: null,
      unit: "share of notes (and checklist items)",
      method: "phrase glossary over deal notes and call summaries, plus manager checklist",
      n: r.indicators.attendingReps,
      ...(a.status === "no_glossary" ? { note: a.message } : {}),
    });
    return entries;
  }
  return [];
}
