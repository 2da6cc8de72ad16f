import { AppError } from "../errors.ts";
import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";

const DAY_MS = 86_400_000;

/**
 * time_decay: a touch's weight halves for every `halfLifeDays` between it and the conversion; each journey's
 * weights are normalised to 1.
 *
 * The conversion instant cancels out in the normalisation (2^(-(tc - t)/h) / Σ 2^(-(tc - t')/h) does not depend
 * on tc), so weights are computed relative to the journey's last touch: that touch has weight 1, others
 * 2^(-(t_last - t)/h) <= 1, which never underflows to an all-zero journey. Timed journeys use `occurredAt`;
 * untimed journeys (aggregated paths) place their touches one day apart, the last at the conversion, so the touch
 * k positions before the last weighs 2^(-k/h).
 */
export function timeDecay(options: { halfLifeDays?: number } = {}): AttributionModel {
  const halfLifeDays = options.halfLifeDays ?? 7;
  if (!Number.isFinite(halfLifeDays) || halfLifeDays <= 0) {
    throw new AppError(
      "bad_request",
      `time_decay half-life must be > 0 days, got ${halfLifeDays}`,
      "halfLifeDays",
    );
  }
  const perMs = Math.LN2 / (halfLifeDays * DAY_MS);
  const perDay = 2 ** (-1 / halfLifeDays);
  return {
    name: "time_decay",
    run(table) {
      const out = emptyOutput(table);
      const { offsets, touchKey, conversions, value, touchTime } = table;
      const kc = out.conversions;
      const kv = out.value;
      // pow[d] = weight of a touch d positions before the last one, grown as longer journeys appear.
      let pow = new Float64Array(64);
      let powSum = new Float64Array(65); // powSum[K] = Σ_{d<K} pow[d]
      const fill = (from: number) => {
        for (let d = from; d < pow.length; d++) {
          pow[d] = d === 0 ? 1 : pow[d - 1]! * perDay;
          powSum[d + 1] = powSum[d]! + pow[d]!;
        }
      };
      fill(0);
      let scratch = new Float64Array(64);
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
        if (touchTime !== null && !Number.isNaN(touchTime[start]!)) {
          const last = touchTime[end - 1]!;
          if (end - start > scratch.length) scratch = new Float64Array(2 * (end - start));
          let sum = 0;
          for (let t = start; t < end; t++) {
            const w = Math.exp((touchTime[t]! - last) * perMs);
            scratch[t - start] = w;
            sum += w;
          }
          const sc = c / sum;
          const sv = v / sum;
          for (let t = start; t < end; t++) {
            const w = scratch[t - start]!;
            const k = touchKey[t]!;
            kc[k]! += w * sc;
            kv[k]! += w * sv;
          }
          continue;
        }
        const len = end - start;
        if (len > pow.length) {
          const old = pow.length;
          let size = old;
          while (size < len) size *= 2;
          const nextPow = new Float64Array(size);
          nextPow.set(pow);
          const nextSum = new Float64Array(size + 1);
          nextSum.set(powSum);
          pow = nextPow;
          powSum = nextSum;
          fill(old);
        }
        const sum = powSum[len]!;
        const sc = c / sum;
        const sv = v / sum;
        const lastIndex = end - 1;
        for (let t = start; t < end; t++) {
          const w = pow[lastIndex - t]!;
          const k = touchKey[t]!;
          kc[k]! += w * sc;
          kv[k]! += w * sv;
        }
      }
      return out;
    },
  };
}
