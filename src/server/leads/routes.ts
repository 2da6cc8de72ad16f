import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { funnelSteps } from "../../core/leads/funnel.ts";
import { tiers } from "../../core/leads/vocabulary.ts";
import type { Database } from "../../db/client.ts";
import { loadOverdueDigests } from "../../jobs/lead-digest.ts";
import { requireEvent } from "../events/event-json.ts";
import { errorResponses, idParams, json, jsonBody } from "../events/schemas.ts";
import { type App, secured } from "../route.ts";
import { captureLead } from "./capture-lead.ts";
import { extractFields } from "./extract-fields.ts";
import { draftLeadFollowUp, getLead, recordFollowUp, recordOutcome } from "./follow-ups.ts";
import { leadFunnel } from "./lead-funnel.ts";
import { leadJson, loadLeadViews } from "./lead-views.ts";
import {
  captureResultSchema,
  captureSchema,
  conversationSchema,
  draftRequestSchema,
  extractionSchema,
  followUpRequestSchema,
  followUpSchema,
  funnelReaders,
  leadSchema,
  leadWorkers,
  outcomeRequestSchema,
} from "./schemas.ts";
import { searchPeople } from "./search-people.ts";
import { leadSettings } from "./settings.ts";

const estimateSchema = z.object({
  estimate: z.number(),
  ci: z.tuple([z.number(), z.number()]),
  level: z.number(),
  se: z.number(),
  resamples: z.number(),
  seed: z.number(),
  invalidResamples: z.number(),
});
const groupSchema = z.object({
  leads: z.number(),
  followedUpWithinSla: z.number(),
  responded: z.number(),
  opportunities: z.number(),
  responseRate: z.number(),
  opportunityRate: z.number(),
});
const rateSchema = z.object({ leads: z.number(), opportunities: z.number(), rate: z.number() });
const funnelSchema = z
  .object({
    eventId: z.uuid(),
    eventName: z.string(),
    asOf: z.string(),
    captured: z.number(),
    links: z.array(
      z.object({
        step: z.enum(funnelSteps),
        reached: z.number(),
        passed: z.number(),
        shareOfCaptured: z.number(),
        conversionFromPrevious: z.number(),
        dropped: z.number(),
      }),
    ),
    timeToFollowUp: z.object({
      followedUp: z.number(),
      never: z.number(),
      hours: z
        .object({
          p10: z.number(),
          p25: z.number(),
          p50: z.number(),
          p75: z.number(),
          p90: z.number(),
          mean: z.number(),
        })
        .nullable(),
      buckets: z.array(z.object({ label: z.string(), leads: z.number() })),
    }),
    byTier: z.object({ A: groupSchema, B: groupSchema, C: groupSchema, untiered: groupSchema }),
    byFollowUp: z.object({ contextual: groupSchema, generic: groupSchema, none: groupSchema }),
    contextualLift: z.object({
      horizonDays: z.number(),
      treated: rateSchema,
      control: rateSchema,
      neverFollowedUp: z.number(),
      tooRecent: z.number(),
      difference: estimateSchema.nullable(),
    }),
  })
  .openapi("LeadFunnel");

const leadDetailSchema = leadSchema
  .extend({
    conversationList: z.array(conversationSchema),
    followUps: z.array(followUpSchema),
    /** Meetings recorded on the lead: the buyer's answers, not follow-ups. */
    meetings: z.array(z.object({ at: z.string(), notes: z.string().nullable() })),
    sessions: z.array(z.string()),
    eventName: z.string(),
    eventTimeZone: z.string(),
    /** The opportunity the lead led to (recorded, or linked from a CRM import), with its current stage. */
    opportunity: z
      .object({
        id: z.uuid(),
        name: z.string(),
        stage: z.string(),
        amountMinor: z.number(),
        currency: z.string(),
        openedAt: z.string(),
      })
      .nullable(),
  })
  .openapi("LeadDetail");

const digestSchema = z.object({
  ownerUserId: z.uuid().nullable(),
  leads: z.array(
    z.object({
      id: z.uuid(),
      personName: z.string(),
      eventName: z.string(),
      tier: z.enum(tiers).nullable(),
      slaDueAt: z.string().nullable(),
      hoursOverdue: z.number(),
      nextStep: z.string().nullable(),
    }),
  ),
});

async function listLeads(
  db: Database,
  orgId: string,
  eventId: string,
  filter: { ownerUserId?: string | undefined; tier?: string | undefined },
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const where = sql.join(
      [
        sql`l.event_id = ${eventId}`,
        ...(filter.ownerUserId ? [sql`l.owner_user_id = ${filter.ownerUserId}`] : []),
        ...(filter.tier ? [sql`l.tier = ${filter.tier}`] : []),
      ],
      sql` and `,
    );
    return (await loadLeadViews(tx, orgId, where, now)).map(leadJson);
  });
}

/** Lead capture, qualification, follow-up and the continuity funnel. */
export function registerLeadRoutes(app: App): void {
  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "post",
        path: "/api/leads/extract",
        summary:
          "Propose lead fields from a note (built-in extractor, or the configured model with fallback)",
        request: jsonBody(
          z
            .object({
              note: z.string().max(20_000),
              /** The event whose time zone resolves "next Tuesday"; else timeZone, else UTC. */
              eventId: z.uuid().optional(),
              timeZone: z.string().min(1).max(64).optional(),
              at: z.iso.datetime({ offset: true }).optional(),
            })
            .strict(),
        ),
        responses: {
          200: json(extractionSchema, "Proposed fields; the raw note is returned unchanged"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const { db } = c.get("services");
      const now = body.at ? new Date(body.at) : c.get("services").now();
      let timeZone = body.timeZone ?? "UTC";
      if (body.eventId) {
        const event = await db.withOrg(c.get("caller").orgId, (tx) =>
          requireEvent(tx, c.get("caller").orgId, body.eventId!),
        );
        timeZone = event.timeZone;
      }
      try {
        new Intl.DateTimeFormat("en", { timeZone });
      } catch {
        timeZone = "UTC";
      }
      const result = await extractFields(
        body.note,
        { now, timeZone },
        leadSettings(c.get("services").config).llm,
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "post",
        path: "/api/events/{id}/captures",
        summary:
          "Capture a conversation: badge scan, search or typed person; creates or merges the event's lead",
        request: { params: idParams, ...jsonBody(captureSchema) },
        responses: {
          200: json(captureResultSchema, "A replay of a capture already recorded: nothing was added"),
          201: json(captureResultSchema, "Captured"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const settings = leadSettings(c.get("services").config);
      const result = await captureLead(
        c.get("services").db,
        c.get("caller"),
        c.req.valid("param").id,
        c.req.valid("json"),
        {
          now: c.get("services").now(),
          llm: settings.llm,
          slaHours: settings.slaHours,
          priority: settings.priority,
        },
      );
      return c.json(result, result.replay ? 200 : 201);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "get",
        path: "/api/events/{id}/leads",
        summary: "Leads captured at an event with tier, signals, owner, SLA state and merged context",
        request: {
          params: idParams,
          query: z
            .object({
              owner: z.union([z.literal("me"), z.uuid()]).optional(),
              tier: z.enum(tiers).optional(),
            })
            .strict(),
        },
        responses: { 200: json(z.object({ leads: z.array(leadSchema) }), "Leads"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const ownerUserId = q.owner === "me" ? c.get("caller").userId : q.owner;
      const list = await listLeads(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        { ownerUserId, tier: q.tier },
        c.get("services").now(),
      );
      return c.json({ leads: list }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "get",
        path: "/api/events/{id}/lead-people",
        summary: "Find a person to capture by name, email or company (the event's registrants first)",
        request: { params: idParams, query: z.object({ q: z.string().trim().min(2).max(100) }).strict() },
        responses: {
          200: json(
            z.object({
              people: z.array(
                z.object({
                  id: z.uuid(),
                  name: z.string(),
                  email: z.string().nullable(),
                  title: z.string().nullable(),
                  company: z.string().nullable(),
                  registered: z.boolean(),
                }),
              ),
            }),
            "People",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const people = await searchPeople(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.req.valid("query").q,
      );
      return c.json({ people }, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "get",
        path: "/api/leads/overdue",
        summary: "Leads past their follow-up SLA with no follow-up, by owner (yours unless owner=all)",
        request: { query: z.object({ owner: z.enum(["me", "all"]).default("me") }).strict() },
        responses: {
          200: json(z.object({ digests: z.array(digestSchema) }), "Overdue leads"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const { caller } = c.var;
      const now = c.get("services").now();
      const digests = await c
        .get("services")
        .db.withOrg(caller.orgId, (tx) => loadOverdueDigests(tx, caller.orgId, now));
      const mine = c.req.valid("query").owner === "me";
      return c.json(
        {
          digests: digests
            .filter((d) => !mine || d.ownerUserId === caller.userId)
            .map((d) => ({
              ownerUserId: d.ownerUserId,
              leads: d.leads.map((l) => ({
                id: l.id,
                personName: l.personName,
                eventName: l.eventName,
                tier: l.tier,
                slaDueAt: l.slaDueAt?.toISOString() ?? null,
                hoursOverdue: l.hoursOverdue,
                nextStep: l.nextStep,
              })),
            })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "get",
        path: "/api/leads/{id}",
        summary: "One lead with its conversations (raw notes kept), follow-ups and sessions attended",
        request: { params: idParams },
        responses: { 200: json(leadDetailSchema, "Lead"), ...errorResponses },
      }),
    ),
    async (c) => {
      const lead = await getLead(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.get("services").now(),
      );
      return c.json(lead, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "post",
        path: "/api/leads/{id}/follow-up-draft",
        summary: "Draft a follow-up citing the conversation (template; the configured model on request)",
        request: { params: idParams, ...jsonBody(draftRequestSchema) },
        responses: {
          201: json(
            followUpSchema.extend({
              writer: z.enum(["template", "llm"]),
              fallbackReason: z.string().optional(),
            }),
            "Draft stored on the lead",
          ),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const draft = await draftLeadFollowUp(c.get("services").db, c.get("caller"), c.req.valid("param").id, {
        useLlm: c.req.valid("json").useLlm,
        llm: leadSettings(c.get("services").config).llm,
        now: c.get("services").now(),
      });
      return c.json(draft, 201);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "post",
        path: "/api/leads/{id}/follow-ups",
        summary:
          "Send a follow-up through the email outbox, or record one done (call, meeting, email elsewhere)",
        request: { params: idParams, ...jsonBody(followUpRequestSchema) },
        responses: { 201: json(followUpSchema, "Follow-up recorded"), ...errorResponses },
      }),
    ),
    async (c) => {
      const row = await recordFollowUp(
        c.get("services").db,
        c.get("caller"),
        c.req.valid("param").id,
        c.req.valid("json"),
        c.get("services").now(),
      );
      return c.json(row, 201);
    },
  );

  app.openapi(
    createRoute(
      secured(leadWorkers, {
        method: "post",
        path: "/api/leads/{id}/outcomes",
        summary: "Record a reply, a meeting, an opportunity or a stage change after the follow-up",
        request: { params: idParams, ...jsonBody(outcomeRequestSchema) },
        responses: {
          200: json(z.object({ lead: leadSchema, followUps: z.array(followUpSchema) }), "Recorded"),
          ...errorResponses,
        },
      }),
    ),
    async (c) => {
      const result = await recordOutcome(
        c.get("services").db,
        c.get("caller"),
        c.req.valid("param").id,
        c.req.valid("json"),
        c.get("services").now(),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute(
      secured(funnelReaders, {
        method: "get",
        path: "/api/events/{id}/lead-funnel",
        summary:
          "Continuity funnel of an event's leads: drop-off per link, time to follow-up, tiers, contextual lift",
        request: {
          params: idParams,
          query: z
            .object({
              horizonDays: z.coerce.number().int().min(1).max(730).default(90),
              seed: z.coerce.number().int().default(1),
            })
            .strict(),
        },
        responses: { 200: json(funnelSchema, "Funnel"), ...errorResponses },
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      const funnel = await leadFunnel(
        c.get("services").db,
        c.get("caller").orgId,
        c.req.valid("param").id,
        c.get("services").now(),
        { horizonDays: q.horizonDays, seed: q.seed },
      );
      return c.json(funnel, 200);
    },
  );
}
