import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { citesConversation, draftFollowUp } from "../../core/leads/follow-up-draft.ts";
import { followUpMessages, parseLlmDraft } from "../../core/leads/llm-extraction.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { followUps, leads, opportunities, stageChanges, touchpoints } from "../../db/schema/index.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import type { Caller } from "../context.ts";
import { conversationJson, type LeadView, leadJson, loadLeadViews } from "./lead-views.ts";
import { chatCompletion, type LlmConfig } from "./llm-client.ts";
import type { OutcomeRequest } from "./schemas.ts";

type FollowUpRow = typeof followUps.$inferSelect;

export function followUpJson(f: FollowUpRow) {
  return {
    id: f.id,
    leadId: f.leadId,
    personId: f.personId,
    ownerUserId: f.ownerUserId,
    channel: f.channel,
    contextual: f.contextual,
    subject: f.subject,
    body: f.body,
    status: f.status,
    dueAt: f.dueAt?.toISOString() ?? null,
    sentAt: f.sentAt?.toISOString() ?? null,
    respondedAt: f.respondedAt?.toISOString() ?? null,
    outboxId: f.outboxId,
  };
}

/** The lead, or a 404 — also for a lead of another organization, which this transaction cannot see. */
async function requireLead(tx: Tx, orgId: string, leadId: string, now: Date): Promise<LeadView> {
  const [lead] = await loadLeadViews(tx, orgId, sql`l.id = ${leadId}`, now);
  if (!lead) throw new AppError("not_found", `no lead ${leadId}`);
  return lead;
}

async function eventInfo(tx: Tx, orgId: string, eventId: string) {
  const [e] = await rows<{ name: string; time_zone: string }>(
    tx,
    sql`select name, time_zone from events where org_id = ${orgId} and id = ${eventId}`,
  );
  return e!;
}

/** Titles of the sessions the person checked into at the event, in agenda order. */
async function sessionsAttended(tx: Tx, orgId: string, eventId: string, personId: string): Promise<string[]> {
  const list = await rows<{ title: string }>(
    tx,
    sql`select s.title from event_sessions s
        where s.org_id = ${orgId} and s.event_id = ${eventId} and exists (
          select 1 from check_ins c where c.org_id = s.org_id and c.session_id = s.id
            and c.person_id = ${personId} and c.direction = 'entry')
        order by s.starts_at, s.title`,
  );
  return list.map((r) => r.title);
}

async function followUpsOf(tx: Tx, orgId: string, leadId: string) {
  return tx
    .select()
    .from(followUps)
    .where(and(eq(followUps.orgId, orgId), eq(followUps.leadId, leadId)))
    .orderBy(desc(followUps.createdAt));
}

/** The meetings recorded on a lead (its `lead_meeting` touchpoints), oldest first. */
async function meetingsOf(tx: Tx, orgId: string, eventId: string, leadId: string) {
  const list = await rows<{ occurred_at: Date | string; notes: string | null }>(
    tx,
    sql`select occurred_at, metadata->>'notes' as notes from touchpoints
        where org_id = ${orgId} and event_id = ${eventId} and source = 'lead_meeting'
          and metadata->>'leadId' = ${leadId}
        order by occurred_at`,
  );
  return list.map((m) => ({ at: new Date(m.occurred_at).toISOString(), notes: m.notes }));
}

/** One lead with its conversations (raw notes and extractions), follow-ups and the sessions the person attended. */
export async function getLead(db: Database, orgId: string, leadId: string, now: Date) {
  return db.withOrg(orgId, async (tx) => {
    const lead = await requireLead(tx, orgId, leadId, now);
    const event = await eventInfo(tx, orgId, lead.eventId);
    const [opportunity] = lead.opportunityId
      ? await rows<{
          id: string;
          name: string;
          stage: string;
          amount_minor: number;
          currency: string;
          opened_at: Date | string;
        }>(
          tx,
          sql`select id, name, stage, amount_minor::float8 as amount_minor, currency, opened_at
                from opportunities where org_id = ${orgId} and id = ${lead.opportunityId}`,
        )
      : [];
    return {
      ...leadJson(lead),
      eventName: event.name,
      eventTimeZone: event.time_zone,
      opportunity: opportunity
        ? {
            id: opportunity.id,
            name: opportunity.name,
            stage: opportunity.stage,
            amountMinor: Number(opportunity.amount_minor),
            currency: opportunity.currency,
            openedAt: new Date(opportunity.opened_at).toISOString(),
          }
        : null,
      conversationList: lead.conversationRows.map(conversationJson),
      followUps: (await followUpsOf(tx, orgId, leadId)).map(followUpJson),
      meetings: await meetingsOf(tx, orgId, lead.eventId, leadId),
      sessions: await sessionsAttended(tx, orgId, lead.eventId, lead.person.id),
    };
  });
}

/**
 * Drafts a follow-up that cites the conversation (template, or the configured model when asked, falling back to
 * the template) and stores it as a draft follow-up of the lead.
 */
export async function draftLeadFollowUp(
  db: Database,
  caller: Caller,
  leadId: string,
  options: { useLlm: boolean; llm?: LlmConfig | undefined; fetchImpl?: typeof fetch; now: Date },
) {
  const orgId = caller.orgId;
  const context = await db.withOrg(orgId, async (tx) => {
    const lead = await requireLead(tx, orgId, leadId, options.now);
    const event = await eventInfo(tx, orgId, lead.eventId);
    const sessions = await sessionsAttended(tx, orgId, lead.eventId, lead.person.id);
    const [person] = await rows<{ first_name: string | null; last_name: string | null }>(
      tx,
      sql`select first_name, last_name from people where org_id = ${orgId} and id = ${lead.person.id}`,
    );
    return { lead, event, sessions, person: person! };
  });
  const template = draftFollowUp({
    recipient: { firstName: context.person.first_name, lastName: context.person.last_name },
    repName: caller.name,
    eventName: context.event.name,
    fields: context.lead.fields,
    sessions: context.sessions,
  });
  let subject = template.subject;
  let body = template.body;
  let writer: "template" | "llm" = "template";
  let fallbackReason: string | undefined;
  if (options.useLlm) {
    if (!options.llm)
      fallbackReason = "no model is configured (THROUGHLINE_LLM_URL and THROUGHLINE_LLM_MODEL)";
    else {
      try {
        const reply = parseLlmDraft(
          await chatCompletion(
            options.llm,
            followUpMessages({
              recipientName: context.person.first_name,
              repName: caller.name,
              eventName: context.event.name,
              fields: context.lead.fields,
              sessions: context.sessions,
            }),
            options.fetchImpl,
          ),
        );
        if (reply.ok) {
          subject = reply.subject;
          body = reply.body;
          writer = "llm";
        } else fallbackReason = reply.reason;
      } catch (error) {
        fallbackReason = (error as Error).message;
      }
    }
  }
  const contextual = citesConversation(`${subject}\n${body}`, context.lead.fields);
  const [row] = await db.withOrg(orgId, (tx) =>
    tx
      .insert(followUps)
      .values({
        orgId,
        purpose: "lead",
        leadId,
        personId: context.lead.person.id,
        eventId: context.lead.eventId,
        ownerUserId: context.lead.ownerUserId ?? caller.userId,
        channel: "email",
        contextual,
        subject,
        body,
        status: "draft",
        dueAt: context.lead.slaDueAt ? new Date(context.lead.slaDueAt) : null,
      })
      .returning(),
  );
  return {
    ...followUpJson(row!),
    cites: writer === "template" ? template.cites : [],
    writer,
    ...(fallbackReason ? { fallbackReason } : {}),
  };
}

export interface FollowUpRequest {
  draftId?: string | undefined;
  channel: "email" | "call" | "meeting" | "task";
  subject?: string | undefined;
  body?: string | undefined;
  action: "send" | "done";
  at?: string | undefined;
}

/**
 * Sends a follow-up through the email outbox (purpose lead_follow_up; delivery is the outbox worker's) or records
 * one done elsewhere. It is contextual only if its text cites the conversation's problem or next step.
 */
export async function recordFollowUp(
  db: Database,
  caller: Caller,
  leadId: string,
  req: FollowUpRequest,
  now: Date,
) {
  const orgId = caller.orgId;
  return db.withOrg(orgId, async (tx) => {
    const lead = await requireLead(tx, orgId, leadId, now);
    let draft: FollowUpRow | undefined;
    if (req.draftId) {
      [draft] = await tx
        .select()
        .from(followUps)
        .where(and(eq(followUps.orgId, orgId), eq(followUps.id, req.draftId), eq(followUps.leadId, leadId)));
      if (!draft) throw new AppError("not_found", `no draft ${req.draftId} on this lead`, "draftId");
      if (draft.status !== "draft") throw new AppError("conflict", "this draft was already used", "draftId");
    }
    const subject = req.subject ?? draft?.subject ?? null;
    const body = req.body ?? draft?.body ?? null;
    const at = req.action === "send" ? now : req.at ? new Date(req.at) : now;
    if (at < new Date(lead.capturedAt)) {
      throw new AppError(
        "validation",
        `a follow-up cannot happen before the conversation it follows: at ${at.toISOString()} is before the capture at ${new Date(lead.capturedAt).toISOString()}`,
        "at",
      );
    }
    const contextual = citesConversation(`${subject ?? ""}\n${body ?? ""}`, lead.fields);
    let outboxId: string | null = null;
    if (req.action === "send") {
      if (!lead.person.email) {
        throw new AppError(
          "conflict",
          "this person has no email address; record the follow-up with action done",
        );
      }
      outboxId = await enqueueEmail(
        tx,
        orgId,
        { to: lead.person.email, subject: subject!, text: body!, purpose: "lead_follow_up", refId: leadId },
        now,
      );
    }
    const values = {
      channel: req.channel,
      contextual,
      subject,
      body,
      status: req.action === "send" ? ("sent" as const) : ("done" as const),
      sentAt: at,
      outboxId,
    };
    const [row] = draft
      ? await tx
          .update(followUps)
          .set(values)
          .where(and(eq(followUps.orgId, orgId), eq(followUps.id, draft.id)))
          .returning()
      : await tx
          .insert(followUps)
          .values({
            orgId,
            purpose: "lead",
            leadId,
            personId: lead.person.id,
            eventId: lead.eventId,
            ownerUserId: lead.ownerUserId ?? caller.userId,
            dueAt: lead.slaDueAt ? new Date(lead.slaDueAt) : null,
            ...values,
          })
          .returning();
    if (lead.status === "new" || lead.status === "routed") {
      await tx
        .update(leads)
        .set({ status: "followed_up" })
        .where(and(eq(leads.orgId, orgId), eq(leads.id, leadId)));
    }
    return followUpJson(row!);
  });
}

/** Records what the buyer did after the follow-up: a reply, a meeting, an opportunity, or a stage change. */
export async function recordOutcome(
  db: Database,
  caller: Caller,
  leadId: string,
  req: OutcomeRequest,
  now: Date,
) {
  const orgId = caller.orgId;
  const at = req.at ? new Date(req.at) : now;
  return db.withOrg(orgId, async (tx) => {
    const lead = await requireLead(tx, orgId, leadId, now);
    const setStatus = async (status: "responded" | "opportunity") => {
      if (status === "responded" && (lead.status === "opportunity" || lead.status === "disqualified")) return;
      await tx
        .update(leads)
        .set({ status })
        .where(and(eq(leads.orgId, orgId), eq(leads.id, leadId)));
    };
    switch (req.kind) {
      case "reply": {
        const done = (await followUpsOf(tx, orgId, leadId)).filter(
          (f) => (f.status === "sent" || f.status === "done") && (!req.followUpId || f.id === req.followUpId),
        );
        const target = done.sort((a, b) => (b.sentAt?.getTime() ?? 0) - (a.sentAt?.getTime() ?? 0))[0];
        if (!target) {
          throw new AppError(
            "conflict",
            req.followUpId
              ? `no sent follow-up ${req.followUpId} on this lead`
              : "record the follow-up first",
            "followUpId",
          );
        }
        if (!target.respondedAt || target.respondedAt > at) {
          await tx
            .update(followUps)
            .set({ respondedAt: at })
            .where(and(eq(followUps.orgId, orgId), eq(followUps.id, target.id)));
        }
        await setStatus("responded");
        break;
      }
      case "meeting": {
        // A meeting is the buyer's answer, not a follow-up of ours: it never counts as "followed up". It marks the
        // latest follow-up done by then as responded, and is an offline touch on the person and account, so
        // attribution sees it (the funnel reads it as a response even when no follow-up came before it).
        const before = (await followUpsOf(tx, orgId, leadId)).filter(
          (f) => (f.status === "sent" || f.status === "done") && f.sentAt !== null && f.sentAt <= at,
        );
        const target = before.sort((a, b) => b.sentAt!.getTime() - a.sentAt!.getTime())[0];
        if (target && (!target.respondedAt || target.respondedAt > at)) {
          await tx
            .update(followUps)
            .set({ respondedAt: at })
            .where(and(eq(followUps.orgId, orgId), eq(followUps.id, target.id)));
        }
        await tx.insert(touchpoints).values({
          orgId,
          source: "lead_meeting",
          externalId: randomUUID(),
          occurredAt: at,
          channel: "meeting",
          kind: "meeting",
          online: false,
          personId: lead.person.id,
          accountId: lead.accountId,
          eventId: lead.eventId,
          metadata: { leadId, ...(req.notes ? { notes: req.notes } : {}) },
        });
        await setStatus("responded");
        break;
      }
      case "opportunity": {
        let opportunityId = req.opportunityId;
        if (opportunityId) {
          const [o] = await tx
            .select({ id: opportunities.id })
            .from(opportunities)
            .where(and(eq(opportunities.orgId, orgId), eq(opportunities.id, opportunityId)));
          if (!o) throw new AppError("not_found", `no opportunity ${opportunityId}`, "opportunityId");
        } else {
          if (!lead.accountId) {
            throw new AppError(
              "conflict",
              "this lead has no account; link an existing opportunityId instead",
            );
          }
          const stage = req.stage ?? "prospecting";
          const [o] = await tx
            .insert(opportunities)
            .values({
              orgId,
              accountId: lead.accountId,
              ownerUserId: lead.ownerUserId,
              name: req.name ?? `${lead.person.company ?? lead.person.name} (event lead)`,
              amountMinor: req.amountMinor ?? 0,
              currency: req.currency ?? "USD",
              stage,
              source: "event",
              openedAt: at,
            })
            .returning({ id: opportunities.id });
          opportunityId = o!.id;
          await tx
            .insert(stageChanges)
            .values({ orgId, opportunityId, fromStage: null, toStage: stage, changedAt: at });
        }
        await tx
          .update(leads)
          .set({ opportunityId })
          .where(and(eq(leads.orgId, orgId), eq(leads.id, leadId)));
        await setStatus("opportunity");
        break;
      }
      case "stage_change": {
        if (!lead.opportunityId) throw new AppError("conflict", "this lead has no opportunity yet");
        const [o] = await tx
          .select({ stage: opportunities.stage })
          .from(opportunities)
          .where(and(eq(opportunities.orgId, orgId), eq(opportunities.id, lead.opportunityId)));
        await tx.insert(stageChanges).values({
          orgId,
          opportunityId: lead.opportunityId,
          fromStage: o?.stage ?? null,
          toStage: req.toStage,
          changedAt: at,
        });
        const closed = req.toStage === "closed_won" || req.toStage === "closed_lost";
        await tx
          .update(opportunities)
          .set({
            stage: req.toStage,
            ...(closed ? { closedAt: at, isWon: req.toStage === "closed_won" } : {}),
          })
          .where(and(eq(opportunities.orgId, orgId), eq(opportunities.id, lead.opportunityId)));
        break;
      }
    }
    const [after] = await loadLeadViews(tx, orgId, sql`l.id = ${leadId}`, now);
    return {
      lead: leadJson(after!),
      followUps: (await followUpsOf(tx, orgId, leadId)).map(followUpJson),
    };
  });
}
