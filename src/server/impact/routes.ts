import { createRoute, z } from "@hono/zod-openapi";
import type { RoiHorizon } from "../../core/roi/index.ts";
import { anyRole } from "../auth/middleware.ts";
import { type App, secured } from "../route.ts";
import { attributionFromDatabase } from "./attribution-service.ts";
import { eventImpact } from "./event-impact.ts";
import { portfolio } from "./portfolio.ts";
import {
  attributionQuerySchema,
  databaseAttributionSchema,
  errorResponses,
  eventImpactSchema,
  impactQuerySchema,
  json,
  portfolioQuerySchema,
  portfolioSchema,
} from "./schemas.ts";

const horizonOf = (h: string | undefined) => (h === undefined ? undefined : (Number(h) as RoiHorizon));

/** Attribution, event impact and portfolio: read-only, for every signed-in role, under the caller's organization. */
export function registerImpactRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/attribution",
        summary:
          "Multi-touch attribution of won revenue by channel, event or campaign (influenced and sourced)",
        request: { query: attributionQuerySchema },
        responses: { 200: json(databaseAttributionSchema, "Credits per model"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { db, now } = c.get("services");
      const result = await attributionFromDatabase(db, c.get("caller").orgId, {
        models: q.model,
        by: q.by,
        scope: q.scope,
        from: q.from,
        to: q.to,
        onlineOnly: q.onlineOnly === "true",
        lookbackDays: q.lookbackDays,
        now: now(),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/impact",
        summary: "An event's indicators and outcomes (two ledgers), ROI curve by horizon, offline vs online",
        request: { params: z.object({ id: z.uuid() }), query: impactQuerySchema },
        responses: { 200: json(eventImpactSchema, "Impact report"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { db, now } = c.get("services");
      const result = await eventImpact(db, c.get("caller").orgId, c.req.valid("param").id, {
        now: now(),
        horizon: horizonOf(q.horizon),
        model: q.model,
        models: q.models,
        scope: q.scope,
        lookbackDays: q.lookbackDays,
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/portfolio",
        summary: "Events ranked by ROI at a horizon (default: each event's headline horizon)",
        request: { query: portfolioQuerySchema },
        responses: { 200: json(portfolioSchema, "Ranked events"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const { db, now } = c.get("services");
      const result = await portfolio(db, c.get("caller").orgId, {
        now: now(),
        horizon: horizonOf(q.horizon),
        model: q.model,
        scope: q.scope,
        lookbackDays: q.lookbackDays,
      });
      return c.json(result, 200);
    },
  );
}
