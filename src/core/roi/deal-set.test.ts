import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DealSetBuilder, type StageInfo, type TouchRun } from "./deal-set.ts";

const stages: StageInfo[] = [
  { name: "open", probability: 0.5, closed: null },
  { name: "won", probability: 1, closed: "won" },
];

/** A touch as [time, channel, event, campaign, kind, online]. */
type Touch = [number, number, number, number, number, number];

function runOf(touches: Touch[]): TouchRun {
  return {
    at: Float64Array.from(touches, (t) => t[0]),
    channel: Int32Array.from(touches, (t) => t[1]),
    event: Int32Array.from(touches, (t) => t[2]),
    campaign: Int32Array.from(touches, (t) => t[3]),
    kind: Int32Array.from(touches, (t) => t[4]),
    online: Uint8Array.from(touches, (t) => t[5]),
  };
}

// A deal's touches, added in pieces: single touches, or a range of a run shared by several deals.
const piece = fc.oneof(
  fc.record({ single: fc.constant(true), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ single: fc.constant(false), count: fc.integer({ min: 0, max: 40 }) }),
);

describe("a deal set's touches", () => {
  it("hold every touch added, singly or as ranges of runs, in order, on shared memory or not", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(piece, { maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (deals, shared) => {
          // One long run, in time order, that the ranges are cut from.
          const pool: Touch[] = Array.from({ length: 400 }, (_, i) => [
            i,
            i % 3,
            (i % 5) - 1,
            i % 2,
            i % 4,
            i % 2,
          ]);
          const run = runOf(pool);
          const reference = new DealSetBuilder(stages);
          const pieces = new DealSetBuilder(stages);
          for (const b of [reference, pieces]) for (const c of ["a", "b", "c"]) b.touchCode("channel", c);
          let next = 0;
          deals.forEach((list, d) => {
            for (const b of [reference, pieces]) b.addDeal({ id: `d${d}`, amount: 1, openedAt: 0 });
            for (const p of list) {
              const start = next;
              const end = Math.min(pool.length, start + p.count);
              next = end;
              for (let t = start; t < end; t++) {
                const [at, channel, event, campaign, kind, online] = pool[t]!;
                reference.addTouchCodes(at, channel, event, campaign, kind, online === 1);
                if (p.single) pieces.addTouchCodes(at, channel, event, campaign, kind, online === 1);
              }
              if (!p.single) pieces.addTouchRun(run, start, end);
            }
          });
          const a = reference.build();
          const b = pieces.build({ shared });
          expect(b.touchOffsets).toEqual(a.touchOffsets);
          for (const column of [
            "touchAt",
            "touchChannel",
            "touchEvent",
            "touchCampaign",
            "touchKind",
            "touchOnline",
          ] as const) {
            expect(Array.from(b[column])).toEqual(Array.from(a[column]));
            expect(b[column].buffer instanceof SharedArrayBuffer).toBe(shared);
          }
          expect(a.touchAt.length).toBe(next);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a touch earlier than the deal's last one, whether it came singly or in a range", () => {
    const run = runOf([
      [5, 0, -1, -1, -1, 1],
      [6, 0, -1, -1, -1, 1],
    ]);
    const b = new DealSetBuilder(stages);
    b.touchCode("channel", "a");
    b.addDeal({ id: "d", amount: 1, openedAt: 0 });
    b.addTouchRun(run, 0, 2);
    expect(() => b.addTouchCodes(4, 0, -1, -1, -1, true)).toThrow(/out of time order/);
    b.addTouchCodes(7, 0, -1, -1, -1, true);
    expect(() => b.addTouchRun(run, 0, 1)).toThrow(/out of time order/);
    // A new deal starts its own order.
    b.addDeal({ id: "e", amount: 1, openedAt: 0 });
    b.addTouchRun(run, 0, 1);
    expect(b.build().touchAt).toEqual(Float64Array.from([5, 6, 7, 5]));
  });
});
