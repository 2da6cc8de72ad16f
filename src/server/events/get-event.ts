import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { eventCosts, eventSessions } from "../../db/schema/index.ts";
import { costJson, eventJson, requireEvent, sessionJson } from "./event-json.ts";

/** One event with its agenda (sessions in time order) and its cost lines, totalled per currency. */
export async function getEvent(db: Database, orgId: string, eventId: string) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const sessions = await tx
      .select()
      .from(eventSessions)
      .where(and(eq(eventSessions.orgId, orgId), eq(eventSessions.eventId, eventId)))
      .orderBy(asc(eventSessions.startsAt), asc(eventSessions.title));
    const costs = await tx
      .select()
      .from(eventCosts)
      .where(and(eq(eventCosts.orgId, orgId), eq(eventCosts.eventId, eventId)))
      .orderBy(asc(eventCosts.category), asc(eventCosts.createdAt));
    const totals = new Map<string, number>();
    for (const k of costs) totals.set(k.currency, (totals.get(k.currency) ?? 0) + Number(k.amountMinor));
    return {
      ...eventJson(event),
      sessions: sessions.map(sessionJson),
      costs: costs.map(costJson),
      costTotals: [...totals].map(([currency, amountMinor]) => ({ currency, amountMinor })),
    };
  });
}
