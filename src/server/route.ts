import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { Role } from "../db/schema/vocabulary.ts";
import { requireRole } from "./auth/middleware.ts";
import type { AppEnv } from "./context.ts";

/**
 * Declares a signed-in route: the roles allowed are part of the definition, so no route can forget them.
 * The roles also appear in the OpenAPI document as `x-roles`.
 */
export function secured<R extends RouteConfig>(roles: readonly Role[], route: R): R {
  return {
    ...route,
    security: [{ session: [] }, { apiKey: [] }],
    middleware: [requireRole(roles)],
    "x-roles": roles,
  } as R;
}

export type App = OpenAPIHono<AppEnv>;
