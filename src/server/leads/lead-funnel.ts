import { sql } from "drizzle-orm";
import { computeFunnel, type FunnelLead, type FunnelOptions } from "../../core/leads/funnel.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { opportunityStages } from "../../db/schema/vocabulary.ts";
import { requireEvent } from "../events/event-json.ts";
import { loadLeadViews } from "./lead-views.ts";

const asDate = (v: Date | string | null) => (v === null ? null : new Date(v));
const stageList = sql.raw(`array[${opportunityStages.map((s) => `'${s}'`).join(",")}]::text[]`);

/** The funnel's view of an event's leads: context, follow-ups done, responses, opportunities and stage advances. */
export async function loadFunnelLeads(
  tx: Tx,
  orgId: string,
  eventId: string,
  now: Date,
): Promise<FunnelLead[]> {
  const views = await loadLeadViews(tx, orgId, sql`l.event_id = ${eventId}`, now);
  const follow = await rows<{
    lead_id: string;
    sent_at: Date | string;
    contextual: boolean;
    responded_at: Date | string | null;
  }>(
    tx,
    sql`select f.lead_id, f.sent_at, f.contextual, f.responded_at from follow_ups f
        join leads l on l.org_id = f.org_id and l.id = f.lead_id
        where f.org_id = ${orgId} and l.event_id = ${eventId} and f.status in ('sent', 'done')
          and f.sent_at is not null`,
  );
  // Opened = the opportunity's open date; advanced = its first forward stage move (closed_lost is not one).
  const opps = await rows<{ lead_id: string; opened_at: Date | string; advanced_at: Date | string | null }>(
    tx,
    sql`select l.id as lead_id, o.opened_at,
          (select min(s.changed_at) from stage_changes s
            where s.org_id = o.org_id and s.opportunity_id = o.id and s.from_stage is not null
              and s.to_stage <> 'closed_lost'
              and array_position(${stageList}, s.to_stage) > array_position(${stageList}, s.from_stage)) as advanced_at
        from leads l join opportunities o on o.org_id = l.org_id and o.id = l.opportunity_id
        where l.org_id = ${orgId} and l.event_id = ${eventId}`,
  );
  // A meeting recorded on the lead is the buyer answering, with or without a follow-up before it.
  const meetings = await rows<{ lead_id: string; at: Date | string }>(
    tx,
    sql`select metadata->>'leadId' as lead_id, min(occurred_at) as at from touchpoints
        where org_id = ${orgId} and event_id = ${eventId} and source = 'lead_meeting'
        group by 1`,
  );
  const meetingByLead = new Map(meetings.map((m) => [m.lead_id, new Date(m.at)]));
  const byLead = new Map<string, FunnelLead["followUps"]>();
  for (const f of follow) {
    byLead.set(f.lead_id, [
      ...(byLead.get(f.lead_id) ?? []),
      { at: new Date(f.sent_at), contextual: f.contextual, respondedAt: asDate(f.responded_at) },
    ]);
  }
  const oppByLead = new Map(opps.map((o) => [o.lead_id, o]));
  return views.map((v) => {
    const o = oppByLead.get(v.id);
    return {
      id: v.id,
      tier: v.tier,
      capturedAt: new Date(v.capturedAt),
      slaDueAt: v.slaDueAt ? new Date(v.slaDueAt) : null,
      fields: v.fields,
      followUps: byLead.get(v.id) ?? [],
      respondedAt: meetingByLead.get(v.id) ?? null,
      opportunityCreatedAt: o ? new Date(o.opened_at) : null,
      stageAdvancedAt: o ? asDate(o.advanced_at) : null,
    };
  });
}

/** GET /api/events/:id/lead-funnel: the continuity funnel of one event. */
export async function leadFunnel(
  db: Database,
  orgId: string,
  eventId: string,
  now: Date,
  options: FunnelOptions = {},
) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const funnel = computeFunnel(await loadFunnelLeads(tx, orgId, eventId, now), { asOf: now, ...options });
    return { eventId: event.id, eventName: event.name, asOf: now.toISOString(), ...funnel };
  });
}
