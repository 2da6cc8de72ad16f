import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { mergeFields } from "../../core/leads/merge-fields.ts";
import type { Signal } from "../../core/leads/priority.ts";
import type { LeadFields, Tier } from "../../core/leads/vocabulary.ts";
import { rows, type Tx } from "../../db/client.ts";
import { conversations } from "../../db/schema/index.ts";

type ConversationRow = typeof conversations.$inferSelect;

/** The qualification stored on one conversation. */
export function conversationFields(c: ConversationRow): LeadFields {
  return {
    problem: c.problem,
    useCase: c.useCase,
    urgency: c.urgency,
    buyingStage: c.buyingStage,
    budget: c.budget,
    timeline: c.timeline,
    stakeholders: (c.stakeholders ?? []) as LeadFields["stakeholders"],
    nextStep: c.nextStep,
    nextStepDate: c.nextStepDate,
  };
}

export function conversationJson(c: ConversationRow) {
  return {
    id: c.id,
    eventId: c.eventId,
    personId: c.personId,
    repUserId: c.repUserId,
    touchpointId: c.touchpointId,
    captureNonce: c.captureNonce,
    occurredAt: c.occurredAt.toISOString(),
    rawNote: c.rawNote,
    fields: conversationFields(c),
    extraction: c.extraction ?? null,
  };
}

export type SlaState = "due" | "overdue" | "met" | "missed";

/** Where a lead stands against its follow-up deadline. */
export function slaState(slaDueAt: Date | null, firstFollowUpAt: Date | null, now: Date): SlaState | null {
  if (!slaDueAt) return null;
  if (firstFollowUpAt) return firstFollowUpAt.getTime() <= slaDueAt.getTime() ? "met" : "missed";
  return now.getTime() <= slaDueAt.getTime() ? "due" : "overdue";
}

interface LeadRow {
  id: string;
  event_id: string;
  person_id: string;
  account_id: string | null;
  owner_user_id: string | null;
  owner_name: string | null;
  captured_by: string | null;
  tier: Tier | null;
  score: number | string | null;
  signals: Signal[];
  status: string;
  captured_at: Date | string;
  sla_due_at: Date | string | null;
  opportunity_id: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  title: string | null;
  company: string | null;
  first_follow_up_at: Date | string | null;
}

const asDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/** A lead as the API shows it: person, owner, tier and signals, SLA state, and the context merged over its conversations. */
export type LeadView = Awaited<ReturnType<typeof loadLeadViews>>[number];

/** Leads matching `where` (a SQL condition on alias l), with everything the API shows. */
export async function loadLeadViews(tx: Tx, orgId: string, where: SQL, now: Date) {
  const leadRows = await rows<LeadRow>(
    tx,
    sql`select l.id, l.event_id, l.person_id, l.account_id, l.owner_user_id, u.name as owner_name, l.captured_by,
          l.tier, l.score, l.signals, l.status, l.captured_at, l.sla_due_at, l.opportunity_id,
          p.first_name, p.last_name, p.email, p.title, a.name as company,
          (select min(f.sent_at) from follow_ups f where f.org_id = l.org_id and f.lead_id = l.id
             and f.status in ('sent', 'done')) as first_follow_up_at
        from leads l
        join people p on p.org_id = l.org_id and p.id = l.person_id
        left join accounts a on a.org_id = l.org_id and a.id = p.account_id
        left join users u on u.org_id = l.org_id and u.id = l.owner_user_id
        where l.org_id = ${orgId} and ${where}
        order by l.captured_at desc, l.id`,
  );
  if (leadRows.length === 0) return [];
  const eventIds = [...new Set(leadRows.map((l) => l.event_id))];
  const personIds = [...new Set(leadRows.map((l) => l.person_id))];
  const convs = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.orgId, orgId),
        inArray(conversations.eventId, eventIds),
        inArray(conversations.personId, personIds),
      ),
    )
    .orderBy(asc(conversations.occurredAt));
  const byLead = new Map<string, ConversationRow[]>();
  for (const c of convs) {
    const key = `${c.eventId}:${c.personId}`;
    byLead.set(key, [...(byLead.get(key) ?? []), c]);
  }
  return leadRows.map((l) => {
    const list = byLead.get(`${l.event_id}:${l.person_id}`) ?? [];
    const firstFollowUpAt = asDate(l.first_follow_up_at);
    const slaDueAt = asDate(l.sla_due_at);
    return {
      id: l.id,
      eventId: l.event_id,
      person: {
        id: l.person_id,
        name: [l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || "unknown",
        email: l.email,
        title: l.title,
        company: l.company,
      },
      accountId: l.account_id,
      ownerUserId: l.owner_user_id,
      ownerName: l.owner_name,
      capturedBy: l.captured_by,
      tier: l.tier,
      score: l.score === null ? null : Number(l.score),
      signals: l.signals ?? [],
      status: l.status,
      capturedAt: new Date(l.captured_at).toISOString(),
      slaDueAt: slaDueAt?.toISOString() ?? null,
      slaState: slaState(slaDueAt, firstFollowUpAt, now),
      firstFollowUpAt: firstFollowUpAt?.toISOString() ?? null,
      opportunityId: l.opportunity_id,
      conversations: list.length,
      fields: mergeFields(list.map((c) => ({ occurredAt: c.occurredAt, fields: conversationFields(c) }))),
      conversationRows: list,
    };
  });
}

/** The API shape (without the conversation rows). */
export function leadJson(view: LeadView) {
  const { conversationRows: _rows, ...rest } = view;
  return rest;
}
