import { createRoute, z } from "@hono/zod-openapi";
import type { Role } from "../../db/schema/vocabulary.ts";
import { importEventbriteExport } from "../../ingest/eventbrite/import-eventbrite.ts";
import { importZoomReport } from "../../ingest/zoom/import-zoom.ts";
import { errorResponses, json, jsonBody } from "../events/schemas.ts";
import { type App, secured } from "../route.ts";

const importers: readonly Role[] = ["admin", "marketer"];

const resultSchema = z
  .object({
    runId: z.uuid(),
    rowsRead: z.number().int(),
    people: z.number().int(),
    registrationsCreated: z.number().int(),
    registrationsUpdated: z.number().int(),
    registrationsUnchanged: z.number().int(),
    touchpointsAdded: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), field: z.string(), reason: z.string() })),
    webinarId: z.string().nullable().optional(),
    topic: z.string().nullable().optional(),
  })
  .openapi("AttendeeImportResult");

export function registerImportRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(importers, {
        method: "post",
        path: "/api/events/{id}/imports/{source}",
        summary:
          "Import a Zoom webinar attendee report or an Eventbrite attendee export (CSV text); re-importing adds nothing",
        request: {
          params: z.object({ id: z.uuid(), source: z.enum(["zoom", "eventbrite"]) }),
          ...jsonBody(
            z
              .object({ fileName: z.string().min(1).max(300), csv: z.string().min(1).max(50_000_000) })
              .strict(),
          ),
        },
        responses: {
          200: json(resultSchema, "Imported, with a row-numbered report of skipped rows"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { id, source } = c.req.valid("param");
      const { fileName, csv } = c.req.valid("json");
      const { db, now } = c.get("services");
      const file = { name: fileName, text: csv };
      const result =
        source === "zoom"
          ? await importZoomReport(db, c.get("caller").orgId, id, file, now())
          : await importEventbriteExport(db, c.get("caller").orgId, id, file, now());
      return c.json(result, 200);
    },
  );
}
