import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { AppError } from "../../core/errors.ts";
import { rows } from "../../db/client.ts";
import type { Role } from "../../db/schema/vocabulary.ts";
import { anyRole } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { errorBodySchema } from "../errors.ts";
import { requireEvent } from "../events/event-json.ts";
import { errorResponses, idParams, json, jsonBody } from "../events/schemas.ts";
import { type App, secured } from "../route.ts";
import { withAttendee } from "./attendee.ts";
import { giveFeedback } from "./feedback.ts";
import { loadIndicators } from "./load-indicators.ts";
import { answerPoll, createPoll, pollsOf, setPollStatus } from "./polls.ts";
import { askQuestion, questionsOf, voteQuestion } from "./questions.ts";

/** Who runs polls and moderates Q&A. */
const hosts: readonly Role[] = ["admin", "marketer", "educator"];

const pollSchema = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid().nullable(),
    question: z.string(),
    options: z.array(z.string()),
    status: z.enum(["draft", "open", "closed"]),
    counts: z.array(z.number().int()),
    respondents: z.number().int(),
  })
  .openapi("Poll");
const questionSchema = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid().nullable(),
    text: z.string(),
    answered: z.boolean(),
    votes: z.number().int(),
    mine: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Question");
const ratioSchema = z.object({
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
});
const satisfactionSchema = z.object({
  responses: z.number().int(),
  mean: z.number().nullable(),
  topTwoBox: ratioSchema,
  distribution: z.array(z.number().int()),
});
const indicatorsSchema = z
  .object({
    registrations: z.object({
      registered: z.number().int(),
      waitlisted: z.number().int(),
      cancelled: z.number().int(),
      total: z.number().int(),
    }),
    showRate: ratioSchema,
    attendees: z.number().int(),
    sessions: z.array(
      z.object({
        sessionId: z.uuid(),
        title: z.string(),
        attendees: z.number().int(),
        capacity: z.number().int().nullable(),
        fill: ratioSchema.nullable(),
        minutes: z.object({ total: z.number(), mean: z.number().nullable(), median: z.number().nullable() }),
        satisfaction: satisfactionSchema,
      }),
    ),
    pollParticipation: ratioSchema,
    polls: z.array(z.object({ pollId: z.uuid(), question: z.string(), respondents: z.number().int() })),
    satisfaction: satisfactionSchema,
  })
  .openapi("EventIndicators");

const publicParams = z.object({ org: z.string().min(1).max(100), event: z.string().min(1).max(100) });
const ticketHeader = z.object({ "x-ticket": z.string().min(1).max(400).optional() });
const publicErrors = {
  400: json(errorBodySchema, "Bad request"),
  401: json(errorBodySchema, "No valid ticket"),
  404: json(errorBodySchema, "Not found"),
  409: json(errorBodySchema, "Conflict"),
};

function attendeeArgs(c: Context<AppEnv>, p: { org: string; event: string }) {
  return [c.get("services").db, p.org, p.event, c.req.header("x-ticket"), c.get("services").now()] as const;
}

export function registerEngagementRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/indicators",
        summary:
          "Indicators (not outcomes): registrations, show rate, attendance and minutes per session, poll participation, satisfaction",
        request: { params: idParams },
        responses: { 200: json(indicatorsSchema, "Indicators with their parts"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(await loadIndicators(c.get("services").db, c.get("caller").orgId, c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute(
      secured(hosts, {
        method: "post",
        path: "/api/events/{id}/polls",
        summary: "Create a poll (draft until opened)",
        request: {
          params: idParams,
          ...jsonBody(
            z
              .object({
                question: z.string().min(1).max(500),
                options: z.array(z.string().min(1).max(200)).min(2).max(12),
                sessionId: z.uuid().nullable().optional(),
              })
              .strict(),
          ),
        },
        responses: { 201: json(pollSchema, "Created"), ...errorResponses },
      }),
    ),
    async (c) =>
      c.json(
        await createPoll(
          c.get("services").db,
          c.get("caller").orgId,
          c.req.valid("param").id,
          c.req.valid("json"),
        ),
        201,
      ),
  );

  app.openapi(
    createRoute(
      secured(hosts, {
        method: "post",
        path: "/api/events/{id}/polls/{pollId}/{action}",
        summary: "Open or close a poll",
        request: {
          params: z.object({ id: z.uuid(), pollId: z.uuid(), action: z.enum(["open", "close"]) }),
        },
        responses: { 200: json(pollSchema, "Poll"), ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, pollId, action } = c.req.valid("param");
      const status = action === "open" ? "open" : "closed";
      return c.json(
        await setPollStatus(c.get("services").db, c.get("caller").orgId, id, pollId, status),
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(anyRole, {
        method: "get",
        path: "/api/events/{id}/engagement",
        summary: "Polls with results and questions by upvotes",
        request: { params: idParams },
        responses: {
          200: json(
            z.object({ polls: z.array(pollSchema), questions: z.array(questionSchema) }),
            "Engagement",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { orgId } = c.get("caller");
      const id = c.req.valid("param").id;
      const result = await c.get("services").db.withOrg(orgId, async (tx) => {
        await requireEvent(tx, orgId, id);
        return { polls: await pollsOf(tx, orgId, id), questions: await questionsOf(tx, orgId, id) };
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(hosts, {
        method: "post",
        path: "/api/events/{id}/questions/{questionId}/answered",
        summary: "Mark a question answered",
        request: { params: z.object({ id: z.uuid(), questionId: z.uuid() }) },
        responses: { 204: { description: "Marked" }, ...errorResponses },
      }),
    ),
    async (c) => {
      const { id, questionId } = c.req.valid("param");
      const { orgId } = c.get("caller");
      const done = await c
        .get("services")
        .db.withOrg(orgId, (tx) =>
          rows<{ id: string }>(
            tx,
            sql`update questions set answered = true where org_id = ${orgId} and event_id = ${id} and id = ${questionId} returning id`,
          ),
        );
      if (done.length === 0) throw new AppError("not_found", "no such question in this event");
      return c.body(null, 204);
    },
  );

  // Attendee pages: the ticket code (X-Ticket header) identifies the person.
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/public/orgs/{org}/events/{event}/live",
      summary: "Attendee view: open polls (with your answer), questions by upvotes, sessions to rate",
      request: { params: publicParams, headers: ticketHeader },
      responses: { 200: json(z.any(), "Live"), ...publicErrors },
    }),
    async (c) => {
      const result = await withAttendee(...attendeeArgs(c, c.req.valid("param")), async (tx, a) => {
        const polls = (await pollsOf(tx, a.orgId, a.event.id)).filter((p) => p.status !== "draft");
        const mine = await rows<{ poll_id: string; option_index: number }>(
          tx,
          sql`select poll_id, option_index from poll_answers where org_id = ${a.orgId} and person_id = ${a.personId}`,
        );
        const sessions = await rows<{ id: string; title: string; startsAt: string }>(
          tx,
          sql`select id, title, to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "startsAt"
              from event_sessions where org_id = ${a.orgId} and event_id = ${a.event.id} order by starts_at, title`,
        );
        const [me] = await rows<{ name: string }>(
          tx,
          sql`select trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) as name from people
              where org_id = ${a.orgId} and id = ${a.personId}`,
        );
        return {
          event: { name: a.event.name, timeZone: a.event.timeZone },
          me: { name: me?.name ?? "" },
          polls: polls.map((p) => ({
            ...p,
            myAnswer: mine.find((m) => m.poll_id === p.id)?.option_index ?? null,
          })),
          questions: await questionsOf(tx, a.orgId, a.event.id, a.personId),
          sessions,
        };
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/events/{event}/polls/{pollId}/answers",
      summary: "Answer an open poll (one answer per person)",
      request: {
        params: publicParams.extend({ pollId: z.uuid() }),
        headers: ticketHeader,
        ...jsonBody(z.object({ optionIndex: z.number().int().min(0).max(11) }).strict()),
      },
      responses: { 201: json(pollSchema, "Answered"), ...publicErrors },
    }),
    async (c) => {
      const p = c.req.valid("param");
      const { optionIndex } = c.req.valid("json");
      const now = c.get("services").now();
      const poll = await withAttendee(...attendeeArgs(c, p), (tx, a) =>
        answerPoll(tx, a, p.pollId, optionIndex, now),
      );
      return c.json(poll, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/events/{event}/questions",
      summary: "Ask a question",
      request: {
        params: publicParams,
        headers: ticketHeader,
        ...jsonBody(
          z
            .object({ text: z.string().trim().min(3).max(1000), sessionId: z.uuid().nullable().optional() })
            .strict(),
        ),
      },
      responses: { 201: json(z.object({ id: z.uuid() }), "Asked"), ...publicErrors },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const now = c.get("services").now();
      const id = await withAttendee(...attendeeArgs(c, c.req.valid("param")), (tx, a) =>
        askQuestion(tx, a, input, now),
      );
      return c.json({ id }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/events/{event}/questions/{questionId}/votes",
      summary: "Upvote a question (once per person; again changes nothing)",
      request: { params: publicParams.extend({ questionId: z.uuid() }), headers: ticketHeader },
      responses: { 204: { description: "Counted" }, ...publicErrors },
    }),
    async (c) => {
      const p = c.req.valid("param");
      const now = c.get("services").now();
      await withAttendee(...attendeeArgs(c, p), (tx, a) => voteQuestion(tx, a, p.questionId, now));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/orgs/{org}/events/{event}/feedback",
      summary:
        "Rate a session (or the event, without sessionId) 1–5 with an optional comment; again replaces it",
      request: {
        params: publicParams,
        headers: ticketHeader,
        ...jsonBody(
          z
            .object({
              sessionId: z.uuid().nullable().optional(),
              rating: z.number().int().min(1).max(5),
              comment: z.string().max(2000).nullable().optional(),
            })
            .strict(),
        ),
      },
      responses: { 200: json(z.object({ id: z.uuid(), replaced: z.boolean() }), "Saved"), ...publicErrors },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const now = c.get("services").now();
      const result = await withAttendee(...attendeeArgs(c, c.req.valid("param")), (tx, a) =>
        giveFeedback(tx, a, input, now),
      );
      return c.json(result, 200);
    },
  );
}
