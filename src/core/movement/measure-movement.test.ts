import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  measureMovement,
  measureMovementColumns,
  type OpportunityHistory,
  stallFlags,
} from "./measure-movement.ts";

const day = (n: number) => Date.UTC(2024, 0, 1) + n * DAY_MS; // day 0 = 2024-01-01
const EVENT = day(100);
const AS_OF = day(160); // 60 days of follow-up

const opps: OpportunityHistory[] = [
  {
    // proposal at the event; negotiation 10 days later, back to proposal at 20, won at 75 (after as-of: unseen)
    id: "moving",
    stages: [
      { stage: "proposal", enteredAt: day(90) },
      { stage: "discovery", enteredAt: day(40) }, // out of order in the input: sorted by time
      { stage: "negotiation", enteredAt: day(110) },
      { stage: "proposal", enteredAt: day(120) },
      { stage: "closed_won", enteredAt: day(175) },
    ],
  },
  {
    id: "stuck",
    stages: [
      { stage: "discovery", enteredAt: new Date(day(50)) },
      { stage: "discovery", enteredAt: day(130) },
    ],
  },
  { id: "won-before", stages: [{ stage: "closed_won", enteredAt: day(80) }] },
  { id: "empty", stages: [] },
  { id: "missing", stages: null },
  { id: "later", stages: [{ stage: "discovery", enteredAt: day(101) }] },
  { id: "bad-date", stages: [{ stage: "discovery", enteredAt: "not a date" }] },
];

describe("measureMovement", () => {
  const report = measureMovement(opps, {
    eventAt: EVENT,
    asOf: AS_OF,
    terminalStages: ["closed_won", "closed_lost"],
  });

  it("lists unmeasurable opportunities with their reason", () => {
    expect(report.unmeasurable).toEqual([
      { id: "empty", reason: "no_stage_history" },
      { id: "missing", reason: "no_stage_history" },
      { id: "later", reason: "opened_after_event" },
      { id: "bad-date", reason: "invalid_timestamp" },
    ]);
    expect(report.measured.map((m) => m.id)).toEqual(["moving", "stuck", "won-before"]);
  });

  it("finds the stage at the event, changes per window and the time to the next stage", () => {
    const moving = report.measured[0]!;
    expect(moving.stageAtEvent).toBe("proposal");
    expect(moving.ageAtEventDays).toBe(60); // first entry day 40
    // changes: day 110 (+10), day 120 (+20); the day-175 entry is after the as-of date
    expect(moving.changesWithin).toEqual([
      { days: 14, changes: 1, complete: true },
      { days: 30, changes: 2, complete: true },
      { days: 60, changes: 2, complete: true },
      { days: 90, changes: 2, complete: false },
    ]);
    expect(moving.nextStage).toEqual({ stage: "negotiation", days: 10, observed: true });
    expect(moving.stall).toEqual([
      { days: 14, status: "moved" },
      { days: 30, status: "moved" },
      { days: 60, status: "moved" },
    ]);
  });

  it("censors an opportunity that has not moved at the as-of date and flags the stall", () => {
    const stuck = report.measured[1]!;
    // re-entering discovery on day 130 is not a change
    expect(stuck.changesWithin.map((c) => c.changes)).toEqual([0, 0, 0, 0]);
    expect(stuck.nextStage).toEqual({ stage: null, days: 60, observed: false });
    expect(stuck.stall.map((s) => s.status)).toEqual(["stalled", "stalled", "stalled"]);
    const early = measureMovement(opps.slice(1, 2), { eventAt: EVENT, asOf: day(120), stallDays: [14, 30] });
    expect(early.measured[0]!.stall.map((s) => s.status)).toEqual(["stalled", "pending"]);
  });

  it("keeps opportunities closed at the event but not at risk", () => {
    const won = report.measured[2]!;
    expect(won.closedAtEvent).toBe(true);
    expect(won.nextStage).toBeNull();
    expect(won.stall.every((s) => s.status === "not_applicable")).toBe(true);
  });

  it("refuses an event after the as-of date", () => {
    expect(() => measureMovement(opps, { eventAt: AS_OF + 1, asOf: AS_OF })).toThrowError(/after the as-of/);
  });

  it("does not depend on the order of entries within a history", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ stage: fc.constantFrom("a", "b", "c"), day: fc.integer({ min: 0, max: 300 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer(),
        (entries, seed) => {
          // distinct days so the time order is unambiguous
          const unique = [...new Map(entries.map((e) => [e.day, e])).values()];
          const stages = unique.map((e) => ({ stage: e.stage, enteredAt: day(e.day) }));
          const shuffled = [...stages].sort(
            (x, y) => ((x.enteredAt * 31 + seed) % 7) - ((y.enteredAt * 31 + seed) % 7),
          );
          const a = measureMovement([{ id: "x", stages }], { eventAt: day(150), asOf: day(260) });
          const b = measureMovement([{ id: "x", stages: shuffled }], { eventAt: day(150), asOf: day(260) });
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("measureMovementColumns", () => {
  it("flags an unordered history instead of guessing", () => {
    const m = measureMovementColumns(
      { offsets: Int32Array.from([0, 2, 3]), stage: [0, 1, 0], enteredAtMs: [day(5), day(1), day(1)] },
      { eventAtMs: day(10), asOfMs: day(20) },
    );
    expect(Array.from(m.status)).toEqual([4, 0]);
    expect(Array.from(stallFlags(m, 5))).toEqual([3, 1]);
  });

  it("takes one event date per opportunity", () => {
    const m = measureMovementColumns(
      {
        offsets: Int32Array.from([0, 2, 4]),
        stage: [0, 1, 0, 1],
        enteredAtMs: [day(0), day(10), day(0), day(10)],
      },
      { eventAtMs: Float64Array.from([day(5), day(12)]), asOfMs: day(30), windowsDays: [7] },
    );
    expect(Array.from(m.timeToNextDays)).toEqual([5, 18]);
    expect(Array.from(m.moved)).toEqual([1, 0]);
    expect(Array.from(m.stageAtEvent)).toEqual([0, 1]);
  });
});
