import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createModel } from "../attribution/models.ts";
import { toAttributionResult } from "../attribution/run-attribution.ts";
import { type ModelName, modelNames } from "../attribution/types.ts";
import {
  dealJourneyTable,
  dealsTouchedBy,
  type JourneyOutcome,
  type JourneyWindow,
} from "./deal-journeys.ts";
import { type DealSet, DealSetBuilder } from "./deal-set.ts";
import { eventCredits, isPerJourneyModel, touchedMask } from "./event-credit.ts";
import { day, EVENT, testStages } from "./test-world.ts";

/**
 * The credit as computed before answers were remembered and tables shared: a journey table built for this very
 * outcome (per-journey models on the deals the event touched, population models on every deal), one model run.
 */
function freshCredit(
  deals: DealSet,
  model: ModelName,
  q: {
    asOf: number;
    window: JourneyWindow;
    outcome: JourneyOutcome;
    onlineOnly: boolean;
    leadKinds: string[];
    lookbackDays: number;
  },
) {
  const code = deals.events.indexOf(EVENT);
  if (code < 0) return { conversions: 0, value: 0 };
  const only = isPerJourneyModel(model)
    ? dealsTouchedBy(deals, code, q.asOf, q.window, q.lookbackDays).mask
    : undefined;
  const { table } = dealJourneyTable(deals, { ...q, keyBy: "event", only });
  const result = toAttributionResult(table, model, createModel(model).run(table));
  return { conversions: result.conversions[EVENT] ?? 0, value: result.value[EVENT] ?? 0 };
}

const openStages = ["prospecting", "discovery", "evaluation", "proposal", "negotiation"];

// A deal: opened on some day, maybe closed (won or lost) later, a few stage changes, touches around the event.
const dealArb = fc.record({
  amount: fc.integer({ min: 0, max: 200_000 }),
  opened: fc.integer({ min: -80, max: 80 }),
  close: fc.option(fc.record({ after: fc.integer({ min: 1, max: 250 }), won: fc.boolean() }), { nil: null }),
  stages: fc.array(
    fc.record({ after: fc.integer({ min: 0, max: 300 }), stage: fc.constantFrom(...openStages) }),
    {
      maxLength: 3,
    },
  ),
  touches: fc.array(
    fc.record({
      at: fc.integer({ min: -150, max: 300 }),
      channel: fc.constantFrom("web", "email", "event", "ads"),
      online: fc.boolean(),
      event: fc.constantFrom(EVENT, "other-event", null),
      kind: fc.constantFrom("visit", "lead_form", null),
    }),
    { maxLength: 8 },
  ),
});

type DealArb = typeof dealArb extends fc.Arbitrary<infer T> ? T : never;

function buildWorld(list: DealArb[]): DealSet {
  const b = new DealSetBuilder(testStages, 365);
  list.forEach((d, n) => {
    const closedAt = d.close ? d.opened + d.close.after : null;
    b.addDeal({
      id: `D${n}`,
      amount: d.amount,
      openedAt: day(d.opened),
      closedAt: closedAt === null ? null : day(closedAt),
    });
    const changes = d.stages
      .map((s) => ({ at: d.opened + s.after, stage: s.stage }))
      .filter((s) => closedAt === null || s.at < closedAt)
      .sort((x, y) => x.at - y.at);
    b.addStage(day(d.opened), "prospecting");
    for (const s of changes) b.addStage(day(s.at), s.stage);
    if (d.close && closedAt !== null) b.addStage(day(closedAt), d.close.won ? "closed_won" : "closed_lost");
    for (const t of [...d.touches].sort((x, y) => x.at - y.at)) {
      b.addTouch({ at: day(t.at), channel: t.channel, online: t.online, eventId: t.event, kind: t.kind });
    }
  });
  return b.build();
}

const queryArb = fc.record({
  asOf: fc.constantFrom(0, 30, 90, 180).map(day),
  window: fc.constantFrom<JourneyWindow>("sourced", "influenced"),
  outcome: fc.constantFrom<JourneyOutcome>("won", "pipeline", "created"),
  onlineOnly: fc.boolean(),
  leadKinds: fc.constantFrom<string[]>([], ["lead_form"]),
  lookbackDays: fc.constantFrom(365, 60),
});

describe("an event's credits, remembered per deal set", () => {
  it("are exactly the credits of a table built for each question, whatever the order of the questions", () => {
    fc.assert(
      fc.property(
        fc.array(dealArb, { minLength: 1, maxLength: 10 }),
        fc.array(queryArb, { minLength: 1, maxLength: 12 }),
        (list, queries) => {
          const deals = buildWorld(list);
          // Every question, then all of them again in reverse order: answers remembered, tables shared or rebuilt.
          for (const q of [...queries, ...queries.slice().reverse()]) {
            const got = eventCredits(deals, EVENT, [...modelNames], q);
            for (const m of modelNames) {
              expect({ m, ...got[m] }).toEqual({ m, ...freshCredit(deals, m, q) });
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("remembers which deals an event touched, and gives the same answer as working it out", () => {
    const deals = buildWorld([
      {
        amount: 10,
        opened: -5,
        close: null,
        stages: [],
        touches: [{ at: -1, channel: "event", online: false, event: EVENT, kind: null }],
      },
      {
        amount: 20,
        opened: 10,
        close: null,
        stages: [],
        touches: [{ at: -1, channel: "event", online: false, event: EVENT, kind: null }],
      },
    ]);
    const code = deals.events.indexOf(EVENT);
    const first = touchedMask(deals, code, day(0), "influenced");
    expect([...first]).toEqual([...dealsTouchedBy(deals, code, day(0), "influenced").mask]);
    expect([...first]).toEqual([1, 0]);
    expect(touchedMask(deals, code, day(0), "influenced")).toBe(first);
    expect([...touchedMask(deals, code, day(30), "influenced")]).toEqual([1, 1]);
  });
});
