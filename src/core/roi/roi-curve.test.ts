import { describe, expect, it } from "vitest";
import { accelerationAsOf } from "./acceleration.ts";
import { DealSetBuilder, dealStateAsOf, stageAsOf } from "./deal-set.ts";
import { eventCodeOf } from "./event-credit.ts";
import { eventOutcomes } from "./event-outcomes.ts";
import { headlineHorizon } from "./horizons.ts";
import { offlineVsOnline } from "./offline-vs-online.ts";
import { rankPortfolio } from "./rank-portfolio.ts";
import { roiCurve, roiRatio } from "./roi-curve.ts";
import { buildTinyWorld, day, EVENT, type TinyDeal, testStages } from "./test-world.ts";

const deals = buildTinyWorld();
const base = { eventId: EVENT, eventStartsAt: day(-1), eventEndsAt: day(0), cost: 20_000 };
const close = (n: number) => expect.closeTo(n, 6);

describe("stage as of a day", () => {
  it("reads the stage history, not today's row", () => {
    expect(stageAsOf(deals, 0, day(-31))).toBe(-1);
    expect(testStages[stageAsOf(deals, 0, day(59))]!.name).toBe("prospecting");
    expect(testStages[stageAsOf(deals, 0, day(60))]!.name).toBe("proposal");
    expect(dealStateAsOf(deals, 0, day(119))).toBe("open");
    expect(dealStateAsOf(deals, 0, day(120))).toBe("won");
    expect(dealStateAsOf(deals, 3, day(4))).toBe("not_opened");
    expect(dealStateAsOf(deals, 3, day(100))).toBe("lost");
  });

  it("synthesizes a history from today's row when a deal has none", () => {
    const b = new DealSetBuilder(testStages);
    b.addDeal({ id: "X", amount: 10, openedAt: day(0), closedAt: day(50), isWon: true, stage: "closed_won" });
    b.addDeal({ id: "Y", amount: 10, openedAt: day(0), stage: "proposal" });
    const set = b.build();
    expect(dealStateAsOf(set, 0, day(49))).toBe("open");
    expect(testStages[stageAsOf(set, 0, day(49))]!.name).toBe("prospecting");
    expect(dealStateAsOf(set, 0, day(50))).toBe("won");
    expect(testStages[stageAsOf(set, 1, day(10))]!.name).toBe("proposal");
  });

  it("refuses touches out of time order", () => {
    const b = new DealSetBuilder(testStages);
    b.addDeal({ id: "X", amount: 10, openedAt: day(0) });
    b.addTouch({ at: day(2), channel: "web", online: true });
    expect(() => b.addTouch({ at: day(1), channel: "web", online: true })).toThrow(/out of time order/);
  });
});

describe("ROI curve (linear, worked example)", () => {
  // Hand derivation, linear model (each touch of a journey an equal share), cost 20,000:
  // h=0   D1 prospecting .1, touches web,E → 100,000·.1/2 = 5,000; D2 prospecting .1, touch E → 5,000.
  //       D4 not opened. value 10,000 → ROI −0.5.
  // h=30  D1 prospecting, touches web,E,email → 10,000/3 = 3,333.33; D2 evaluation .4, E,web → 20,000/2 = 10,000;
  //       D4 prospecting .1, E,web → 4,000/2 = 2,000. value 15,333.33 → ROI −0.2333.
  // h=90  D1 proposal .6 → 60,000/3 = 20,000; D2 10,000; D4 2,000. value 32,000 → ROI 0.6.
  // h=180 D1 won on day 120 → 100,000/3 = 33,333.33 won; D2 10,000; D4 lost → 0. Acceleration: D1 (attended,
  //       120 days to close) vs D3 (same stage and segment, 150 days) → 30 days × 100,000/365 = 8,219.18.
  //       value 51,552.51 → ROI 1.577626.
  // h=365 D2 negotiation .8 → 40,000/2 = 20,000 → value 61,552.51 → ROI 2.077626.
  const accel = (30 * 100_000) / 365;

  it("counts a deal won on day 120 at h=180 but not at h=90", () => {
    const curve = roiCurve(deals, { ...base, now: day(400) });
    expect(curve.map((p) => p.horizon)).toEqual([0, 30, 90, 180, 365]);
    const [h0, h30, h90, h180, h365] = curve;
    expect(h0).toMatchObject({
      known: true,
      wonRevenue: 0,
      weightedPipeline: close(10_000),
      acceleration: 0,
    });
    expect(h0!.roi).toBeCloseTo(-0.5, 9);
    expect(h30).toMatchObject({ wonRevenue: 0, weightedPipeline: close(15_333.333333) });
    expect(h30!.roi).toBeCloseTo(-0.233333333, 6);
    expect(h90).toMatchObject({ wonRevenue: 0, weightedPipeline: close(32_000), acceleration: 0 });
    expect(h90!.roi).toBeCloseTo(0.6, 9);
    expect(h180).toMatchObject({
      wonRevenue: close(33_333.333333),
      weightedPipeline: close(10_000),
      acceleration: close(accel),
      value: close(43_333.333333 + accel),
    });
    expect(h180!.roi).toBeCloseTo((43_333.333333 + accel - 20_000) / 20_000, 6);
    expect(h365).toMatchObject({ wonRevenue: close(33_333.333333), weightedPipeline: close(20_000) });
    expect(h365!.roi).toBeCloseTo((53_333.333333 + accel - 20_000) / 20_000, 6);
  });

  it("marks horizons after now as not yet known and computes nothing for them", () => {
    const curve = roiCurve(deals, { ...base, now: day(250) });
    expect(curve.map((p) => p.known)).toEqual([true, true, true, true, false]);
    const h365 = curve[4]!;
    expect(h365).toMatchObject({ value: null, roi: null, wonRevenue: null, cost: 20_000 });
    expect(h365.reason).toMatch(/not yet known.*2026-03-01/);
  });

  it("reports ROI as null with a reason when the event has no cost, never Infinity", () => {
    const curve = roiCurve(deals, { ...base, cost: 0, now: day(400) });
    for (const p of curve) {
      expect(p.roi).toBeNull();
      expect(p.reason).toMatch(/no cost/);
      expect(Number.isFinite(p.value!)).toBe(true);
    }
    expect(roiRatio(0, 0)).toEqual({ roi: null, reason: expect.stringMatching(/no cost/) });
    expect(roiRatio(150, 100).roi).toBeCloseTo(0.5, 12);
  });

  it("gives an event that touched nothing zero value and ROI −1", () => {
    const curve = roiCurve(deals, { ...base, eventId: "other", now: day(400) });
    expect(curve.every((p) => p.value === 0 && p.roi === -1)).toBe(true);
  });

  it("runs every model, population ones over all deals", () => {
    for (const model of ["markov", "shapley", "time_decay", "w_shaped"] as const) {
      const curve = roiCurve(deals, { ...base, now: day(400), model });
      for (const p of curve) expect(Number.isFinite(p.value!)).toBe(true);
      expect(curve[3]!.wonRevenue).toBeGreaterThan(0);
    }
  });
});

describe("acceleration", () => {
  it("matches the attending deal to the non-attending one and values the days saved", () => {
    const a = accelerationAsOf(deals, {
      eventCode: eventCodeOf(deals, EVENT),
      eventStartsAt: day(-1),
      eventEndsAt: day(0),
      asOf: day(180),
    });
    expect(a).toMatchObject({ status: "compared", treated: 1, controls: 1, matched: 1, daysSavedMean: 30 });
    expect(a.pairs).toEqual([
      { treatedId: "D1", controlId: "D3", daysSaved: 30, value: close(3_000_000 / 365) },
    ]);
    // One pair: its bootstrap interval is that pair, so it counts (a stated limitation).
    expect(a).toMatchObject({ counted: true, interval: [close(3_000_000 / 365), close(3_000_000 / 365)] });
  });

  it("answers a question asked again from what it remembered, each caller with its own copy", () => {
    const ask = (asOf: number) =>
      accelerationAsOf(deals, {
        eventCode: eventCodeOf(deals, EVENT),
        eventStartsAt: day(-1),
        eventEndsAt: day(0),
        asOf,
      });
    const first = ask(day(180));
    first.pairs.push({ treatedId: "X", controlId: "Y", daysSaved: 1, value: 1 });
    first.interval![0] = -1;
    const again = ask(day(180));
    expect(again.pairs).toHaveLength(1);
    expect(again.interval![0]).toBeCloseTo(3_000_000 / 365, 6);
    // Another day is another question: the deal is not won by day 90.
    expect(ask(day(90))).toMatchObject({ status: "no_attending_deals", treated: 0 });
    expect(ask(day(180))).toMatchObject({ status: "compared", treated: 1 });
  });

  it("does not count acceleration its interval cannot tell from zero", () => {
    // T1 closes 30 days sooner than its match, T2 30 days later; equal amounts of 36,500 → ±3,000 each.
    const mk = (id: string, stage: string, closeDay: number, touched: boolean): TinyDeal => ({
      id,
      amount: 36_500,
      opened: -20,
      closed: closeDay,
      segment: "mid",
      stages: [
        [-20, stage],
        [closeDay, "closed_won"],
      ],
      touches: touched ? [[-1, "event", false, EVENT]] : [[-5, "web", true]],
    });
    const world = buildTinyWorld([
      mk("T1", "prospecting", 60, true),
      mk("C1", "prospecting", 90, false),
      mk("T2", "proposal", 90, true),
      mk("C2", "proposal", 60, false),
    ]);
    const a = accelerationAsOf(world, {
      eventCode: eventCodeOf(world, EVENT),
      eventStartsAt: day(-1),
      eventEndsAt: day(0),
      asOf: day(200),
    });
    expect(a).toMatchObject({ matched: 2, daysSavedMean: 0, estimate: 0, counted: false, value: 0 });
    expect(a.interval).toEqual([-6000, 6000]);
  });

  it("has nothing to compare before the attending deal is won", () => {
    const a = accelerationAsOf(deals, {
      eventCode: eventCodeOf(deals, EVENT),
      eventStartsAt: day(-1),
      eventEndsAt: day(0),
      asOf: day(90),
    });
    expect(a).toMatchObject({ status: "no_attending_deals", value: 0, daysSavedMean: null });
  });
});

describe("event outcomes", () => {
  it("reports sourced and influenced pipeline apart, with won revenue and weighted pipeline", () => {
    // As of day 365: E sourced D4 only (its touch on day −1 precedes D4's creation on day 5; D1 and D2 were
    // already open). Influenced: D1, D2, D4. Linear credits (journeys cut at close): D1 web,E,email → 33,333.33;
    // D2 E,web → 25,000; D4 E,web → 20,000. Sourced journey of D4: E,web (both before day 5) → 20,000.
    const o = eventOutcomes(deals, { ...base, asOf: day(365), models: ["linear", "markov"] });
    expect(o.sourcedPipeline).toEqual({ opportunities: 1, amount: 40_000, attributed: close(20_000) });
    expect(o.influencedPipeline).toEqual({
      opportunities: 3,
      amount: 190_000,
      attributed: close(78_333.333333),
    });
    expect(o.wonRevenue).toEqual({ opportunities: 1, amount: 100_000, attributed: close(33_333.333333) });
    expect(o.weightedPipeline).toEqual({
      opportunities: 1,
      amount: close(40_000),
      attributed: close(20_000),
    });
    expect(Object.keys(o.byModel)).toEqual(["linear", "markov"]);
    expect(o.acceleration.matched).toBe(1);
  });
});

describe("offline vs online", () => {
  it("shows what a digital-only model cannot see", () => {
    // Won as of day 365: D1 (web, E, email). All touches: a third each. Online only: web and email a half each,
    // the event nothing. D2's pipeline credit to E (20,000) vanishes online-only too.
    const r = offlineVsOnline(deals, { eventId: EVENT, asOf: day(365) });
    expect(r.event.all).toEqual({ wonRevenue: close(33_333.333333), weightedPipeline: close(20_000) });
    expect(r.event.onlineOnly).toEqual({ wonRevenue: 0, weightedPipeline: 0 });
    expect(r.byChannel.all).toEqual({
      email: close(33_333.333333),
      event: close(33_333.333333),
      web: close(33_333.333333),
    });
    expect(r.byChannel.onlineOnly).toEqual({ email: close(50_000), event: 0, web: close(50_000) });
    expect(r.byChannel.difference.event).toBeCloseTo(33_333.333333, 5);
    expect(r.byChannel.unattributedOnlineOnly).toBe(0);
  });
});

describe("portfolio", () => {
  it("ranks known ROI first, then cost-free events, then horizons not reached", () => {
    const e = (eventId: string, roi: number | null, known = true, value: number | null = 1) => ({
      eventId,
      name: eventId,
      format: "tactical" as const,
      horizon: 90,
      known,
      value,
      cost: roi === null ? 0 : 1,
      roi,
    });
    const ranked = rankPortfolio([
      e("a", 0.5),
      e("b", null),
      e("c", 2),
      e("d", null, false, null),
      e("e", -1),
    ]);
    expect(ranked.map((r) => [r.eventId, r.rank])).toEqual([
      ["c", 1],
      ["a", 2],
      ["e", 3],
      ["b", null],
      ["d", null],
    ]);
  });

  it("headlines tactical events at 90 days and strategic ones at 365", () => {
    expect(headlineHorizon("tactical")).toBe(90);
    expect(headlineHorizon("strategic")).toBe(365);
  });
});
