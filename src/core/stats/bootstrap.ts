import { AppError } from "../errors.ts";
import { quantileSorted } from "./descriptive.ts";
import { createRng, type Rng } from "./prng.ts";

/** Resamples used when a caller does not say: enough for stable 95% percentile bounds. */
export const DEFAULT_RESAMPLES = 2000;
/** Seed used when a caller does not say; results always report the seed they used. */
export const DEFAULT_SEED = 1;

/** How a bootstrap runs: resample count, seed, and interval level (0.95 by default). */
export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  level?: number;
}

/** A point estimate with a seeded percentile bootstrap interval. */
export interface BootstrapEstimate {
  estimate: number;
  /** Percentile interval at `level`. */
  ci: [number, number];
  level: number;
  /** Standard deviation of the valid resampled estimates. */
  se: number;
  resamples: number;
  seed: number;
  /** Resamples whose statistic was undefined (e.g. a zero denominator); they are left out of the interval. */
  invalidResamples: number;
}

/** Resolves defaults and checks the options. */
export function resolveBootstrapOptions(options: BootstrapOptions = {}): Required<BootstrapOptions> {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new AppError("validation", `resamples must be a positive integer, got ${resamples}`, "resamples");
  }
  if (!Number.isSafeInteger(seed))
    throw new AppError("validation", `seed must be a safe integer, got ${seed}`, "seed");
  if (!(level > 0 && level < 1))
    throw new AppError("validation", `level must be in (0, 1), got ${level}`, "level");
  return { resamples, seed, level };
}

/**
 * Percentile interval of resampled statistics. NaN entries are invalid resamples and are skipped.
 * Returns the interval, the bootstrap standard deviation and the count of invalid resamples.
 */
export function percentileInterval(
  samples: Float64Array,
  level: number,
): { ci: [number, number]; se: number; invalid: number } {
  const valid = samples.filter((v) => !Number.isNaN(v)).sort();
  const invalid = samples.length - valid.length;
  if (valid.length === 0) return { ci: [Number.NaN, Number.NaN], se: Number.NaN, invalid };
  const alpha = 1 - level;
  let m = 0;
  for (let i = 0; i < valid.length; i++) m += valid[i]!;
  m /= valid.length;
  let ss = 0;
  for (let i = 0; i < valid.length; i++) ss += (valid[i]! - m) ** 2;
  return {
    ci: [quantileSorted(valid, alpha / 2), quantileSorted(valid, 1 - alpha / 2)],
    se: valid.length > 1 ? Math.sqrt(ss / (valid.length - 1)) : 0,
    invalid,
  };
}

/** Runs `statistic` once per resample with a shared generator and returns the percentile interval around `estimate`. */
export function bootstrap(
  estimate: number,
  statistic: (rng: Rng) => number,
  options: BootstrapOptions = {},
): BootstrapEstimate {
  const { resamples, seed, level } = resolveBootstrapOptions(options);
  const rng = createRng(seed);
  const samples = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) samples[b] = statistic(rng);
  const { ci, se, invalid } = percentileInterval(samples, level);
  return { estimate, ci, level, se, resamples, seed, invalidResamples: invalid };
}

function checkSample(values: ArrayLike<number>, name: string): void {
  if (values.length === 0) throw new AppError("validation", `${name} group is empty`, name);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new AppError("validation", `${name} value at index ${i} is not a finite number`, name);
    }
  }
}

function resampleMean(values: ArrayLike<number>, rng: Rng): number {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[rng.int(n)]!;
  return s / n;
}

function plainMean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Difference in means (treated − control), groups resampled independently. */
export function bootstrapDiffMeans(
  treated: ArrayLike<number>,
  control: ArrayLike<number>,
  options?: BootstrapOptions,
): BootstrapEstimate {
  checkSample(treated, "treated");
  checkSample(control, "control");
  return bootstrap(
    plainMean(treated) - plainMean(control),
    (rng) => resampleMean(treated, rng) - resampleMean(control, rng),
    options,
  );
}

function toBinary(values: ArrayLike<number | boolean>, name: string): Uint8Array {
  if (values.length === 0) throw new AppError("validation", `${name} group is empty`, name);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === true || v === 1) out[i] = 1;
    else if (v !== false && v !== 0)
      throw new AppError("validation", `${name} value at index ${i} is not 0/1`, name);
  }
  return out;
}

/** Difference in proportions (treated − control) of 0/1 outcomes, groups resampled independently. */
export function bootstrapDiffProportions(
  treated: ArrayLike<number | boolean>,
  control: ArrayLike<number | boolean>,
  options?: BootstrapOptions,
): BootstrapEstimate {
  const t = toBinary(treated, "treated");
  const c = toBinary(control, "control");
  return bootstrap(
    plainMean(t) - plainMean(c),
    (rng) => resampleMean(t, rng) - resampleMean(c, rng),
    options,
  );
}

/** Ratio of means (treated / control); resamples with a zero control mean are counted as invalid. */
export function bootstrapRatio(
  treated: ArrayLike<number>,
  control: ArrayLike<number>,
  options?: BootstrapOptions,
): BootstrapEstimate {
  checkSample(treated, "treated");
  checkSample(control, "control");
  const denominator = plainMean(control);
  if (denominator === 0)
    throw new AppError("validation", "ratio is undefined: the control mean is 0", "control");
  return bootstrap(
    plainMean(treated) / denominator,
    (rng) => {
      const d = resampleMean(control, rng);
      return d === 0 ? Number.NaN : resampleMean(treated, rng) / d;
    },
    options,
  );
}

/**
 * Matched sets: set s pairs treated unit `treated[s]` with the k control units `controls[s*k … s*k+k-1]`
 * (indices into the caller's unit arrays). A control may appear in several sets when matched with replacement.
 */
export interface MatchedSets {
  k: number;
  treated: Int32Array;
  controls: Int32Array;
  /** Standardized distance of each control to its treated unit, same layout as `controls`. */
  distances: Float64Array;
}

/**
 * Average effect on the treated from matched sets: mean over sets of (treated value − mean of its controls),
 * with a bootstrap that resamples whole matched sets.
 */
export function bootstrapMatchedDiff(
  values: ArrayLike<number>,
  sets: MatchedSets,
  options?: BootstrapOptions,
): BootstrapEstimate {
  const n = sets.treated.length;
  if (n === 0) throw new AppError("validation", "no matched sets to compare", "sets");
  const diffs = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let c = 0;
    for (let j = 0; j < sets.k; j++) c += values[sets.controls[s * sets.k + j]!]!;
    diffs[s] = values[sets.treated[s]!]! - c / sets.k;
  }
  checkSample(diffs, "matched");
  return bootstrap(plainMean(diffs), (rng) => resampleMean(diffs, rng), options);
}
