import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";

/** last_touch: the latest touch of each journey (last in input order among equal times) takes all its credit. */
export const lastTouch: AttributionModel = {
  name: "last_touch",
  run(table) {
    const out = emptyOutput(table);
    const { offsets, touchKey, conversions, value } = table;
    const kc = out.conversions;
    const kv = out.value;
    for (let j = 0; j < table.journeyCount; j++) {
      const end = offsets[j + 1]!;
      if (offsets[j]! === end) {
        markUnattributed(out, table, j);
        continue;
      }
      const k = touchKey[end - 1]!;
      kc[k]! += conversions[j]!;
      kv[k]! += value[j]!;
    }
    return out;
  },
};
