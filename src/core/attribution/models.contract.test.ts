import { describe } from "vitest";
import { createModel } from "./models.ts";
import { runModelContract } from "./run-model-contract.ts";
import { shapley } from "./shapley.ts";
import { modelNames } from "./types.ts";

describe("every model honours the shared contract", () => {
  for (const name of modelNames) runModelContract(createModel(name));
  // The same contract for the non-default paths: weighted custom, a short half-life, and sampled Shapley (forced by
  // allowing 0 exact channels, so the Monte-Carlo estimate runs on these small inputs).
  runModelContract(
    createModel("custom", { customWeights: { byChannel: { ads: 0, email: 2.5 }, byKind: { visit: 0 } } }),
  );
  runModelContract(createModel("time_decay", { halfLifeDays: 0.5 }));
  runModelContract(shapley({ maxExactChannels: 0, samples: 40, seed: 7 }));
});
