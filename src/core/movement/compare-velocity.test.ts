import { describe, expect, it } from "vitest";
import { compareSurvival } from "../stats/compare-survival.ts";
import { createRng } from "../stats/prng.ts";
import { compareVelocity } from "./compare-velocity.ts";
import { DAY_MS, measureMovementColumns } from "./measure-movement.ts";

const EVENT = Date.UTC(2024, 5, 1);

/**
 * A small world: opportunities in 2 segments × 2 stages, amount drives both attendance and speed (confounding);
 * attendance shortens the time to the next stage by `effect` (hazard multiplier). A few have no history.
 */
function world(seed: number, n: number, effect: number) {
  const rng = createRng(seed);
  const offsets = new Int32Array(n + 1);
  const stage: number[] = [];
  const entered: number[] = [];
  const treated = new Uint8Array(n);
  const segment = new Int32Array(n);
  const amount = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    segment[i] = rng.int(2);
    amount[i] = Math.exp(9 + rng.normal());
    const big = amount[i]! > 8000 ? 1 : 0;
    treated[i] = rng.next() < (big ? 0.35 : 0.1) ? 1 : 0;
    if (rng.next() < 0.02) {
      offsets[i + 1] = stage.length; // no history
      continue;
    }
    const s0 = rng.int(2);
    stage.push(s0);
    entered.push(EVENT - (5 + rng.int(200)) * DAY_MS);
    const rate = (1 / 40) * (big ? 1.5 : 1) * (treated[i] ? effect : 1);
    stage.push(s0 + 1);
    entered.push(EVENT + rng.exponential(rate) * DAY_MS);
    offsets[i + 1] = stage.length;
  }
  return { offsets, stage, entered, treated, segment, amount };
}

describe("compareVelocity", () => {
  it("finds a planted acceleration against matched controls", () => {
    const w = world(1, 6000, 2);
    const movement = measureMovementColumns(
      { offsets: w.offsets, stage: w.stage, enteredAtMs: w.entered },
      { eventAtMs: EVENT, asOfMs: EVENT + 120 * DAY_MS },
    );
    const r = compareVelocity(
      {
        movement,
        treated: w.treated,
        exact: [w.segment, movement.stageAtEvent],
        numeric: [w.amount, movement.ageAtEventDays],
      },
      { k: 2, replacement: true, resamples: 300, seed: 3 },
    );
    expect(r.status).toBe("compared");
    if (r.status !== "compared") return;
    expect(r.treated.byStatus.no_stage_history).toBe(r.unmeasurableTreated.length);
    expect(r.treated.total).toBe(r.treated.atRisk + r.unmeasurableTreated.length);
    expect(r.match.matched).toBeGreaterThan(0.95 * r.treated.atRisk);
    // Rate 2× (big deals: 3/80 vs 3/40 per day). By day 30 the matched difference must be clearly positive,
    // and the medians must show the treated moving sooner.
    const by30 = r.survival.probabilityByDifference[1]!;
    expect(by30.ci![0]).toBeGreaterThan(0.1);
    expect(r.survival.medianDifference.ci![1]).toBeLessThan(0);
    expect(r.survival.horizons).toEqual([14, 30, 60, 90]);
  });

  it("shows no effect when none is planted", () => {
    const w = world(2, 6000, 1);
    const movement = measureMovementColumns(
      { offsets: w.offsets, stage: w.stage, enteredAtMs: w.entered },
      { eventAtMs: EVENT, asOfMs: EVENT + 120 * DAY_MS },
    );
    const r = compareVelocity(
      { movement, treated: w.treated, exact: [w.segment, movement.stageAtEvent], numeric: [w.amount] },
      { k: 1, replacement: true, resamples: 300, seed: 3, horizons: [30] },
    );
    if (r.status !== "compared") throw new Error("expected a comparison");
    const by30 = r.survival.probabilityByDifference[0]!;
    expect(by30.ci![0]).toBeLessThan(0);
    expect(by30.ci![1]).toBeGreaterThan(0);
    // Without matching, big deals (more likely to attend, faster anyway) make attendance look like an effect.
    const at = (side: number) => {
      const rows = [...Array(movement.n).keys()].filter(
        (i) => movement.status[i] === 0 && w.treated[i] === side,
      );
      return {
        time: rows.map((i) => movement.timeToNextDays[i]!),
        event: rows.map((i) => movement.moved[i]!),
      };
    };
    const naive = compareSurvival(at(1), at(0), { resamples: 300, seed: 3, horizons: [30] });
    expect(naive.probabilityByDifference[0]!.ci![0]).toBeGreaterThan(0);
  });

  it("returns insufficient_controls with counts when nothing can be matched", () => {
    const movement = measureMovementColumns(
      {
        offsets: Int32Array.from([0, 1, 2, 2]),
        stage: [0, 1],
        enteredAtMs: [EVENT - DAY_MS, EVENT - DAY_MS],
      },
      { eventAtMs: EVENT, asOfMs: EVENT + 30 * DAY_MS },
    );
    const r = compareVelocity({ movement, treated: [1, 0, 0], exact: [movement.stageAtEvent], numeric: [] });
    expect(r.status).toBe("insufficient_controls");
    if (r.status !== "insufficient_controls") return;
    expect(r.message).toMatch(/0 of 1 treated/);
    expect(r.control.byStatus.no_stage_history).toBe(1);
    expect(r.match.controls).toBe(1);
  });
});
