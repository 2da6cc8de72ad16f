import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { App } from "../route.ts";

const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.object({
      kind: z.enum(["pglite", "postgres"]),
      migrationVersion: z.number().int(),
      ok: z.boolean(),
    }),
  })
  .openapi("Health");

export function registerHealthRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      summary: "Database kind, migration version, and whether the database answers",
      responses: {
        200: { content: { "application/json": { schema: healthSchema } }, description: "Health" },
      },
    }),
    async (c) => {
      const { db, migrationVersion } = c.get("services");
      const ok = await db
        .asApp((tx) => tx.execute(sql`select 1`))
        .then(() => true)
        .catch(() => false);
      return c.json(
        {
          status: ok ? ("ok" as const) : ("degraded" as const),
          database: { kind: db.kind, migrationVersion, ok },
        },
        200,
      );
    },
  );
}
