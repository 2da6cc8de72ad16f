import { createRoute, z } from "@hono/zod-openapi";
import type { Role } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import { errorBodySchema } from "../errors.ts";
import { errorResponses, idParams, json, jsonBody } from "../events/schemas.ts";
import { type App, secured } from "../route.ts";
import { decide, listInvitations, nominate, respond, rsvpView, sendInvitations } from "./invitations.ts";
import { publicBaseUrl } from "./public-base-url.ts";

/** Who may nominate guests for invite-only events. */
const nominators: readonly Role[] = ["admin", "marketer", "rep", "partner_manager"];
/** Who may send approved invitations. */
const senders: readonly Role[] = ["admin", "marketer"];

const invitationSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    email: z.string().nullable(),
    name: z.string(),
    status: z.string(),
    reason: z.string().nullable(),
    nominatedBy: z.uuid().nullable(),
    nominatedByName: z.string().nullable(),
    decidedBy: z.uuid().nullable(),
    respondedAt: z.string().nullable(),
    registrationStatus: z.enum(["registered", "waitlisted", "cancelled"]).nullable(),
    waitlistPosition: z.number().int().nullable(),
  })
  .openapi("Invitation");

const rsvpParams = z.object({ org: z.string().min(1).max(100), token: z.string().min(1).max(400) });

export function registerInvitationRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(nominators, {
        method: "post",
        path: "/api/events/{id}/invitations",
        summary: "Nominate a guest for an invite-only event (the owner approves or declines)",
        request: {
          params: idParams,
          ...jsonBody(
            z
              .object({
                email: z.email(),
                firstName: z.string().max(100).optional(),
                lastName: z.string().max(100).optional(),
                reason: z.string().max(1000).optional(),
              })
              .strict(),
          ),
        },
        responses: {
          201: json(z.object({ id: z.uuid(), status: z.string() }), "Nominated"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { orgId, userId } = c.get("caller");
      return c.json(
        await nominate(c.get("services").db, orgId, userId, c.req.valid("param").id, c.req.valid("json")),
        201,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/invitations",
        summary: "Invitations with their status (nominated, approved, declined, sent, accepted, regretted)",
        request: { params: idParams },
        responses: {
          200: json(z.object({ invitations: z.array(invitationSchema) }), "Invitations"),
          ...errorResponses,
        },
      }),
    ),
    async (c) =>
      c.json(
        {
          invitations: await listInvitations(
            c.get("services").db,
            c.get("caller").orgId,
            c.req.valid("param").id,
          ),
        },
        200,
      ),
  );

  app.openapi(
    createRoute(
      // Any role reaches the handler; it lets through the event's owner, admins and marketers.
      secured(anyRole, {
        method: "post",
        path: "/api/events/{id}/invitations/{invitationId}/decision",
        summary: "Approve or decline a nomination (event owner, admin or marketer)",
        request: {
          params: z.object({ id: z.uuid(), invitationId: z.uuid() }),
          ...jsonBody(
            z
              .object({ decision: z.enum(["approve", "decline"]), reason: z.string().max(1000).optional() })
              .strict(),
          ),
        },
        responses: {
          200: json(z.object({ id: z.uuid(), status: z.string() }), "Decided"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { id, invitationId } = c.req.valid("param");
      const { decision, reason } = c.req.valid("json");
      return c.json(
        await decide(
          c.get("services").db,
          c.get("caller"),
          id,
          invitationId,
          decision,
          reason,
          c.get("services").now(),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(senders, {
        method: "post",
        path: "/api/events/{id}/invitations/send",
        summary: "Email every approved invitation with its signed RSVP link",
        request: { params: idParams },
        responses: { 200: json(z.object({ sent: z.number().int() }), "Sent"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await sendInvitations(
          c.get("services").db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          publicBaseUrl(c),
          c.get("services").now(),
        ),
        200,
      ),
  );

  const publicErrors = {
    400: json(errorBodySchema, "Bad link"),
    404: json(errorBodySchema, "Not found"),
    410: json(errorBodySchema, "Event over"),
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/public/orgs/{org}/rsvp/{token}",
      summary: "The invitation behind an RSVP link",
      request: { params: rsvpParams },
      responses: {
        200: json(z.object({ event: z.any(), status: z.string() }), "Invitation"),
        ...publicErrors,
      },
    }),
    async (c) => {
      const { org, token } = c.req.valid("param");
      return c.json(await rsvpView(c.get("services").db, org, token, c.get("services").now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/rsvp/{token}",
      summary: "Accept (registration and ticket, or waitlist when full) or send regrets",
      request: {
        params: rsvpParams,
        ...jsonBody(z.object({ response: z.enum(["accept", "regret"]) }).strict()),
      },
      responses: {
        200: json(z.object({ status: z.string(), message: z.string() }), "Answered"),
        ...publicErrors,
      },
    }),
    async (c) => {
      const { org, token } = c.req.valid("param");
      const { db, now } = c.get("services");
      return c.json(
        await respond(db, org, token, c.req.valid("json").response, publicBaseUrl(c), now()),
        200,
      );
    },
  );
}
