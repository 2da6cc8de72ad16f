import { describe, expect, it } from "vitest";
import { createRng } from "../../core/stats/index.ts";
import { type DecayDeal, fitLiftHalfLife } from "./lift-half-life.ts";

describe("fitLiftHalfLife", () => {
  it("recovers a planted lift and half-life inside their intervals", () => {
    const rng = createRng(11);
    const deals: DecayDeal[] = [];
    const groups = ["absent", "reinforced", "unreinforced"] as const;
    for (let i = 0; i < 6000; i++) {
      const group = groups[rng.int(3)]!;
      const days = -180 + 360 * rng.next();
      const x = days < 0 || group === "absent" ? 0 : group === "reinforced" ? 1 : 2 ** (-days / 7 / 4);
      const p = 0.3 + (0.05 * days) / 365 + 0.2 * x;
      deals.push({ won: rng.next() < p, days, group });
    }
    const fit = fitLiftHalfLife(deals);
    if (fit.status !== "estimated") throw new Error(fit.message);
    expect(fit.liftCi![0]).toBeLessThan(0.2);
    expect(fit.liftCi![1]).toBeGreaterThan(0.2);
    expect(fit.halfLifeCi[0]).toBeLessThan(4);
    expect(fit.halfLifeCi[1]).not.toBeNull();
    expect(fit.halfLifeCi[1]!).toBeGreaterThan(4);
    expect(fit.halfLifeWeeks).toBeGreaterThan(2);
    expect(fit.halfLifeWeeks).toBeLessThan(8);
  });

  it("says what is missing instead of fitting nothing", () => {
    const deals: DecayDeal[] = Array.from({ length: 20 }, (_, i) => ({
      won: i % 2 === 0,
      days: i - 10,
      group: "absent" as const,
    }));
    expect(fitLiftHalfLife(deals)).toMatchObject({ status: "insufficient" });
  });
});
