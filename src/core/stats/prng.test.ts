import { describe, expect, it } from "vitest";
import { mean, standardDeviation } from "./descriptive.ts";
import { createRng, sampleIndices, shuffleInPlace } from "./prng.ts";

describe("createRng", () => {
  it("repeats its stream for the same seed and differs for another", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it("draws uniform, normal and exponential values with the right moments", () => {
    const rng = createRng(7);
    const n = 50_000;
    const u = Float64Array.from({ length: n }, () => rng.next());
    const z = Float64Array.from({ length: n }, () => rng.normal());
    const e = Float64Array.from({ length: n }, () => rng.exponential(2));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(standardDeviation(z)).toBeCloseTo(1, 1);
    expect(mean(e)).toBeCloseTo(0.5, 1);
  });

  it("keeps int(n) in range and hits every value", () => {
    const rng = createRng(3);
    const seen = new Set(sampleIndices(6, 600, rng));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("shuffles to a permutation", () => {
    const items = shuffleInPlace([1, 2, 3, 4, 5, 6, 7, 8], createRng(1));
    expect([...items].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("rejects a non-integer seed", () => {
    expect(() => createRng(1.5)).toThrowError(/seed/);
  });

  it("skips exactly as many draws as it is told", () => {
    for (const steps of [0, 1, 5, 1_000]) {
      const a = createRng(42);
      const b = createRng(42);
      for (let i = 0; i < steps; i++) a.nextUint32();
      b.skip(steps);
      expect(Array.from({ length: 4 }, () => b.nextUint32())).toEqual(
        Array.from({ length: 4 }, () => a.nextUint32()),
      );
    }
  });
});
