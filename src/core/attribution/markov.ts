import { AppError } from "../errors.ts";
import type { JourneyTable } from "./journey-table.ts";
import { invertMatrix } from "./linear-solve.ts";
import type { AttributionModel } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";
import { spreadChannelCredit } from "./spread-to-keys.ts";

/** The exact solve is O(channels³) (1,024 channels ≈ 3.5 s on the 2-core box, 2,048 would be ~30 s): cap it. */
export const MAX_MARKOV_CHANNELS = 1024;

/** The fitted order-1 absorbing chain over the table's channels. */
export interface MarkovChain {
  /** Number of channel (transient) states; the start state is n, conversion n + 1, null n + 2. */
  n: number;
  /** Row-major (n + 3)² transition counts. */
  counts: Float64Array;
  /** Conversions and value of journeys with at least one touch (what the model distributes). */
  conversions: number;
  value: number;
}

/**
 * Counts transitions start → c1 → … → ck → conversion|null over every journey with at least one touch, weighting
 * each journey by conversions + nulls (so non-converting journeys shape the chain too). Repeated channels count
 * as self-transitions; they never change absorption probabilities, only the expected number of steps.
 */
export function fitMarkovChain(table: JourneyTable): MarkovChain {
  const n = table.channels.length;
  if (n > MAX_MARKOV_CHANNELS) {
    throw new AppError(
      "bad_request",
      `markov supports at most ${MAX_MARKOV_CHANNELS} channels, got ${n}; group channels first`,
      "channels",
    );
  }
  const s = n + 3;
  const startRow = n * s;
  const conv = n + 1;
  const nul = n + 2;
  const counts = new Float64Array(s * s);
  const { offsets, touchChannel, conversions, value, nulls } = table;
  let totalC = 0;
  let totalV = 0;
  for (let j = 0; j < table.journeyCount; j++) {
    const startT = offsets[j]!;
    const end = offsets[j + 1]!;
    if (startT === end) continue;
    const c = conversions[j]!;
    const w = c + nulls[j]!;
    totalC += c;
    totalV += value[j]!;
    if (w === 0) continue;
    let row = startRow;
    for (let t = startT; t < end; t++) {
      const cur = touchChannel[t]!;
      counts[row + cur]! += w;
      row = cur * s;
    }
    counts[row + conv]! += c;
    counts[row + nul]! += nulls[j]!;
  }
  return { n, counts, conversions: totalC, value: totalV };
}

/** Absorption results of a chain: P(conversion) from start and the removal effect of every channel. */
export interface MarkovSolution {
  pConversion: number;
  /** P(conversion | currently in channel c). */
  conversionFrom: Float64Array;
  /** P(the chain ever visits channel c, starting from start). */
  visitProbability: Float64Array;
  removalEffect: Float64Array;
}

/**
 * Solves the absorbing chain exactly. With Q the channel→channel transition probabilities, r the
 * channel→conversion ones and s the start→channel ones, M = (I − Q)⁻¹ (Gauss–Jordan elimination):
 *   x = M r             P(conversion | in c)
 *   p = s · x           P(conversion)
 *   h_c = (sᵀM)_c / M_cc   P(ever visit c): expected visits to c over expected visits to c once there.
 * Removing c (every transition into c goes to null) loses exactly the conversions that pass through c:
 *   P_{−c} = p − h_c x_c,   so removal effect RE_c = 1 − P_{−c}/p = h_c x_c / p.
 * This equals re-solving the system once per removed channel (tested against that), with one inversion.
 * A channel with no outgoing transitions is never entered (flow in = flow out) and is treated as absorbing null.
 */
export function solveMarkovChain(chain: MarkovChain): MarkovSolution {
  const { n, counts } = chain;
  const s = n + 3;
  const a = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let out = 0;
    for (let j = 0; j < s; j++) out += counts[i * s + j]!;
    a[i * n + i] = 1;
    if (out === 0) continue;
    for (let j = 0; j < n; j++) a[i * n + j]! -= counts[i * s + j]! / out;
    r[i] = counts[i * s + n + 1]! / out;
  }
  const start = new Float64Array(n);
  let startOut = 0;
  for (let j = 0; j < s; j++) startOut += counts[n * s + j]!;
  if (startOut > 0) for (let j = 0; j < n; j++) start[j] = counts[n * s + j]! / startOut;
  const m = n > 0 ? invertMatrix(a, n) : new Float64Array(0);
  const x = new Float64Array(n);
  const visits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let xi = 0;
    for (let j = 0; j < n; j++) xi += m[i * n + j]! * r[j]!;
    x[i] = Math.min(1, Math.max(0, xi));
    const si = start[i]!;
    if (si !== 0) for (let j = 0; j < n; j++) visits[j]! += si * m[i * n + j]!;
  }
  let p = 0;
  for (let i = 0; i < n; i++) p += start[i]! * x[i]!;
  const visitProbability = new Float64Array(n);
  const removalEffect = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    visitProbability[c] = Math.min(1, Math.max(0, visits[c]! / m[c * n + c]!));
    if (p > 0) removalEffect[c] = Math.min(1, Math.max(0, (visitProbability[c]! * x[c]!) / p));
  }
  return { pConversion: p, conversionFrom: x, visitProbability, removalEffect };
}

/**
 * markov: order-1 removal-effect attribution, solved exactly (see solveMarkovChain). Each channel's credit is
 * its share of the summed removal effects times the total conversions (and times the total value) of journeys
 * with at least one touch.
 */
export const markov: AttributionModel = {
  name: "markov",
  run(table) {
    const out = emptyOutput(table);
    for (let j = 0; j < table.journeyCount; j++) {
      if (table.offsets[j] === table.offsets[j + 1]) markUnattributed(out, table, j);
    }
    const chain = fitMarkovChain(table);
    const solution = solveMarkovChain(chain);
    const n = chain.n;
    const chC = new Float64Array(n);
    const chV = new Float64Array(n);
    let reSum = 0;
    for (let c = 0; c < n; c++) reSum += solution.removalEffect[c]!;
    if (reSum > 0) {
      for (let c = 0; c < n; c++) {
        const share = solution.removalEffect[c]! / reSum;
        chC[c] = share * chain.conversions;
        chV[c] = share * chain.value;
      }
    } else if (chain.conversions > 0 || chain.value > 0) {
      // Unreachable in exact arithmetic (conversions imply a positive removal effect); never drop silently.
      out.unattributed.conversions += chain.conversions;
      out.unattributed.value += chain.value;
    }
    const keyed = spreadChannelCredit(table, chC, chV);
    out.conversions = keyed.conversions;
    out.value = keyed.value;
    out.removalEffect = solution.removalEffect;
    out.pConversion = solution.pConversion;
    return out;
  },
};
