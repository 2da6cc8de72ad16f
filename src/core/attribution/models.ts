import { AppError } from "../errors.ts";
import { type CustomWeights, custom } from "./custom.ts";
import { firstTouch } from "./first-touch.ts";
import { lastTouch } from "./last-touch.ts";
import { linear } from "./linear.ts";
import { markov } from "./markov.ts";
import type { AttributionModel } from "./model.ts";
import { fullPath, uShaped, wShaped } from "./position-based.ts";
import { type ShapleyOptions, shapley } from "./shapley.ts";
import { timeDecay } from "./time-decay.ts";
import { type ModelName, modelNames } from "./types.ts";

/** Parameters of the parameterised models; every other model has none. */
export interface ModelSettings {
  /** time_decay half-life in days (default 7). */
  halfLifeDays?: number;
  /** custom model weights (default: every touch weighs 1, i.e. linear). */
  customWeights?: CustomWeights;
  shapley?: ShapleyOptions;
}

/** Whether `name` is one of the engine's model names. */
export function isModelName(name: string): name is ModelName {
  return (modelNames as readonly string[]).includes(name);
}

/** Creates the model called `name` with the given settings. */
export function createModel(name: ModelName, settings: ModelSettings = {}): AttributionModel {
  switch (name) {
    case "first_touch":
      return firstTouch;
    case "last_touch":
      return lastTouch;
    case "linear":
      return linear;
    case "time_decay":
      return timeDecay({ halfLifeDays: settings.halfLifeDays });
    case "u_shaped":
      return uShaped;
    case "w_shaped":
      return wShaped;
    case "full_path":
      return fullPath;
    case "custom":
      return custom(settings.customWeights);
    case "markov":
      return markov;
    case "shapley":
      return shapley(settings.shapley);
  }
}

/**
 * Parses "all" or a comma-separated list of model names (duplicates removed, order kept).
 * An unknown name is AppError("bad_request") listing the valid ones.
 */
export function parseModelList(spec: string | readonly string[]): ModelName[] {
  const names = (typeof spec === "string" ? spec.split(",") : [...spec]).map((s) => s.trim());
  if (names.length === 1 && names[0] === "all") return [...modelNames];
  const out: ModelName[] = [];
  for (const name of names) {
    if (!isModelName(name)) {
      throw new AppError(
        "bad_request",
        `unknown model "${name}"; valid models: ${modelNames.join(", ")}, or all`,
        "model",
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
