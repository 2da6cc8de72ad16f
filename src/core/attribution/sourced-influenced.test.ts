import { describe, expect, it } from "vitest";
import { splitSourcedInfluenced } from "./sourced-influenced.ts";

const DAY = 86_400_000;

describe("splitSourcedInfluenced", () => {
  // Opportunity created on day 400, closed on day 500; default lookback 365 days → window opens on day 35.
  const opp = { createdAt: 400 * DAY, closedAt: 500 * DAY };
  const touch = (name: string, day: number | undefined) => ({
    name,
    occurredAt: day === undefined ? undefined : day * DAY,
  });

  it("splits touches into sourced (up to creation) and influenced (up to close), excluding the rest", () => {
    const touches = [
      touch("after-close", 501),
      touch("mid-deal", 450),
      touch("too-old", 34),
      touch("at-creation", 400),
      touch("window-start", 35),
      touch("at-close", 500),
      touch("untimed", undefined),
    ];
    const r = splitSourcedInfluenced(touches, opp);
    expect(r.sourced.map((t) => t.name)).toEqual(["window-start", "at-creation"]);
    expect(r.influenced.map((t) => t.name)).toEqual(["window-start", "at-creation", "mid-deal", "at-close"]);
    expect(r.excluded).toEqual({ beforeLookback: 1, afterClose: 1, untimed: 1 });
  });

  it("keeps equal times in input order", () => {
    const r = splitSourcedInfluenced([touch("b", 100), touch("a", 100), touch("c", 99)], opp);
    expect(r.sourced.map((t) => t.name)).toEqual(["c", "b", "a"]);
  });

  it("has no upper bound for an open opportunity and honours a custom lookback", () => {
    const r = splitSourcedInfluenced(
      [touch("old", 380), touch("recent", 395), touch("later", 900)],
      { createdAt: 400 * DAY },
      { lookbackDays: 10 },
    );
    expect(r.sourced.map((t) => t.name)).toEqual(["recent"]);
    expect(r.influenced.map((t) => t.name)).toEqual(["recent", "later"]);
    expect(r.excluded.beforeLookback).toBe(1);
  });

  it("refuses a close before creation and a negative lookback", () => {
    expect(() => splitSourcedInfluenced([], { createdAt: 10, closedAt: 5 })).toThrow(
      /closedAt is before createdAt/,
    );
    expect(() => splitSourcedInfluenced([], opp, { lookbackDays: -1 })).toThrow(/lookback must be >= 0/);
  });
});
