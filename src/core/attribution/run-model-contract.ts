/**
 * Test helper (not shipped code path): the one contract every attribution model must pass, run from
 * models.contract.test.ts for each model, like hono's `runTest({ newRouter })`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildJourneyTable } from "./journey-table.ts";
import type { AttributionModel } from "./model.ts";
import { toAttributionResult } from "./run-attribution.ts";
import type { AttributionResult, Journey, KeyBy, Touch } from "./types.ts";

const CHANNELS = ["ads", "email", "event", "search", "social"];

const touchArb = (timed: boolean): fc.Arbitrary<Touch> =>
  fc.record({
    channel: fc.constantFrom(...CHANNELS),
    kind: fc.option(fc.constantFrom("click", "visit", "attend"), { nil: undefined }),
    // Few distinct times so ties are common.
    occurredAt: timed ? fc.integer({ min: 0, max: 5 }).map((d) => d * 86_400_000) : fc.constant(undefined),
    online: fc.boolean(),
    eventId: fc.option(fc.constantFrom("ev1", "ev2", "ev3"), { nil: undefined }),
    campaign: fc.option(fc.constantFrom("spring", "fall"), { nil: undefined }),
    // Milestones are rare (1 in 4) so journeys both with and without them are common.
    isLeadCreation: fc.nat(3).map((n) => n === 0),
    isOppCreation: fc.nat(3).map((n) => n === 0),
    isClosedWon: fc.nat(3).map((n) => n === 0),
  });

/** A journey: 0..7 touches (all timed or none), integer or fractional amounts, value only with conversions. */
export const journeyArb: fc.Arbitrary<Journey> = fc.boolean().chain((timed) =>
  fc
    .record({
      touches: fc.array(touchArb(timed), { minLength: 0, maxLength: 7 }),
      // Whole or hundredths of conversions (aggregated data can be fractional; subnormal counts are not data).
      conversions: fc.oneof(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 300 }).map((n) => n / 100),
      ),
      value: fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
      nulls: fc.integer({ min: 0, max: 4 }),
    })
    .map((j) => ({ ...j, value: j.conversions === 0 ? 0 : j.value })),
);

export const journeysArb = fc.array(journeyArb, { minLength: 0, maxLength: 25 });

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** |a − b| within `rel` of the larger magnitude (with an absolute floor for values near 0). */
export function expectClose(actual: number, expected: number, rel = 1e-9): void {
  const scale = Math.max(1, Math.abs(actual), Math.abs(expected));
  if (!(Math.abs(actual - expected) <= rel * scale)) {
    throw new Error(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
  }
}

function run(
  model: AttributionModel,
  journeys: readonly Journey[],
  keyBy: KeyBy = "channel",
): AttributionResult {
  const table = buildJourneyTable(journeys, { keyBy });
  return toAttributionResult(table, model.name, model.run(table));
}

function shuffled<T>(items: readonly T[], order: readonly number[]): T[] {
  return order.map((i) => items[i]!);
}

/** Registers the shared contract for `model`: sums, signs, determinism, row-order independence, empty input. */
export function runModelContract(model: AttributionModel): void {
  describe(`${model.name} model contract`, () => {
    it("credits plus unattributed sum to the input totals, for conversions and value, under every key", () => {
      fc.assert(
        fc.property(
          journeysArb,
          fc.constantFrom<KeyBy>("channel", "event", "campaign"),
          (journeys, keyBy) => {
            const r = run(model, journeys, keyBy);
            const totalC = journeys.reduce((s, j) => s + j.conversions, 0);
            const totalV = journeys.reduce((s, j) => s + (j.value ?? 0), 0);
            expectClose(r.total.conversions, totalC);
            expectClose(r.total.value, totalV);
            expectClose(sum(r.conversions) + r.unattributed.conversions, totalC);
            expectClose(sum(r.value) + r.unattributed.value, totalV);
          },
        ),
        { numRuns: 150 },
      );
    });

    it("gives no key a negative or non-finite credit", () => {
      fc.assert(
        fc.property(journeysArb, (journeys) => {
          const r = run(model, journeys);
          for (const x of [...Object.values(r.conversions), ...Object.values(r.value)]) {
            expect(Number.isFinite(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(0);
          }
        }),
        { numRuns: 100 },
      );
    });

    it("is deterministic: the same input twice gives identical output", () => {
      fc.assert(
        fc.property(journeysArb, (journeys) => {
          expect(run(model, journeys)).toEqual(run(model, journeys));
        }),
        { numRuns: 50 },
      );
    });

    it("does not depend on the order of input rows", () => {
      const withOrder = journeysArb.chain((journeys) =>
        fc.tuple(
          fc.constant(journeys),
          fc.shuffledSubarray(
            journeys.map((_, i) => i),
            { minLength: journeys.length, maxLength: journeys.length },
          ),
        ),
      );
      fc.assert(
        fc.property(withOrder, ([journeys, order]) => {
          const a = run(model, journeys);
          const b = run(model, shuffled(journeys, order));
          expect(Object.keys(b.conversions).sort()).toEqual(Object.keys(a.conversions).sort());
          for (const key of Object.keys(a.conversions)) {
            expectClose(b.conversions[key]!, a.conversions[key]!);
            expectClose(b.value[key]!, a.value[key]!);
          }
          expectClose(b.unattributed.conversions, a.unattributed.conversions);
        }),
        { numRuns: 100 },
      );
    });

    it("gives zeros, never NaN, for empty input and for journeys that only have nulls", () => {
      const empty = run(model, []);
      expect(empty.conversions).toEqual({});
      expect(empty.value).toEqual({});
      expect(empty.total).toEqual({ conversions: 0, value: 0 });
      expect(empty.unattributed).toEqual({ conversions: 0, value: 0, journeys: 0 });
      const onlyNulls = run(model, [
        { touches: [{ channel: "ads", online: true }], conversions: 0, nulls: 3 },
        { touches: [], conversions: 0, nulls: 1 },
      ]);
      expect(onlyNulls.conversions).toEqual({ ads: 0 });
      expect(onlyNulls.value).toEqual({ ads: 0 });
      if (onlyNulls.pConversion !== undefined) expect(onlyNulls.pConversion).toBe(0);
    });
  });
}
