import { sql } from "drizzle-orm";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../core/errors.ts";
import { rows } from "../../db/client.ts";
import type { Role } from "../../db/schema/vocabulary.ts";
import type { AppEnv, Caller } from "../context.ts";
import { sha256 } from "./tokens.ts";

export const SESSION_COOKIE = "tl_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Authenticates the caller by API key (`Authorization: Bearer tl_…`) or web session cookie, and checks the role.
 * Cookie-authenticated writes must carry the session's CSRF token in `X-CSRF-Token`.
 */
export function requireRole(roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { db } = c.get("services");
    const authz = c.req.header("authorization");
    let caller: Caller | undefined;
    if (authz?.startsWith("Bearer ")) {
      const [key] = await db.asApp((tx) =>
        rows<{ org_id: string; user_id: string; role: Role; email: string; name: string }>(
          tx,
          sql`select * from auth_api_key(${sha256(authz.slice(7).trim())})`,
        ),
      );
      if (!key) throw new AppError("unauthenticated", "the API key is unknown or revoked");
      caller = {
        orgId: key.org_id,
        userId: key.user_id,
        role: key.role,
        email: key.email,
        name: key.name,
        via: "api_key",
      };
    } else {
      const token = getCookie(c, SESSION_COOKIE);
      if (!token) throw new AppError("unauthenticated", "sign in first");
      const [session] = await db.asApp((tx) =>
        rows<{
          org_id: string;
          user_id: string;
          role: Role;
          csrf_token: string;
          email: string;
          name: string;
        }>(tx, sql`select * from auth_session(${sha256(token)})`),
      );
      if (!session) throw new AppError("unauthenticated", "the session has expired; sign in again");
      if (!SAFE_METHODS.has(c.req.method) && c.req.header("x-csrf-token") !== session.csrf_token) {
        throw new AppError("forbidden", "missing or wrong X-CSRF-Token header");
      }
      caller = {
        orgId: session.org_id,
        userId: session.user_id,
        role: session.role,
        email: session.email,
        name: session.name,
        via: "session",
        csrfToken: session.csrf_token,
      };
    }
    if (!roles.includes(caller.role)) {
      throw new AppError(
        "forbidden",
        `this needs one of the roles ${roles.join(", ")}; you are ${caller.role}`,
      );
    }
    c.set("caller", caller);
    await next();
  });
}

/** Everyone signed in may read. */
export const anyRole: readonly Role[] = ["admin", "marketer", "rep", "partner_manager", "educator", "viewer"];
