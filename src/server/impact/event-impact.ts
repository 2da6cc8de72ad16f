import { and, eq, sql } from "drizzle-orm";
import { parseModelList } from "../../core/attribution/models.ts";
import { type ModelName, modelNames } from "../../core/attribution/types.ts";
import { AppError } from "../../core/errors.ts";
import {
  type Acceleration,
  DEFAULT_ROI_MODEL,
  type EventOutcomes,
  eventOutcomeLines,
  headlineHorizon,
  horizonInstant,
  isPerJourneyModel,
  type OfflineVsOnline,
  type ReportSide,
  type ReportSideInput,
  ROI_HORIZONS,
  type RoiCurveInput,
  type RoiHorizon,
  reportSide,
  withAcceleration,
} from "../../core/roi/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { rows } from "../../db/client.ts";
import { eventCosts, events } from "../../db/schema/index.ts";
import { ROI_ENGINE, resampleThreads, runTask } from "../compute/resample-threads.ts";
import {
  type RoiAcceleration,
  reachedHorizons,
  roundtableRoiAcceleration,
} from "../movement/acceleration.ts";
import { movementOutcomes } from "../movement/movement-outcomes.ts";
import { type RoundtableMovement, roundtableMovement } from "../movement/roundtable-movement.ts";
import { type EventIndicators, eventIndicators } from "./event-indicators.ts";
import { type JourneyScope, type LoadInfo, loadDeals } from "./load-deals.ts";

/** The event row, or not_found naming the id (another organization's event is not found either). */
async function requireEvent(tx: Tx, orgId: string, eventId: string) {
  const [e] = await tx
    .select()
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.id, eventId)));
  if (!e) throw new AppError("not_found", `no event ${eventId}`);
  return e;
}

export interface ImpactOptions {
  now: Date;
  /** The horizon the outcomes ledger is read at (default: the event's headline horizon). */
  horizon?: RoiHorizon | undefined;
  /** The model of attributed amounts and ROI (default linear). */
  model?: ModelName | undefined;
  /** Models of `outcomes.byModel` (default: the per-journey ones; "all" adds markov and shapley, which read everything). */
  models?: string | undefined;
  scope?: JourneyScope | undefined;
  lookbackDays?: number | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The API shape of the outcomes ledger: the core's, with instants as ISO strings. */
function outcomesJson(o: EventOutcomes) {
  const { asOf, acceleration, ...rest } = o;
  return { asOf: iso(asOf), ...rest, acceleration: accelerationJson(acceleration) };
}

export function accelerationJson(a: Acceleration) {
  return { ...a };
}

function offlineJson(o: OfflineVsOnline) {
  return { ...o, asOf: iso(o.asOf) };
}

/** Warnings about data the numbers rest on: mixed currencies, stages the vocabulary does not know. */
export function dataWarnings(info: LoadInfo, costCurrencies: readonly string[]): string[] {
  const warnings: string[] = [];
  const currencies = [...new Set([...info.currencies, ...costCurrencies])].sort();
  if (currencies.length > 1) {
    warnings.push(
      `amounts in several currencies (${currencies.join(", ")}) are added as they are; convert them first`,
    );
  }
  if (info.unknownStages.length > 0) {
    warnings.push(
      `stages not in the vocabulary weigh 0 in open pipeline: ${info.unknownStages.sort().join(", ")}`,
    );
  }
  return warnings;
}

/**
 * The impact report of one event: the indicators ledger and the outcomes ledger side by side (never summed), the
 * ROI curve over every horizon (future ones marked not yet known), the headline horizon of its format, and the
 * same model with and without offline touches, and for roundtables, partner events and kickoffs the movement
 * outcomes against comparable accounts, partners or reps. Everything is read as of the days it concerns, under the
 * caller's organization: another organization's event is simply not found.
 */
export async function eventImpact(db: Database, orgId: string, eventId: string, options: ImpactOptions) {
  const model = options.model ?? DEFAULT_ROI_MODEL;
  const models = options.models ? parseModelList(options.models) : modelNames.filter(isPerJourneyModel);
  const scope = options.scope ?? "account";
  const lookbackDays = options.lookbackDays ?? 365;
  const now = options.now.getTime();
  const event = await db.withOrg(orgId, (tx) => requireEvent(tx, orgId, eventId));
  const startsAt = event.startsAt.getTime();
  const endsAt = event.endsAt.getTime();
  const headline = headlineHorizon(event.format);
  const horizon = options.horizon ?? headline;
  const asOf = Math.min(now, horizonInstant(endsAt, horizon));
  const ledgerAsOf = new Date(asOf);
  const daysSavedHorizon = Math.max(horizon, 1);
  // Per-journey models need only the journeys this event's accounts or people took part in; a population model
  // (markov, shapley) is fitted on every journey, so then everything is read.
  const population = [model, ...models].some((m) => !isPerJourneyModel(m));
  // With worker threads, the ROI curve, the offline comparison and the ledger's acceleration are computed on one
  // while this thread computes the outcomes ledger's lines: the deal set is then built on shared memory, which the
  // worker reads in place. Only for a per-journey model: those take a fraction of a second there, far within the
  // task's time limit, while a population model over every deal could outlast it (and the worker would be stopped).
  const threads = resampleThreads() > 0 && isPerJourneyModel(model);
  const journeyOptions = {
    scope,
    lookbackDays,
    focusEventId: population ? undefined : eventId,
    shared: threads,
  };
  // The indicators, the journeys and the movement comparison are read side by side, each in transactions of its
  // own: on PostgreSQL at once on several connections, the journeys split further into parts that no transaction
  // of ours waits for (embedded, one after the other).
  const [basics, journeys, moved] = await Promise.all([
    db.withOrg(orgId, async (tx) => {
      const indicators: EventIndicators = await eventIndicators(tx, orgId, eventId);
      const costRows = await tx
        .select({ amount: eventCosts.amountMinor, currency: eventCosts.currency })
        .from(eventCosts)
        .where(and(eq(eventCosts.orgId, orgId), eq(eventCosts.eventId, eventId)));
      return { indicators, costRows };
    }),
    db.withOrgEach
      ? loadDeals(null, orgId, { ...journeyOptions, parallel: (parts) => db.withOrgEach!(orgId, parts) })
      : db.withOrg(orgId, (tx) => loadDeals(tx, orgId, journeyOptions)),
    (async () => {
      // Executive roundtables are valued on open pipeline reaching its next stage sooner than at matched accounts
      // (docs/movement.md); every other event on won deals closing sooner (docs/roi.md). Never both: one deal's
      // time saved would count twice.
      let pipelineAcceleration: Map<number, RoiAcceleration> | null = null;
      let roundtable: RoundtableMovement | undefined;
      if (event.type === "executive_roundtable") {
        const { measured } = reachedHorizons(endsAt, ROI_HORIZONS, now);
        // Read on or after the last reached horizon, the ledger's comparison serves the ROI curve too: one
        // comparison.
        if (
          measured.length > 0 &&
          asOf >= horizonInstant(endsAt, Math.max(...measured)) &&
          asOf >= startsAt
        ) {
          roundtable = await roundtableMovement(db, orgId, eventId, {
            asOf: ledgerAsOf,
            daysSavedHorizon,
            daysSavedHorizons: measured,
          });
        }
        pipelineAcceleration = await roundtableRoiAcceleration(
          db,
          orgId,
          { id: eventId, endsAt },
          ROI_HORIZONS,
          now,
          roundtable,
        );
      }
      // Pipeline movement and behaviour change against comparable accounts, partners or reps, read on the same day.
      const movement =
        MOVEMENT_TYPES.has(event.type) && asOf >= startsAt
          ? await movementOutcomes(db, orgId, eventId, { asOf: ledgerAsOf, daysSavedHorizon }, roundtable)
          : [];
      return { pipelineAcceleration, movement };
    })(),
  ]);
  const { indicators, costRows } = basics;
  const { deals, info } = journeys;
  const { pipelineAcceleration, movement } = moved;
  const cost = costRows.reduce((s, r) => s + Number(r.amount), 0);
  const common = { eventId, eventStartsAt: startsAt, eventEndsAt: endsAt, model, lookbackDays };
  const roiInput: RoiCurveInput = {
    ...common,
    cost,
    now,
    ...(pipelineAcceleration
      ? { accelerationByHorizon: new Map([...pipelineAcceleration].map(([h, a]) => [h, a.value])) }
      : {}),
  };
  const offlineInput = { eventId, asOf, model, lookbackDays };
  const sideInput: ReportSideInput = { roi: roiInput, offline: offlineInput, ledgerAsOf: asOf };
  // Posted before the ledger's lines are computed here, so both run at once; a worker that fails or stops leaves
  // its part to this thread (same code, same result).
  const remote = threads ? runTask<ReportSide>(ROI_ENGINE, "reportSide", [deals, sideInput]) : null;
  remote?.catch(() => undefined);
  const lines = eventOutcomeLines(deals, { ...common, asOf, models });
  const here = () => reportSide(deals, sideInput);
  const { roi, offline: comparison, acceleration } = remote ? await remote.catch(here) : here();
  const outcomes = withAcceleration(lines, acceleration);
  return {
    event: {
      id: event.id,
      name: event.name,
      type: event.type,
      format: event.format,
      status: event.status,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
    },
    model,
    scope,
    lookbackDays,
    horizon,
    headlineHorizon: headline,
    /** Money is in minor units (cents) of the organization's currency. */
    currency: info.currencies[0] ?? costRows[0]?.currency ?? "USD",
    indicators,
    outcomes: { ...outcomesJson(outcomes), movement },
    accelerationBasis: pipelineAcceleration
      ? ("open_pipeline_days_to_next_stage" as const)
      : ("won_deals_days_to_close" as const),
    roi: roi.map((p) => ({ ...p, asOf: iso(p.asOf) })),
    offlineVsOnline: offlineJson(comparison),
    warnings: dataWarnings(
      info,
      costRows.map((r) => r.currency),
    ),
    computed: { deals: info.deals, touches: info.touches, loadMs: Math.round(info.ms) },
  };
}

const MOVEMENT_TYPES = new Set(["executive_roundtable", "partner_event", "sales_kickoff"]);

export type EventImpact = Awaited<ReturnType<typeof eventImpact>>;

/** Events of the organization with their total cost (minor units), for the portfolio. */
export async function eventsWithCost(db: Database, orgId: string) {
  return db.withOrg(orgId, (tx) =>
    rows<{
      id: string;
      name: string;
      type: string;
      format: "tactical" | "strategic";
      status: string;
      starts: number;
      ends: number;
      cost: number;
      registrations: number;
      leads: number;
    }>(
      tx,
      sql`select e.id, e.name, e.type, e.format, e.status,
            (extract(epoch from e.starts_at) * 1000)::float8 as starts,
            (extract(epoch from e.ends_at) * 1000)::float8 as ends,
            (select coalesce(sum(k.amount_minor), 0)::float8 from event_costs k
               where k.org_id = e.org_id and k.event_id = e.id) as cost,
            (select count(*)::int from registrations r where r.org_id = e.org_id and r.event_id = e.id
               and r.status = 'registered') as registrations,
            (select count(*)::int from leads l where l.org_id = e.org_id and l.event_id = e.id) as leads
          from events e
          where e.org_id = ${orgId} and e.status <> 'cancelled'
          order by e.ends_at, e.id`,
    ),
  );
}
