import { describe, expect, it } from "vitest";
import { budgetKind, DEFAULT_PRIORITY, scoreLead } from "./priority.ts";
import { routeLead } from "./routing.ts";
import { DEFAULT_SLA_HOURS, parseSlaHours, slaDueAt } from "./sla.ts";
import { emptyFields, type LeadFields } from "./vocabulary.ts";

const hot: LeadFields = {
  ...emptyFields(),
  problem: "forecasts in spreadsheets",
  urgency: "now",
  buyingStage: "selecting",
  budget: "$120k approved",
  stakeholders: [
    { name: "Mark", role: "economic_buyer" },
    { name: "Priya", role: "technical_evaluator" },
  ],
  nextStep: "demo",
  nextStepDate: "2025-05-20",
};

describe("scoreLead", () => {
  it("adds fit and intent from listed signals into tier A", () => {
    const p = scoreLead(
      { segment: "Enterprise", employees: 12_000, title: "CFO", industry: "Insurance" },
      hot,
      {
        ...DEFAULT_PRIORITY,
        targetIndustries: ["insurance"],
      },
    );
    expect(p.signals).toEqual([
      { signal: "fit: segment Enterprise", points: 15 },
      { signal: "fit: 12,000 employees", points: 12 },
      { signal: "fit: title CFO", points: 15 },
      { signal: "fit: target industry Insurance", points: 8 },
      { signal: "intent: urgency now", points: 12 },
      { signal: "intent: stage selecting", points: 11 },
      { signal: "intent: budget $120k approved", points: 8 },
      { signal: "intent: next step with a date (2025-05-20)", points: 10 },
      { signal: "intent: stakeholders named (economic buyer, technical evaluator)", points: 4 },
    ]);
    expect(p).toMatchObject({ fit: 50, intent: 45, score: 95, tier: "A" });
  });

  it("scores the points of its signals and nothing else", () => {
    const p = scoreLead(
      { segment: "mid-market", employees: 300, buyingRole: "champion" },
      {
        ...emptyFields(),
        urgency: "this_quarter",
        buyingStage: "evaluating_vendors",
        nextStep: "call",
      },
    );
    expect(p.score).toBe(p.signals.reduce((s, x) => s + x.points, 0));
    // 10 + 7 + 10 fit, 9 + 8 + 4 intent
    expect(p).toMatchObject({ fit: 27, intent: 21, score: 48, tier: "B" });
  });

  it("puts a lead with nothing known in tier C with no signals", () => {
    expect(scoreLead({}, emptyFields())).toEqual({ fit: 0, intent: 0, score: 0, tier: "C", signals: [] });
  });

  it("gives no budget points for an explicit no-budget and few for an unknown one", () => {
    expect(budgetKind("No budget set yet")).toBe("none");
    expect(budgetKind("Budget TBD")).toBe("mentioned");
    expect(budgetKind("~150k EUR")).toBe("amount");
    expect(budgetKind("Budget approved")).toBe("amount");
    const none = scoreLead({}, { ...emptyFields(), budget: "no budget" });
    expect(none.signals).toEqual([]);
  });

  it("takes the higher of the buying role and the title for seniority", () => {
    expect(
      scoreLead({ title: "Marketing Manager", buyingRole: "economic_buyer" }, emptyFields()).signals,
    ).toEqual([{ signal: "fit: buying role economic buyer", points: 15 }]);
    expect(scoreLead({ title: "VP Sales", buyingRole: "user" }, emptyFields()).signals).toEqual([
      { signal: "fit: title VP Sales", points: 12 },
    ]);
  });

  it("moves tiers with configured thresholds", () => {
    const fields = { ...emptyFields(), urgency: "now" as const };
    expect(scoreLead({}, fields).tier).toBe("C");
    expect(scoreLead({}, fields, { ...DEFAULT_PRIORITY, tierA: 30, tierB: 10 }).tier).toBe("B");
  });
});

describe("routeLead", () => {
  const reps = [
    { id: "r3", name: "Cleo", territory: "EMEA" },
    { id: "r1", name: "Ann", territory: "EMEA" },
    { id: "r2", name: "Bo", territory: "EMEA" },
    { id: "r4", name: "Dan", territory: "NA" },
  ];

  it("routes to the account owner first", () => {
    expect(routeLead({ accountOwnerId: "owner", territory: "EMEA", reps, load: new Map() })).toEqual({
      ownerUserId: "owner",
      reason: "account_owner",
    });
  });

  it("takes turns among the territory's reps in name order", () => {
    const load = new Map<string, number>();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = routeLead({ accountOwnerId: null, territory: "emea", reps, load });
      expect(r.reason).toBe("territory_round_robin");
      order.push(r.ownerUserId!);
      load.set(r.ownerUserId!, (load.get(r.ownerUserId!) ?? 0) + 1);
    }
    expect(order).toEqual(["r1", "r2", "r3", "r1", "r2", "r3"]);
  });

  it("falls back to every rep when the territory has none, and to nobody without reps", () => {
    expect(routeLead({ accountOwnerId: null, territory: "APAC", reps, load: new Map() })).toEqual({
      ownerUserId: "r1",
      reason: "round_robin",
    });
    expect(routeLead({ accountOwnerId: null, territory: null, reps: [], load: new Map() })).toEqual({
      ownerUserId: null,
      reason: "unrouted",
    });
  });

  it("does not depend on the order reps are listed in", () => {
    const a = routeLead({ accountOwnerId: null, territory: "EMEA", reps, load: new Map([["r1", 1]]) });
    const b = routeLead({
      accountOwnerId: null,
      territory: "EMEA",
      reps: [...reps].reverse(),
      load: new Map([["r1", 1]]),
    });
    expect(a).toEqual(b);
    expect(a.ownerUserId).toBe("r2");
  });
});

describe("SLA", () => {
  const at = new Date("2025-05-14T19:00:00Z");
  it("gives A 24 h, B 48 h and C 5 days by default", () => {
    expect(slaDueAt(at, "A").toISOString()).toBe("2025-05-15T19:00:00.000Z");
    expect(slaDueAt(at, "B").toISOString()).toBe("2025-05-16T19:00:00.000Z");
    expect(slaDueAt(at, "C").toISOString()).toBe("2025-05-19T19:00:00.000Z");
  });
  it("accepts configured hours and refuses malformed ones", () => {
    expect(parseSlaHours("A=4, C=72")).toEqual({ ...DEFAULT_SLA_HOURS, A: 4, C: 72 });
    expect(slaDueAt(at, "A", parseSlaHours("A=4")).toISOString()).toBe("2025-05-14T23:00:00.000Z");
    expect(() => parseSlaHours("A=soon")).toThrow(/A=24,B=48,C=120/);
    expect(() => parseSlaHours("D=3")).toThrow();
  });
});
