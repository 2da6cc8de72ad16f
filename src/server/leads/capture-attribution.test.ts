import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { events, opportunities, stageChanges, touchpoints } from "../../db/schema/index.ts";
import { attributionFromDatabase } from "../impact/attribution-service.ts";

// A conversation captured at the booth is an offline touchpoint on the person and the account, carrying what was
// qualified, and attribution over the organization's journeys credits it like any other touch.

// biome-ignore lint/suspicious/noExplicitAny: tests read API JSON and assert on its shape
type Json = any;

let db: Database;
let app: TestApp;
let admin: TestUser;
let eventId: string;
const CAPTURED = new Date("2030-03-30T14:00:00Z");
const NOW = new Date("2030-06-30T00:00:00Z");
const DAY = 86_400_000;
const AMOUNT = 1_200_000;
let capture: Json;

/** The keys a model gave credit to (results list every key seen, with 0 for the others). */
const credited = (value: Record<string, number>) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== 0));

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => CAPTURED);
  admin = await orgWithAdmin(db);
  const [e] = await db.withOrg(admin.orgId, (tx) =>
    tx
      .insert(events)
      .values({
        orgId: admin.orgId,
        name: "Attribution Fair",
        slug: `attr-${randomUUID().slice(0, 8)}`,
        type: "conference",
        format: "tactical",
        status: "published",
        startsAt: new Date("2030-03-29T08:00:00Z"),
        endsAt: new Date("2030-03-31T17:00:00Z"),
        timeZone: "UTC",
      })
      .returning({ id: events.id }),
  );
  eventId = e!.id;
  const res = await app.request(`/api/events/${eventId}/captures`, {
    method: "POST",
    headers: await signedIn(app, admin),
    body: JSON.stringify({
      nonce: randomUUID(),
      person: { firstName: "Ola", lastName: "Offline", email: "ola@offline.test", company: "Offline AS" },
      note: "Problem: booth leads rot in spreadsheets. Wants pipeline forecasting. Urgent. Evaluating us vs Acme. Budget approx $60k. Mark (CRO) is the economic buyer. Next step: demo next Tuesday.",
    }),
  });
  expect(res.status).toBe(201);
  capture = await res.json();
});
afterAll(async () => {
  await db.close();
});

describe("a capture as an offline touch", () => {
  it("is a touchpoint on the person and the account with the qualification in its metadata", async () => {
    const { lead, conversation } = capture;
    expect(lead.accountId).toEqual(expect.any(String));
    const [tp] = await rows<Record<string, Json>>(
      db.owner,
      sql`select * from touchpoints where org_id = ${admin.orgId} and id = ${conversation.touchpointId}`,
    );
    expect(tp).toMatchObject({
      source: "capture",
      external_id: conversation.captureNonce,
      channel: "conversation",
      online: false,
      person_id: lead.person.id,
      account_id: lead.accountId,
      event_id: eventId,
    });
    const f = conversation.fields;
    expect(f).toMatchObject({ urgency: "now", buyingStage: "evaluating_vendors" });
    expect(tp!.metadata).toEqual({
      conversationId: conversation.id,
      repUserId: admin.userId,
      problem: f.problem,
      useCase: f.useCase,
      urgency: "now",
      buyingStage: "evaluating_vendors",
      budget: f.budget,
      timeline: f.timeline,
      stakeholders: f.stakeholders,
      nextStep: f.nextStep,
      nextStepDate: f.nextStepDate,
    });
    expect(tp!.metadata.stakeholders).toEqual([{ name: "Mark", role: "economic_buyer" }]);
  });

  it("is credited as an offline touch by an attribution run over the organization's journeys", async () => {
    const { lead } = capture;
    const opened = new Date(CAPTURED.getTime() + 2 * DAY);
    const won = new Date(CAPTURED.getTime() + 40 * DAY);
    await db.withOrg(admin.orgId, async (tx) => {
      // An online touch before the conversation, so the journey has two channels.
      await tx.insert(touchpoints).values({
        orgId: admin.orgId,
        source: "web",
        externalId: "visit-1",
        occurredAt: new Date(CAPTURED.getTime() - 5 * DAY),
        channel: "web",
        kind: "visit",
        online: true,
        personId: lead.person.id,
        accountId: lead.accountId,
      });
      const [o] = await tx
        .insert(opportunities)
        .values({
          orgId: admin.orgId,
          accountId: lead.accountId,
          name: "Offline AS deal",
          amountMinor: AMOUNT,
          currency: "USD",
          stage: "closed_won",
          openedAt: opened,
          closedAt: won,
          isWon: true,
        })
        .returning({ id: opportunities.id });
      await tx.insert(stageChanges).values([
        {
          orgId: admin.orgId,
          opportunityId: o!.id,
          fromStage: null,
          toStage: "prospecting",
          changedAt: opened,
        },
        {
          orgId: admin.orgId,
          opportunityId: o!.id,
          fromStage: "prospecting",
          toStage: "closed_won",
          changedAt: won,
        },
      ]);
    });
    const run = (onlineOnly: boolean, by: "channel" | "event" = "channel") =>
      attributionFromDatabase(db, admin.orgId, {
        models: "first_touch,last_touch,linear",
        by,
        scope: "account",
        onlineOnly,
        now: NOW,
      });
    const all = await run(false);
    expect(all.journeys).toMatchObject({ deals: 1, won: 1 });
    expect(credited(all.influenced.last_touch!.value)).toEqual({ conversation: AMOUNT });
    expect(credited(all.influenced.first_touch!.value)).toEqual({ web: AMOUNT });
    expect(credited(all.influenced.linear!.value)).toEqual({ web: AMOUNT / 2, conversation: AMOUNT / 2 });
    // Touches up to the deal's creation: the conversation came before it, so it sourced the deal too.
    expect(credited(all.sourced.last_touch!.value)).toEqual({ conversation: AMOUNT });
    // By event, the conversation's credit goes to the event it happened at.
    const byEvent = await run(false, "event");
    expect(credited(byEvent.influenced.last_touch!.value)).toEqual({ [eventId]: AMOUNT });
    expect(byEvent.labels[eventId]).toBe("Attribution Fair");
    // Online touches only: the conversation, an offline touch, drops out and the web visit takes the credit.
    const online = await run(true);
    expect(credited(online.influenced.last_touch!.value)).toEqual({ web: AMOUNT });
    expect(credited(online.influenced.linear!.value)).toEqual({ web: AMOUNT });
  });
});
