import { createRoute, z } from "@hono/zod-openapi";
import { eventFormats, eventTypes, type Role } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import { errorBodySchema } from "../errors.ts";
import { type App, secured } from "../route.ts";
import { createSession, deleteSession, updateSession } from "./agenda.ts";
import { addCost, deleteCost, updateCost } from "./costs.ts";
import { createEvent } from "./create-event.ts";
import { getEvent } from "./get-event.ts";
import { listEvents } from "./list-events.ts";
import {
  costSchema,
  createCostSchema,
  createEventSchema,
  createSessionSchema,
  errorResponses,
  eventDetailSchema,
  eventSchema,
  idParams,
  json,
  jsonBody,
  sessionSchema,
  updateCostSchema,
  updateEventSchema,
  updateSessionSchema,
} from "./schemas.ts";
import { updateEvent } from "./update-event.ts";

/** Who may create and change events, their agenda and their costs. */
export const eventWriters: readonly Role[] = ["admin", "marketer"];

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
    costs: z
      .array(z.object({ currency: z.string(), amountMinor: z.number().int() }))
      .describe("cost per currency in minor units; amounts in different currencies are never added"),
  })
  .openapi("EventSummary");

const sessionParams = z.object({ id: z.uuid(), sessionId: z.uuid() });
const costParams = z.object({ id: z.uuid(), costId: z.uuid() });

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
      const result = await listEvents(c.get("services").db, c.get("caller").orgId, c.req.valid("query"));
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "post",
        path: "/api/events",
        summary:
          "Create an event (format defaults from the type; times are instants, shown in its time zone)",
        request: jsonBody(createEventSchema),
        responses: { 201: json(eventSchema, "Created"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { orgId, userId } = c.get("caller");
      const { db, now } = c.get("services");
      return c.json(await createEvent(db, orgId, userId, c.req.valid("json"), now()), 201);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}",
        summary: "One event with its agenda and cost lines",
        request: { params: idParams },
        responses: { 200: json(eventDetailSchema, "Event"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(await getEvent(c.get("services").db, c.get("caller").orgId, c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "patch",
        path: "/api/events/{id}",
        summary: "Change fields of an event",
        request: { params: idParams, ...jsonBody(updateEventSchema) },
        responses: { 200: json(eventSchema, "Updated"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(
        await updateEvent(db, c.get("caller").orgId, c.req.valid("param").id, c.req.valid("json"), now()),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "post",
        path: "/api/events/{id}/sessions",
        summary: "Add a session to the agenda",
        request: { params: idParams, ...jsonBody(createSessionSchema) },
        responses: { 201: json(sessionSchema, "Created"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await createSession(
          c.get("services").db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        201,
      ),
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "patch",
        path: "/api/events/{id}/sessions/{sessionId}",
        summary: "Change fields of a session",
        request: { params: sessionParams, ...jsonBody(updateSessionSchema) },
        responses: { 200: json(sessionSchema, "Updated"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, sessionId } = c.req.valid("param");
      return c.json(
        await updateSession(c.get("services").db, c.get("caller").orgId, id, sessionId, c.req.valid("json")),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "delete",
        path: "/api/events/{id}/sessions/{sessionId}",
        summary: "Remove a session from the agenda",
        request: { params: sessionParams },
        responses: { 204: { description: "Removed" }, ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, sessionId } = c.req.valid("param");
      await deleteSession(c.get("services").db, c.get("caller").orgId, id, sessionId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "post",
        path: "/api/events/{id}/costs",
        summary: "Add a cost line (integer minor units)",
        request: { params: idParams, ...jsonBody(createCostSchema) },
        responses: { 201: json(costSchema, "Created"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await addCost(
          c.get("services").db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        201,
      ),
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "patch",
        path: "/api/events/{id}/costs/{costId}",
        summary: "Change a cost line",
        request: { params: costParams, ...jsonBody(updateCostSchema) },
        responses: { 200: json(costSchema, "Updated"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, costId } = c.req.valid("param");
      return c.json(
        await updateCost(c.get("services").db, c.get("caller").orgId, id, costId, c.req.valid("json")),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(eventWriters, {
        method: "delete",
        path: "/api/events/{id}/costs/{costId}",
        summary: "Remove a cost line",
        request: { params: costParams },
        responses: { 204: { description: "Removed" }, ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, costId } = c.req.valid("param");
      await deleteCost(c.get("services").db, c.get("caller").orgId, id, costId);
      return c.body(null, 204);
    },
  );
}
