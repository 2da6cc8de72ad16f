import { describe, expect, it } from "vitest";
import { createRng } from "../stats/prng.ts";
import {
  compareOpportunityVelocity,
  compareOpportunityVelocityColumns,
  type VelocityOpportunity,
} from "./compare-opportunity-velocity.ts";
import { DAY_MS } from "./measure-movement.ts";

const EVENT = Date.UTC(2024, 2, 1);
const at = (days: number) => new Date(EVENT + days * DAY_MS);

interface Opp extends VelocityOpportunity {
  segment: string;
  amount: number;
}

/** Attendees' deals move to the next stage in 10 days, others in 30; a few have no history or were closed. */
function opportunities(seed: number): Opp[] {
  const rng = createRng(seed);
  const out: Opp[] = [];
  for (let i = 0; i < 400; i++) {
    const treated = i % 4 === 0;
    const segment = ["smb", "mid", "ent"][i % 3]!;
    const stage = ["discovery", "proposal"][rng.int(2)]!;
    const next = stage === "discovery" ? "proposal" : "negotiation";
    const moveDay = (treated ? 10 : 30) * (0.5 + rng.next());
    out.push({
      id: `o${String(i).padStart(3, "0")}`,
      treated,
      segment,
      amount: 1000 + rng.int(50_000),
      stages: [
        { stage, enteredAt: at(-20 - rng.int(100)) },
        { stage: next, enteredAt: at(moveDay) },
      ],
    });
  }
  out.push({ id: "t-missing", treated: true, segment: "smb", amount: 5000, stages: [] });
  out.push({
    id: "t-won",
    treated: true,
    segment: "smb",
    amount: 5000,
    stages: [{ stage: "closed_won", enteredAt: at(-3) }],
  });
  return out;
}

describe("compareOpportunityVelocity", () => {
  const options = {
    eventAt: at(0),
    asOf: at(120),
    terminalStages: ["closed_won", "closed_lost"],
    exact: ["segment"] as const,
    nearest: ["amount"] as const,
    resamples: 300,
    seed: 2,
  };

  it("compares attendees with matched opportunities by id and lists the ones it could not use", () => {
    const r = compareOpportunityVelocity(opportunities(1), options);
    if (r.status !== "compared") throw new Error(r.message);
    expect(r.unmeasurableTreated).toEqual([
      { id: "t-missing", reason: "no_stage_history" },
      { id: "t-won", reason: "closed_at_event" },
    ]);
    expect(r.match.matched).toBe(100);
    expect(Object.keys(r.balance)).toEqual(["amount", "age_at_event_days"]);
    expect(r.matches[0]!.treatedId).toBe("o000");
    // treated move within 5–15 days, controls within 15–45: by day 14 nearly all treated and no control moved
    expect(r.survival.probabilityByDifference[0]!.estimate).toBeGreaterThan(0.8);
    expect(r.survival.medianDifference.estimate).toBeLessThan(-15);
    // every matched control shares the treated deal's segment and stage at the event
    const byId = new Map(opportunities(1).map((o) => [o.id, o]));
    for (const m of r.matches) {
      const t = byId.get(m.treatedId)!;
      for (const c of m.controlIds) {
        expect(byId.get(c)!.segment).toBe(t.segment);
        expect(byId.get(c)!.stages![0]!.stage).toBe(t.stages![0]!.stage);
      }
    }
  });

  it("does not depend on the input order", () => {
    const a = compareOpportunityVelocity(opportunities(3), options);
    const b = compareOpportunityVelocity([...opportunities(3)].reverse(), options);
    expect(b).toEqual(a);
  });

  it("says there are too few controls instead of computing from nothing", () => {
    const opps = opportunities(1).filter((o) => o.treated);
    const r = compareOpportunityVelocity(opps, options);
    expect(r.status).toBe("insufficient_controls");
    if (r.status === "insufficient_controls")
      expect(r.message).toMatch(/0 of 100 treated units .* 0 eligible controls/);
  });

  it("gives the same result on columns, histories out of order and invalid times included", () => {
    const opps = opportunities(4).sort((a, b) => (a.id < b.id ? -1 : 1));
    // One history out of time order (sorted before measuring), one with an invalid time (kept, listed).
    const o5 = opps[5]!;
    o5.stages = [...o5.stages!].reverse();
    opps[9]!.stages = [{ stage: "discovery", enteredAt: Number.NaN }, ...opps[9]!.stages!];
    const stageNames: string[] = [];
    const offsets = new Int32Array(opps.length + 1);
    const stage: number[] = [];
    const enteredAtMs: number[] = [];
    opps.forEach((o, i) => {
      for (const e of o.stages ?? []) {
        if (!stageNames.includes(e.stage)) stageNames.push(e.stage);
        stage.push(stageNames.indexOf(e.stage));
        enteredAtMs.push(e.enteredAt instanceof Date ? e.enteredAt.getTime() : Number(e.enteredAt));
      }
      offsets[i + 1] = stage.length;
    });
    const columns = compareOpportunityVelocityColumns(
      {
        ids: opps.map((o) => o.id),
        treated: opps.map((o) => (o.treated ? 1 : 0)),
        history: { offsets, stage, enteredAtMs },
        stageNames,
        attributes: { segment: opps.map((o) => o.segment) },
        numbers: { amount: opps.map((o) => o.amount) },
      },
      options,
    );
    expect(columns).toEqual(compareOpportunityVelocity(opps, options));
    if (columns.status !== "compared") throw new Error(columns.message);
    expect(columns.control.byStatus.invalid_timestamp + columns.treated.byStatus.invalid_timestamp).toBe(1);
    expect(() =>
      compareOpportunityVelocityColumns(
        {
          ids: ["b", "a"],
          treated: [1, 0],
          history: { offsets: new Int32Array(3), stage: [], enteredAtMs: [] },
          stageNames: [],
        },
        options,
      ),
    ).toThrow(/ascending id order/);
  });
});
