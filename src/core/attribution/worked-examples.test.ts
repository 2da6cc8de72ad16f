import { describe, expect, it } from "vitest";
import { buildJourneyTable } from "./journey-table.ts";
import { createModel, type ModelSettings } from "./models.ts";
import { toAttributionResult } from "./run-attribution.ts";
import { expectClose } from "./run-model-contract.ts";
import type { AttributionResult, Journey, ModelName, Touch } from "./types.ts";

const DAY = 86_400_000;

/** Path helper: "A > B" → online, untimed touches. */
function path(p: string, conversions: number, value = 0, nulls = 0): Journey {
  const touches: Touch[] = p === "" ? [] : p.split(" > ").map((channel) => ({ channel, online: true }));
  return { touches, conversions, value, nulls };
}

function run(name: ModelName, journeys: readonly Journey[], settings: ModelSettings = {}): AttributionResult {
  const table = buildJourneyTable(journeys);
  return toAttributionResult(table, name, createModel(name, settings).run(table));
}

function expectCredits(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, x] of Object.entries(expected)) expectClose(actual[key]!, x, 1e-12);
}

/**
 * The shared example for the rule-based models:
 *   J1  A > B > C > D   1 conversion, value 100
 *   J2  B > A           2 conversions, value 50
 *   J3  C               1 conversion,  value 10
 *   J4  (no touch)      1 conversion,  value 5   → unattributed under every model
 *   J5  A > C           0 conversions, 3 nulls  → no credit to give under the rule-based models
 * Totals: 5 conversions (4 attributable), value 165 (160 attributable).
 */
const shared: Journey[] = [
  path("A > B > C > D", 1, 100),
  path("B > A", 2, 50),
  path("C", 1, 10),
  path("", 1, 5),
  path("A > C", 0, 0, 3),
];

interface Example {
  model: ModelName;
  settings?: ModelSettings;
  why: string;
  conversions: Record<string, number>;
  value: Record<string, number>;
}

const examples: Example[] = [
  {
    model: "first_touch",
    why: "J1 → A, J2 → B (×2), J3 → C",
    conversions: { A: 1, B: 2, C: 1, D: 0 },
    value: { A: 100, B: 50, C: 10, D: 0 },
  },
  {
    model: "last_touch",
    why: "J1 → D, J2 → A (×2), J3 → C",
    conversions: { A: 2, B: 0, C: 1, D: 1 },
    value: { A: 50, B: 0, C: 10, D: 100 },
  },
  {
    model: "linear",
    why: "J1 gives ¼ to each of A,B,C,D (value 25 each); J2 gives 1 to B and 1 to A (value 25 each); J3: C 1 (10)",
    conversions: { A: 1.25, B: 1.25, C: 1.25, D: 0.25 },
    value: { A: 50, B: 50, C: 35, D: 25 },
  },
  {
    model: "time_decay",
    settings: { halfLifeDays: 1 },
    why:
      "half-life 1 day, untimed → positions 1 day apart: J1 weights 1/8,1/4,1/2,1 (sum 15/8) → A 1/15, B 2/15, " +
      "C 4/15, D 8/15; J2 weights B 1/2, A 1 → B 1/3, A 2/3, ×2 conversions → B 2/3, A 4/3; J3 C 1. " +
      "A = 1/15 + 20/15 = 21/15; B = 2/15 + 10/15 = 12/15; C = 4/15 + 1 = 19/15; D = 8/15. " +
      "Value: A = 100/15 + 100/3 = 40; B = 200/15 + 50/3 = 30; C = 400/15 + 10 = 110/3; D = 800/15 = 160/3",
    conversions: { A: 21 / 15, B: 12 / 15, C: 19 / 15, D: 8 / 15 },
    value: { A: 40, B: 30, C: 110 / 3, D: 160 / 3 },
  },
  {
    model: "u_shaped",
    why: "J1: A .4, B .1, C .1, D .4; J2 (2 touches): 50/50 → B 1, A 1; J3 (1 touch): C 1",
    conversions: { A: 1.4, B: 1.1, C: 1.1, D: 0.4 },
    value: { A: 40 + 25, B: 10 + 25, C: 10 + 10, D: 40 },
  },
  {
    model: "w_shaped",
    why:
      "no milestones → first / middle / last. J1 (K=4): first A .3, middle round(1.5)=2 → C .3, last D .3, " +
      "rest .1 → B. J2 (K=2): first B .3, middle round(.5)=1 → A .3, last A .3 → every touch is an anchor, " +
      "scale by 1/.9 → B 1/3, A 2/3, ×2 → B 2/3, A 4/3. J3: C 1. " +
      "A = .3 + 4/3; B = .1 + 2/3; C = .3 + 1; D = .3. Value: A 30 + 100/3, B 10 + 50/3, C 30 + 10, D 30",
    conversions: { A: 0.3 + 4 / 3, B: 0.1 + 2 / 3, C: 1.3, D: 0.3 },
    value: { A: 30 + 100 / 3, B: 10 + 50 / 3, C: 40, D: 30 },
  },
  {
    model: "full_path",
    why:
      "no milestones → positions 0, 1/3, 2/3, 1. J1 (K=4): 0, round(1)=1, round(2)=2, 3 → four anchors, no rest, " +
      "scaled → ¼ each. J2 (K=2): 0, round(1/3)=0, round(2/3)=1, 1 → B .45, A .45 → ½ each, ×2. J3: C 1",
    conversions: { A: 1.25, B: 1.25, C: 1.25, D: 0.25 },
    value: { A: 50, B: 50, C: 35, D: 25 },
  },
  {
    model: "custom",
    settings: { customWeights: { byChannel: { A: 3, D: 0 } } },
    why: "J1 weights A3 B1 C1 D0 (sum 5) → A .6, B .2, C .2; J2 B1 A3 → B .25, A .75, ×2 → B .5, A 1.5; J3 C 1",
    conversions: { A: 2.1, B: 0.7, C: 1.2, D: 0 },
    value: { A: 60 + 37.5, B: 20 + 12.5, C: 20 + 10, D: 0 },
  },
];

describe("rule-based models on the shared worked example", () => {
  it.each(examples)("$model: $why", ({ model, settings, conversions, value }) => {
    const r = run(model, shared, settings);
    expectCredits(r.conversions, conversions);
    expectCredits(r.value, value);
    expect(r.unattributed).toEqual({ conversions: 1, value: 5, journeys: 1 });
    expect(r.total).toEqual({ conversions: 5, value: 165 });
  });
});

describe("milestone models with milestone flags", () => {
  // Six touches: E1 S1 E2(lead) S2 E3(opp) S3(won), one conversion, value 60.
  const touches: Touch[] = [
    { channel: "E1", online: true },
    { channel: "S1", online: true },
    { channel: "E2", online: true, isLeadCreation: true },
    { channel: "S2", online: true },
    { channel: "E3", online: true, isOppCreation: true },
    { channel: "S3", online: true, isClosedWon: true },
  ];
  const journey: Journey = { touches, conversions: 1, value: 60 };

  it("w_shaped gives 30% to first, lead and opportunity touches and spreads 10% over the other three", () => {
    // Anchors E1, E2, E3 take .3 each; S1, S2, S3 share .1 → 1/30 each.
    const r = run("w_shaped", [journey]);
    expectCredits(r.conversions, { E1: 0.3, S1: 1 / 30, E2: 0.3, S2: 1 / 30, E3: 0.3, S3: 1 / 30 });
    expectCredits(r.value, { E1: 18, S1: 2, E2: 18, S2: 2, E3: 18, S3: 2 });
  });

  it("full_path gives 22.5% to first, lead, opportunity and closed-won touches and 5% to each of the two others", () => {
    const r = run("full_path", [journey]);
    expectCredits(r.conversions, { E1: 0.225, S1: 0.05, E2: 0.225, S2: 0.05, E3: 0.225, S3: 0.225 });
  });

  it("w_shaped with the lead milestone on the first touch gives that touch 60%", () => {
    // Anchors: first = lead = touch 0 (.6), opp = touch 2 (.3); touches 1 and 3 share .1 → .05 each.
    const r = run("w_shaped", [
      {
        conversions: 1,
        touches: [
          { channel: "A", online: true, isLeadCreation: true },
          { channel: "B", online: true },
          { channel: "C", online: true, isOppCreation: true },
          { channel: "D", online: true },
        ],
      },
    ]);
    expectCredits(r.conversions, { A: 0.6, B: 0.05, C: 0.3, D: 0.05 });
  });

  it("full_path never places a missing milestone before the one flagged ahead of it", () => {
    // K=10, lead flagged on touch 8; opp missing → position round(2/3 · 9) = 6 would precede the lead, so it
    // moves forward onto touch 8; closed-won missing → last touch 9. Anchors: 0 .225, 8 .45, 9 .225;
    // the seven other touches share .1 → 1/70 each.
    const r = run("full_path", [
      {
        conversions: 1,
        touches: Array.from({ length: 10 }, (_, i) => ({
          channel: `t${i}`,
          online: true,
          isLeadCreation: i === 8,
        })),
      },
    ]);
    const expected: Record<string, number> = {};
    for (let i = 0; i < 10; i++) expected[`t${i}`] = 1 / 70;
    Object.assign(expected, { t0: 0.225, t8: 0.45, t9: 0.225 });
    expectCredits(r.conversions, expected);
  });

  it("w_shaped falls back to the last touch when the opportunity milestone is missing", () => {
    // K=5, lead flagged on touch 1; opp missing → last touch (4). Anchors 0, 1, 4 at .3; touches 2, 3 share .1.
    const r = run("w_shaped", [
      {
        conversions: 1,
        touches: ["A", "B", "C", "D", "E"].map((channel, i) => ({
          channel,
          online: true,
          isLeadCreation: i === 1,
        })),
      },
    ]);
    expectCredits(r.conversions, { A: 0.3, B: 0.3, C: 0.05, D: 0.05, E: 0.3 });
  });
});

describe("time_decay with real times", () => {
  it("halves a touch's weight per half-life before the last touch", () => {
    // Half-life 7 days, touches at day 0, 7, 14 → weights 1/4, 1/2, 1 (sum 7/4) → 1/7, 2/7, 4/7.
    const r = run("time_decay", [
      {
        conversions: 7,
        value: 70,
        touches: [
          { channel: "late", online: true, occurredAt: 14 * DAY },
          { channel: "early", online: true, occurredAt: 0 },
          { channel: "mid", online: true, occurredAt: 7 * DAY },
        ],
      },
    ]);
    expectCredits(r.conversions, { late: 4, early: 1, mid: 2 });
    expectCredits(r.value, { late: 40, early: 10, mid: 20 });
  });

  it("uses the gaps only: a journey years ago weighs the same as one today (no underflow to NaN)", () => {
    const at = (base: number): Journey => ({
      conversions: 1,
      touches: [
        { channel: "a", online: true, occurredAt: base },
        { channel: "b", online: true, occurredAt: base + 7 * DAY },
      ],
    });
    // 1 vs 2 → a 1/3, b 2/3 whatever the base (even 100,000 half-lives back).
    const r = run("time_decay", [at(0), at(1_000_000 * 7 * DAY)]);
    expectCredits(r.conversions, { a: 2 / 3, b: 4 / 3 });
  });
});

describe("ordering conventions", () => {
  it("orders touches by time and keeps input order among equal times", () => {
    const touches: Touch[] = [
      { channel: "second", online: true, occurredAt: 5 },
      { channel: "third", online: true, occurredAt: 5 },
      { channel: "first", online: true, occurredAt: 1 },
    ];
    expectCredits(run("first_touch", [{ touches, conversions: 1 }]).conversions, {
      first: 1,
      second: 0,
      third: 0,
    });
    expectCredits(run("last_touch", [{ touches, conversions: 1 }]).conversions, {
      first: 0,
      second: 0,
      third: 1,
    });
  });

  it("counts a repeated channel once per occurrence in linear and u_shaped", () => {
    // A > B > A > A: linear A 3/4, B 1/4; u_shaped A .4 + .1 + .4 = .9, B .1
    const journeys = [path("A > B > A > A", 1)];
    expectCredits(run("linear", journeys).conversions, { A: 0.75, B: 0.25 });
    expectCredits(run("u_shaped", journeys).conversions, { A: 0.9, B: 0.1 });
  });

  it("gives a one-touch journey wholly to that touch under every rule-based model", () => {
    for (const model of [
      "first_touch",
      "last_touch",
      "linear",
      "time_decay",
      "u_shaped",
      "w_shaped",
      "full_path",
    ]) {
      expectCredits(run(model as ModelName, [path("solo", 3, 9)]).conversions, { solo: 3 });
    }
  });
});

describe("custom weights", () => {
  it("multiplies channel and kind weights, and reports a journey whose weights are all 0 as unattributed", () => {
    // J1: web/visit 1×0.5 = .5, event/attend 2×1 = 2 (sum 2.5) → web .2, event .8 of 5 conversions → 1 and 4.
    // J2: one event/spam touch weighing 2×0 = 0 → nothing can take its 2 conversions → unattributed.
    const journeys: Journey[] = [
      {
        conversions: 5,
        touches: [
          { channel: "web", kind: "visit", online: true },
          { channel: "event", kind: "attend", online: false },
        ],
      },
      { conversions: 2, value: 8, touches: [{ channel: "event", kind: "spam", online: false }] },
    ];
    const r = run("custom", journeys, {
      customWeights: { byChannel: { event: 2 }, byKind: { visit: 0.5, spam: 0 } },
    });
    expectCredits(r.conversions, { web: 1, event: 4 });
    expect(r.unattributed).toEqual({ conversions: 2, value: 8, journeys: 1 });
  });

  it("refuses negative weights", () => {
    expect(() => createModel("custom", { customWeights: { byChannel: { web: -1 } } })).toThrow(
      /finite number >= 0/,
    );
  });
});
