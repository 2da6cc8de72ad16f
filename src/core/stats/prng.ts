import { AppError } from "../errors.ts";

/**
 * A seeded pseudo-random source. Every random draw in the engine comes from one of these, so a result is a pure
 * function of its inputs and the seed. The generator is xoshiro128** (Blackman & Vigna), seeded through splitmix32:
 * fast on 32-bit integer maths, 2^128 − 1 period, and good enough statistically for resampling and simulation.
 */
export interface Rng {
  /** The seed this generator was created with. */
  readonly seed: number;
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform double in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A standard normal draw. */
  normal(): number;
  /** An exponential draw with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /**
   * Resampling weights: sets counts to 0, then adds 1 to counts[j] for each of `draws` uniform draws of j in
   * [0, counts.length). Equivalent to `draws` calls of int(counts.length), in the same order, only faster.
   */
  multinomialCounts(counts: Int32Array, draws: number): void;
  /** Moves the stream on by `steps` 32-bit draws, as that many calls of nextUint32 would, without returning them. */
  skip(steps: number): void;
}

const TWO_POW_32 = 4294967296;

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  constructor(readonly seed: number) {
    // splitmix32 expands the seed into four non-zero state words; the high part of large seeds is folded in.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) >>> 0, 0x9e3779b1);
    const split = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = split();
    this.s1 = split();
    this.s2 = split();
    this.s3 = split();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  int(n: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * n);
  }

  normal(): number {
    // Marsaglia's polar method; the second draw of each pair is kept for the next call.
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  multinomialCounts(counts: Int32Array, draws: number): void {
    counts.fill(0);
    const n = counts.length;
    // The generator step is inlined with the state in locals: this loop is the hot path of every bootstrap.
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < draws; i++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      counts[Math.floor((r / TWO_POW_32) * n)]! += 1;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  skip(steps: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < steps; i++) {
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Creates a generator from an integer seed (any safe integer, negative allowed); the same seed gives the same stream. */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed))
    throw new AppError("validation", `seed must be a safe integer, got ${seed}`, "seed");
  return new Xoshiro128(seed);
}

/** Fisher–Yates shuffle in place, driven by `rng`. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** Draws `count` indices in [0, n) with replacement. */
export function sampleIndices(n: number, count: number, rng: Rng, out = new Int32Array(count)): Int32Array {
  for (let i = 0; i < count; i++) out[i] = rng.int(n);
  return out;
}
