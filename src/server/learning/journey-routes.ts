import { createRoute, z } from "@hono/zod-openapi";
import { anyRole } from "../auth/middleware.ts";
import { type App, secured } from "../route.ts";
import {
  createJourney,
  enroll,
  journeyProgress,
  listJourneys,
  masteryByRole,
  recordCoaching,
  stepKinds,
} from "./journeys.ts";
import { errorResponses, idParams, instantSchema, json, jsonBody } from "./schemas.ts";

const anyObject = z.record(z.string(), z.unknown());
const writers = ["admin", "educator", "marketer"] as const;

const journeySchema = z
  .object({
    name: z.string().min(1).max(200),
    role: z.string().min(1).max(100),
    description: z.string().max(5000).nullable().optional(),
    steps: z
      .array(
        z
          .object({
            kind: z.enum(stepKinds),
            title: z.string().min(1).max(300),
            sessionId: z.uuid().nullable().optional(),
            feature: z.string().min(1).max(200).nullable().optional(),
            objective: z.string().min(1).max(1000).nullable().optional(),
            offsetDays: z.number().int().min(0).max(730).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict()
  .openapi("Journey");

/** Journey builder, enrolment, coaching and progress routes. */
export function registerJourneyRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(writers, {
        method: "post",
        path: "/api/journeys",
        summary: "Create a learning journey for a role (sessions, reinforcement, hands-on tasks, coaching)",
        request: jsonBody(journeySchema),
        responses: { 201: json(anyObject, "Created"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(await createJourney(c.get("services").db, c.get("caller").orgId, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/journeys",
        summary: "Journeys with their steps",
        responses: { 200: json(z.object({ journeys: z.array(anyObject) }), "Journeys"), ...errorResponses },
      }),
    ),
    async (c) => c.json({ journeys: await listJourneys(c.get("services").db, c.get("caller").orgId) }, 200),
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/journeys/mastery",
        summary: "Mastery per role (verified tasks and reinforcement checks)",
        responses: { 200: json(anyObject, "Mastery"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(await masteryByRole(c.get("services").db, c.get("caller").orgId, c.get("services").now()), 200),
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "post",
        path: "/api/journeys/{id}/enrollments",
        summary: "Enrol learners (once each)",
        request: {
          params: idParams,
          ...jsonBody(
            z
              .object({ personIds: z.array(z.uuid()).min(1).max(5000), enrolledAt: instantSchema.optional() })
              .strict(),
          ),
        },
        responses: { 200: json(anyObject, "Enrolled"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { personIds, enrolledAt } = c.req.valid("json");
      const { db, now } = c.get("services");
      return c.json(
        await enroll(
          db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          personIds,
          enrolledAt ? new Date(enrolledAt) : now(),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(writers, {
        method: "post",
        path: "/api/journeys/{id}/enrollments/{personId}/coaching/{stepId}",
        summary: "Record a coaching follow-up as done, with a note",
        request: {
          params: idParams.extend({ personId: z.uuid(), stepId: z.uuid() }),
          ...jsonBody(z.object({ note: z.string().min(1).max(2000) }).strict()),
        },
        responses: { 200: json(anyObject, "Recorded"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, personId, stepId } = c.req.valid("param");
      const { db, now } = c.get("services");
      return c.json(
        await recordCoaching(
          db,
          c.get("caller").orgId,
          id,
          personId,
          stepId,
          c.req.valid("json").note,
          now(),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/journeys/{id}/progress",
        summary: "Every learner's steps with evidence, progress and mastery",
        request: { params: idParams },
        responses: { 200: json(anyObject, "Progress"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await journeyProgress(
          c.get("services").db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.get("services").now(),
        ),
        200,
      ),
  );
}
