import type { ModelName } from "../../core/attribution/types.ts";
import {
  DEFAULT_ROI_MODEL,
  headlineHorizon,
  type RoiHorizon,
  rankPortfolio,
  roiCurve,
} from "../../core/roi/index.ts";
import type { Database } from "../../db/client.ts";
import { roundtableRoiAccelerations } from "../movement/acceleration.ts";
import { dataWarnings, eventsWithCost } from "./event-impact.ts";
import { type JourneyScope, loadDeals } from "./load-deals.ts";

export interface PortfolioOptions {
  now: Date;
  /** One horizon for every event; without it each event is read at its format's headline horizon. */
  horizon?: RoiHorizon | undefined;
  model?: ModelName | undefined;
  scope?: JourneyScope | undefined;
  lookbackDays?: number | undefined;
}

/**
 * Every event of the organization ranked by ROI at a horizon (or each at its headline horizon), with its
 * indicators beside, never blended in. Events whose horizon is not reached yet are listed last, not computed.
 */
export async function portfolio(db: Database, orgId: string, options: PortfolioOptions) {
  const model = options.model ?? DEFAULT_ROI_MODEL;
  const scope = options.scope ?? "account";
  const lookbackDays = options.lookbackDays ?? 365;
  const now = options.now.getTime();
  const list = await eventsWithCost(db, orgId);
  const { deals, info } = await db.withOrg(orgId, (tx) => loadDeals(tx, orgId, { scope, lookbackDays }));
  // Executive roundtables are valued on pipeline acceleration, as in their event report (one figure, one method).
  const roundtables = list
    .filter((e) => e.type === "executive_roundtable")
    .map((e) => ({
      id: e.id,
      name: e.name,
      type: e.type,
      format: e.format,
      startsAt: new Date(e.starts),
      endsAt: new Date(e.ends),
      horizons: [options.horizon ?? headlineHorizon(e.format)],
    }));
  const pipelineAcceleration = new Map<string, Map<number, number>>();
  for (const [id, byHorizon] of await roundtableRoiAccelerations(db, orgId, roundtables, now))
    pipelineAcceleration.set(id, new Map([...byHorizon].map(([h, a]) => [h, a.value])));
  const entries = list.map((e) => {
    const horizon = options.horizon ?? headlineHorizon(e.format);
    const byHorizon = pipelineAcceleration.get(e.id);
    const [point] = roiCurve(deals, {
      eventId: e.id,
      eventStartsAt: e.starts,
      eventEndsAt: e.ends,
      cost: e.cost,
      now,
      model,
      lookbackDays,
      horizons: [horizon],
      ...(byHorizon ? { accelerationByHorizon: byHorizon } : {}),
    });
    const p = point!;
    return {
      eventId: e.id,
      name: e.name,
      type: e.type,
      format: e.format,
      endsAt: new Date(e.ends).toISOString(),
      horizon,
      asOf: new Date(p.asOf).toISOString(),
      known: p.known,
      ...(p.reason ? { reason: p.reason } : {}),
      value: p.value,
      cost: p.cost,
      roi: p.roi,
      outcomes: {
        wonRevenue: p.wonRevenue,
        weightedPipeline: p.weightedPipeline,
        acceleration: p.acceleration,
      },
      indicators: { registrations: e.registrations, leads: e.leads },
    };
  });
  return {
    horizon: options.horizon ?? null,
    model,
    scope,
    asOf: options.now.toISOString(),
    events: rankPortfolio(entries),
    warnings: dataWarnings(info, []),
  };
}
