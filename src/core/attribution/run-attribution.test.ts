import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { parseModelList } from "./models.ts";
import { runAttribution } from "./run-attribution.ts";
import { modelNames } from "./types.ts";

describe("parseModelList", () => {
  it("expands all and keeps the order given, without duplicates", () => {
    expect(parseModelList("all")).toEqual([...modelNames]);
    expect(parseModelList("markov, linear,markov")).toEqual(["markov", "linear"]);
  });

  it("refuses an unknown model with bad_request naming the valid ones", () => {
    try {
      parseModelList("linear,markvo");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("bad_request");
      expect((error as AppError).message).toBe(
        `unknown model "markvo"; valid models: ${modelNames.join(", ")}, or all`,
      );
    }
  });
});

describe("runAttribution", () => {
  const journeys = [
    {
      conversions: 2,
      value: 10,
      touches: [
        { channel: "event", online: false, eventId: "summit" },
        { channel: "web", online: true, eventId: "webinar" },
      ],
    },
  ];

  it("runs several models on one table and keys results by model", () => {
    const r = runAttribution(journeys, "first_touch,last_touch");
    expect(Object.keys(r)).toEqual(["first_touch", "last_touch"]);
    expect(r.first_touch!.conversions).toEqual({ event: 2, web: 0 });
    expect(r.last_touch!.value).toEqual({ event: 0, web: 10 });
  });

  it("keys credit by event when asked", () => {
    expect(runAttribution(journeys, ["linear"], { keyBy: "event" }).linear!.conversions).toEqual({
      summit: 1,
      webinar: 1,
    });
  });

  it("drops offline touches with onlineOnly", () => {
    expect(runAttribution(journeys, ["linear"], { onlineOnly: true }).linear!.conversions).toEqual({
      web: 2,
    });
  });

  it("passes model settings through", () => {
    const r = runAttribution(journeys, ["custom"], { customWeights: { byChannel: { event: 3 } } });
    expect(r.custom!.conversions).toEqual({ event: 1.5, web: 0.5 });
  });
});
