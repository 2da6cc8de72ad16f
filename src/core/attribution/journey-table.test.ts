import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import {
  buildJourneyTable,
  FLAG_LEAD_CREATION,
  FLAG_ONLINE,
  journeyTableFromColumns,
  onlineOnlyTable,
  splitPath,
} from "./journey-table.ts";
import { MISSING_KEY } from "./types.ts";

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("splitPath", () => {
  it("splits on > and trims names", () => {
    expect(splitPath("a > b>c ", "row 2")).toEqual(["a", "b", "c"]);
  });

  it("reads an empty path as a journey with no touches", () => {
    expect(splitPath("  ", "row 2")).toEqual([]);
  });

  it.each(["a >  > b", "a > ", " > a", ">"])("refuses an empty channel name in %j", (p) => {
    const e = appError(() => splitPath(p, "row 7"));
    expect(e.code).toBe("validation");
    expect(e.message).toMatch(/^row 7: empty channel name/);
    expect(e.field).toBe("path");
  });
});

describe("buildJourneyTable", () => {
  it("lays journeys out as offsets over touch columns, sorted by time with ties in input order", () => {
    const table = buildJourneyTable([
      {
        conversions: 1,
        touches: [
          { channel: "b", online: true, occurredAt: 20 },
          { channel: "a", online: false, occurredAt: 10, isLeadCreation: true },
          { channel: "c", online: true, occurredAt: 20 },
        ],
      },
      { conversions: 0, nulls: 2, touches: [] },
    ]);
    expect([...table.offsets]).toEqual([0, 3, 3]);
    expect(table.touchChannel.length).toBe(3);
    expect([...table.touchChannel].map((c) => table.channels[c])).toEqual(["a", "b", "c"]);
    expect([...table.touchTime!]).toEqual([10, 20, 20]);
    expect([...table.touchFlags!]).toEqual([FLAG_LEAD_CREATION, FLAG_ONLINE, FLAG_ONLINE]);
    expect([...table.nulls]).toEqual([0, 2]);
  });

  it("allocates no time, flag or kind column when no touch needs one", () => {
    const table = buildJourneyTable([{ conversions: 1, touches: [{ channel: "a", online: true }] }]);
    expect(table.touchTime).toBeNull();
    expect(table.touchFlags).toBeNull();
    expect(table.touchKind).toBeNull();
    expect(table.touchKey).toBe(table.touchChannel);
  });

  it("back-fills optional columns for touches added before the first one that needs them", () => {
    const table = buildJourneyTable([
      { conversions: 1, touches: [{ channel: "a", online: true }] },
      { conversions: 1, touches: [{ channel: "b", online: false, kind: "talk", occurredAt: 5 }] },
    ]);
    expect([...table.touchFlags!]).toEqual([FLAG_ONLINE, 0]);
    expect([...table.touchKind!]).toEqual([-1, 0]);
    expect(table.touchTime![0]).toBeNaN();
    expect(table.touchTime![1]).toBe(5);
  });

  it("keys by event id or campaign, grouping touches without one under (none)", () => {
    const touches = [
      { channel: "a", online: true, eventId: "ev1", campaign: "spring" },
      { channel: "a", online: true },
    ];
    const byEvent = buildJourneyTable([{ conversions: 1, touches }], { keyBy: "event" });
    expect(byEvent.keys).toEqual(["ev1", MISSING_KEY]);
    expect([...byEvent.touchKey]).toEqual([0, 1]);
    const byCampaign = buildJourneyTable([{ conversions: 1, touches }], { keyBy: "campaign" });
    expect(byCampaign.keys).toEqual(["spring", MISSING_KEY]);
  });

  it.each([
    [{ conversions: -1, touches: [] }, /journey 1: conversions must be a finite number >= 0/, "conversions"],
    [{ conversions: Number.NaN, touches: [] }, /conversions must be/, "conversions"],
    [{ conversions: 1, value: Number.POSITIVE_INFINITY, touches: [] }, /value must be/, "value"],
    [{ conversions: 0, value: 3, touches: [] }, /value 3 given with 0 conversions/, "value"],
    [{ conversions: 1, nulls: -2, touches: [] }, /nulls must be/, "nulls"],
    [
      { conversions: 1, touches: [{ channel: " ", online: true }] },
      /touch 1 has an empty channel name/,
      "touches.0.channel",
    ],
    [
      {
        conversions: 1,
        touches: [
          { channel: "a", online: true, occurredAt: 1 },
          { channel: "b", online: true },
        ],
      },
      /1 of 2 touches have occurredAt/,
      "touches",
    ],
  ])("refuses a bad journey (%#)", (journey, message, field) => {
    const e = appError(() => buildJourneyTable([journey]));
    expect(e.code).toBe("validation");
    expect(e.message).toMatch(message);
    expect(e.field).toBe(field);
  });

  it("drops offline touches when asked, leaving an all-offline journey with none", () => {
    const table = buildJourneyTable(
      [
        { conversions: 1, touches: [{ channel: "event", online: false }] },
        {
          conversions: 1,
          touches: [
            { channel: "event", online: false },
            { channel: "web", online: true },
          ],
        },
      ],
      { onlineOnly: true },
    );
    expect([...table.offsets]).toEqual([0, 0, 1]);
    expect(table.channels).toEqual(["web"]);
  });
});

describe("onlineOnlyTable", () => {
  it("keeps only online touches and every dictionary entry", () => {
    const table = buildJourneyTable(
      [
        {
          conversions: 1,
          touches: [
            { channel: "event", online: false, eventId: "e1", occurredAt: 1 },
            { channel: "web", online: true, eventId: "e2", occurredAt: 2 },
          ],
        },
      ],
      { keyBy: "event" },
    );
    const online = onlineOnlyTable(table);
    expect(online.touchCount).toBe(1);
    expect([...online.offsets]).toEqual([0, 1]);
    expect(online.channels[online.touchChannel[0]!]).toBe("web");
    expect(online.keys[online.touchKey[0]!]).toBe("e2");
    expect(online.keys).toEqual(table.keys);
    expect([...online.touchTime!]).toEqual([2]);
  });
});

describe("journeyTableFromColumns", () => {
  const ok = {
    channels: ["a", "b"],
    offsets: Int32Array.from([0, 2, 3]),
    touchChannel: Int32Array.from([0, 1, 1]),
    conversions: Float64Array.from([1, 0]),
  };

  it("wraps valid columns without copying", () => {
    const table = journeyTableFromColumns(ok);
    expect(table.touchChannel).toBe(ok.touchChannel);
    expect(table.touchCount).toBe(3);
    expect([...table.value]).toEqual([0, 0]);
  });

  it.each([
    [{ ...ok, offsets: Int32Array.from([0, 2]) }, /lengths disagree/],
    [{ ...ok, offsets: Int32Array.from([0, 2, 4]) }, /end at the touch count/],
    [
      { ...ok, offsets: Int32Array.from([0, 3, 3]), touchChannel: Int32Array.from([0, 2, 1]) },
      /channel index 2/,
    ],
    [
      { ...ok, offsets: Int32Array.from([0, 2, 1]), touchChannel: Int32Array.from([0]) },
      /offsets decrease at journey 2/,
    ],
    [{ ...ok, channels: ["a", ""] }, /empty name/],
  ])("refuses inconsistent columns (%#)", (columns, message) => {
    expect(() => journeyTableFromColumns(columns)).toThrow(message);
  });
});
