import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { importTickets } from "../../ingest/tickets/import-tickets.ts";
import { importUsage, type UsageRow, writeUsage } from "../../ingest/usage/import-usage.ts";
import { anyRole } from "../auth/middleware.ts";
import { type App, secured } from "../route.ts";
import { adoptionReport, adoptionSummary } from "./adoption.ts";
import { errorResponses, idParams, json, jsonBody } from "./schemas.ts";

const anyObject = z.record(z.string(), z.unknown());
const importers = ["admin", "marketer", "educator"] as const;
const importQuery = z
  .object({
    mode: z.enum(["refuse_whole", "keep_valid"]).default("refuse_whole"),
    fileName: z.string().min(1).max(300).default("upload.csv"),
  })
  .strict();

const usageEventSchema = z
  .object({
    externalId: z.string().min(1).max(200),
    account: z.string().min(1).max(200),
    person: z.string().min(1).max(320).nullable().optional(),
    feature: z.string().min(1).max(200),
    time: z.iso.datetime({ offset: true }),
    guided: z.boolean().optional(),
  })
  .strict();

/** Usage events sent as JSON: all or nothing, idempotent by external id like the CSV import. */
async function ingestUsageEvents(db: Database, orgId: string, events: z.infer<typeof usageEventSchema>[]) {
  return db.withOrg(orgId, async (tx) => {
    const batch = events.map((e, i) => ({
      row: i + 1,
      value: {
        externalId: e.externalId,
        account: e.account,
        person: e.person ?? null,
        feature: e.feature,
        at: new Date(e.time),
        guided: e.guided ?? false,
      } satisfies UsageRow,
    }));
    const ids = new Map<string, number>();
    for (const b of batch) {
      const first = ids.get(b.value.externalId);
      if (first)
        throw new AppError(
          "validation",
          `events.${b.row - 1}.externalId: repeats event ${first - 1}`,
          "externalId",
        );
      ids.set(b.value.externalId, b.row);
    }
    const w = await writeUsage(tx, orgId, batch);
    if (w.errors.length > 0) {
      const e = w.errors[0]!;
      throw new AppError("validation", `events.${e.row - 1}.${e.field}: ${e.reason}`, e.field, w.errors);
    }
    return { inserted: w.inserted, updated: w.updated, unchanged: w.unchanged };
  });
}

/** Customer-training routes: the adoption report, usage and ticket imports, and the usage event API. */
export function registerAdoptionRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/adoption",
        summary:
          "Customer training adoption: independent use of trained features at 30/60/90 d vs matched untrained accounts, time to first independent use, trained-topic tickets DiD, clarity, topics per hour",
        request: {
          params: idParams,
          query: z.object({ windowDays: z.coerce.number().int().min(7).max(365).default(90) }).strict(),
        },
        responses: { 200: json(anyObject, "Adoption report"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      const report = await adoptionReport(db, c.get("caller").orgId, c.req.valid("param").id, now(), {
        windowDays: c.req.valid("query").windowDays,
      });
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/adoption",
        summary:
          "Independent-use lift pooled over every customer training whose horizon has passed, with 95% intervals",
        request: {
          query: z.object({ windowDays: z.coerce.number().int().min(7).max(365).default(90) }).strict(),
        },
        responses: { 200: json(anyObject, "Adoption summary"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(
        await adoptionSummary(db, c.get("caller").orgId, now(), {
          windowDays: c.req.valid("query").windowDays,
        }),
        200,
      );
    },
  );

  for (const [path, run, what] of [
    [
      "/api/imports/product-usage",
      importUsage,
      "product usage (external_id, account, person, feature, time, guided)",
    ],
    [
      "/api/imports/support-tickets",
      importTickets,
      "support tickets (external_id, account, person, topic, subject, opened_at, closed_at)",
    ],
  ] as const) {
    app.openapi(
      createRoute(
        secured(importers, {
          method: "post",
          path,
          summary: `Import a CSV of ${what}; the body is the CSV text. Idempotent by external_id; row-numbered errors`,
          request: { query: importQuery },
          responses: { 200: json(anyObject, "Import run"), ...errorResponses },
        }),
      ),
      async (c) => {
        const { mode, fileName } = c.req.valid("query");
        const text = await c.req.text();
        const result = await run(c.get("services").db, c.get("caller").orgId, text, { fileName, mode });
        return c.json(result, 200);
      },
    );
  }

  app.openapi(
    createRoute(
      secured(importers, {
        method: "post",
        path: "/api/product-usage",
        summary: "Send product usage events as JSON (all or nothing; idempotent by externalId)",
        request: jsonBody(z.object({ events: z.array(usageEventSchema).min(1).max(10_000) }).strict()),
        responses: { 200: json(anyObject, "Written"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await ingestUsageEvents(c.get("services").db, c.get("caller").orgId, c.req.valid("json").events),
        200,
      ),
  );
}
