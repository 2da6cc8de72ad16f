import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calibration } from "./calibration.ts";
import { cronbachAlpha } from "./item-analysis.ts";
import { learningReport } from "./learning-report.ts";
import type { Item, LearnerResponse } from "./model.ts";
import { gainOfClassAverages, meanOfLearnerGains, normalizedGain } from "./normalized-gain.ts";
import { nonFiniteNumbers } from "./test-support.ts";

const learnerId = fc.constantFrom("A", "B", "C", "D", "E", "F");
const percent = fc.double({ min: 0, max: 100, noNaN: true });
const scores = fc.array(fc.record({ learnerId, percent }), { maxLength: 12 });

const response: fc.Arbitrary<LearnerResponse> = fc
  .record({
    learnerId,
    itemId: fc.constantFrom("i1", "i2", "i3", "i4", "unknown"),
    phase: fc.constantFrom("pre", "post", "delayed"),
    delayDays: fc.constantFrom(30, 90),
    answer: fc.oneof(
      fc.boolean().map((correct) => ({ correct })),
      fc.double({ min: 0, max: 1, noNaN: true }).map((score) => ({ score })),
    ),
    confidence: fc.option(fc.constantFrom(1, 2, 3, 4), { nil: undefined }),
  })
  .map(({ answer, delayDays, confidence, ...r }) => ({
    ...r,
    ...answer,
    ...(r.phase === "delayed" ? { delayDays } : {}),
    ...(confidence === undefined ? {} : { confidence }),
  }));

const items: Item[] = [
  { id: "i1", activityId: "a", sessionId: "s1", objectiveId: "o1", kind: "single", level: "3A" },
  { id: "i2", activityId: "a", sessionId: "s1", objectiveId: "o1", kind: "multiple", level: "3B" },
  { id: "i3", activityId: "a", sessionId: "s2", objectiveId: "o2", kind: "scenario", level: "4" },
  { id: "i4", activityId: "b", objectiveId: "o3", kind: "true_false", level: "3A" },
];

/** A stable text form of a report with numbers rounded, so float summation order cannot show up. */
const canonical = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === "number" ? Math.round(x * 1e9) / 1e9 : x));

describe("properties", () => {
  it("normalized gain is never above 1", () => {
    fc.assert(
      fc.property(percent, percent, (pre, post) => {
        const g = normalizedGain(pre, post);
        return g === null || g <= 1 + 1e-12;
      }),
    );
    fc.assert(
      fc.property(scores, scores, (pre, post) => {
        const a = gainOfClassAverages(pre, post);
        const b = meanOfLearnerGains(pre, post);
        return (a.kind !== "gain" || a.value <= 1 + 1e-12) && (b.kind !== "gain" || b.value <= 1 + 1e-12);
      }),
    );
  });

  it("Cronbach's α does not depend on item order", () => {
    const matrix = fc
      .record({ n: fc.integer({ min: 2, max: 25 }), k: fc.integer({ min: 2, max: 8 }) })
      .chain(({ n, k }) =>
        fc.record({
          rows: fc.array(fc.array(fc.constantFrom(0, 0.5, 1), { minLength: k, maxLength: k }), {
            minLength: n,
            maxLength: n,
          }),
          order: fc.shuffledSubarray(
            Array.from({ length: k }, (_, j) => j),
            { minLength: k, maxLength: k },
          ),
        }),
      );
    fc.assert(
      fc.property(matrix, ({ rows, order }) => {
        const a = cronbachAlpha(rows);
        const b = cronbachAlpha(rows.map((row) => order.map((j) => row[j] ?? 0)));
        if (a === null || b === null) return a === b;
        return Math.abs(a - b) < 1e-9;
      }),
    );
  });

  it("Brier score and ECE stay in [0, 1], overconfidence in [−1, 1]", () => {
    fc.assert(
      fc.property(fc.array(response, { maxLength: 40 }), (rs) => {
        const c = calibration(rs);
        if (c.n === 0) return c.brier === null && c.ece === null;
        const brier = c.brier ?? -1;
        const ece = c.ece ?? -1;
        const over = c.overconfidence ?? 2;
        return brier >= 0 && brier <= 1 && ece >= 0 && ece <= 1 && over >= -1 && over <= 1;
      }),
    );
  });

  it("the report never contains NaN or Infinity, and does not depend on row order", () => {
    fc.assert(
      fc.property(
        fc
          .array(response, { maxLength: 60 })
          .chain((rs) =>
            fc.tuple(
              fc.constant(rs),
              fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }),
            ),
          ),
        ([rs, shuffled]) => {
          const report = learningReport({ items, responses: rs });
          expect(nonFiniteNumbers(report)).toEqual([]);
          expect(canonical(learningReport({ items: [...items].reverse(), responses: shuffled }))).toBe(
            canonical(report),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
