import type { ModelSettings } from "../attribution/models.ts";
import { parseModelList } from "../attribution/models.ts";
import type { ModelName } from "../attribution/types.ts";
import { type Acceleration, accelerationAsOf } from "./acceleration.ts";
import { type DealSet, dealStateAsOf, stageAsOf } from "./deal-set.ts";
import { DEFAULT_ROI_MODEL, eventCodeOf, eventCredits, touchedMask } from "./event-credit.ts";

/** Deals an event touched, their total, and the part the model credits to the event. Money in minor units. */
export interface OutcomeLine {
  opportunities: number;
  /** Full amount of the touched deals (weighted by stage probability for open pipeline). */
  amount: number;
  /** The share of `amount` the model credits to this event. */
  attributed: number;
}

/** The outcomes ledger of one event as known on one day (never blended with the indicators). */
export interface EventOutcomes {
  asOf: number;
  model: ModelName;
  /** Deals created after the event touched them (event touch in [created − lookback, created]). */
  sourcedPipeline: OutcomeLine;
  /** Deals the event touched before they closed (or before `asOf` while open); ⊇ sourced. */
  influencedPipeline: OutcomeLine;
  /** Influenced deals won by `asOf`. */
  wonRevenue: OutcomeLine;
  /** Influenced deals still open on `asOf`, amounts weighted by their stage probability that day. */
  weightedPipeline: OutcomeLine;
  acceleration: Acceleration;
  /** Attributed amounts by model (every model asked for), for the model switcher. */
  byModel: Record<
    string,
    { sourcedPipeline: number; influencedPipeline: number; wonRevenue: number; weightedPipeline: number }
  >;
}

export interface EventOutcomesInput {
  eventId: string;
  eventStartsAt: number;
  eventEndsAt: number;
  asOf: number;
  model?: ModelName;
  /** Models for `byModel` (default all). */
  models?: string | readonly ModelName[];
  settings?: ModelSettings;
  lookbackDays?: number;
  leadKinds?: readonly string[];
}

/** The outcomes ledger without its acceleration (see `eventOutcomeLines`). */
export type EventOutcomeLines = Omit<EventOutcomes, "acceleration">;

/** The outcomes ledger of an event as known on `asOf`: pipeline sourced and influenced, won revenue, acceleration. */
export function eventOutcomes(deals: DealSet, input: EventOutcomesInput): EventOutcomes {
  return withAcceleration(
    eventOutcomeLines(deals, input),
    accelerationAsOf(deals, {
      eventCode: eventCodeOf(deals, input.eventId),
      eventStartsAt: input.eventStartsAt,
      eventEndsAt: input.eventEndsAt,
      asOf: input.asOf,
      lookbackDays: input.lookbackDays,
    }),
  );
}

/** The ledger's lines with the acceleration of the same day (`accelerationAsOf`), computed apart. */
export function withAcceleration(lines: EventOutcomeLines, acceleration: Acceleration): EventOutcomes {
  const { byModel, ...rest } = lines;
  return { ...rest, acceleration, byModel };
}

/**
 * The outcomes ledger's lines (pipeline sourced and influenced, won revenue, weighted pipeline, by model), without
 * the acceleration comparison: a report computes that beside them, on another thread (see `reportSide`).
 */
export function eventOutcomeLines(deals: DealSet, input: EventOutcomesInput): EventOutcomeLines {
  const model = input.model ?? DEFAULT_ROI_MODEL;
  const models = parseModelList(input.models ?? "all");
  if (!models.includes(model)) models.unshift(model);
  const { asOf } = input;
  const code = eventCodeOf(deals, input.eventId);
  const common = {
    asOf,
    settings: input.settings,
    lookbackDays: input.lookbackDays,
    leadKinds: input.leadKinds,
  };
  const sourced = touchedMask(deals, code, asOf, "sourced", input.lookbackDays);
  const influenced = touchedMask(deals, code, asOf, "influenced", input.lookbackDays);
  const lines = {
    sourcedPipeline: { opportunities: 0, amount: 0, attributed: 0 },
    influencedPipeline: { opportunities: 0, amount: 0, attributed: 0 },
    wonRevenue: { opportunities: 0, amount: 0, attributed: 0 },
    weightedPipeline: { opportunities: 0, amount: 0, attributed: 0 },
  };
  for (let i = 0; i < deals.count; i++) {
    const amount = deals.amount[i]!;
    if (sourced[i]) {
      lines.sourcedPipeline.opportunities++;
      lines.sourcedPipeline.amount += amount;
    }
    if (!influenced[i]) continue;
    lines.influencedPipeline.opportunities++;
    lines.influencedPipeline.amount += amount;
    const state = dealStateAsOf(deals, i, asOf);
    if (state === "won") {
      lines.wonRevenue.opportunities++;
      lines.wonRevenue.amount += amount;
    } else if (state === "open") {
      lines.weightedPipeline.opportunities++;
      lines.weightedPipeline.amount += amount * deals.stages[stageAsOf(deals, i, asOf)]!.probability;
    }
  }
  const credits = {
    sourcedPipeline: eventCredits(deals, input.eventId, models, {
      ...common,
      outcome: "created",
      window: "sourced",
    }),
    influencedPipeline: eventCredits(deals, input.eventId, models, { ...common, outcome: "created" }),
    wonRevenue: eventCredits(deals, input.eventId, models, { ...common, outcome: "won" }),
    weightedPipeline: eventCredits(deals, input.eventId, models, { ...common, outcome: "pipeline" }),
  };
  const byModel: EventOutcomes["byModel"] = {};
  for (const m of models) {
    byModel[m] = {
      sourcedPipeline: credits.sourcedPipeline[m]!.value,
      influencedPipeline: credits.influencedPipeline[m]!.value,
      wonRevenue: credits.wonRevenue[m]!.value,
      weightedPipeline: credits.weightedPipeline[m]!.value,
    };
  }
  for (const key of Object.keys(lines) as (keyof typeof lines)[])
    lines[key].attributed = byModel[model]![key];
  return { asOf, model, ...lines, byModel };
}
