import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildJourneyTable } from "./journey-table.ts";
import { toAttributionResult } from "./run-attribution.ts";
import { expectClose, journeysArb } from "./run-model-contract.ts";
import { type ShapleyOptions, shapley } from "./shapley.ts";
import type { AttributionResult, Journey, Touch } from "./types.ts";

function path(p: string, conversions: number, value = 0, nulls = 0): Journey {
  const touches: Touch[] = p === "" ? [] : p.split(" > ").map((channel) => ({ channel, online: true }));
  return { touches, conversions, value, nulls };
}

function run(journeys: readonly Journey[], options: ShapleyOptions = {}): AttributionResult {
  const table = buildJourneyTable(journeys);
  return toAttributionResult(table, "shapley", shapley(options).run(table));
}

/**
 * Independent oracle. v(S) = Σ over journeys with channel set T ⊆ S of their conversions is a sum of unanimity
 * games, one per journey, so its Shapley value is Σ_{journeys containing i} conversions / |T| (each journey's
 * conversions split evenly over its distinct channels). Computed straight from the journey objects.
 */
function harsanyi(journeys: readonly Journey[]): {
  conversions: Map<string, number>;
  value: Map<string, number>;
} {
  const conversions = new Map<string, number>();
  const value = new Map<string, number>();
  for (const j of journeys) {
    const set = new Set(j.touches.map((t) => t.channel));
    for (const ch of set) {
      conversions.set(ch, (conversions.get(ch) ?? 0) + j.conversions / set.size);
      value.set(ch, (value.get(ch) ?? 0) + (j.value ?? 0) / set.size);
    }
  }
  return { conversions, value };
}

/**
 * Worked example, by hand over all 3! orders.
 *   {A}        "A"          4 conversions, value 40
 *   {A,B}      "B > A > B"  2 conversions, value 30   (order and repeats do not matter to the game)
 *   {B,C}      "C > B"      3 conversions, value 60
 *   {A,B,C}    "A > C > B"  6 conversions, value 12
 *   {D,A}      "D > A"      0 conversions, 5 nulls   (D never converts → null player)
 * v: ∅ 0, A 4, B 0, C 0, AB 6, AC 4, BC 3, ABC 15.
 * Marginals (A, B, C) per order:
 *   ABC: 4, 2, 9   ACB: 4, 11, 0   BAC: 6, 0, 9   BCA: 12, 0, 3   CAB: 4, 11, 0   CBA: 12, 3, 0
 * φ_A = (4+4+6+12+4+12)/6 = 7;  φ_B = (2+11+0+0+11+3)/6 = 4.5;  φ_C = (9+0+9+3+0+0)/6 = 3.5;  Σ = 15.
 * Value game: v: A 40, AB 70, AC 40, BC 60, ABC 142 → φ_A = 40 + 30/2 + 12/3 = 59, φ_B = 15 + 30 + 4 = 49,
 * φ_C = 30 + 4 = 34 (same orders; Σ = 142).
 */
const worked: Journey[] = [
  path("A", 4, 40),
  path("B > A > B", 2, 30),
  path("C > B", 3, 60),
  path("A > C > B", 6, 12),
  path("D > A", 0, 0, 5),
];

describe("shapley worked example (3 channels, by hand)", () => {
  const r = run(worked);

  it("credits conversions A 7, B 4.5, C 3.5 and value 59, 49, 34", () => {
    expect(r.method).toBe("exact");
    expectClose(r.conversions.A!, 7, 1e-12);
    expectClose(r.conversions.B!, 4.5, 1e-12);
    expectClose(r.conversions.C!, 3.5, 1e-12);
    expectClose(r.value.A!, 59, 1e-12);
    expectClose(r.value.B!, 49, 1e-12);
    expectClose(r.value.C!, 34, 1e-12);
  });

  it("gives 0 to a channel seen only in non-converting journeys", () => {
    expect(r.conversions.D).toBe(0);
    expect(r.value.D).toBe(0);
  });

  it("2-channel case: a shared journey splits evenly, a solo journey goes to its channel", () => {
    // v(A) = 3, v(B) = 0, v(AB) = 5 → φ_A = (3 + (5 − 0))/2 = 4, φ_B = (0 + (5 − 3))/2 = 1.
    const two = run([path("A", 3), path("A > B", 2)]);
    expectClose(two.conversions.A!, 4, 1e-12);
    expectClose(two.conversions.B!, 1, 1e-12);
  });
});

describe("shapley properties", () => {
  it("exact solution equals the unanimity-game closed form", () => {
    fc.assert(
      fc.property(journeysArb, (journeys) => {
        const r = run(journeys);
        const oracle = harsanyi(journeys);
        for (const key of Object.keys(r.conversions)) {
          expectClose(r.conversions[key]!, oracle.conversions.get(key) ?? 0);
          expectClose(r.value[key]!, oracle.value.get(key) ?? 0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("estimates > 15 channels by seeded sampling, within 4 standard errors of the exact values", () => {
    // 20 channels, 300 journeys of 1..4 channels from a seeded generator.
    const journeys: Journey[] = [];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let j = 0; j < 300; j++) {
      const k = 1 + Math.floor(next() * 4);
      const names = Array.from({ length: k }, () => `ch${Math.floor(next() * 20)}`);
      journeys.push(path(names.join(" > "), 1 + Math.floor(next() * 3), Math.floor(next() * 100)));
    }
    const r = run(journeys, { samples: 2000, seed: 3 });
    expect(r.method).toBe("sampled");
    expect(r.samples).toBe(2000);
    const oracle = harsanyi(journeys);
    let total = 0;
    for (const [key, exact] of oracle.conversions) {
      const se = r.standardError!.conversions[key]!;
      expect(se).toBeGreaterThan(0);
      expect(Math.abs(r.conversions[key]! - exact)).toBeLessThanOrEqual(4 * se + 1e-9);
      total += exact;
    }
    // Every sampled order's marginals sum to v(N), so the estimate is still efficient.
    expectClose(
      Object.values(r.conversions).reduce((a, b) => a + b, 0),
      total,
    );
    // Same seed, same estimate; another seed, another estimate.
    expect(run(journeys, { samples: 2000, seed: 3 })).toEqual(r);
    expect(run(journeys, { samples: 2000, seed: 4 }).conversions).not.toEqual(r.conversions);
  });

  it("stays exact at 15 contributing channels and samples at 16", () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
    expect(run([path(names(15).join(" > "), 1)]).method).toBe("exact");
    expect(run([path(names(16).join(" > "), 1)], { samples: 10 }).method).toBe("sampled");
    // A 16th channel that never converts is a null player and does not force sampling.
    expect(run([path(names(15).join(" > "), 1), path("c99", 0, 0, 1)]).method).toBe("exact");
  });
});
