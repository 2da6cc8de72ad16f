import { describe, expect, it } from "vitest";
import { knowledgeMetrics } from "./knowledge-metrics.ts";
import { nonFiniteNumbers, scored } from "./test-support.ts";

describe("knowledge metrics", () => {
  // One partial-credit item "k", so each learner's percent is their score × 100.
  //   pre  A 40, B 60, C 100, D 20     post A 70, B 80, C 100, D 100     30 d: A 70, B 40     90 d: A 35
  // Gain of class averages 13/18, mean of learner gains 2/3 (see normalized-gain.test.ts).
  // Retention 30 d: delayed mean 55 / post mean 87.5 = 0.628571…; matched A, B: 55 / 75 = 0.7333…
  // Retention 90 d: 35 / 87.5 = 0.4; matched A: 35 / 70 = 0.5.
  const responses = [
    ...scored("k", "pre", { A: 0.4, B: 0.6, C: 1, D: 0.2 }),
    ...scored("k", "post", { A: 0.7, B: 0.8, C: 1, D: 1 }),
    ...scored("k", "delayed", { A: 0.7, B: 0.4 }, 30),
    ...scored("k", "delayed", { A: 0.35 }, 90),
    ...scored("other-item", "post", { A: 0 }),
  ];

  it("ties pre, post, delayed, both gains and retention together", () => {
    const k = knowledgeMetrics(["k"], responses);
    expect(k.itemCount).toBe(1);
    expect(k.responseCount).toBe(11);
    expect(k.pre).toEqual({ n: 4, meanPercent: expect.closeTo(55, 9) });
    expect(k.post).toEqual({ n: 4, meanPercent: expect.closeTo(87.5, 9) });
    expect(k.delayed.map((d) => [d.delayDays, d.n])).toEqual([
      [30, 2],
      [90, 1],
    ]);
    expect(k.matchedPrePost).toBe(4);
    expect(k.gainOfClassAverages.kind === "gain" && k.gainOfClassAverages.value).toBeCloseTo(13 / 18, 9);
    expect(k.meanOfLearnerGains).toMatchObject({ kind: "gain", included: 3, excludedAtCeiling: 1 });
    expect(k.meanOfLearnerGains.kind === "gain" && k.meanOfLearnerGains.value).toBeCloseTo(2 / 3, 9);
    expect(k.retention[0]?.ratio).toBeCloseTo(55 / 87.5, 9);
    expect(k.retention[0]?.matched.ratio).toBeCloseTo(55 / 75, 9);
    expect(k.retention[1]?.ratio).toBeCloseTo(0.4, 9);
    expect(k.retention[1]?.matched.ratio).toBeCloseTo(0.5, 9);
  });

  it("reports no_baseline for both gains when there is no pre-test", () => {
    const k = knowledgeMetrics(
      ["k"],
      responses.filter((r) => r.phase !== "pre"),
    );
    expect(k.gainOfClassAverages).toEqual({ kind: "no_baseline" });
    expect(k.meanOfLearnerGains).toEqual({ kind: "no_baseline" });
    expect(k.effectSize.dz).toBeNull();
    expect(k.post.meanPercent).toBeCloseTo(87.5, 9);
  });

  it("is zeros and empties, never NaN, for empty input", () => {
    const k = knowledgeMetrics([], []);
    expect(k).toMatchObject({
      itemCount: 0,
      responseCount: 0,
      pre: { n: 0, meanPercent: null },
      post: { n: 0, meanPercent: null },
      delayed: [],
      matchedPrePost: 0,
      gainOfClassAverages: { kind: "no_baseline" },
      meanOfLearnerGains: { kind: "no_baseline" },
      effectSize: { n: 0, dz: null },
      retention: [],
    });
    expect(nonFiniteNumbers(k)).toEqual([]);
  });
});

describe("knowledge metrics on unequal pre and post forms", () => {
  // Pre asked only q1; post asked q1 and q2. Gain uses q1 only:
  //   A: pre q1 0 → post q1 1 (post q2 0); B: pre q1 0.5 → post q1 0.5 (post q2 0).
  //   Class averages on q1: pre 25, post 75 → ⟨g⟩ = 50/75 = 2/3. The all-item post mean is (50 + 25)/2 = 37.5.
  it("computes gains only on items asked both pre and post", () => {
    const k = knowledgeMetrics(
      ["q1", "q2"],
      [
        ...scored("q1", "pre", { A: 0, B: 0.5 }),
        ...scored("q1", "post", { A: 1, B: 0.5 }),
        ...scored("q2", "post", { A: 0, B: 0 }),
      ],
    );
    expect(k.prePostItems).toBe(1);
    expect(k.post.meanPercent).toBeCloseTo(37.5, 9);
    expect(k.gainOfClassAverages).toMatchObject({ kind: "gain", preMean: 25, postMean: 75 });
    expect(k.gainOfClassAverages.kind === "gain" && k.gainOfClassAverages.value).toBeCloseTo(2 / 3, 12);
  });

  it("says no matched learners, not no baseline, when pre and post share no item", () => {
    const k = knowledgeMetrics(
      ["q1", "q2"],
      [...scored("q1", "pre", { A: 0 }), ...scored("q2", "post", { A: 1 })],
    );
    expect(k.gainOfClassAverages).toEqual({ kind: "no_matched_learners", preCount: 1, postCount: 1 });
    expect(k.meanOfLearnerGains.kind).toBe("no_matched_learners");
  });
});
