import { parentPort, workerData } from "node:worker_threads";
import { type ResampleStep, runBlocks } from "../../core/stats/resampling.ts";
import { importOnce } from "../../threads/import-once.ts";

/**
 * A worker of `resample-threads.ts`: takes blocks of a posted resampling job from the shared counter until none is
 * left, writing values into the shared output and marking each block done; or runs a posted task and answers with
 * its result. It imports the job's kernel, or the task's function, by module and export name, so it runs the very
 * code the calling thread runs.
 */

interface JobMessage {
  module: string;
  name: string;
  input: unknown;
  draws: number[];
  resamples: number;
  seed: number;
  width: number;
  blockSize: number;
  /** This worker's number in the job (1-based), recorded with each block it takes. */
  worker: number;
  control: SharedArrayBuffer;
  out: SharedArrayBuffer;
}

const port = parentPort;
if (!port) throw new Error("resample-worker.ts runs as a worker thread");

async function kernel(module: string, name: string): Promise<(input: unknown) => ResampleStep> {
  const found = (await importOnce(module))[name];
  if (typeof found !== "function") throw new Error(`${module} exports no resample kernel ${name}`);
  return found as (input: unknown) => ResampleStep;
}

/** A whole task: a function of a module called with the posted arguments (see `runTask`). */
interface TaskMessage {
  task: number;
  module: string;
  name: string;
  args: unknown[];
}

async function runTask(message: TaskMessage): Promise<void> {
  try {
    const found = (await importOnce(message.module))[message.name];
    if (typeof found !== "function") throw new Error(`${message.module} exports no function ${message.name}`);
    const result = await (found as (...args: unknown[]) => unknown)(...message.args);
    port!.postMessage({ task: message.task, result });
  } catch (error) {
    port!.postMessage({ task: message.task, error: error instanceof Error ? error.message : String(error) });
  }
}

port.on("message", async (job: JobMessage | TaskMessage) => {
  if ("task" in job) {
    await runTask(job);
    return;
  }
  const control = new Int32Array(job.control);
  const out = new Float64Array(job.out);
  const blocks = Math.ceil(job.resamples / job.blockSize);
  let taken = -1;
  try {
    const step = (await kernel(job.module, job.name))(job.input);
    runBlocks(
      job,
      step,
      job.blockSize,
      () => {
        taken = Atomics.add(control, 0, 1);
        if (taken < blocks) Atomics.store(control, 1 + blocks + taken, job.worker);
        return taken;
      },
      (b) => {
        Atomics.store(control, 1 + b, 1);
        Atomics.notify(control, 1 + b);
        taken = -1;
      },
      out,
    );
  } catch (error) {
    // Give the block back at once rather than let the calling thread wait for it.
    if (taken >= 0 && taken < blocks) {
      Atomics.store(control, 1 + taken, 2);
      Atomics.notify(control, 1 + taken);
    }
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});

// Load the kernels asked for before saying so: a first job would otherwise wait on compiling them.
const preload = (workerData as { preload?: string[] } | null)?.preload ?? [];
await Promise.all(preload.map(importOnce));
port.postMessage({ ready: true });
