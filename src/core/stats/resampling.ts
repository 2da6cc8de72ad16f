import { createRng } from "./prng.ts";

/**
 * Bootstrap resamples as blocks that any thread can compute, with results identical however they are shared out.
 *
 * Every resample draws its multinomial counts from one seeded stream, in resample order. A thread that computes
 * block b moves its own copy of the stream past the draws of the blocks before b (`Rng.skip`, far cheaper than the
 * statistic) and then draws exactly what a single thread would. So a resample's value depends on the seed and its
 * position only, never on which thread computed it or how many threads there were.
 *
 * The engine calls `resample(job)`. By default that runs on the calling thread; a server installs a runner that
 * shares the blocks with worker threads (`setResampler`), which is why a job names its kernel by module and export:
 * another thread imports the same code and gets the same step from the same input.
 */

/** One resample's computation: reads the drawn counts and writes the job's `width` values at out[at…]. */
export type ResampleStep = (counts: readonly Int32Array[], out: Float64Array, at: number) => void;

/** Makes a step from an input of typed arrays, numbers and plain objects (so that it can be posted to a thread). */
export interface ResampleKernel<I> {
  /** URL of the module exporting the kernel, and the export's name. */
  module: string;
  name: string;
  prepare: (input: I) => ResampleStep;
}

export interface ResampleJob<I = unknown> {
  kernel: ResampleKernel<I>;
  input: I;
  /** Count arrays drawn per resample, in order: size n gets n draws over n cells (one resample of n units). */
  draws: readonly number[];
  resamples: number;
  seed: number;
  /** Values per resample. */
  width: number;
  /** Rough cost of one resample (rows read): small jobs are not worth another thread. */
  work: number;
}

/** Runs a job and returns its values, resample r at [r × width, (r + 1) × width). */
export type Resampler = (job: ResampleJob) => Float64Array;

/**
 * Computes the blocks handed out by `claim` (block indices in increasing order; any index ≥ the block count ends the
 * run), writing each resample's values into `out` and calling `done` after each block.
 */
export function runBlocks(
  job: Pick<ResampleJob, "draws" | "resamples" | "seed" | "width">,
  step: ResampleStep,
  blockSize: number,
  claim: () => number,
  done: (block: number) => void,
  out: Float64Array,
): void {
  const { draws, resamples, width } = job;
  const blocks = Math.ceil(resamples / blockSize);
  let perResample = 0;
  for (const n of draws) perResample += n;
  const rng = createRng(job.seed);
  const counts = draws.map((n) => new Int32Array(n));
  let at = 0; // the block whose draws the stream stands before
  for (;;) {
    const b = claim();
    if (!(b < blocks)) return;
    if (b < at) throw new Error(`resample block ${b} claimed after block ${at - 1}`);
    rng.skip((b - at) * blockSize * perResample);
    const end = Math.min(resamples, (b + 1) * blockSize);
    for (let r = b * blockSize; r < end; r++) {
      for (let j = 0; j < draws.length; j++) rng.multinomialCounts(counts[j]!, draws[j]!);
      step(counts, out, r * width);
    }
    at = b + 1;
    done(b);
  }
}

/** Computes one block of a job on this thread. */
export function runBlock(
  job: ResampleJob,
  step: ResampleStep,
  blockSize: number,
  block: number,
  out: Float64Array,
) {
  let given = false;
  runBlocks(
    job,
    step,
    blockSize,
    () => {
      if (given) return Number.POSITIVE_INFINITY;
      given = true;
      return block;
    },
    () => {},
    out,
  );
}

/** Runs a job on the calling thread. */
export function resampleHere(job: ResampleJob): Float64Array {
  const out = new Float64Array(job.resamples * job.width);
  runBlock(job, job.kernel.prepare(job.input), Math.max(1, job.resamples), 0, out);
  return out;
}

let installed: Resampler | null = null;

/** Installs the runner every later `resample` uses (null: the calling thread again). */
export function setResampler(runner: Resampler | null): void {
  installed = runner;
}

/** Runs a job with the installed runner. */
export function resample<I>(job: ResampleJob<I>): Float64Array {
  return (installed ?? resampleHere)(job as ResampleJob);
}

/** Column `j` of a job's values (one value per resample). */
export function column(values: Float64Array, width: number, j: number): Float64Array {
  const n = values.length / width;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = values[r * width + j]!;
  return out;
}
