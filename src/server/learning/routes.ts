import { createRoute, z } from "@hono/zod-openapi";
import { eventTypes, type Role } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import { type App, secured } from "../route.ts";
import { registerAdoptionRoutes } from "./adoption-routes.ts";
import { issueLinks } from "./attempts.ts";
import { commitmentLinks, listCommitments } from "./commitments.ts";
import { registerComplianceRoutes } from "./compliance-routes.ts";
import { createAssessment, listAssessments } from "./create-assessment.ts";
import { getLearningReport } from "./get-learning-report.ts";
import { registerJourneyRoutes } from "./journey-routes.ts";
import { getLearningSettings, saveLearningSettings } from "./learning-settings.ts";
import { learningSummary } from "./learning-summary.ts";
import { registerPublicLearningRoutes } from "./public-routes.ts";
import {
  createAssessmentSchema,
  errorResponses,
  idParams,
  issueLinksSchema,
  json,
  jsonBody,
  learnerLinksSchema,
  learningSettingsSchema,
} from "./schemas.ts";

/** Who may author assessments, send links and run credits and exports. */
export const learningWriters: readonly Role[] = ["admin", "educator", "marketer"];

/** Any JSON object (the report shapes are documented in docs/learning-operations.md). */
export const anyObject = z.record(z.string(), z.unknown());

/** Registers every learning route: educator routes (signed in) and learner link routes (public). */
export function registerLearningRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(learningWriters, {
        method: "post",
        path: "/api/events/{id}/assessments",
        summary:
          "Create an assessment (items tied to an objective and an outcome level) and its fixed pre/post/delayed schedule",
        request: { params: idParams, ...jsonBody(createAssessmentSchema) },
        responses: { 201: json(anyObject, "Created with its schedule"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      const body = c.req.valid("json");
      return c.json(
        await createAssessment(db, c.get("caller").orgId, c.req.valid("param").id, body, now()),
        201,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/assessments",
        summary: "The event's assessments with items, answer keys and schedule",
        request: { params: idParams },
        responses: {
          200: json(z.object({ assessments: z.array(anyObject) }), "Assessments"),
          ...errorResponses,
        },
      }),
    ),
    async (c) =>
      c.json(
        {
          assessments: await listAssessments(
            c.get("services").db,
            c.get("caller").orgId,
            c.req.valid("param").id,
          ),
        },
        200,
      ),
  );

  app.openapi(
    createRoute(
      secured(learningWriters, {
        method: "post",
        path: "/api/assessments/{id}/links",
        summary: "Signed links for named learners and one check (the same attempt when issued again)",
        request: { params: idParams, ...jsonBody(issueLinksSchema) },
        responses: { 200: json(anyObject, "Links"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, config } = c.get("services");
      const result = await issueLinks(
        db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.req.valid("json"),
        config.THROUGHLINE_PUBLIC_URL,
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/learning",
        summary:
          "Learning report: participation, satisfaction, pre/post/delayed means, both gains (labelled), retention, d_z, item analysis, α, calibration, misconceptions, commitments, Moore level with evidence",
        request: { params: idParams },
        responses: { 200: json(anyObject, "Report"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await getLearningReport(db, c.get("caller").orgId, c.req.valid("param").id, now()), 200);
    },
  );

  app.openapi(
    createRoute(
      secured(learningWriters, {
        method: "post",
        path: "/api/events/{id}/learner-links",
        summary:
          "Signed links for learners to state commitments to change, answer their follow-up, practise or claim credit",
        request: { params: idParams, ...jsonBody(learnerLinksSchema) },
        responses: { 200: json(anyObject, "Links"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, config } = c.get("services");
      const { personIds, kind } = c.req.valid("json");
      return c.json(
        await commitmentLinks(
          db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          personIds,
          kind,
          config.THROUGHLINE_PUBLIC_URL,
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/commitments",
        summary: "Commitments to change with follow-up answers, implemented share and barriers",
        request: { params: idParams },
        responses: { 200: json(anyObject, "Commitments"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await listCommitments(c.get("services").db, c.get("caller").orgId, c.req.valid("param").id),
        200,
      ),
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/learning/summary",
        summary:
          "Learning pooled over every activity of a type (default CME): gains, retention, calibration, per activity",
        request: { query: z.object({ type: z.enum(eventTypes).default("cme_activity") }).strict() },
        responses: { 200: json(anyObject, "Summary"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await learningSummary(db, c.get("caller").orgId, c.req.valid("query").type, now()), 200);
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/learning-settings",
        summary:
          "The event's learning settings: default delayed-check days, reminder day, window length, commitment follow-up delay and the credit rule",
        request: { params: idParams },
        responses: {
          200: json(anyObject, "Settings (the defaults until some are saved)"),
          ...errorResponses,
        },
      }),
    ),
    async (c) =>
      c.json(
        await getLearningSettings(c.get("services").db, c.get("caller").orgId, c.req.valid("param").id),
        200,
      ),
  );

  app.openapi(
    createRoute(
      secured(learningWriters, {
        method: "put",
        path: "/api/events/{id}/learning-settings",
        summary:
          "Change some learning settings (fields left out keep their value); assessments and commitments made from then on use them",
        request: { params: idParams, ...jsonBody(learningSettingsSchema) },
        responses: { 200: json(anyObject, "Saved settings"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(
        await saveLearningSettings(
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

  registerComplianceRoutes(app);
  registerAdoptionRoutes(app);
  registerJourneyRoutes(app);
  registerPublicLearningRoutes(app);
}
