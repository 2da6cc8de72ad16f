import { describe, expect, it } from "vitest";
import {
  type GuidedWindow,
  independentUseShare,
  type TrainingExposure,
  timeToFirstIndependentUse,
  type UsageEvent,
} from "./independent-use.ts";

const d = (iso: string) => new Date(iso);
// L1, L2, L3 trained on f1, training ended 1 January 00:00 UTC (day 0). L1 was re-trained later: earliest wins.
const exposures: TrainingExposure[] = [
  { learnerId: "L1", featureId: "f1", trainedAt: d("2025-01-01T00:00:00Z") },
  { learnerId: "L1", featureId: "f1", trainedAt: d("2025-02-01T00:00:00Z") },
  { learnerId: "L2", featureId: "f1", trainedAt: d("2025-01-01T00:00:00Z") },
  { learnerId: "L3", featureId: "f1", trainedAt: d("2025-01-01T00:00:00Z") },
];
// L1 was in a guided session on 3 January 09:00–11:00: the 10:00 use there is guided, not independent.
const guided: GuidedWindow[] = [
  { learnerId: "L1", start: d("2025-01-03T09:00:00Z"), end: d("2025-01-03T11:00:00Z") },
];
const usage: UsageEvent[] = [
  { learnerId: "L1", featureId: "f1", at: d("2025-01-03T10:00:00Z") }, // guided → ignored
  { learnerId: "L1", featureId: "f1", at: d("2025-01-05T00:00:00Z") }, // day 4
  { learnerId: "L1", featureId: "f1", at: d("2025-03-12T00:00:00Z") }, // day 70
  { learnerId: "L1", featureId: "f2", at: d("2025-01-02T00:00:00Z") }, // untrained feature → ignored
  { learnerId: "L2", featureId: "f1", at: d("2024-12-31T00:00:00Z") }, // before training → ignored
  { learnerId: "L2", featureId: "f1", at: d("2025-02-10T00:00:00Z") }, // day 40
];

describe("time to first independent use", () => {
  // L1 first independent use on day 4, L2 on day 40, L3 none: median (4 + 40)/2 = 22, mean 22.
  it("skips use during guided sessions and before training", () => {
    const t = timeToFirstIndependentUse(exposures, usage, guided);
    expect(t.rows.map((r) => [r.learnerId, r.days])).toEqual([
      ["L1", 4],
      ["L2", 40],
      ["L3", null],
    ]);
    expect(t).toMatchObject({ trained: 3, used: 2, medianDays: 22, meanDays: 22 });
  });

  it("counts guided use as independent when no guided window is given", () => {
    expect(timeToFirstIndependentUse(exposures, usage).rows[0]?.days).toBeCloseTo(2 + 10 / 24, 12);
  });

  it("is empty for empty input", () => {
    expect(timeToFirstIndependentUse([], [])).toEqual({
      rows: [],
      trained: 0,
      used: 0,
      medianDays: null,
      meanDays: null,
    });
  });
});

describe("independent-use share", () => {
  // On 15 April (day 104) every pair has passed 90 days.
  //   by 30: L1 (day 4) → 1/3; window (0,30]: L1 → 1/3
  //   by 60: L1, L2 (day 40) → 2/3; window (30,60]: L2 → 1/3
  //   by 90: L1, L2 → 2/3; window (60,90]: L1 (day 70) → 1/3
  it("reports cumulative and still-active shares at 30/60/90 days", () => {
    const s = independentUseShare(exposures, usage, guided, d("2025-04-15T00:00:00Z"));
    expect(s.map((h) => [h.horizonDays, h.eligible, h.usedBy, h.activeInWindow])).toEqual([
      [30, 3, 1, 1],
      [60, 3, 2, 1],
      [90, 3, 2, 1],
    ]);
    expect(s[1]?.usedByShare).toBeCloseTo(2 / 3, 12);
    expect(s[2]?.activeShare).toBeCloseTo(1 / 3, 12);
  });

  it("leaves out pairs whose horizon has not arrived yet", () => {
    // 1 March is day 59: the 30-day horizon is judged, 60 and 90 are not yet.
    const s = independentUseShare(exposures, usage, guided, d("2025-03-01T00:00:00Z"));
    expect(s.map((h) => [h.horizonDays, h.eligible, h.usedByShare])).toEqual([
      [30, 3, 1 / 3],
      [60, 0, null],
      [90, 0, null],
    ]);
  });
});
