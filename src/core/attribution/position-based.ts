import {
  FLAG_CLOSED_WON,
  FLAG_LEAD_CREATION,
  FLAG_OPP_CREATION,
  type JourneyTable,
} from "./journey-table.ts";
import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";

/**
 * One anchor of a position-based model: the touch carrying `flag` (the first such touch of the journey), or, when
 * no touch carries it (or `flag` is 0), the touch at position round(fraction × (K − 1)) of a K-touch journey,
 * moved forward if needed so anchors never run backwards (never before the previous anchor).
 */
interface Anchor {
  weight: number;
  flag: number;
  fraction: number;
}

/**
 * Builds a position-based model. The rule, shared by u_shaped, w_shaped and full_path:
 * 1. resolve each anchor to a touch (see Anchor); anchors that land on the same touch add their weights;
 * 2. the remaining weight (1 − Σ anchor weights) is spread evenly over the touches that are not anchors;
 * 3. if every touch is an anchor, the anchor weights are scaled to sum to 1.
 * So u_shaped gives 100% to a 1-touch journey and 50/50 to a 2-touch one.
 */
function positionBased(name: string, anchors: readonly Anchor[], restWeight: number): AttributionModel {
  const anchorTotal = anchors.reduce((s, a) => s + a.weight, 0);
  const usesFlags = anchors.some((a) => a.flag !== 0);
  return {
    name,
    run(table: JourneyTable) {
      const out = emptyOutput(table);
      const { offsets, touchKey, conversions, value } = table;
      const flags = usesFlags ? table.touchFlags : null;
      const kc = out.conversions;
      const kv = out.value;
      const m = anchors.length;
      // Anchor fields copied into typed arrays: the per-journey loop then reads no objects.
      const anchorW = Float64Array.from(anchors, (a) => a.weight);
      const anchorFlag = Int32Array.from(anchors, (a) => a.flag);
      const anchorFraction = Float64Array.from(anchors, (a) => a.fraction);
      const distinctAt = new Int32Array(m);
      const distinctW = new Float64Array(m);
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
        const last = end - 1;
        let previous = start;
        let distinct = 0;
        for (let a = 0; a < m; a++) {
          let idx = -1;
          const f = anchorFlag[a]!;
          if (flags !== null && f !== 0) {
            for (let t = start; t < end; t++) {
              if (flags[t]! & f) {
                idx = t;
                break;
              }
            }
          }
          if (idx < 0) {
            idx = start + Math.round(anchorFraction[a]! * (last - start));
            if (idx < previous) idx = previous;
          }
          previous = idx;
          let d = 0;
          while (d < distinct && distinctAt[d] !== idx) d++;
          if (d === distinct) {
            distinctAt[d] = idx;
            distinctW[d] = anchorW[a]!;
            distinct++;
          } else distinctW[d]! += anchorW[a]!;
        }
        const len = end - start;
        const rest = len - distinct;
        let restShare = 0;
        let scale = 1;
        if (rest > 0) {
          restShare = restWeight / rest;
          const rc = restShare * c;
          const rv = restShare * v;
          for (let t = start; t < end; t++) {
            const k = touchKey[t]!;
            kc[k]! += rc;
            kv[k]! += rv;
          }
        } else {
          scale = 1 / anchorTotal;
        }
        // Anchor touches already received restShare above; add the difference to reach their anchor weight.
        for (let d = 0; d < distinct; d++) {
          const w = distinctW[d]! * scale - restShare;
          const k = touchKey[distinctAt[d]!]!;
          kc[k]! += w * c;
          kv[k]! += w * v;
        }
      }
      return out;
    },
  };
}

/** u_shaped: 40% first touch, 40% last touch, 20% spread over the touches between (1 touch: 100%; 2: 50/50). */
export const uShaped: AttributionModel = positionBased(
  "u_shaped",
  [
    { weight: 0.4, flag: 0, fraction: 0 },
    { weight: 0.4, flag: 0, fraction: 1 },
  ],
  0.2,
);

/**
 * w_shaped: 30% first touch, 30% lead-creation touch, 30% opportunity-creation touch, 10% spread over the rest.
 * A missing lead-creation milestone falls back to the middle touch, a missing opportunity-creation one to the last
 * touch; so on aggregated paths (no milestones) it is first 30 / middle 30 / last 30 / others 10.
 */
export const wShaped: AttributionModel = positionBased(
  "w_shaped",
  [
    { weight: 0.3, flag: 0, fraction: 0 },
    { weight: 0.3, flag: FLAG_LEAD_CREATION, fraction: 1 / 2 },
    { weight: 0.3, flag: FLAG_OPP_CREATION, fraction: 1 },
  ],
  0.1,
);

/**
 * full_path: 22.5% each to first touch, lead creation, opportunity creation and closed-won touches, 10% spread.
 * Missing milestones fall back to positions 1/3, 2/3 and the last touch.
 */
export const fullPath: AttributionModel = positionBased(
  "full_path",
  [
    { weight: 0.225, flag: 0, fraction: 0 },
    { weight: 0.225, flag: FLAG_LEAD_CREATION, fraction: 1 / 3 },
    { weight: 0.225, flag: FLAG_OPP_CREATION, fraction: 2 / 3 },
    { weight: 0.225, flag: FLAG_CLOSED_WON, fraction: 1 },
  ],
  0.1,
);
