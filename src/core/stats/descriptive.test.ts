import { describe, expect, it } from "vitest";
import { mean, median, quantile, standardDeviation, summarize, variance } from "./descriptive.ts";

describe("descriptive statistics", () => {
  it("computes mean, variance and sd of a small sample", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, sample variance 32/7.
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(variance(xs)).toBeCloseTo(32 / 7, 14);
    expect(standardDeviation(xs)).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it("is accurate for large offsets", () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(variance(xs)).toBeCloseTo(30, 8);
  });

  it("uses type-7 quantiles", () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(.25, .5, .9)) = 2, 3, 7.6
    expect(quantile([4, 1, 10, 3, 2], 0.25)).toBe(2);
    expect(median([4, 1, 10, 3, 2])).toBe(3);
    expect(quantile([4, 1, 10, 3, 2], 0.9)).toBeCloseTo(7.6, 12);
  });

  it("summarizes and handles empty input", () => {
    expect(summarize([3, 1, 2])).toMatchObject({ n: 3, mean: 2, min: 1, median: 2, max: 3, sd: 1 });
    expect(Number.isNaN(mean([]))).toBe(true);
    expect(Number.isNaN(variance([1]))).toBe(true);
  });
});
