import { AppError } from "../errors.ts";
import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";

/** Weights of the custom model; a channel or kind not listed weighs 1. */
export interface CustomWeights {
  byChannel?: Readonly<Record<string, number>>;
  byKind?: Readonly<Record<string, number>>;
}

function checkWeights(weights: Readonly<Record<string, number>> | undefined, field: string): void {
  for (const [name, w] of Object.entries(weights ?? {})) {
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0) {
      throw new AppError("bad_request", `custom weight for "${name}" must be a finite number >= 0`, field);
    }
  }
}

/**
 * custom: each touch weighs channelWeight × kindWeight (unlisted = 1), and each journey's credit is split in
 * proportion to its touches' weights. A journey whose touches all weigh 0 cannot be split: its conversions are
 * reported as unattributed.
 */
export function custom(weights: CustomWeights = {}): AttributionModel {
  checkWeights(weights.byChannel, "byChannel");
  checkWeights(weights.byKind, "byKind");
  return {
    name: "custom",
    run(table) {
      const out = emptyOutput(table);
      const { offsets, touchKey, touchChannel, touchKind, conversions, value } = table;
      const channelW = Float64Array.from(table.channels, (ch) => weights.byChannel?.[ch] ?? 1);
      const kindW = Float64Array.from(table.kinds, (kd) => weights.byKind?.[kd] ?? 1);
      const kc = out.conversions;
      const kv = out.value;
      let scratch = new Float64Array(64);
      for (let j = 0; j < table.journeyCount; j++) {
        const start = offsets[j]!;
        const end = offsets[j + 1]!;
        const c = conversions[j]!;
        const v = value[j]!;
        if (start < end && c === 0 && v === 0) continue;
        if (end - start > scratch.length) scratch = new Float64Array(2 * (end - start));
        let sum = 0;
        for (let t = start; t < end; t++) {
          const kind = touchKind === null ? -1 : touchKind[t]!;
          const w = channelW[touchChannel[t]!]! * (kind < 0 ? 1 : kindW[kind]!);
          scratch[t - start] = w;
          sum += w;
        }
        if (sum === 0) {
          markUnattributed(out, table, j);
          continue;
        }
        const sc = c / sum;
        const sv = v / sum;
        for (let t = start; t < end; t++) {
          const w = scratch[t - start]!;
          const k = touchKey[t]!;
          kc[k]! += w * sc;
          kv[k]! += w * sv;
        }
      }
      return out;
    },
  };
}
