import { createRoute, z } from "@hono/zod-openapi";
import type { Role } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import { errorResponses, idParams, json, jsonBody } from "../events/schemas.ts";
import { type App, secured } from "../route.ts";
import { eventAccelerationValue } from "./acceleration.ts";
import { kickoffImpact } from "./kickoff-impact.ts";
import { addObservation, setChecklist, setGlossary } from "./kickoff-setup.ts";
import { scheduleStallChecks, scheduleStallSweep } from "./movement-jobs.ts";
import { movementOutcomes } from "./movement-outcomes.ts";
import { partnerImpact } from "./partner-impact.ts";
import { matchExactKeys, matchNearestKeys, roundtableMovement } from "./roundtable-movement.ts";
import { roundtablePortfolio } from "./roundtable-portfolio.ts";
import { sendAdoptionAlerts, sendStallAlerts } from "./send-alerts.ts";

/** Who may change a kickoff's glossary and checklist, record observations and raise alerts. */
export const movementWriters: readonly Role[] = ["admin", "marketer"];
/** Managers recording observations of reps: writers plus partner managers (who coach partner reps). */
export const observers: readonly Role[] = ["admin", "marketer", "partner_manager"];

const daysList = z
  .string()
  .regex(/^\d+(,\d+)*$/, "must be a comma-separated list of whole days, e.g. 14,30,60")
  .transform((s) => s.split(",").map(Number));

/** A comma-separated list of keys from a fixed set ("" for none), e.g. exact=segment,currency. */
function keyList<const K extends readonly [string, ...string[]]>(keys: K) {
  return z
    .string()
    .regex(
      new RegExp(`^((${keys.join("|")})(,(${keys.join("|")}))*)?$`),
      `must be a comma-separated list of ${keys.join(", ")}`,
    )
    .transform((s) => (s === "" ? [] : (s.split(",") as K[number][])));
}

const common = {
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Nothing after this instant is used (default now)" }),
  seed: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  resamples: z.coerce.number().int().min(100).max(20_000).optional(),
};

const roundtableQuery = z
  .object({
    ...common,
    k: z.coerce.number().int().min(1).max(10).optional(),
    caliper: z.coerce.number().positive().optional(),
    replacement: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional()
      .openapi({ description: "May one control serve several attending deals (default false)" }),
    exact: keyList(matchExactKeys)
      .optional()
      .openapi({ description: "Exact match keys besides the stage at the event (default segment)" }),
    nearest: keyList(matchNearestKeys)
      .optional()
      .openapi({ description: "Nearest match keys (default amount,age)" }),
    stallDays: daysList.optional(),
    windowsDays: daysList.optional(),
    lookbackDays: z.coerce.number().int().min(1).max(730).optional(),
  })
  .strict();
const partnerQuery = z
  .object({
    ...common,
    monthsBefore: z.coerce.number().int().min(1).max(36).optional(),
    monthsAfter: z.coerce.number().int().min(1).max(36).optional(),
  })
  .strict();
const kickoffQuery = z
  .object({
    ...common,
    beforeDays: z.coerce.number().int().min(7).max(730).optional(),
    afterDays: z.coerce.number().int().min(7).max(730).optional(),
    threshold: z.coerce.number().min(0).max(1).optional(),
    alertWeeks: z.coerce.number().int().min(1).max(26).optional(),
    alertMinNotes: z.coerce.number().int().min(1).max(100).optional(),
    minPhrases: z.coerce.number().int().min(1).max(20).optional(),
  })
  .strict();
const accelerationQuery = z
  .object({
    ...common,
    horizonDays: z.coerce.number().int().min(1).max(730).optional(),
    dailyValueMinor: z.coerce.number().min(0).optional(),
  })
  .strict();

const report = (name: string) =>
  z.looseObject({ event: z.looseObject({ id: z.string() }), asOf: z.string() }).openapi(name);
const alertRunSchema = z
  .object({
    raised: z.number(),
    emailsQueued: z.number(),
    alreadyRaised: z.number(),
    noRecipient: z.number(),
    alerts: z.array(
      z.object({
        kind: z.enum(["stall", "adoption"]),
        subjectId: z.string(),
        period: z.number(),
        outboxId: z.string().nullable(),
      }),
    ),
    scheduled: z.array(z.string()).optional(),
  })
  .openapi("MovementAlertRun");

function asOfOf(query: { asOf?: string | undefined }, now: () => Date): Date {
  return query.asOf ? new Date(query.asOf) : now();
}

/** Drops undefined options (exactOptionalPropertyTypes-safe spreading of parsed query values). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

/** Movement after the room: roundtables, partner events, sales kickoffs, their alerts and the acceleration value. */
export function registerMovementRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/movement",
        summary:
          "Account movement after an executive roundtable: velocity against matched accounts, stalls with the missing link, committee coverage",
        request: { params: idParams, query: roundtableQuery },
        responses: { 200: json(report("RoundtableMovement"), "Movement"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { services, caller } = c.var;
      const { asOf: _a, ...rest } = q;
      const result = await roundtableMovement(services.db, caller.orgId, c.req.valid("param").id, {
        ...defined(rest),
        asOf: asOfOf(q, services.now),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/movement/roundtables",
        summary:
          "Every executive roundtable pooled: velocity lift, days saved and stall shares of attending deals against matched controls",
        request: {
          query: z
            .object({
              ...common,
              k: z.coerce.number().int().min(1).max(10).optional(),
              minFollowUpDays: z.coerce.number().int().min(1).max(730).optional(),
              liftWindowDays: z.coerce.number().int().min(1).max(365).optional(),
            })
            .strict(),
        },
        responses: {
          200: json(z.looseObject({ asOf: z.string() }).openapi("RoundtablePortfolio"), "Pooled movement"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { services, caller } = c.var;
      const { asOf: _a, ...rest } = q;
      const result = await roundtablePortfolio(services.db, caller.orgId, {
        ...defined(rest),
        asOf: asOfOf(q, services.now),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/partners",
        summary:
          "Partner movement after a partner event: registrations and sourced pipeline DiD, time to first registration, friction scorecard",
        request: { params: idParams, query: partnerQuery },
        responses: { 200: json(report("PartnerImpact"), "Partner impact"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { services, caller } = c.var;
      const { asOf: _a, ...rest } = q;
      const result = await partnerImpact(services.db, caller.orgId, c.req.valid("param").id, {
        ...defined(rest),
        asOf: asOfOf(q, services.now),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/kickoff",
        summary:
          "Selling behaviour after a sales kickoff: win rate, cycle, deal size, messaging adoption and its weekly decay, alerts",
        request: { params: idParams, query: kickoffQuery },
        responses: { 200: json(report("KickoffImpact"), "Kickoff impact"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { services, caller } = c.var;
      const { asOf: _a, threshold, ...rest } = q;
      const result = await kickoffImpact(services.db, caller.orgId, c.req.valid("param").id, {
        ...defined(rest),
        ...(threshold !== undefined ? { adoptionThreshold: threshold } : {}),
        asOf: asOfOf(q, services.now),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/acceleration",
        summary: "Acceleration value of an account-level event: days saved × daily value × accelerated deals",
        request: { params: idParams, query: accelerationQuery },
        responses: {
          200: json(
            z.looseObject({ eventId: z.string() }).openapi("AccelerationValue"),
            "Acceleration value",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { services, caller } = c.var;
      const { asOf: _a, ...rest } = q;
      const result = await eventAccelerationValue(services.db, caller.orgId, c.req.valid("param").id, {
        ...defined(rest),
        asOf: asOfOf(q, services.now),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/movement/outcomes",
        summary: "The event's movement outcomes as outcome-ledger entries (chosen by event type)",
        request: { params: idParams, query: z.object(common).strict() },
        responses: {
          200: json(
            z.object({ entries: z.array(z.looseObject({ measure: z.string() })) }),
            "Outcome entries",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { services, caller } = c.var;
      const { asOf: _a, ...rest } = q;
      const entries = await movementOutcomes(services.db, caller.orgId, c.req.valid("param").id, {
        ...defined(rest),
        asOf: asOfOf(q, services.now),
      });
      return c.json({ entries }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(movementWriters, {
        method: "post",
        path: "/api/events/{id}/movement/alerts",
        summary:
          "Raise stall alerts now (each once, to the account owner), schedule the checks at 14/30/60 days after the event, and start the daily sweep that books them for every roundtable that ends",
        request: { params: idParams },
        responses: { 200: json(alertRunSchema, "Alert run"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { services, caller } = c.var;
      const id = c.req.valid("param").id;
      const now = services.now();
      const run = await sendStallAlerts(services.db, caller.orgId, id, { asOf: now, now });
      const scheduled = await scheduleStallChecks(services.db, caller.orgId, id);
      // From now on the daily sweep books the checks of every roundtable that ends.
      await services.db.withOrg(caller.orgId, (tx) => scheduleStallSweep(tx, caller.orgId, now));
      return c.json({ ...run, scheduled }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(movementWriters, {
        method: "post",
        path: "/api/events/{id}/kickoff/alerts",
        summary: "Raise messaging-adoption alerts now (each rep and week once, to the kickoff's owner)",
        request: {
          params: idParams,
          query: kickoffQuery.pick({ threshold: true, alertWeeks: true, alertMinNotes: true }),
        },
        responses: { 200: json(alertRunSchema, "Alert run"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { services, caller } = c.var;
      const { threshold, ...rest } = c.req.valid("query");
      const now = services.now();
      const run = await sendAdoptionAlerts(services.db, caller.orgId, c.req.valid("param").id, {
        ...defined(rest),
        ...(threshold !== undefined ? { adoptionThreshold: threshold } : {}),
        asOf: now,
        now,
      });
      return c.json(run, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(movementWriters, {
        method: "put",
        path: "/api/events/{id}/kickoff/glossary",
        summary: "Replace the kickoff's phrase glossary (the new positioning)",
        request: {
          params: idParams,
          ...jsonBody(
            z.object({ phrases: z.array(z.string().trim().min(1).max(200)).min(1).max(500) }).strict(),
          ),
        },
        responses: { 200: json(z.object({ phrases: z.array(z.string()) }), "Glossary"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { services, caller } = c.var;
      const phrases = await setGlossary(
        services.db,
        caller.orgId,
        c.req.valid("param").id,
        c.req.valid("json").phrases,
      );
      return c.json({ phrases }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(movementWriters, {
        method: "put",
        path: "/api/events/{id}/kickoff/checklist",
        summary: "Replace the kickoff's manager observation checklist",
        request: {
          params: idParams,
          ...jsonBody(
            z.object({ items: z.array(z.string().trim().min(1).max(300)).min(1).max(100) }).strict(),
          ),
        },
        responses: {
          200: json(
            z.object({
              items: z.array(z.object({ id: z.string(), position: z.number(), label: z.string() })),
            }),
            "Checklist",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { services, caller } = c.var;
      const items = await setChecklist(
        services.db,
        caller.orgId,
        c.req.valid("param").id,
        c.req.valid("json").items,
      );
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(observers, {
        method: "post",
        path: "/api/events/{id}/kickoff/observations",
        summary: "Record a manager observation of a rep against the kickoff's checklist (item id → seen)",
        request: {
          params: idParams,
          ...jsonBody(
            z
              .object({
                repUserId: z.uuid(),
                observedAt: z.iso.datetime({ offset: true }),
                items: z.record(z.uuid(), z.boolean()),
                note: z.string().max(4000).optional(),
              })
              .strict(),
          ),
        },
        responses: { 201: json(z.object({ id: z.string() }), "Recorded"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { services, caller } = c.var;
      const body = c.req.valid("json");
      const id = await addObservation(services.db, caller.orgId, c.req.valid("param").id, {
        repUserId: body.repUserId,
        observerUserId: caller.userId,
        observedAt: new Date(body.observedAt),
        items: body.items,
        note: body.note ?? null,
      });
      return c.json({ id }, 201);
    },
  );
}
