import { isMainThread, threadId, workerData } from "node:worker_threads";
import type { ResampleKernel, ResampleStep } from "../../core/stats/resampling.ts";

/**
 * A kernel for the tests of `resample-threads.ts`: the mean of resampled values, slowed by `spin` extra passes so
 * a job lasts long enough for workers to take part. Off the main thread it can fail or hang on purpose.
 */
export interface FixtureInput {
  values: Float64Array;
  spin: number;
  inWorker: "compute" | "throw" | "hang";
}

/** In a resample worker (not merely off the main thread: a test runner may run tests in threads of its own). */
const inResampleWorker =
  !isMainThread && Array.isArray((workerData as { preload?: unknown } | null)?.preload);

export function fixtureStep(input: FixtureInput): ResampleStep {
  const { values, spin, inWorker } = input;
  return (counts, out, at) => {
    if (inResampleWorker && inWorker === "throw") throw new Error("this worker fails on purpose");
    if (inResampleWorker && inWorker === "hang")
      for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    const c = counts[0]!;
    let mean = 0;
    for (let pass = 0; pass <= spin; pass++) {
      let s = 0;
      for (let i = 0; i < values.length; i++) s += c[i]! * values[i]!;
      mean = s / values.length;
    }
    out[at] = mean;
  };
}

export const FIXTURE_KERNEL: ResampleKernel<FixtureInput> = {
  module: import.meta.url,
  name: "fixtureStep",
  prepare: fixtureStep,
};

/** A task for the tests of `runTask`: writes 7 into the first cell of `cells` and says which thread it ran on. */
export function markCells(cells: Int32Array): { threadId: number } {
  cells[0] = 7;
  return { threadId };
}

/** A task that takes `ms` milliseconds (the worker blocked meanwhile) and then answers. */
export function slowTask(ms: number): string {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return `done after ${ms} ms`;
}

/** A task that fails. */
export function failingTask(): never {
  throw new Error("this task fails on purpose");
}

/** A task that never ends. */
export function hangingTask(): never {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
