import { createRoute, z } from "@hono/zod-openapi";
import { eventFormats, eventTypes } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import { errorBodySchema } from "../errors.ts";
import { type App, secured } from "../route.ts";
import { listEvents } from "./list-events.ts";

const eventSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(eventTypes),
    format: z.enum(eventFormats),
    status: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    timeZone: z.string(),
    venue: z.string().nullable(),
    registrations: z.number().int(),
    attended: z.number().int(),
    costMinor: z.number().int(),
  })
  .openapi("EventSummary");

export function registerEventRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events",
        summary: "Events of the organization with registrations, attendance and cost",
        request: {
          query: z
            .object({
              type: z.enum(eventTypes).optional(),
              limit: z.coerce.number().int().min(1).max(500).default(100),
              offset: z.coerce.number().int().min(0).default(0),
            })
            .strict(),
        },
        responses: {
          200: {
            content: {
              "application/json": {
                schema: z.object({ events: z.array(eventSummarySchema), total: z.number() }),
              },
            },
            description: "Events",
          },
          400: { content: { "application/json": { schema: errorBodySchema } }, description: "Bad request" },
          401: { content: { "application/json": { schema: errorBodySchema } }, description: "Not signed in" },
        },
      }),
    ),
    async (c) => {
      const result = await listEvents(c.var.services.db, c.var.caller.orgId, c.req.valid("query"));
      return c.json(result, 200);
    },
  );
}
