import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";

/** linear: every touch occurrence gets an equal share, so a channel seen twice in a journey gets two shares. */
export const linear: AttributionModel = {
  name: "linear",
  run(table) {
    const out = emptyOutput(table);
    const { offsets, touchKey, conversions, value } = table;
    const kc = out.conversions;
    const kv = out.value;
    for (let j = 0; j < table.journeyCount; j++) {
      const start = offsets[j]!;
      const end = offsets[j + 1]!;
      if (start === end) {
        markUnattributed(out, table, j);
        continue;
      }
      const c = conversions[j]!;
      const v = value[j]!;
      if (c === 0 && v === 0) continue;
      const sc = c / (end - start);
      const sv = v / (end - start);
      for (let t = start; t < end; t++) {
        const k = touchKey[t]!;
        kc[k]! += sc;
        kv[k]! += sv;
      }
    }
    return out;
  },
};
