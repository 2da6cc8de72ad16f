import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { SURVIVAL_RESAMPLE_KERNEL } from "../../core/stats/compare-survival.ts";
import {
  type ResampleJob,
  type Resampler,
  resampleHere,
  runBlock,
  runBlocks,
  setResampler,
} from "../../core/stats/resampling.ts";
import { workerEntry } from "../../threads/worker-entry.ts";
import { MATCHED_STATISTICS_KERNEL } from "../movement/days-saved.ts";

/**
 * Bootstrap resamples, and whole tasks of a report (`runTask`), shared with worker threads. A report's intervals (2,000 resamples over tens of thousands of
 * matched sets) are most of its computing time; the calling thread and the workers take blocks of resamples from one
 * shared counter, so the work splits by the speed each thread really gets on a busy machine, and the values are those
 * one thread would compute (see `core/stats/resampling.ts`).
 *
 * The calling thread waits for the workers' blocks with Atomics.wait, so the engine stays synchronous. A worker that
 * is not ready yet takes no blocks; a block a worker does not finish in time (crashed, or stopped by the machine) is
 * computed again by the calling thread, so a result never depends on a worker.
 */

/** Below this many row reads (resamples × rows per resample) a job stays on the calling thread. */
const MIN_WORK = 4_000_000;
/**
 * Blocks per thread: enough to even out threads that run at different speeds. (Every thread still steps through the
 * whole random stream, skipping what others drew: about 1 ns per draw against the ~15–30 ns a resample spends per
 * row it reads.)
 */
const BLOCKS_PER_THREAD = 12;

interface PoolWorker {
  worker: Worker;
  ready: boolean;
  /** Tasks posted to this worker and not answered yet, by task number. */
  tasks: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}

interface Pool {
  workers: PoolWorker[];
  /** Longest a calling thread waits for one block a worker took before computing it itself. */
  blockTimeoutMs: number;
}

let pool: Pool | null = null;

/**
 * What the threads have done since they started: jobs shared, blocks workers computed, blocks taken back, tasks a
 * worker answered.
 */
const tally = { jobs: 0, workerBlocks: 0, retaken: 0, tasks: 0 };

export function resampleTally(): Readonly<typeof tally> {
  return { ...tally };
}

/** The ROI engine, whose curve and offline comparison an event report hands to a worker (see `runTask`). */
export const ROI_ENGINE = new URL("../../core/roi/index.ts", import.meta.url).href;

/**
 * The product's kernels and engines: each worker loads them before it says it is ready, so the first report is
 * shared too.
 */
export const PRODUCT_KERNELS = [
  SURVIVAL_RESAMPLE_KERNEL.module,
  MATCHED_STATISTICS_KERNEL.module,
  ROI_ENGINE,
];

/**
 * Starts `threads` workers (default: one per core beyond the first, at most 3) and installs the shared runner for
 * every later bootstrap. Returns once the workers have loaded the kernel modules of `preload` (default: the
 * product's) and are ready to take blocks; before that, jobs run here alone.
 */
export async function startResampleThreads(
  options: { threads?: number; blockTimeoutMs?: number; preload?: readonly string[] } = {},
): Promise<void> {
  if (pool) return;
  const threads = options.threads ?? Math.min(3, availableParallelism() - 1);
  if (threads < 1) return;
  const source = workerEntry(new URL("./resample-worker.ts", import.meta.url).href); // throws, leaving nothing installed, when the loader cannot be found
  const current: Pool = { workers: [], blockTimeoutMs: options.blockTimeoutMs ?? 5_000 };
  pool = current;
  Object.assign(tally, { jobs: 0, workerBlocks: 0, retaken: 0, tasks: 0 });
  setResampler(threadedResampler(current));
  await Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(source, {
        eval: true,
        workerData: { preload: options.preload ?? PRODUCT_KERNELS },
      });
      const entry: PoolWorker = { worker, ready: false, tasks: new Map() };
      current.workers.push(entry);
      const fail = (why: string) => {
        entry.ready = false;
        for (const task of entry.tasks.values()) task.reject(new Error(why));
        entry.tasks.clear();
      };
      worker.on("error", (error) => fail(`worker failed: ${error.message}`));
      worker.on("exit", () => fail("worker stopped"));
      worker.on("message", (message: { task?: number; result?: unknown; error?: string }) => {
        if (message.task === undefined) return;
        const task = entry.tasks.get(message.task);
        if (!task) return;
        entry.tasks.delete(message.task);
        if (message.error !== undefined) task.reject(new Error(message.error));
        else {
          tally.tasks++;
          task.resolve(message.result);
        }
      });
      await new Promise<void>((resolve) => {
        worker.once("message", () => {
          entry.ready = true;
          resolve();
        });
        worker.once("error", () => resolve());
        worker.once("exit", () => resolve());
      });
      // Idle workers never keep the process alive; unref'd only now, after every listener is on (a listener added
      // later refs the worker's port again).
      worker.unref();
    }),
  );
}

/** Stops the workers; bootstraps run on the calling thread again. */
export async function stopResampleThreads(): Promise<void> {
  const current = pool;
  if (!current) return;
  pool = null;
  setResampler(null);
  await Promise.all(current.workers.map((w) => w.worker.terminate()));
}

let nextTask = 0;

/**
 * Runs `name(...args)` of the module at `module` on a worker (the least busy ready one), or returns null when no
 * worker is ready: the caller then computes it itself. Arguments and result are copied between threads, except
 * typed arrays on shared memory, which both threads read in place (see `DealSetBuilder.build({ shared })`). The
 * promise fails when the worker reports an error, stops, or takes longer than `timeoutMs` (default 30 s: the worker is
 * then stopped); callers then compute it themselves, so a result never depends on a worker.
 */
export function runTask<T>(
  module: string,
  name: string,
  args: unknown[],
  timeoutMs = 30_000,
): Promise<T> | null {
  const ready = pool?.workers.filter((w) => w.ready) ?? [];
  if (ready.length === 0) return null;
  const entry = ready.reduce((a, b) => (b.tasks.size < a.tasks.size ? b : a));
  const id = nextTask++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      entry.tasks.delete(id);
      reject(new Error(`task ${name} took longer than ${timeoutMs} ms`));
      // A worker stuck on a task would hold up every later job and task: it is stopped.
      entry.ready = false;
      void entry.worker.terminate();
    }, timeoutMs);
    // The timer stays referenced: while a task is pending the process lives on to take its answer (the workers
    // themselves are unreferenced, and a caller with nothing else to do would otherwise end with the task unanswered).
    entry.tasks.set(id, {
      resolve: (value) => {
        clearTimeout(timer);
        resolve(value as T);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    try {
      entry.worker.postMessage({ task: id, module, name, args });
    } catch (error) {
      // Arguments that cannot be posted: nothing reached the worker.
      clearTimeout(timer);
      entry.tasks.delete(id);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** How many workers take blocks now. */
export function resampleThreads(): number {
  return pool ? pool.workers.filter((w) => w.ready).length : 0;
}

function threadedResampler(current: Pool): Resampler {
  return (job: ResampleJob): Float64Array => {
    const ready = current.workers.filter((w) => w.ready);
    if (ready.length === 0 || job.resamples * job.work < MIN_WORK) return resampleHere(job);
    const threads = ready.length + 1;
    const blockSize = Math.max(1, Math.ceil(job.resamples / (threads * BLOCKS_PER_THREAD)));
    const blocks = Math.ceil(job.resamples / blockSize);
    // control[0]: the next block to take; control[1 + b]: 0 while block b is pending, 1 done, 2 given up;
    // control[1 + blocks + b]: which worker took it (1-based; 0: the calling thread).
    const control = new Int32Array(new SharedArrayBuffer(4 * (1 + 2 * blocks)));
    const out = new Float64Array(new SharedArrayBuffer(8 * job.resamples * job.width));
    const message = {
      module: job.kernel.module,
      name: job.kernel.name,
      input: job.input,
      draws: job.draws,
      resamples: job.resamples,
      seed: job.seed,
      width: job.width,
      blockSize,
      control: control.buffer,
      out: out.buffer,
    };
    ready.forEach((w, i) => {
      w.worker.postMessage({ ...message, worker: i + 1 });
    });
    const step = job.kernel.prepare(job.input);
    let mine = 0;
    runBlocks(
      job,
      step,
      blockSize,
      () => Atomics.add(control, 0, 1),
      (b) => {
        Atomics.store(control, 1 + b, 1);
        mine++;
      },
      out,
    );
    // Every block is taken by now; wait for those the workers took.
    let retaken = 0;
    for (let b = 0; b < blocks; b++) {
      if (Atomics.load(control, 1 + b) === 1) continue;
      const waited = Atomics.wait(control, 1 + b, 0, current.blockTimeoutMs);
      if (Atomics.load(control, 1 + b) !== 1) {
        runBlock(job, step, blockSize, b, out);
        retaken++;
        // A worker that did not finish its block in time is stopped, so that later jobs do not queue behind it.
        const owner = ready[Atomics.load(control, 1 + blocks + b) - 1];
        if (waited === "timed-out" && owner) {
          owner.ready = false;
          void owner.worker.terminate();
        }
      }
    }
    tally.jobs++;
    tally.workerBlocks += blocks - mine - retaken;
    tally.retaken += retaken;
    // A copy: a stalled worker may still write its block (the same values) into the shared buffer.
    return new Float64Array(out);
  };
}
