import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../route.ts";
import { answerFollowUp, makeCommitments, openCommitments, openFollowUp } from "./commitments.ts";
import { certificateByLink, claimCredit, openCredit } from "./credits.ts";
import { answerDrill, openDrill } from "./drills.ts";
import {
  answersSchema,
  commitmentsInputSchema,
  creditClaimSchema,
  errorResponses,
  followUpInputSchema,
  json,
  jsonBody,
  tokenParams,
} from "./schemas.ts";
import { openAttempt, saveAnswers, submitAttempt } from "./take-assessment.ts";

const anyObject = z.record(z.string(), z.unknown());

const drillAnswerSchema = z
  .object({
    cardId: z.uuid(),
    itemId: z.uuid(),
    answer: z.array(z.number().int().min(0).max(11)).min(1).max(12),
    confidence: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  })
  .strict()
  .openapi("DrillAnswer");

/**
 * Learner link routes: no account, the signed token in the path is the credential. Each answers for exactly the
 * organization and row the token names.
 */
export function registerPublicLearningRoutes(app: App): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/learn/{token}",
      summary: "Open a learner's assessment link: items without the key, saved answers (resume) and status",
      request: { params: tokenParams },
      responses: { 200: json(anyObject, "The check"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await openAttempt(db, c.req.valid("param").token, now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/learn/{token}/answers",
      summary: "Save answers with confidence (one per item: sending again replaces, never double-counts)",
      request: { params: tokenParams, ...jsonBody(answersSchema) },
      responses: { 200: json(anyObject, "Saved"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await saveAnswers(db, c.req.valid("param").token, c.req.valid("json"), now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/learn/{token}/submit",
      summary: "Submit the check (idempotent); after the post-test, returns the reinforcement drill link",
      request: { params: tokenParams },
      responses: { 200: json(anyObject, "Submitted"), ...errorResponses },
    }),
    async (c) => {
      const { db, now, config } = c.get("services");
      return c.json(
        await submitAttempt(db, c.req.valid("param").token, now(), config.THROUGHLINE_PUBLIC_URL),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/learn/{token}/drill",
      summary: "Reinforcement drills due for the learner (practice, never measurement)",
      request: { params: tokenParams },
      responses: { 200: json(anyObject, "Due drills"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await openDrill(db, c.req.valid("param").token, now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/learn/{token}/drill",
      summary: "Answer one drill; the card is rescheduled in whole days (FSRS)",
      request: { params: tokenParams, ...jsonBody(drillAnswerSchema) },
      responses: { 200: json(anyObject, "Rescheduled"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await answerDrill(db, c.req.valid("param").token, c.req.valid("json"), now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/learn/{token}/commitments",
      summary: "A learner's commitments to change (up to 3) and when the follow-up comes",
      request: { params: tokenParams },
      responses: { 200: json(anyObject, "Commitments"), ...errorResponses },
    }),
    async (c) => c.json(await openCommitments(c.get("services").db, c.req.valid("param").token), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/learn/{token}/commitments",
      summary: "State up to 3 commitments to change; the follow-up is scheduled",
      request: { params: tokenParams, ...jsonBody(commitmentsInputSchema) },
      responses: { 200: json(anyObject, "Saved"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(
        await makeCommitments(db, c.req.valid("param").token, c.req.valid("json").statements, now()),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/learn/{token}/follow-up",
      summary: "The commitments a follow-up link asks about",
      request: { params: tokenParams },
      responses: { 200: json(anyObject, "Commitments"), ...errorResponses },
    }),
    async (c) => c.json(await openFollowUp(c.get("services").db, c.req.valid("param").token), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/learn/{token}/follow-up/{commitmentId}",
      summary: "Implemented fully, partly or not, and the barriers",
      request: {
        params: tokenParams.extend({ commitmentId: z.uuid() }),
        ...jsonBody(followUpInputSchema),
      },
      responses: { 200: json(anyObject, "Saved"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      const { token, commitmentId } = c.req.valid("param");
      return c.json(await answerFollowUp(db, token, { commitmentId, ...c.req.valid("json") }, now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/learn/{token}/credit",
      summary: "What attendance earned for the learner, and what was claimed or issued",
      request: { params: tokenParams },
      responses: { 200: json(anyObject, "Credit"), ...errorResponses },
    }),
    async (c) => c.json(await openCredit(c.get("services").db, c.req.valid("param").token), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/learn/{token}/credit",
      summary: "Claim credit (at most what attendance supports)",
      request: { params: tokenParams, ...jsonBody(creditClaimSchema) },
      responses: { 200: json(anyObject, "Claimed"), ...errorResponses },
    }),
    async (c) => {
      const { db, now } = c.get("services");
      return c.json(await claimCredit(db, c.req.valid("param").token, c.req.valid("json").hours, now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/learn/{token}/certificate.pdf",
      summary: "The learner's certificate once the credit is issued",
      request: { params: tokenParams },
      responses: {
        200: { content: { "application/pdf": { schema: z.string() } }, description: "Certificate PDF" },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { pdf, certificateNo } = await certificateByLink(
        c.get("services").db,
        c.req.valid("param").token,
      );
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="certificate-${certificateNo}.pdf"`,
      }) as never;
    },
  );
}
