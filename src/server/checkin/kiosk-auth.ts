import type { RouteConfig } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../core/errors.ts";
import { decodeToken, publicKeyFromRaw, signToken, verifyToken } from "../../core/tickets/index.ts";
import { type Database, rows } from "../../db/client.ts";
import type { Role } from "../../db/schema/vocabulary.ts";
import { requireRole } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { eventKeys } from "../registration/ticket-keys.ts";
import { knownPublicKey, rememberPublicKey } from "./verify-scans.ts";

/** Who may run a check-in kiosk. */
export const checkinRoles: readonly Role[] = ["admin", "marketer", "rep", "partner_manager", "educator"];

/** Kiosk credentials outlive the event by a day, and never more than two weeks from issue. */
const KIOSK_AFTER_END_MS = 86_400_000;
const KIOSK_MAX_MS = 14 * 86_400_000;

/**
 * A kiosk credential: a token signed with the event's key naming the user who set the kiosk up, the event and the
 * organization. It lets a kiosk check people in for that one event without a session lookup per scan, and it
 * keeps working while the kiosk is offline and replays its queue later.
 */
export async function issueKioskToken(
  db: Database,
  orgId: string,
  userId: string,
  eventId: string,
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    const [e] = await rows<{ ends_at: Date | string }>(
      tx,
      sql`select ends_at from events where org_id = ${orgId} and id = ${eventId}`,
    );
    if (!e) throw new AppError("not_found", `no event ${eventId}`);
    const keys = await eventKeys(tx, orgId, eventId);
    const expiresAt = new Date(
      Math.min(new Date(e.ends_at).getTime() + KIOSK_AFTER_END_MS, now.getTime() + KIOSK_MAX_MS),
    );
    if (expiresAt.getTime() <= now.getTime()) throw new AppError("gone", "the event is over");
    const token = signToken(
      { kind: "kiosk", id: userId, eventId, subjectId: orgId, expiresAt },
      keys.privateKey,
    );
    return { token, expiresAt: expiresAt.toISOString(), publicKey: keys.publicKeyRaw };
  });
}

// Kiosk tokens already verified, with their expiry: a busy kiosk's next scan skips the signature check.
const verified = new Map<string, { orgId: string; userId: string; eventId: string; expiresMs: number }>();

async function eventPublicKey(db: Database, orgId: string, eventId: string): Promise<string | undefined> {
  const cached = knownPublicKey(orgId, eventId);
  if (cached) return cached;
  const [row] = await db.withOrg(orgId, (tx) =>
    rows<{ k: string | null }>(
      tx,
      sql`select ticket_public_key as k from events where org_id = ${orgId} and id = ${eventId}`,
    ),
  );
  if (row?.k) rememberPublicKey(orgId, eventId, row.k);
  return row?.k ?? undefined;
}

/**
 * Accepts a kiosk credential (`Authorization: Kiosk TL1…`) for the event in the path, or else a signed-in caller
 * with one of `roles`. A kiosk caller carries the role "rep", the least role that may check people in.
 */
export function kioskOrRole(roles: readonly Role[]) {
  const signedIn = requireRole(roles);
  return createMiddleware<AppEnv>(async (c, next) => {
    const authz = c.req.header("authorization");
    if (!authz?.startsWith("Kiosk ")) return signedIn(c, next);
    const token = authz.slice(6).trim();
    const { db, now } = c.get("services");
    const nowMs = now().getTime();
    let claims = verified.get(token);
    if (!claims || claims.expiresMs <= nowMs) {
      const decoded = decodeToken(token);
      if (decoded?.kind !== "kiosk") throw new AppError("unauthenticated", "this is not a kiosk credential");
      const pub = await eventPublicKey(db, decoded.subjectId, decoded.eventId);
      if (!pub) throw new AppError("unauthenticated", "the kiosk credential names an unknown event");
      const check = verifyToken(token, publicKeyFromRaw(pub), { now: now(), kind: "kiosk" });
      if (!check.ok) throw new AppError("unauthenticated", `kiosk credential refused: ${check.message}`);
      claims = {
        orgId: decoded.subjectId,
        userId: decoded.id,
        eventId: decoded.eventId,
        expiresMs: decoded.expiresAt.getTime(),
      };
      if (verified.size > 10_000) verified.clear();
      verified.set(token, claims);
    }
    if (c.req.param("id") !== claims.eventId) {
      throw new AppError("forbidden", "this kiosk is set up for another event");
    }
    c.set("caller", {
      orgId: claims.orgId,
      userId: claims.userId,
      role: "rep",
      email: "",
      name: "kiosk",
      via: "api_key",
    });
    await next();
  });
}

/** Like `secured`, for routes a kiosk may call with its credential. */
export function kioskSecured<R extends RouteConfig>(roles: readonly Role[], route: R): R {
  return {
    ...route,
    security: [{ session: [] }, { apiKey: [] }, { kiosk: [] }],
    middleware: [kioskOrRole(roles)],
    "x-roles": roles,
  } as R;
}
