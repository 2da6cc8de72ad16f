import { AppError } from "../errors.ts";
import type { JourneyTable } from "./journey-table.ts";
import type { AttributionModel, ModelOutput } from "./model.ts";
import { emptyOutput, markUnattributed } from "./model.ts";
import { seededRandom } from "./random.ts";
import { spreadChannelCredit } from "./spread-to-keys.ts";

/** Options of the shapley model. */
export interface ShapleyOptions {
  /** Exact solution up to this many contributing channels (default 15, at most 20: 2^n table). */
  maxExactChannels?: number;
  /** Permutations drawn by the Monte-Carlo estimate above that (default 1000). */
  samples?: number;
  /** Seed of the permutation sampler (default 1). */
  seed?: number;
}

/**
 * The game: players are channels; a coalition S is worth v(S) = the conversions (and, as a second game, the
 * value) of journeys whose set of channels lies entirely within S. Only channels that appear in a journey with
 * conversions or value can change any v(S); the others are null players, get 0, and are left out of the game,
 * so "exact up to 15 channels" counts contributing channels. Repeats and order inside a journey do not matter.
 */
interface Game {
  /** Contributing channels, sorted by name (so results do not depend on input order). */
  players: number[];
  /** Touch-channel index → player index, or -1. */
  playerOf: Int32Array;
}

function buildGame(table: JourneyTable): Game {
  const active = new Uint8Array(table.channels.length);
  const { offsets, touchChannel, conversions, value } = table;
  for (let j = 0; j < table.journeyCount; j++) {
    if (conversions[j] === 0 && value[j] === 0) continue;
    for (let t = offsets[j]!; t < offsets[j + 1]!; t++) active[touchChannel[t]!] = 1;
  }
  const players: number[] = [];
  for (let c = 0; c < active.length; c++) if (active[c]) players.push(c);
  players.sort((a, b) => (table.channels[a]! < table.channels[b]! ? -1 : 1));
  const playerOf = new Int32Array(table.channels.length).fill(-1);
  players.forEach((c, i) => {
    playerOf[c] = i;
  });
  return { players, playerOf };
}

/**
 * Exact Shapley values for n <= 20 players: (1) one pass aggregates conversions and value by the journey's
 * channel bitmask, f(T); (2) the zeta transform (subset sums) gives v(S) = Σ_{T ⊆ S} f(T) for all 2^n
 * coalitions in O(2^n n); (3) φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! · (v(S ∪ i) − v(S)). v is monotone, so a
 * negative marginal can only be rounding and is clamped to 0.
 */
function exactShapley(table: JourneyTable, game: Game): { conversions: Float64Array; value: Float64Array } {
  const n = game.players.length;
  const size = 1 << n;
  const vc = new Float64Array(size);
  const vv = new Float64Array(size);
  const bit = new Int32Array(table.channels.length);
  for (let c = 0; c < bit.length; c++) bit[c] = game.playerOf[c]! >= 0 ? 1 << game.playerOf[c]! : 0;
  const { offsets, touchChannel, conversions, value } = table;
  for (let j = 0; j < table.journeyCount; j++) {
    const c = conversions[j]!;
    const v = value[j]!;
    if (c === 0 && v === 0) continue;
    let mask = 0;
    for (let t = offsets[j]!; t < offsets[j + 1]!; t++) mask |= bit[touchChannel[t]!]!;
    vc[mask]! += c;
    vv[mask]! += v;
  }
  vc[0] = 0; // journeys without touches are unattributed, not part of any coalition's worth
  vv[0] = 0;
  for (let i = 0; i < n; i++) {
    const b = 1 << i;
    for (let s = 0; s < size; s++) {
      if (s & b) {
        vc[s]! += vc[s ^ b]!;
        vv[s]! += vv[s ^ b]!;
      }
    }
  }
  // weight[k] = k!(n−k−1)!/n! = 1 / (n · C(n−1, k))
  const weight = new Float64Array(Math.max(n, 1));
  let binom = 1;
  for (let k = 0; k < n; k++) {
    weight[k] = 1 / (n * binom);
    binom = (binom * (n - 1 - k)) / (k + 1);
  }
  const popcount = new Uint8Array(size);
  for (let s = 1; s < size; s++) popcount[s] = popcount[s >> 1]! + (s & 1);
  const phiC = new Float64Array(n);
  const phiV = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = 1 << i;
    let sc = 0;
    let sv = 0;
    for (let s = 0; s < size; s++) {
      if (s & b) continue;
      const w = weight[popcount[s]!]!;
      const dc = vc[s | b]! - vc[s]!;
      const dv = vv[s | b]! - vv[s]!;
      if (dc > 0) sc += w * dc;
      if (dv > 0) sv += w * dv;
    }
    phiC[i] = sc;
    phiV[i] = sv;
  }
  return { conversions: phiC, value: phiV };
}

/**
 * Monte-Carlo Shapley by permutation sampling (seeded): in each random order of the players, a coalition's
 * worth grows exactly when the last member of a journey's channel set arrives, so each distinct set's
 * conversions go to its member that comes last. Averaging those marginals over `samples` orders estimates φ;
 * each order's marginals sum to v(N), so the estimate still sums exactly to the totals. The standard error is
 * the sample standard deviation of a player's marginal over √samples.
 */
function sampledShapley(
  table: JourneyTable,
  game: Game,
  samples: number,
  seed: number,
): { conversions: Float64Array; value: Float64Array; seC: Float64Array; seV: Float64Array } {
  const n = game.players.length;
  // Aggregate journeys by their distinct player set (sorted player indices as key).
  const index = new Map<string, number>();
  const setMembers: number[] = [];
  const setStart: number[] = [0];
  const setC: number[] = [];
  const setV: number[] = [];
  const { offsets, touchChannel, conversions, value } = table;
  const seen = new Int32Array(n).fill(-1);
  const members: number[] = [];
  for (let j = 0; j < table.journeyCount; j++) {
    const c = conversions[j]!;
    const v = value[j]!;
    if ((c === 0 && v === 0) || offsets[j] === offsets[j + 1]) continue;
    members.length = 0;
    for (let t = offsets[j]!; t < offsets[j + 1]!; t++) {
      const p = game.playerOf[touchChannel[t]!]!;
      if (seen[p] !== j) {
        seen[p] = j;
        members.push(p);
      }
    }
    members.sort((a, b) => a - b);
    const key = members.join(",");
    let id = index.get(key);
    if (id === undefined) {
      id = setC.length;
      index.set(key, id);
      setC.push(0);
      setV.push(0);
      setMembers.push(...members);
      setStart.push(setMembers.length);
    }
    setC[id]! += c;
    setV[id]! += v;
  }
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const position = new Int32Array(n);
  const mC = new Float64Array(n);
  const mV = new Float64Array(n);
  const sumC = new Float64Array(n);
  const sumV = new Float64Array(n);
  const sqC = new Float64Array(n);
  const sqV = new Float64Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = n - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[k]!;
      order[k] = tmp;
    }
    for (let i = 0; i < n; i++) position[order[i]!] = i;
    mC.fill(0);
    mV.fill(0);
    for (let set = 0; set < setC.length; set++) {
      let last = setMembers[setStart[set]!]!;
      for (let m = setStart[set]! + 1; m < setStart[set + 1]!; m++) {
        const p = setMembers[m]!;
        if (position[p]! > position[last]!) last = p;
      }
      mC[last]! += setC[set]!;
      mV[last]! += setV[set]!;
    }
    for (let i = 0; i < n; i++) {
      sumC[i]! += mC[i]!;
      sumV[i]! += mV[i]!;
      sqC[i]! += mC[i]! * mC[i]!;
      sqV[i]! += mV[i]! * mV[i]!;
    }
  }
  const se = (sum: number, sq: number) =>
    samples > 1 ? Math.sqrt(Math.max(0, (sq - (sum * sum) / samples) / (samples - 1)) / samples) : 0;
  return {
    conversions: sumC.map((x) => x / samples),
    value: sumV.map((x) => x / samples),
    seC: sumC.map((x, i) => se(x, sqC[i]!)),
    seV: sumV.map((x, i) => se(x, sqV[i]!)),
  };
}

/** shapley: exact Shapley values of the coverage game above, or a seeded estimate beyond `maxExactChannels`. */
export function shapley(options: ShapleyOptions = {}): AttributionModel {
  const maxExact = options.maxExactChannels ?? 15;
  const samples = options.samples ?? 1000;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(maxExact) || maxExact < 0 || maxExact > 20) {
    throw new AppError(
      "bad_request",
      "shapley maxExactChannels must be an integer in 0..20",
      "maxExactChannels",
    );
  }
  if (!Number.isInteger(samples) || samples < 1) {
    throw new AppError("bad_request", "shapley samples must be a positive integer", "samples");
  }
  if (!Number.isInteger(seed)) throw new AppError("bad_request", "shapley seed must be an integer", "seed");
  return {
    name: "shapley",
    run(table): ModelOutput {
      const out = emptyOutput(table);
      for (let j = 0; j < table.journeyCount; j++) {
        if (table.offsets[j] === table.offsets[j + 1]) markUnattributed(out, table, j);
      }
      // When the whole dictionary fits the exact limit, every channel is a player (a non-contributing one gets
      // exactly 0: its marginals add only zeros) and one pass over the touches suffices; otherwise a first pass
      // finds the contributing channels.
      const n = table.channels.length;
      const game: Game =
        n <= maxExact
          ? {
              players: Array.from({ length: n }, (_, i) => i),
              playerOf: Int32Array.from({ length: n }, (_, i) => i),
            }
          : buildGame(table);
      const chC = new Float64Array(table.channels.length);
      const chV = new Float64Array(table.channels.length);
      const place = (phiC: Float64Array, phiV: Float64Array) => {
        game.players.forEach((c, i) => {
          chC[c] = phiC[i]!;
          chV[c] = phiV[i]!;
        });
      };
      if (game.players.length <= maxExact) {
        const phi = exactShapley(table, game);
        place(phi.conversions, phi.value);
        out.method = "exact";
      } else {
        const phi = sampledShapley(table, game, samples, seed);
        place(phi.conversions, phi.value);
        const seC = new Float64Array(table.channels.length);
        const seV = new Float64Array(table.channels.length);
        game.players.forEach((c, i) => {
          seC[c] = phi.seC[i]!;
          seV[c] = phi.seV[i]!;
        });
        out.method = "sampled";
        out.samples = samples;
        out.standardError = { conversions: seC, value: seV };
      }
      const keyed = spreadChannelCredit(table, chC, chV);
      out.conversions = keyed.conversions;
      out.value = keyed.value;
      return out;
    },
  };
}
