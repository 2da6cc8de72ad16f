import { describe, expect, it } from "vitest";
import {
  chiSquareSf,
  lnGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  tCdf,
  tQuantile,
} from "./distributions.ts";

describe("distributions", () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.5, 0],
    [0.95, 1.6448536269514722],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
    [0.9999999, 5.199337582290661],
  ])("normalQuantile(%f) = %f", (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12);
    expect(normalCdf(z)).toBeCloseTo(p, 14);
  });

  // Values from standard t tables (R: qt(0.975, df)).
  it.each([
    [1, 12.706204736174698],
    [2, 4.302652729749464],
    [3, 3.182446305284263],
    [10, 2.228138851986274],
    [30, 2.042272456301238],
    [1000, 1.9623390808264], // checked by Simpson integration of the density,
  ])("tQuantile(0.975, %i) = %f", (df, t) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(t, 10);
    expect(tQuantile(0.025, df)).toBeCloseTo(-t, 10);
    expect(tCdf(t, df)).toBeCloseTo(0.975, 12);
  });

  it("handles fractional degrees of freedom (Welch)", () => {
    // R: qt(0.975, 2.5) = 3.574654842
    expect(tQuantile(0.975, 2.5)).toBeCloseTo(3.574654842, 8);
  });

  it("matches known special-function values", () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    expect(chiSquareSf(5.991464547107979, 2)).toBeCloseTo(0.05, 13);
  });
});
