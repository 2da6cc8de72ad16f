import { randomUUID } from "node:crypto";
import { DAY_MS } from "../../core/roi/horizons.ts";
import { buildTinyWorld, day, EVENT, T0, tinyDeals } from "../../core/roi/test-world.ts";
import type { Database } from "../../db/client.ts";
import {
  accounts,
  checkIns,
  eventCosts,
  events,
  feedback,
  leads,
  opportunities,
  people,
  registrations,
  stageChanges,
  touchpoints,
} from "../../db/schema/index.ts";

export { buildTinyWorld, day, EVENT };

/**
 * Inserts the tiny world of src/core/roi/test-world.ts into an organization (tests only): one account, person and
 * opportunity per deal, the deal's touches made by its person, one event ending at day 0 (the touches of the core
 * world's event id point at it), the given cost lines, and a few indicators (3 registered, 2 at the door, 2 ratings,
 * 1 lead). `t0` moves day 0 (default 2025-03-01). Returns the event id and the opportunity id of each deal.
 */
export async function insertTinyWorld(
  db: Database,
  orgId: string,
  costs: number[] = [15_000, 5_000],
  t0 = T0,
): Promise<{ eventId: string; oppIds: Record<string, string> }> {
  const day = (n: number) => t0 + n * DAY_MS;
  const eventId = randomUUID();
  const oppIds: Record<string, string> = {};
  await db.withOrg(orgId, async (tx) => {
    await tx.insert(events).values({
      orgId,
      id: eventId,
      name: "Field dinner",
      slug: `field-dinner-${eventId.slice(0, 8)}`,
      type: "field_event",
      format: "tactical",
      status: "completed",
      startsAt: new Date(day(-1)),
      endsAt: new Date(day(0)),
      timeZone: "UTC",
    });
    for (const amount of costs) {
      await tx.insert(eventCosts).values({ orgId, eventId, category: "venue", amountMinor: amount });
    }
    const personIds: string[] = [];
    for (const d of tinyDeals) {
      const accountId = randomUUID();
      const personId = randomUUID();
      const oppId = randomUUID();
      oppIds[d.id] = oppId;
      personIds.push(personId);
      await tx.insert(accounts).values({ orgId, id: accountId, name: `Account ${d.id}`, segment: d.segment });
      await tx.insert(people).values({
        orgId,
        id: personId,
        accountId,
        email: `${d.id.toLowerCase()}-${oppId.slice(0, 6)}@example.test`,
        buyingRole: "champion",
      });
      const last = d.stages[d.stages.length - 1]!;
      await tx.insert(opportunities).values({
        orgId,
        id: oppId,
        accountId,
        name: `Deal ${d.id}`,
        amountMinor: d.amount,
        stage: last[1],
        openedAt: new Date(day(d.opened)),
        closedAt: d.closed === undefined ? null : new Date(day(d.closed)),
        isWon: d.closed === undefined ? null : last[1] === "closed_won",
      });
      let from: string | null = null;
      for (const [at, stage] of d.stages) {
        await tx.insert(stageChanges).values({
          orgId,
          opportunityId: oppId,
          fromStage: from,
          toStage: stage,
          changedAt: new Date(day(at)),
        });
        from = stage;
      }
      for (const [k, [at, channel, online, event]] of d.touches.entries()) {
        await tx.insert(touchpoints).values({
          orgId,
          source: "test",
          externalId: `${oppId}-${k}`,
          occurredAt: new Date(day(at)),
          channel,
          kind: channel === "event" ? "attended" : "visit",
          online,
          personId,
          accountId,
          eventId: event ? eventId : null,
        });
      }
    }
    // Indicators: D1, D2 and D4's people registered; D1 and D2 came; two ratings; one lead.
    for (const [k, personId] of personIds.entries()) {
      if (k === 2) continue;
      await tx
        .insert(registrations)
        .values({ orgId, eventId, personId, status: "registered", source: "web" });
    }
    for (const personId of personIds.slice(0, 2)) {
      await tx.insert(checkIns).values({
        orgId,
        eventId,
        personId,
        direction: "entry",
        method: "qr",
        scanNonce: randomUUID(),
        occurredAt: new Date(day(-1)),
      });
    }
    await tx.insert(feedback).values([
      { orgId, eventId, personId: personIds[0]!, rating: 4 },
      { orgId, eventId, personId: personIds[1]!, rating: 5 },
    ]);
    await tx.insert(leads).values({
      orgId,
      eventId,
      personId: personIds[3]!,
      tier: "A",
      capturedAt: new Date(day(-1)),
      opportunityId: oppIds.D4!,
    });
  });
  return { eventId, oppIds };
}
