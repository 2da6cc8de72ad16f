import { createRoute, z } from "@hono/zod-openapi";
import { anyRole } from "../auth/middleware.ts";
import { type App, secured } from "../route.ts";
import {
  accmeActivityFile,
  accmeLearnerFile,
  saveAccreditation,
  saveLearnerProfile,
} from "./accme-export.ts";
import { certificateById, issueCredits, listCredits } from "./credits.ts";
import {
  accreditationSchema,
  errorResponses,
  headerQuery,
  idParams,
  json,
  jsonBody,
  learnerProfileSchema,
} from "./schemas.ts";

const anyObject = z.record(z.string(), z.unknown());
const writers = ["admin", "educator", "marketer"] as const;
const tsv = (description: string) => ({
  content: { "text/tab-separated-values": { schema: z.string() } },
  description,
});
const pdf = { content: { "application/pdf": { schema: z.string() } }, description: "Certificate PDF" };

/** Compliance routes, apart from learning: credits, certificates, accreditation data and ACCME-style files. */
export function registerComplianceRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/credits",
        summary:
          "Credit eligibility (attendance and minimum time), claims, issues, physician and other learner counts",
        request: { params: idParams },
        responses: { 200: json(anyObject, "Credits"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(await listCredits(c.get("services").db, c.get("caller").orgId, c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "post",
        path: "/api/events/{id}/credits/issue",
        summary: "Issue every claimed credit that attendance supports, with certificate numbers",
        request: { params: idParams },
        responses: { 200: json(anyObject, "Issued"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await issueCredits(db, c.get("caller").orgId, c.req.valid("param").id, now()), 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/credits/{creditId}/certificate.pdf",
        summary: "Certificate of an issued credit",
        request: { params: idParams.extend({ creditId: z.uuid() }) },
        responses: { 200: pdf, ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, creditId } = c.req.valid("param");
      const { pdf: bytes, certificateNo } = await certificateById(
        c.get("services").db,
        c.get("caller").orgId,
        id,
        creditId,
      );
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="certificate-${certificateNo}.pdf"`,
      }) as never;
    },
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "put",
        path: "/api/events/{id}/accreditation",
        summary: "Accreditation data of a CME activity (PARS activity fields)",
        request: { params: idParams, ...jsonBody(accreditationSchema) },
        responses: { 200: json(anyObject, "Saved"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(
        await saveAccreditation(
          db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.req.valid("json"),
          now(),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "put",
        path: "/api/people/{id}/learner-profile",
        summary: "License, certifying board and month/day of birth for learner completion reporting",
        request: { params: idParams, ...jsonBody(learnerProfileSchema) },
        responses: { 200: json(anyObject, "Saved"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(
        await saveLearnerProfile(
          db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.req.valid("json"),
          now(),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "get",
        path: "/api/events/{id}/accme/activity.txt",
        summary: "ACCME PARS activity record, tab-delimited (header=true adds the field names)",
        request: { params: idParams, query: headerQuery },
        responses: { 200: tsv("Activity file"), ...errorResponses },
      }),
    ),
    async (c) => {
      const text = await accmeActivityFile(
        c.get("services").db,
        c.get("caller").orgId,
        { eventId: c.req.valid("param").id },
        c.req.valid("query").header === "true",
      );
      return c.body(text, 200, { "Content-Type": "text/tab-separated-values; charset=utf-8" }) as never;
    },
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "get",
        path: "/api/accme/activities.txt",
        summary: "ACCME PARS activity records of every CME activity ending in a reporting year",
        request: { query: headerQuery.extend({ year: z.coerce.number().int().min(2000).max(2100) }) },
        responses: { 200: tsv("Activity file"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { year, header } = c.req.valid("query");
      const text = await accmeActivityFile(
        c.get("services").db,
        c.get("caller").orgId,
        { year },
        header === "true",
      );
      return c.body(text, 200, { "Content-Type": "text/tab-separated-values; charset=utf-8" }) as never;
    },
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "get",
        path: "/api/events/{id}/accme/learners.txt",
        summary: "ACCME learner completion records (issued credits), tab-delimited",
        request: { params: idParams, query: headerQuery },
        responses: { 200: tsv("Learner file"), ...errorResponses },
      }),
    ),
    async (c) => {
      const text = await accmeLearnerFile(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.req.valid("query").header === "true",
      );
      return c.body(text, 200, { "Content-Type": "text/tab-separated-values; charset=utf-8" }) as never;
    },
  );
}
