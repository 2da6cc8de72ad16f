import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchControls, matchControlsColumns } from "./match-controls.ts";
import { createRng } from "./prng.ts";

interface Opp {
  id: string;
  treated: boolean;
  segment: string | null;
  stage: string;
  amount: number;
  age: number;
}

const opp = (
  id: string,
  treated: boolean,
  segment: string | null,
  stage: string,
  amount: number,
  age: number,
): Opp => ({
  id,
  treated,
  segment,
  stage,
  amount,
  age,
});

// Amount and age have pooled SDs computed over all complete units; the nearest control must share segment and
// stage, and among those be closest on standardized (amount, age).
const units: Opp[] = [
  opp("t1", true, "smb", "proposal", 10_000, 30),
  opp("t2", true, "ent", "proposal", 90_000, 120),
  opp("t3", true, "smb", "discovery", 5_000, 10),
  opp("c1", false, "smb", "proposal", 11_000, 35), // near t1
  opp("c2", false, "smb", "proposal", 30_000, 90), // far from t1
  opp("c3", false, "ent", "proposal", 85_000, 100), // only ent/proposal control
  opp("c4", false, "ent", "discovery", 5_000, 10), // wrong segment for t3
  opp("c5", false, null, "discovery", 5_000, 10), // missing segment: never used
];

describe("matchControls", () => {
  it("matches exactly on keys and nearest on standardized covariates", () => {
    const r = matchControls(units, { exact: ["segment", "stage"], nearest: ["amount", "age"] });
    expect(r.status).toBe("matched");
    if (r.status !== "matched") return;
    expect(r.matches.map((m) => [m.treatedId, m.controlIds])).toEqual([
      ["t1", ["c1"]],
      ["t2", ["c3"]],
    ]);
    expect(r.unmatched).toEqual([{ id: "t3", reason: "too_few_controls_in_stratum" }]);
    expect(r.counts).toMatchObject({ treated: 3, controls: 4, matched: 2, unmatched: 1, controlsUsed: 2 });
    // Standardized distance t1–c1: sqrt((1000/sdAmount)² + (5/sdAge)²) with SDs over the 7 complete units.
    const complete = units.filter((u) => u.segment !== null);
    const sd = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    };
    const expected = Math.hypot(1000 / sd(complete.map((u) => u.amount)), 5 / sd(complete.map((u) => u.age)));
    expect(r.matches[0]!.distances[0]).toBeCloseTo(expected, 12);
    expect(Array.from(r.sets.treated)).toEqual([0, 1]);
    expect(Array.from(r.sets.controls)).toEqual([3, 5]);
  });

  it("uses each control once without replacement and reuses it with replacement", () => {
    const pool = [
      opp("a", true, "s", "x", 100, 1),
      opp("b", true, "s", "x", 101, 1),
      opp("c", false, "s", "x", 100, 1),
      opp("d", false, "s", "x", 500, 1),
    ];
    const without = matchControls(pool, { exact: ["segment"], nearest: ["amount"] });
    const withR = matchControls(pool, { exact: ["segment"], nearest: ["amount"], replacement: true });
    if (without.status !== "matched" || withR.status !== "matched") throw new Error("expected matches");
    expect(without.matches.map((m) => m.controlIds[0])).toEqual(["c", "d"]);
    expect(withR.matches.map((m) => m.controlIds[0])).toEqual(["c", "c"]);
    expect(withR.counts.controlsUsed).toBe(1);
  });

  it("leaves treated units outside the caliper unmatched, and runs out of controls explicitly", () => {
    const pool = [
      opp("a", true, "s", "x", 100, 1),
      opp("b", true, "s", "x", 101, 1),
      opp("c", false, "s", "x", 100, 1),
      opp("d", false, "s", "x", 900, 1),
    ];
    const calipered = matchControls(pool, { nearest: ["amount"], caliper: 0.1 });
    if (calipered.status !== "matched") throw new Error("expected matches");
    expect(calipered.unmatched).toEqual([{ id: "b", reason: "outside_caliper" }]);
    const k2 = matchControls(pool, { nearest: ["amount"], k: 2 });
    if (k2.status !== "matched") throw new Error("expected matches");
    expect(k2.matches).toHaveLength(1);
    expect(k2.matches[0]!.controlIds).toEqual(["c", "d"]);
    expect(k2.unmatched).toEqual([{ id: "b", reason: "controls_exhausted" }]);
  });

  it("returns insufficient_controls naming the counts instead of a number", () => {
    const pool = [
      opp("a", true, "s", "x", 1, 1),
      opp("b", true, "s", "x", 2, 1),
      opp("c", false, "t", "x", 1, 1),
    ];
    const r = matchControls(pool, { exact: ["segment"], nearest: ["amount"] });
    expect(r.status).toBe("insufficient_controls");
    if (r.status !== "insufficient_controls") return;
    expect(r.counts).toMatchObject({ treated: 2, controls: 1, matched: 0 });
    expect(r.message).toBe(
      "insufficient controls: 0 of 2 treated units found 1 control (need at least 1); 1 eligible control available",
    );
    const some = matchControls(units, { exact: ["segment", "stage"], nearest: ["amount"], minMatched: 3 });
    expect(some.status).toBe("insufficient_controls");
  });

  it("reports treated units with a missing key as unmatched", () => {
    const pool = [
      opp("a", true, null, "x", 1, 1),
      opp("b", true, "s", "x", Number.NaN, 1),
      opp("c", false, "s", "x", 1, 1),
    ];
    const r = matchControls(pool, { exact: ["segment"], nearest: ["amount"], minMatched: 1 });
    expect(r.status).toBe("insufficient_controls");
    expect(r.counts.unmatchedByReason.missing_covariate).toBe(2);
  });

  it("takes controls in order when there are no numeric covariates", () => {
    const pool = [
      opp("a", true, "s", "x", 1, 1),
      opp("b", true, "s", "x", 1, 1),
      opp("c", false, "s", "x", 1, 1),
      opp("d", false, "s", "x", 1, 1),
    ];
    const r = matchControls(pool, { exact: ["segment"] });
    if (r.status !== "matched") throw new Error("expected matches");
    expect(r.matches.map((m) => m.controlIds)).toEqual([["c"], ["d"]]);
  });

  it("reports covariate balance that matching improves", () => {
    // Treated units are drawn from larger amounts: a clear imbalance before matching.
    const rng = createRng(9);
    const pool = Array.from({ length: 2000 }, (_, i) => {
      const amount = rng.exponential(1 / 1000);
      return opp(`u${i}`, rng.next() < (amount > 1500 ? 0.3 : 0.05), "s", "x", amount, rng.int(100));
    });
    const r = matchControls(pool, { nearest: ["amount", "age"] });
    if (r.status !== "matched") throw new Error("expected matches");
    expect(r.balance.amount!.smdBefore).toBeGreaterThan(0.5);
    expect(Math.abs(r.balance.amount!.smdAfter)).toBeLessThan(0.1);
    const treated = pool.filter((u) => u.treated);
    expect(r.balance.amount!.treatedMeanBefore).toBeCloseTo(
      treated.reduce((a, u) => a + u.amount, 0) / treated.length,
      8,
    );
  });

  it("does not depend on the order of the input", () => {
    const base = randomUnits(5, 60);
    const expected = matchControls(base, { exact: ["segment"], nearest: ["amount", "age"], k: 2 });
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = createRng(seed);
        const shuffled = [...base].sort(() => rng.next() - 0.5);
        const r = matchControls(shuffled, { exact: ["segment"], nearest: ["amount", "age"], k: 2 });
        if (r.status !== "matched" || expected.status !== "matched") throw new Error("expected matches");
        expect(r.matches).toEqual(expected.matches);
      }),
      { numRuns: 25 },
    );
  });
});

function randomUnits(seed: number, n: number): Opp[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) =>
    opp(
      `u${i}`,
      rng.next() < 0.3,
      ["a", "b", "c"][rng.int(3)]!,
      "x",
      Math.round(rng.exponential(1) * 1000),
      rng.int(5),
    ),
  );
}

/** Brute force reference: greedy in row order, full scan, ties by row index. */
function bruteForce(
  treated: Uint8Array,
  strata: Float64Array,
  xs: Float64Array[],
  k: number,
  replacement: boolean,
  caliper: number,
): number[][] {
  const n = treated.length;
  const scales = xs.map((x) => {
    const m = x.reduce((a, b) => a + b, 0) / n;
    return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1)) || 1;
  });
  const used = new Uint8Array(n);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (!treated[i]) continue;
    const cands: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (treated[j] || strata[j] !== strata[i] || (!replacement && used[j])) continue;
      const dist = Math.sqrt(xs.reduce((s, x, a) => s + ((x[i]! - x[j]!) / scales[a]!) ** 2, 0));
      if (dist <= caliper) cands.push([dist, j]);
    }
    cands.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    if (cands.length < k) continue;
    const chosen = cands.slice(0, k).map((c) => c[1]);
    if (!replacement) for (const c of chosen) used[c] = 1;
    out.push([i, ...chosen]);
  }
  return out;
}

describe("matchControlsColumns", () => {
  it.each([
    [1, false, Number.POSITIVE_INFINITY],
    [3, false, Number.POSITIVE_INFINITY],
    [2, true, Number.POSITIVE_INFINITY],
    [1, false, 0.05],
    [2, true, 0.2],
  ])("agrees with a brute-force scan (k=%i, replacement=%s, caliper=%f)", (k, replacement, caliper) => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const n = 600;
      const treated = Uint8Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
      const strata = Float64Array.from({ length: n }, () => rng.int(3));
      // integer-valued covariates create many exact ties
      const xs = [
        Float64Array.from({ length: n }, () => rng.int(40)),
        Float64Array.from({ length: n }, () => rng.normal()),
      ];
      const r = matchControlsColumns({ treated, exact: [strata], numeric: xs }, { k, replacement, caliper });
      const expected = bruteForce(treated, strata, xs, k, replacement, caliper);
      if (r.status !== "matched") throw new Error("expected matches");
      const got: number[][] = [];
      for (let s = 0; s < r.sets.treated.length; s++) {
        got.push([r.sets.treated[s]!, ...Array.from(r.sets.controls.subarray(s * k, s * k + k))]);
      }
      expect(got).toEqual(expected);
      expect(r.counts.matched + r.counts.unmatched).toBe(r.counts.treated);
    }
  });
});
