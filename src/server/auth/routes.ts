import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError } from "../../core/errors.ts";
import { organizations, users } from "../../db/schema/index.ts";
import { roles } from "../../db/schema/vocabulary.ts";
import { errorBodySchema } from "../errors.ts";
import { type App, secured } from "../route.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.ts";
import { anyRole, SESSION_COOKIE } from "./middleware.ts";
import { RateLimiter } from "./rate-limit.ts";
import { SESSION_DAYS, signIn, signOut } from "./sign-in.ts";

const meSchema = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: z.enum(roles) }),
    organization: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
    csrfToken: z.string().nullable(),
  })
  .openapi("Me");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
const errors = {
  400: json(errorBodySchema, "Bad request"),
  401: json(errorBodySchema, "Not signed in"),
  403: json(errorBodySchema, "Not allowed"),
};

export function registerAuthRoutes(app: App): void {
  const limiter = new RateLimiter(10, 60_000);

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/auth/sign-in",
      summary: "Sign in with email and password; sets the HttpOnly session cookie",
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.object({ email: z.email(), password: z.string().min(1) }).strict(),
            },
          },
        },
      },
      responses: {
        200: json(z.object({ csrfToken: z.string(), role: z.enum(roles) }), "Signed in"),
        ...errors,
        429: json(errorBodySchema, "Too many attempts"),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const { db, now } = c.get("services");
      const key = `${email.toLowerCase()}|${c.req.header("x-forwarded-for") ?? "local"}`;
      if (!limiter.take(key, now().getTime())) {
        throw new AppError("rate_limited", "too many sign-in attempts; wait a minute and try again");
      }
      // Session expiry follows the wall clock, not the business clock that tests and analytics may move.
      const session = await signIn(db, email, password, new Date());
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        secure: new URL(c.req.url).protocol === "https:",
        maxAge: SESSION_DAYS * 86_400,
      });
      return c.json({ csrfToken: session.csrfToken, role: session.user.role }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "post",
        path: "/api/auth/sign-out",
        summary: "End the web session",
        responses: { 204: { description: "Signed out" }, ...errors },
      }),
    ),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await signOut(c.get("services").db, c.get("caller").orgId, token);
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/auth/me",
        summary: "The signed-in user, their organization, and the CSRF token for writes",
        responses: { 200: json(meSchema, "Me"), ...errors },
      }),
    ),
    async (c) => {
      const caller = c.get("caller");
      const [org] = await c
        .get("services")
        .db.withOrg(caller.orgId, (tx) =>
          tx
            .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
            .from(organizations)
            .where(eq(organizations.id, caller.orgId)),
        );
      if (!org) throw new AppError("not_found", "organization not found");
      return c.json(
        {
          user: { id: caller.userId, email: caller.email, name: caller.name, role: caller.role },
          organization: org,
          csrfToken: caller.csrfToken ?? null,
        },
        200,
      );
    },
  );

  const userSchema = z
    .object({
      id: z.uuid(),
      name: z.string(),
      email: z.string(),
      role: z.enum(roles),
      territory: z.string().nullable(),
    })
    .openapi("User");

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/users",
        summary: "The organization's users (for choosing an event's owner or a lead's owner), by name",
        responses: { 200: json(z.object({ users: z.array(userSchema) }), "Users"), ...errors },
      }),
    ),
    async (c) => {
      const { orgId } = c.get("caller");
      const list = await c.get("services").db.withOrg(orgId, (tx) =>
        tx
          .select({
            id: users.id,
            name: users.name,
            email: users.email,
            role: users.role,
            territory: users.territory,
          })
          .from(users)
          .where(eq(users.orgId, orgId))
          .orderBy(asc(users.name), asc(users.email)),
      );
      return c.json({ users: list.map((u) => ({ ...u, role: u.role as (typeof roles)[number] })) }, 200);
    },
  );

  const keySchema = z.object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.iso.datetime(),
  });

  app.openapi(
    createRoute(
      secured(["admin"], {
        method: "post",
        path: "/api/api-keys",
        summary: "Create an API key for the caller; the secret is shown once",
        request: {
          body: {
            required: true,
            content: {
              "application/json": { schema: z.object({ name: z.string().min(1).max(100) }).strict() },
            },
          },
        },
        responses: { 201: json(keySchema.extend({ secret: z.string() }), "Created"), ...errors },
      }),
    ),
    async (c) => {
      const { name } = c.req.valid("json");
      const key = await createApiKey(
        c.get("services").db,
        c.get("caller").orgId,
        c.get("caller").userId,
        name,
      );
      return c.json({ ...key, createdAt: key.createdAt.toISOString() }, 201);
    },
  );

  app.openapi(
    createRoute(
      secured(["admin"], {
        method: "get",
        path: "/api/api-keys",
        summary: "Active API keys of the organization (never their secrets)",
        responses: { 200: json(z.object({ keys: z.array(keySchema) }), "Keys"), ...errors },
      }),
    ),
    async (c) => {
      const keys = await listApiKeys(c.get("services").db, c.get("caller").orgId);
      return c.json(
        {
          keys: keys.map((k) => ({
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            createdAt: k.createdAt.toISOString(),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(["admin"], {
        method: "delete",
        path: "/api/api-keys/{id}",
        summary: "Revoke an API key",
        request: { params: z.object({ id: z.uuid() }) },
        responses: { 204: { description: "Revoked" }, ...errors, 404: json(errorBodySchema, "Not found") },
      }),
    ),
    async (c) => {
      await revokeApiKey(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.get("services").now(),
      );
      return c.body(null, 204);
    },
  );
}
