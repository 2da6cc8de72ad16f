import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { AppError } from "../core/errors.ts";
import { registerAuthRoutes } from "./auth/routes.ts";
import { registerCheckinRoutes } from "./checkin/routes.ts";
import type { AppEnv, Services } from "./context.ts";
import { registerEngagementRoutes } from "./engagement/routes.ts";
import { errorResponse, validationError } from "./errors.ts";
import { registerEventRoutes } from "./events/routes.ts";
import { registerHealthRoutes } from "./health/routes.ts";
import { registerImpactRoutes } from "./impact/routes.ts";
import { registerLeadRoutes } from "./leads/routes.ts";
import { registerLearningRoutes } from "./learning/routes.ts";
import { registerMovementRoutes } from "./movement/routes.ts";
import { registerRegistrationRoutes } from "./registration/routes.ts";

export interface AppOptions {
  /** Folder of the built web app (web/dist); omitted in API-only tests. */
  webDir?: string | undefined;
}

/** Sent with every response. */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "same-origin"],
];

/** The HTTP application: the JSON API under /api, its OpenAPI document, and the web app. */
export function createApp(services: Services, options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, `${result.target}`);
    },
  });
  app.use("*", async (c, next) => {
    c.set("services", services);
    // Set before the handler, so that responses made with c.json and the like are created with them. Setting a
    // header on a finished response makes Hono copy it through a stream (about a third of a small JSON request's
    // cost); only a response a handler built itself, which does not take them, is copied.
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
    for (const [name, value] of SECURITY_HEADERS) if (!c.res.headers.has(name)) c.header(name, value);
  });
  app.onError((error, c) => {
    if (error instanceof AppError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 401 ? "unauthenticated" : error.status === 404 ? "not_found" : "bad_request";
      return errorResponse(c, new AppError(code, error.message || "bad request"));
    }
    console.error(error);
    return errorResponse(c, new AppError("internal", "something went wrong on our side; it has been logged"));
  });

  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerEventRoutes(app);
  registerImpactRoutes(app);
  registerLearningRoutes(app);
  registerLeadRoutes(app);
  registerMovementRoutes(app);
  registerRegistrationRoutes(app);
  registerCheckinRoutes(app);
  registerEngagementRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "tl_session",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer" });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Throughline API", version: "1" },
  });

  app.all("/api/*", (c) =>
    errorResponse(c, new AppError("not_found", `no route ${c.req.method} ${c.req.path}`)),
  );
  if (options.webDir) serveWeb(app, options.webDir);
  return app;
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
};

/** Static files of the built web app; any other path gets index.html so the client router can take it. */
function serveWeb(app: OpenAPIHono<AppEnv>, webDir: string): void {
  const indexPath = join(webDir, "index.html");
  app.get("*", (c) => {
    const rel = normalize(decodeURIComponent(new URL(c.req.url).pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(webDir, rel);
    if (file.startsWith(webDir) && rel !== "/" && existsSync(file) && extname(file)) {
      const type = contentTypes[extname(file)] ?? "application/octet-stream";
      const cache = rel.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
      return c.body(readFileSync(file), 200, { "Content-Type": type, "Cache-Control": cache });
    }
    if (!existsSync(indexPath)) return c.text("The web app is not built: run npm run build:web", 503);
    return c.html(readFileSync(indexPath, "utf8"));
  });
}
