import { describe, expect, it } from "vitest";
import { retention } from "./retention.ts";

describe("retention", () => {
  // Post: A 80, B 60, C 100 → mean 240/3 = 80. Delayed (30 d): A 60, B 60, D 40 → mean 160/3.
  // All learners: (160/3)/80 = 2/3. Matched A, B: post (80+60)/2 = 70, delayed (60+60)/2 = 60 → 60/70 = 6/7.
  it("divides the delayed mean by the post mean, over everyone and over matched learners", () => {
    const r = retention(
      [
        { learnerId: "A", percent: 80 },
        { learnerId: "B", percent: 60 },
        { learnerId: "C", percent: 100 },
      ],
      [
        { learnerId: "A", percent: 60 },
        { learnerId: "B", percent: 60 },
        { learnerId: "D", percent: 40 },
      ],
      30,
    );
    expect(r.delayDays).toBe(30);
    expect(r.postMean).toBe(80);
    expect(r.delayedMean).toBeCloseTo(160 / 3, 12);
    expect(r.ratio).toBeCloseTo(2 / 3, 12);
    expect(r.matched).toEqual({ n: 2, postMean: 70, delayedMean: 60, ratio: expect.closeTo(6 / 7, 12) });
  });

  it("gives null ratios, not NaN, when the post mean is 0 or data is missing", () => {
    const zero = retention([{ learnerId: "A", percent: 0 }], [{ learnerId: "A", percent: 0 }], 90);
    expect(zero.ratio).toBeNull();
    expect(zero.matched.ratio).toBeNull();
    const empty = retention([], [], 90);
    expect(empty).toEqual({
      delayDays: 90,
      postMean: null,
      delayedMean: null,
      postCount: 0,
      delayedCount: 0,
      ratio: null,
      matched: { n: 0, postMean: null, delayedMean: null, ratio: null },
    });
  });
});
