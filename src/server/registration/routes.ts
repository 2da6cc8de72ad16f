import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError } from "../../core/errors.ts";
import type { Role } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import type { AppEnv } from "../context.ts";
import { errorBodySchema } from "../errors.ts";
import { errorResponses, idParams, json, jsonBody, registrationQuestionSchema } from "../events/schemas.ts";
import { type App, secured } from "../route.ts";
import { cancelRegistration, cancelWithTicket } from "./cancel-registration.ts";
import { registerImportRoutes } from "./import-routes.ts";
import { registerInvitationRoutes } from "./invitation-routes.ts";
import { listRegistrations } from "./list-registrations.ts";
import { listOutbox, retryEmail } from "./outbox-status.ts";
import { publicBaseUrl } from "./public-base-url.ts";
import { getPublicEvent } from "./public-event.ts";
import { registerForEvent } from "./register.ts";

const registrationManagers: readonly Role[] = ["admin", "marketer"];

const publicParams = z.object({
  org: z.string().min(1).max(100),
  event: z.string().min(1).max(100),
});

const publicErrors = {
  400: json(errorBodySchema, "Bad request: the message names the field and the reason"),
  403: json(errorBodySchema, "By invitation only"),
  404: json(errorBodySchema, "No such organization or event"),
  409: json(errorBodySchema, "Registration not open"),
  410: json(errorBodySchema, "The event has ended"),
  429: json(errorBodySchema, "Too many attempts"),
};

const publicEventSchema = z
  .object({
    name: z.string(),
    slug: z.string(),
    type: z.string(),
    status: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    timeZone: z.string(),
    startsLocal: z.string(),
    venue: z.string().nullable(),
    virtualUrl: z.string().nullable(),
    description: z.string().nullable(),
    inviteOnly: z.boolean(),
    registrationOpen: z.boolean(),
    placesLeft: z.number().int().nullable(),
    questions: z.array(registrationQuestionSchema),
  })
  .openapi("PublicEvent");

const registrationInputSchema = z
  .object({
    email: z.email().max(320),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    answers: z.record(z.string(), z.unknown()).default({}),
    consent: z.boolean(),
  })
  .strict()
  .openapi("RegistrationInput");

const registrationResultSchema = z
  .object({
    registrationId: z.uuid(),
    status: z.enum(["registered", "waitlisted"]),
    updated: z.boolean(),
    waitlistPosition: z.number().int().nullable(),
    message: z.string(),
  })
  .openapi("RegistrationResult");

const outboxSchema = z
  .object({
    emails: z.array(
      z.object({
        id: z.uuid(),
        to: z.string(),
        subject: z.string(),
        purpose: z.string(),
        refId: z.uuid().nullable(),
        status: z.enum(["queued", "sending", "sent", "failed"]),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        nextAttemptAt: z.string(),
        sentAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    counts: z.record(z.string(), z.number().int()),
  })
  .openapi("Outbox");

const outboxQuery = {
  status: z.enum(["queued", "sending", "sent", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

function clientKey(c: Context<AppEnv>): string {
  return c.req.header("x-forwarded-for")?.split(",")[0]?.trim() || "local";
}

export function registerRegistrationRoutes(app: App): void {
  registerInvitationRoutes(app);
  registerImportRoutes(app);
  // Per client address and per email: a form bot is slowed down, a person retrying a typo is not.
  const perClient = new RateLimiter(30, 60_000);
  const perEmail = new RateLimiter(5, 60_000);

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/public/orgs/{org}/events/{event}",
      summary: "Public page data of an event: times in its zone, places left, registration questions",
      request: { params: publicParams },
      responses: { 200: json(publicEventSchema, "Event"), ...publicErrors },
    }),
    async (c) => {
      const { org, event } = c.req.valid("param");
      return c.json(await getPublicEvent(c.get("services").db, org, event, c.get("services").now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/events/{event}/registrations",
      summary: "Register (no sign-in). Registering again with the same email updates; a full event waitlists",
      request: { params: publicParams, ...jsonBody(registrationInputSchema) },
      responses: {
        200: json(registrationResultSchema, "Updated an existing registration"),
        201: json(registrationResultSchema, "Registered or waitlisted"),
        ...publicErrors,
      },
    }),
    async (c) => {
      const { org, event } = c.req.valid("param");
      const input = c.req.valid("json");
      const nowMs = c.get("services").now().getTime();
      if (!perClient.take(clientKey(c), nowMs) || !perEmail.take(input.email.toLowerCase(), nowMs)) {
        throw new AppError("rate_limited", "too many registrations from here; wait a minute and try again");
      }
      const result = await registerForEvent(
        c.get("services").db,
        org,
        event,
        input,
        publicBaseUrl(c),
        c.get("services").now(),
      );
      return c.json(result, result.updated ? 200 : 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/events/{event}/cancellations",
      summary: "Cancel with your ticket code; the ticket is revoked and the place goes to the waitlist",
      request: {
        params: publicParams,
        ...jsonBody(z.object({ ticket: z.string().min(1).max(400) }).strict()),
      },
      responses: { 200: json(z.object({ cancelled: z.literal(true) }), "Cancelled"), ...publicErrors },
    }),
    async (c) => {
      const { org, event } = c.req.valid("param");
      const nowMs = c.get("services").now().getTime();
      if (!perClient.take(clientKey(c), nowMs)) {
        throw new AppError("rate_limited", "too many attempts from here; wait a minute and try again");
      }
      await cancelWithTicket(
        c.get("services").db,
        org,
        event,
        c.req.valid("json").ticket,
        publicBaseUrl(c),
        c.get("services").now(),
      );
      return c.json({ cancelled: true as const }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/registrations",
        summary: "Registrations with ticket, door check-in and email delivery status",
        request: {
          params: idParams,
          query: z
            .object({
              status: z.enum(["registered", "waitlisted", "cancelled"]).optional(),
              q: z.string().max(100).optional(),
              limit: z.coerce.number().int().min(1).max(1000).default(200),
              offset: z.coerce.number().int().min(0).default(0),
            })
            .strict(),
        },
        responses: {
          200: json(z.object({ registrations: z.array(z.any()), total: z.number().int() }), "Registrations"),
          ...errorResponses,
        },
      }),
    ),
    async (c) =>
      c.json(
        await listRegistrations(
          c.get("services").db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.req.valid("query"),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute(
      secured(registrationManagers, {
        method: "post",
        path: "/api/events/{id}/registrations/{registrationId}/cancel",
        summary: "Cancel a registration: revokes its ticket and promotes the waitlist",
        request: { params: z.object({ id: z.uuid(), registrationId: z.uuid() }) },
        responses: { 200: json(z.object({ promoted: z.array(z.uuid()) }), "Cancelled"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, registrationId } = c.req.valid("param");
      const { db, now } = c.get("services");
      return c.json(
        await cancelRegistration(db, c.get("caller").orgId, id, registrationId, publicBaseUrl(c), now()),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(registrationManagers, {
        method: "get",
        path: "/api/outbox",
        summary: "Email delivery status (queued, sending, sent, failed with the last error)",
        request: {
          query: z.object({ ...outboxQuery, refId: z.uuid().optional() }).strict(),
        },
        responses: {
          200: json(outboxSchema, "Emails"),
          ...errorResponses,
        },
      }),
    ),
    async (c) =>
      c.json(await listOutbox(c.get("services").db, c.get("caller").orgId, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute(
      secured(registrationManagers, {
        method: "get",
        path: "/api/events/{id}/emails",
        summary:
          "Delivery status of one event's emails (tickets, waitlist, invitations), newest first, with counts per status",
        request: { params: idParams, query: z.object(outboxQuery).strict() },
        responses: { 200: json(outboxSchema, "Emails"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await listOutbox(c.get("services").db, c.get("caller").orgId, {
          ...c.req.valid("query"),
          eventId: c.req.valid("param").id,
        }),
        200,
      ),
  );

  app.openapi(
    createRoute(
      secured(registrationManagers, {
        method: "post",
        path: "/api/outbox/{id}/retry",
        summary: "Queue a failed email again",
        request: { params: idParams },
        responses: { 204: { description: "Queued" }, ...errorResponses },
      }),
    ),
    async (c) => {
      await retryEmail(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.get("services").now(),
      );
      return c.body(null, 204);
    },
  );
}
