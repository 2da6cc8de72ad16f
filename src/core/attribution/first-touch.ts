import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";

/** first_touch: the earliest touch of each journey takes all its conversions and value. */
export const firstTouch: AttributionModel = {
  name: "first_touch",
  run(table) {
    const out = emptyOutput(table);
    const { offsets, touchKey, conversions, value } = table;
    const kc = out.conversions;
    const kv = out.value;
    for (let j = 0; j < table.journeyCount; j++) {
      const start = offsets[j]!;
      if (offsets[j + 1]! === start) {
        markUnattributed(out, table, j);
        continue;
      }
      const k = touchKey[start]!;
      kc[k]! += conversions[j]!;
      kv[k]! += value[j]!;
    }
    return out;
  },
};
