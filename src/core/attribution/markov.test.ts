import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildJourneyTable } from "./journey-table.ts";
import { solveLinearSystem } from "./linear-solve.ts";
import { fitMarkovChain, MAX_MARKOV_CHANNELS, type MarkovChain, markov, solveMarkovChain } from "./markov.ts";
import { toAttributionResult } from "./run-attribution.ts";
import { expectClose, journeysArb } from "./run-model-contract.ts";
import type { AttributionResult, Journey, KeyBy, Touch } from "./types.ts";

function path(p: string, conversions: number, nulls: number, value = 0): Journey {
  const touches: Touch[] = p === "" ? [] : p.split(" > ").map((channel) => ({ channel, online: true }));
  return { touches, conversions, nulls, value };
}

function run(journeys: readonly Journey[], keyBy: KeyBy = "channel"): AttributionResult {
  const table = buildJourneyTable(journeys, { keyBy });
  return toAttributionResult(table, "markov", markov.run(table));
}

/** Independent oracle: P(conversion from start) by solving (I − Q)x = r, with `removed` made an absorbing null. */
function pConversionBySolve(chain: MarkovChain, removed: number): number {
  const { n, counts } = chain;
  const s = n + 3;
  const rowProbabilities = (row: number) => {
    let out = 0;
    for (let j = 0; j < s; j++) out += counts[row * s + j]!;
    return (j: number) => (out > 0 ? counts[row * s + j]! / out : 0);
  };
  const a = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1;
    if (i === removed) continue; // x_removed = 0
    const p = rowProbabilities(i);
    for (let j = 0; j < n; j++) a[i * n + j]! -= p(j);
    r[i] = p(n + 1);
  }
  const x = n > 0 ? solveLinearSystem(a, r, n) : new Float64Array(0);
  const start = rowProbabilities(n);
  let total = 0;
  for (let j = 0; j < n; j++) if (j !== removed) total += start(j) * x[j]!;
  return total;
}

/**
 * Worked example, solved by hand.
 *   P1  A > B   1 conversion, 0 nulls, value 10
 *   P2  A > C   0 conversions, 1 null
 *   P3  B       1 conversion, 1 null, value 20
 *   P4  C > B   1 conversion, 0 nulls, value 9
 * Transition counts (each path weighted by conversions + nulls):
 *   start → A 2, → B 2, → C 1  (5)     A → B 1, → C 1  (2)
 *   B → conv 3, → null 1      (4)      C → B 1, → null 1 (2)
 * Probabilities: start→A .4, →B .4, →C .2; A→B .5, A→C .5; B→conv .75, B→null .25; C→B .5, C→null .5.
 * P(conv | state): x_B = .75; x_C = .5·x_B = .375; x_A = .5·x_B + .5·x_C = .5625.
 * P(conv) = .4·.5625 + .4·.75 + .2·.375 = .6   (= 3 conversions / 5 journeys).
 * Remove A (start→A goes to null): .4·.75 + .2·.375 = .375 → RE_A = 1 − .375/.6 = .375.
 * Remove B: x_B = 0 ⇒ x_C = x_A = 0 ⇒ P = 0 → RE_B = 1.
 * Remove C: x_C = 0 ⇒ x_A = .375; P = .4·.375 + .4·.75 = .45 → RE_C = 1 − .45/.6 = .25.
 * ΣRE = 1.625 → shares A 3/13, B 8/13, C 2/13; × 3 conversions → A 9/13, B 24/13, C 6/13;
 * × value 39 → A 9, B 24, C 6.
 */
const worked: Journey[] = [
  path("A > B", 1, 0, 10),
  path("A > C", 0, 1),
  path("B", 1, 1, 20),
  path("C > B", 1, 0, 9),
];

describe("markov worked example (3 channels, solved by hand)", () => {
  const r = run(worked);

  it("finds P(conversion) = 0.6", () => {
    expectClose(r.pConversion!, 0.6, 1e-12);
  });

  it("finds removal effects A .375, B 1, C .25", () => {
    expectClose(r.removalEffect!.A!, 0.375, 1e-12);
    expectClose(r.removalEffect!.B!, 1, 1e-12);
    expectClose(r.removalEffect!.C!, 0.25, 1e-12);
  });

  it("credits conversions 9/13, 24/13, 6/13 and value 9, 24, 6", () => {
    expectClose(r.conversions.A!, 9 / 13, 1e-12);
    expectClose(r.conversions.B!, 24 / 13, 1e-12);
    expectClose(r.conversions.C!, 6 / 13, 1e-12);
    expectClose(r.value.A!, 9, 1e-12);
    expectClose(r.value.B!, 24, 1e-12);
    expectClose(r.value.C!, 6, 1e-12);
  });

  it("does not change when a path's channel is repeated (self-loops do not move absorption)", () => {
    const repeated = run([
      path("A > A > B", 1, 0, 10),
      path("A > C > C", 0, 1),
      path("B > B", 1, 1, 20),
      path("C > B", 1, 0, 9),
    ]);
    for (const ch of ["A", "B", "C"]) expectClose(repeated.removalEffect![ch]!, r.removalEffect![ch]!, 1e-12);
  });
});

describe("markov edge cases", () => {
  it("gives 0 to a channel seen only in non-converting journeys that lead nowhere else", () => {
    // x is only ever followed by null (in "x" and "a > x"): P(conv | x) = 0, so removing it loses nothing.
    const r = run([path("a", 2, 1), path("x", 0, 5), path("a > x", 0, 1)]);
    expect(r.removalEffect!.x).toBe(0);
    expect(r.conversions.x).toBe(0);
    expectClose(r.conversions.a!, 2, 1e-12);
  });

  it("credits a channel seen only in non-converting journeys by its removal effect when the chain routes through it", () => {
    // Paths: "x > b" (null), "b" (conversion). Chain: start→x ½, start→b ½; x→b 1; b→conv ½, b→null ½.
    // P = ½·½ + ½·½ = ½. Remove x: P = ½·½ = ¼ → RE_x = ½. Remove b: P = 0 → RE_b = 1.
    // Shares: x 1/3, b 2/3 of 1 conversion — order-1 memorylessness lets x share in b's conversions.
    const r = run([path("x > b", 0, 1), path("b", 1, 0)]);
    expectClose(r.removalEffect!.x!, 0.5, 1e-12);
    expectClose(r.removalEffect!.b!, 1, 1e-12);
    expectClose(r.conversions.x!, 1 / 3, 1e-12);
    expectClose(r.conversions.b!, 2 / 3, 1e-12);
  });

  it("reports journeys without touches as unattributed and leaves them out of the chain", () => {
    const r = run([...worked, path("", 4, 2)]);
    expect(r.unattributed).toEqual({ conversions: 4, value: 0, journeys: 1 });
    expectClose(r.pConversion!, 0.6, 1e-12);
  });

  it("spreads channel credit onto event keys in proportion to converting touches", () => {
    // A's 9/13 conversions sit on touches in P1 only (P2 has no conversions): all to event e1.
    // B's 24/13 split by the conversions of the journeys of its touches: P1 (1, key e2), P3 (1, e2), P4 (1, e3)
    // → e2 2/3, e3 1/3. C's 6/13: P2 has 0 conversions, P4 has 1 (key e3) → e3.
    const withEvents = (p: string, events: string[], c: number, n: number, v: number): Journey => ({
      touches: p.split(" > ").map((channel, i) => ({ channel, online: true, eventId: events[i] })),
      conversions: c,
      nulls: n,
      value: v,
    });
    const r = run(
      [
        withEvents("A > B", ["e1", "e2"], 1, 0, 10),
        withEvents("A > C", ["e1", "e3"], 0, 1, 0),
        withEvents("B", ["e2"], 1, 1, 20),
        withEvents("C > B", ["e3", "e3"], 1, 0, 9),
      ],
      "event",
    );
    expectClose(r.conversions.e1!, 9 / 13, 1e-12);
    expectClose(r.conversions.e2!, (24 / 13) * (2 / 3), 1e-12);
    expectClose(r.conversions.e3!, (24 / 13) * (1 / 3) + 6 / 13, 1e-12);
    // Removal effects stay keyed by channel.
    expectClose(r.removalEffect!.B!, 1, 1e-12);
  });
});

describe("markov properties", () => {
  it("P(conversion) equals conversions / (conversions + nulls) of journeys with touches (flow conservation)", () => {
    fc.assert(
      fc.property(journeysArb, (journeys) => {
        let c = 0;
        let n = 0;
        for (const j of journeys) {
          if (j.touches.length === 0) continue;
          c += j.conversions;
          n += j.nulls ?? 0;
        }
        const r = run(journeys);
        expectClose(r.pConversion!, c + n > 0 ? c / (c + n) : 0);
      }),
      { numRuns: 200 },
    );
  });

  it("removal effects equal re-solving the chain once per removed channel", () => {
    fc.assert(
      fc.property(journeysArb, (journeys) => {
        const table = buildJourneyTable(journeys);
        const chain = fitMarkovChain(table);
        const solution = solveMarkovChain(chain);
        const p = pConversionBySolve(chain, -1);
        expectClose(solution.pConversion, p);
        for (let c = 0; c < chain.n; c++) {
          const expected = p > 0 ? 1 - pConversionBySolve(chain, c) / p : 0;
          expectClose(solution.removalEffect[c]!, expected, 1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("markov limits", () => {
  it("refuses more channels than it can solve exactly in reasonable time", () => {
    const touches = Array.from({ length: MAX_MARKOV_CHANNELS + 1 }, (_, i) => ({
      channel: `c${i}`,
      online: true,
    }));
    const table = buildJourneyTable([{ touches, conversions: 1 }]);
    expect(() => markov.run(table)).toThrow(/markov supports at most 1024 channels, got 1025/);
  });
});
