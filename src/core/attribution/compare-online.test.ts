import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareOnlineOnly } from "./compare-online.ts";
import { expectClose, journeysArb } from "./run-model-contract.ts";
import type { Journey } from "./types.ts";

describe("compareOnlineOnly", () => {
  // J1: event (offline) > web, 2 conversions. J2: event only, 1 conversion, value 30.
  const journeys: Journey[] = [
    {
      conversions: 2,
      value: 20,
      touches: [
        { channel: "event", online: false },
        { channel: "web", online: true },
      ],
    },
    { conversions: 1, value: 30, touches: [{ channel: "event", online: false }] },
  ];

  it("shows what a digital-only model cannot see", () => {
    // linear, all touches: event 1 + 1 = 2, web 1. Online only: web 2, J2 unattributed.
    const r = compareOnlineOnly(journeys, "linear");
    expect(r.all.conversions).toEqual({ event: 2, web: 1 });
    expect(r.onlineOnly.conversions).toEqual({ event: 0, web: 2 });
    expect(r.onlineOnly.unattributed).toEqual({ conversions: 1, value: 30, journeys: 1 });
    expect(r.difference.conversions).toEqual({ event: 2, web: -1 });
    expect(r.difference.value).toEqual({ event: 40, web: -10 });
  });

  it("differences add up to the conversions the online-only run leaves unattributed", () => {
    fc.assert(
      fc.property(
        journeysArb,
        fc.constantFrom("linear", "markov", "shapley", "u_shaped") as fc.Arbitrary<"linear">,
        (js, model) => {
          const r = compareOnlineOnly(js, model);
          const diff = Object.values(r.difference.conversions).reduce((a, b) => a + b, 0);
          expectClose(diff, r.onlineOnly.unattributed.conversions - r.all.unattributed.conversions);
        },
      ),
      { numRuns: 100 },
    );
  });
});
