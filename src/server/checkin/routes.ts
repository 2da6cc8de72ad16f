import { createRoute, z } from "@hono/zod-openapi";
import { anyRole } from "../auth/middleware.ts";
import { errorBodySchema } from "../errors.ts";
import { requireEvent } from "../events/event-json.ts";
import { errorResponses, idParams, json, jsonBody } from "../events/schemas.ts";
import { eventKeys } from "../registration/ticket-keys.ts";
import { type App, secured } from "../route.ts";
import { CheckinBatcher } from "./batcher.ts";
import { checkinRoles, issueKioskToken, kioskSecured } from "./kiosk-auth.ts";
import { kioskBundle, revocationList } from "./kiosk-bundle.ts";
import { scanResultSchema, scanSchema } from "./scan.ts";

const revocationSchema = z
  .object({ eventId: z.uuid(), asOf: z.string(), ticketIds: z.array(z.uuid()) })
  .openapi("RevocationList");

export function registerCheckinRoutes(app: App): void {
  let batcher: CheckinBatcher | undefined;

  app.openAPIRegistry.registerComponent("securitySchemes", "kiosk", {
    type: "http",
    scheme: "Kiosk",
    description: "Kiosk credential from POST /api/events/{id}/kiosk-token, valid for that event only",
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/public/time",
      summary: "The server's clock (kiosks compare it with theirs)",
      responses: { 200: json(z.object({ now: z.string() }), "Now") },
    }),
    (c) => c.json({ now: c.get("services").now().toISOString() }, 200),
  );

  app.openapi(
    createRoute(
      kioskSecured(checkinRoles, {
        method: "post",
        path: "/api/events/{id}/check-ins",
        summary:
          "Record door or session scans (entry/exit). Replays of a nonce count once; a repeat entry says when the person checked in",
        request: {
          params: idParams,
          ...jsonBody(z.object({ scans: z.array(scanSchema).min(1).max(500) }).strict()),
        },
        responses: {
          200: json(z.object({ results: z.array(scanResultSchema) }), "One result per scan, in order"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      batcher ??= new CheckinBatcher(db, now);
      const eventId = c.req.valid("param").id;
      const { orgId, userId } = c.get("caller");
      // Ticket codes are judged in the batch, after its look-up: a code the server issued is known by its digest,
      // any other by its signature.
      const requests = c.req.valid("json").scans.map((scan) => ({ eventId, scan, userId }));
      const results = await batcher.submit(orgId, requests);
      return c.json({ results }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(checkinRoles, {
        method: "post",
        path: "/api/events/{id}/kiosk-token",
        summary: "A kiosk credential for this event (lets a kiosk check people in, also after being offline)",
        request: { params: idParams },
        responses: {
          201: json(
            z.object({ token: z.string(), expiresAt: z.string(), publicKey: z.string() }),
            "Credential",
          ),
          ...errorResponses,
          410: json(errorBodySchema, "The event is over"),
        },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      const { orgId, userId } = c.get("caller");
      return c.json(await issueKioskToken(db, orgId, userId, c.req.valid("param").id, now()), 201);
    },
  );

  app.openapi(
    createRoute(
      kioskSecured(checkinRoles, {
        method: "get",
        path: "/api/events/{id}/kiosk",
        summary: "Kiosk sync: public key, revocation list, agenda and roster, to keep working offline",
        request: { params: idParams },
        responses: { 200: json(z.any(), "Kiosk bundle"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await kioskBundle(db, c.get("caller").orgId, c.req.valid("param").id, now()), 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/ticket-key",
        summary: "The event's Ed25519 public key (raw, base64url) for verifying ticket codes offline",
        request: { params: idParams },
        responses: {
          200: json(
            z.object({
              algorithm: z.literal("Ed25519"),
              format: z.literal("raw-base64url"),
              publicKey: z.string(),
            }),
            "Key",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { orgId } = c.get("caller");
      const id = c.req.valid("param").id;
      const keys = await c.get("services").db.withOrg(orgId, async (tx) => {
        await requireEvent(tx, orgId, id);
        return eventKeys(tx, orgId, id);
      });
      return c.json(
        { algorithm: "Ed25519" as const, format: "raw-base64url" as const, publicKey: keys.publicKeyRaw },
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      kioskSecured(checkinRoles, {
        method: "get",
        path: "/api/events/{id}/revocations",
        summary: "Ids of cancelled tickets, which kiosks refuse even offline",
        request: { params: idParams },
        responses: { 200: json(revocationSchema, "Revocation list"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      const { orgId } = c.get("caller");
      const id = c.req.valid("param").id;
      const list = await db.withOrg(orgId, async (tx) => {
        await requireEvent(tx, orgId, id);
        return revocationList(tx, orgId, id, now());
      });
      return c.json(list, 200);
    },
  );
}
