import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { compareOpportunityVelocity, DAY_MS, measureMovement } from "../../core/movement/index.ts";
import { type Database, rows } from "../../db/client.ts";
import { restrictedMeanDaysSaved, timedSets, velocityLiftWithin } from "./days-saved.ts";
import { type AnalysisOptions, toMs, wilson } from "./event-context.ts";
import { type StallShare, TERMINAL_STAGES, type VelocitySummary } from "./roundtable-movement.ts";
import { loadOpportunities } from "./roundtable-queries.ts";

/** Options of the pooled roundtable analysis. */
export interface PortfolioOptions extends AnalysisOptions {
  /** Event type pooled (default executive_roundtable). */
  type?: "executive_roundtable" | "field_event" | "conference" | "trade_show";
  /** Only events at least this many days before the as-of date (default 60: every window complete). */
  minFollowUpDays?: number;
  /** Controls per attending deal (default 5, drawn with replacement: controls are many, pooling wants precision). */
  k?: number;
  replacement?: boolean;
  liftWindowDays?: number;
  /** Horizon of days saved (default: minFollowUpDays, so every event's follow-up covers it). */
  daysSavedHorizon?: number;
}

/** Every roundtable pooled: each attending deal matched to controls at its own event date. */
export interface RoundtablePortfolio {
  asOf: string;
  type: string;
  events: { id: string; name: string; startsAt: string; attendingOpportunities: number; matched: number }[];
  velocity: VelocitySummary;
  velocityLift: ReturnType<typeof velocityLiftWithin>;
  daysSaved: ReturnType<typeof restrictedMeanDaysSaved>;
  /** Attending deals open at their event: share with no stage change within N days (Wilson interval). */
  stallShare: StallShare[];
}

/**
 * Pooled movement over every event of a type (executive roundtables by default) whose follow-up has run: attending
 * deals open at their event are matched to controls at the same event date (exact on event, segment and stage;
 * nearest on log amount and age), then the velocity comparison, velocity lift, days saved and stall shares are
 * computed over all matched sets at once. Row ids are "event/opportunity", so a control may serve several events.
 */
export async function roundtablePortfolio(
  db: Database,
  orgId: string,
  options: PortfolioOptions,
): Promise<RoundtablePortfolio> {
  const type = options.type ?? "executive_roundtable";
  const minFollowUp = options.minFollowUpDays ?? 60;
  const asOfMs = options.asOf.getTime();
  if (!Number.isFinite(asOfMs)) throw new AppError("validation", "asOf is not a valid time", "asOf");
  const latest = new Date(asOfMs - minFollowUp * DAY_MS);
  const loaded = await db.withOrg(orgId, async (tx) => {
    const events = await rows<{ id: string; name: string; starts_at: unknown }>(
      tx,
      sql`select id, name, starts_at from events where org_id = ${orgId} and type = ${type}
            and starts_at <= ${latest.toISOString()}::timestamptz order by starts_at, id`,
    );
    const out = [];
    for (const e of events) {
      const startsAt = new Date(toMs(e.starts_at));
      out.push({
        event: e,
        startsAt,
        opps: await loadOpportunities(tx, orgId, e.id, startsAt, options.asOf),
      });
    }
    return out;
  });
  const candidates = loaded.flatMap(({ event, startsAt, opps }) =>
    opps.map((o) => ({
      id: `${event.id}/${o.id}`,
      treated: o.treated,
      stages: o.stages,
      eventAt: startsAt.getTime(),
      stratum: `${event.id}|${o.segment ?? "(none)"}`,
      logAmount: Math.log1p(Math.max(0, o.amountMinor) / 100),
    })),
  );
  const boot = {
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const stallDays = [14, 30, 60];
  const firstAt = loaded[0]?.startsAt.getTime() ?? asOfMs;
  const compared = compareOpportunityVelocity(candidates, {
    eventAt: firstAt,
    asOf: asOfMs,
    terminalStages: TERMINAL_STAGES,
    exact: ["stratum"],
    nearest: ["logAmount"],
    k: options.k ?? 5,
    replacement: options.replacement ?? true,
    ...boot,
  });
  const controlsOf = new Map<string, string[]>();
  let velocity: VelocitySummary;
  if (compared.status === "compared") {
    const { matches, unmeasurableTreated: _u, ...rest } = compared;
    for (const m of matches) controlsOf.set(m.treatedId, m.controlIds);
    velocity = rest;
  } else {
    const { unmeasurableTreated: _u, ...rest } = compared;
    velocity = rest;
  }
  const sets = timedSets(candidates, controlsOf, { eventAt: firstAt, asOf: asOfMs });
  const treated = candidates.filter((c) => c.treated);
  const report = measureMovement(treated, {
    eventAt: firstAt,
    asOf: asOfMs,
    terminalStages: TERMINAL_STAGES,
    stallDays,
  });
  const stallShare = stallDays.map((days, j) => {
    const counts = { moved: 0, stalled: 0, pending: 0, not_applicable: 0 };
    for (const m of report.measured) counts[m.stall[j]!.status]++;
    counts.not_applicable += report.unmeasurable.length;
    const n = counts.stalled + counts.moved;
    return {
      days,
      stalled: counts.stalled,
      moved: counts.moved,
      pending: counts.pending,
      notApplicable: counts.not_applicable,
      share: n > 0 ? counts.stalled / n : null,
      ci: wilson(counts.stalled, n),
    };
  });
  return {
    asOf: options.asOf.toISOString(),
    type,
    events: loaded.map(({ event, startsAt, opps }) => ({
      id: event.id,
      name: event.name,
      startsAt: startsAt.toISOString(),
      attendingOpportunities: opps.filter((o) => o.treated).length,
      matched: [...controlsOf.keys()].filter((k) => k.startsWith(`${event.id}/`)).length,
    })),
    velocity,
    velocityLift: velocityLiftWithin(sets, options.liftWindowDays ?? 60, boot),
    daysSaved: restrictedMeanDaysSaved(sets, options.daysSavedHorizon ?? minFollowUp, boot),
    stallShare,
  };
}
