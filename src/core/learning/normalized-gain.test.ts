import { describe, expect, it } from "vitest";
import { gainOfClassAverages, meanOfLearnerGains, normalizedGain } from "./normalized-gain.ts";
import type { LearnerScore } from "./scores.ts";

const s = (entries: Record<string, number>): LearnerScore[] =>
  Object.entries(entries).map(([learnerId, percent]) => ({ learnerId, percent }));

// Worked example. Matched learners A–D; E took only the pre-test, F only the post-test (both ignored).
//   learner  pre  post  own gain
//   A        40   70    (70−40)/(100−40) = 30/60 = 0.5
//   B        60   80    (80−60)/(100−60) = 20/40 = 0.5
//   C       100  100    excluded: pre = 100 leaves no headroom
//   D        20  100    (100−20)/(100−20) = 80/80 = 1
// Class averages of A–D: pre = 220/4 = 55, post = 350/4 = 87.5 → ⟨g⟩ = (87.5−55)/(100−55) = 32.5/45 = 13/18.
// Mean of learner gains (C excluded) = (0.5 + 0.5 + 1)/3 = 2/3. The two differ: they must never be confused.
const pre = s({ A: 40, B: 60, C: 100, D: 20, E: 50 });
const post = s({ A: 70, B: 80, C: 100, D: 100, F: 90 });

describe("normalized gain", () => {
  it("computes one pair by hand", () => {
    expect(normalizedGain(40, 70)).toBe(0.5);
    expect(normalizedGain(50, 25)).toBe(-0.5);
    expect(normalizedGain(100, 100)).toBeNull();
  });

  it("computes the gain of class averages over matched learners", () => {
    const g = gainOfClassAverages(pre, post);
    expect(g).toEqual({
      kind: "gain",
      basis: "gain_of_class_averages",
      value: expect.closeTo(13 / 18, 12),
      preMean: 55,
      postMean: 87.5,
      matched: 4,
    });
  });

  it("computes the mean of learner gains, excluding and counting a learner with pre 100", () => {
    const g = meanOfLearnerGains(pre, post);
    expect(g).toEqual({
      kind: "gain",
      basis: "mean_of_learner_gains",
      value: expect.closeTo(2 / 3, 12),
      included: 3,
      excludedAtCeiling: 1,
    });
  });

  it("reports no_baseline when there is no pre-test, never a number", () => {
    expect(gainOfClassAverages([], post)).toEqual({ kind: "no_baseline" });
    expect(meanOfLearnerGains([], post)).toEqual({ kind: "no_baseline" });
    expect(gainOfClassAverages([], [])).toEqual({ kind: "no_baseline" });
  });

  it("reports no matched learners when pre and post takers differ", () => {
    expect(gainOfClassAverages(s({ A: 10 }), s({ B: 90 }))).toEqual({
      kind: "no_matched_learners",
      preCount: 1,
      postCount: 1,
    });
  });

  it("reports no headroom when every matched learner had 100 on the pre-test", () => {
    expect(gainOfClassAverages(s({ A: 100 }), s({ A: 90 }))).toEqual({
      kind: "no_headroom",
      matched: 1,
      excludedAtCeiling: 1,
    });
    expect(meanOfLearnerGains(s({ A: 100, B: 100 }), s({ A: 100, B: 80 }))).toEqual({
      kind: "no_headroom",
      matched: 2,
      excludedAtCeiling: 2,
    });
  });
});
