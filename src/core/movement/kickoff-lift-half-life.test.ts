import { describe, expect, it } from "vitest";
import { createRng } from "../stats/index.ts";
import {
  fitKickoffLiftHalfLife,
  LIFT_ABSENT,
  LIFT_REINFORCED,
  LIFT_UNREINFORCED,
  type LiftDeals,
} from "./kickoff-lift-half-life.ts";

/** Deals with a planted lift of 0.2 halving every `halfLife` weeks for unreinforced attendees. */
function planted(n: number, seed: number, halfLife: number): LiftDeals {
  const rng = createRng(seed);
  const out: LiftDeals = { won: new Uint8Array(n), days: new Float64Array(n), group: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const group = rng.int(3);
    const days = -180 + 360 * rng.next();
    const x =
      days < 0 || group === LIFT_ABSENT ? 0 : group === LIFT_REINFORCED ? 1 : 2 ** (-days / 7 / halfLife);
    out.won[i] = rng.next() < 0.3 + (0.05 * days) / 365 + 0.2 * x ? 1 : 0;
    out.days[i] = days;
    out.group[i] = group;
  }
  return out;
}

describe("fitKickoffLiftHalfLife", () => {
  it("recovers a planted lift and half-life inside their intervals", () => {
    const fit = fitKickoffLiftHalfLife(planted(6000, 11, 4));
    if (fit.status !== "estimated") throw new Error(fit.message);
    expect(fit.liftCi![0]).toBeLessThan(0.2);
    expect(fit.liftCi![1]).toBeGreaterThan(0.2);
    expect(fit.halfLifeCi[0]).toBeLessThan(4);
    expect(fit.halfLifeCi[1]!).toBeGreaterThan(4);
    expect(fit.halfLifeWeeks).toBeGreaterThan(2);
    expect(fit.halfLifeWeeks).toBeLessThan(8);
  });

  it("says what is missing instead of fitting nothing", () => {
    const absentOnly: LiftDeals = {
      won: Uint8Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
      days: Float64Array.from({ length: 20 }, (_, i) => i - 10),
      group: new Uint8Array(20).fill(LIFT_ABSENT),
    };
    expect(fitKickoffLiftHalfLife(absentOnly)).toMatchObject({ status: "insufficient", n: 20 });
  });

  it("calls a design without variation singular", () => {
    // Every deal after the kickoff on the same day: x is the same for all decaying deals, t is constant.
    const n = 30;
    const deals: LiftDeals = {
      won: Uint8Array.from({ length: n }, (_, i) => i % 2),
      days: new Float64Array(n).fill(3),
      group: new Uint8Array(n).fill(LIFT_UNREINFORCED),
    };
    deals.group[0] = LIFT_ABSENT;
    expect(fitKickoffLiftHalfLife(deals)).toMatchObject({ status: "insufficient" });
  });
});
