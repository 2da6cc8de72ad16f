import { z } from "@hono/zod-openapi";
import { modelNames } from "../../core/attribution/types.ts";
import { ROI_HORIZONS } from "../../core/roi/index.ts";
import { errorBodySchema } from "../errors.ts";
import { journeyScopes } from "./load-deals.ts";

// Query and response schemas of the impact routes. Money is always in minor units (cents).

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
export const errorResponses = {
  400: json(errorBodySchema, "Bad request: the message names the field and the reason"),
  401: json(errorBodySchema, "Not signed in"),
  403: json(errorBodySchema, "Not allowed for this role"),
  404: json(errorBodySchema, "Not found"),
};
export { json };

const numbers = z.record(z.string(), z.number());
const horizonParam = z
  .enum(ROI_HORIZONS.map(String) as [string, ...string[]])
  .optional()
  .openapi({ description: "Days after the event ends: 0, 30, 90, 180 or 365" });
const scopeParam = z.enum(journeyScopes).default("account");
const lookbackParam = z.coerce.number().int().min(0).max(3650).default(365);

export const attributionQuerySchema = z
  .object({
    model: z.string().min(1).default("linear").openapi({ description: "A model, a comma list, or all" }),
    by: z.enum(["channel", "event", "campaign"]).default("channel"),
    scope: scopeParam,
    from: z.iso.date().optional().openapi({ description: "First close date (inclusive)" }),
    to: z.iso.date().optional().openapi({ description: "Last close date (inclusive)" }),
    onlineOnly: z.enum(["true", "false"]).default("false"),
    lookbackDays: lookbackParam,
  })
  .strict();

export const impactQuerySchema = z
  .object({
    horizon: horizonParam,
    model: z.enum(modelNames).default("linear"),
    models: z.string().min(1).optional().openapi({
      description: "Models of outcomes.byModel: a list, or all (default: the per-journey models)",
    }),
    scope: scopeParam,
    lookbackDays: lookbackParam,
  })
  .strict();

export const portfolioQuerySchema = z
  .object({
    horizon: horizonParam,
    model: z.enum(modelNames).default("linear"),
    scope: scopeParam,
    lookbackDays: lookbackParam,
  })
  .strict();

export const attributionResultSchema = z
  .object({
    model: z.string(),
    keyBy: z.enum(["channel", "event", "campaign"]),
    conversions: numbers,
    value: numbers,
    total: z.object({ conversions: z.number(), value: z.number() }),
    unattributed: z.object({ conversions: z.number(), value: z.number(), journeys: z.number() }),
    removalEffect: numbers.optional(),
    pConversion: z.number().optional(),
    method: z.enum(["exact", "sampled"]).optional(),
    samples: z.number().optional(),
    standardError: z.object({ conversions: numbers, value: numbers }).optional(),
  })
  .openapi("AttributionResult");

export const databaseAttributionSchema = z
  .object({
    asOf: z.string(),
    scope: z.enum(journeyScopes),
    by: z.enum(["channel", "event", "campaign"]),
    from: z.string().nullable(),
    to: z.string().nullable(),
    onlineOnly: z.boolean(),
    lookbackDays: z.number(),
    journeys: z.object({
      deals: z.number(),
      won: z.number(),
      lost: z.number(),
      open: z.number(),
      touches: z.number(),
    }),
    influenced: z.record(z.string(), attributionResultSchema),
    sourced: z.record(z.string(), attributionResultSchema),
    labels: z.record(z.string(), z.string()),
    warnings: z.array(z.string()),
  })
  .openapi("DatabaseAttribution");

const outcomeLine = z.object({ opportunities: z.number(), amount: z.number(), attributed: z.number() });

const accelerationSchema = z.object({
  status: z.enum(["compared", "insufficient_controls", "no_attending_deals"]),
  treated: z.number(),
  controls: z.number(),
  matched: z.number(),
  daysSavedMean: z.number().nullable(),
  estimate: z.number(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  counted: z.boolean(),
  value: z.number(),
  pairs: z.array(
    z.object({ treatedId: z.string(), controlId: z.string(), daysSaved: z.number(), value: z.number() }),
  ),
  method: z.string(),
  message: z.string().optional(),
});

/** One movement entry of the outcomes ledger (src/server/movement/movement-outcomes.ts). */
const movementEntrySchema = z
  .object({
    ledger: z.literal("outcome"),
    eventId: z.string(),
    kind: z.enum(["pipeline_movement", "behaviour_change"]),
    measure: z.string(),
    horizonDays: z.number().nullable(),
    estimate: z.number().nullable(),
    ci: z.tuple([z.number(), z.number()]).nullable(),
    unit: z.string(),
    method: z.string(),
    n: z.number(),
    note: z.string().optional(),
  })
  .openapi("MovementOutcome");

const roiPointSchema = z
  .object({
    horizon: z.number(),
    asOf: z.string(),
    known: z.boolean(),
    reason: z.string().optional(),
    wonRevenue: z.number().nullable(),
    weightedPipeline: z.number().nullable(),
    acceleration: z.number().nullable(),
    value: z.number().nullable(),
    cost: z.number(),
    roi: z.number().nullable(),
  })
  .openapi("RoiPoint");

const twoNumbers = z.object({ wonRevenue: z.number(), weightedPipeline: z.number() });

export const eventImpactSchema = z
  .object({
    event: z.object({
      id: z.string(),
      name: z.string(),
      type: z.string(),
      format: z.enum(["tactical", "strategic"]),
      status: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
    }),
    model: z.string(),
    scope: z.enum(journeyScopes),
    lookbackDays: z.number(),
    horizon: z.number(),
    headlineHorizon: z.number(),
    currency: z.string(),
    indicators: z.object({
      registrations: z.number(),
      waitlisted: z.number(),
      cancelled: z.number(),
      attended: z.number(),
      attendanceRate: z.number().nullable(),
      engagement: z.object({
        pollAnswers: z.number(),
        questions: z.number(),
        sessionCheckIns: z.number(),
        conversations: z.number(),
        engagedPeople: z.number(),
        engagedShare: z.number().nullable(),
      }),
      leads: z.object({
        captured: z.number(),
        tierA: z.number(),
        tierB: z.number(),
        tierC: z.number(),
        converted: z.number(),
      }),
      satisfaction: z.object({ responses: z.number(), averageRating: z.number().nullable() }),
    }),
    outcomes: z.object({
      asOf: z.string(),
      model: z.string(),
      sourcedPipeline: outcomeLine,
      influencedPipeline: outcomeLine,
      wonRevenue: outcomeLine,
      weightedPipeline: outcomeLine,
      acceleration: accelerationSchema,
      movement: z.array(movementEntrySchema),
      byModel: z.record(
        z.string(),
        z.object({
          sourcedPipeline: z.number(),
          influencedPipeline: z.number(),
          wonRevenue: z.number(),
          weightedPipeline: z.number(),
        }),
      ),
    }),
    /** What the ROI curve's acceleration measures (executive roundtables: open pipeline; others: won deals). */
    accelerationBasis: z.enum(["won_deals_days_to_close", "open_pipeline_days_to_next_stage"]),
    roi: z.array(roiPointSchema),
    offlineVsOnline: z.object({
      model: z.string(),
      asOf: z.string(),
      event: z.object({ all: twoNumbers, onlineOnly: twoNumbers, difference: twoNumbers }),
      byChannel: z.object({
        all: numbers,
        onlineOnly: numbers,
        difference: numbers,
        unattributedOnlineOnly: z.number(),
      }),
    }),
    warnings: z.array(z.string()),
    computed: z.object({ deals: z.number(), touches: z.number(), loadMs: z.number() }),
  })
  .openapi("EventImpact");

export const portfolioSchema = z
  .object({
    horizon: z.number().nullable(),
    model: z.string(),
    scope: z.enum(journeyScopes),
    asOf: z.string(),
    events: z.array(
      z.object({
        rank: z.number().nullable(),
        eventId: z.string(),
        name: z.string(),
        type: z.string(),
        format: z.enum(["tactical", "strategic"]),
        endsAt: z.string(),
        horizon: z.number(),
        asOf: z.string(),
        known: z.boolean(),
        reason: z.string().optional(),
        value: z.number().nullable(),
        cost: z.number(),
        roi: z.number().nullable(),
        outcomes: z.object({
          wonRevenue: z.number().nullable(),
          weightedPipeline: z.number().nullable(),
          acceleration: z.number().nullable(),
        }),
        indicators: z.object({ registrations: z.number(), leads: z.number() }),
      }),
    ),
    warnings: z.array(z.string()),
  })
  .openapi("Portfolio");
