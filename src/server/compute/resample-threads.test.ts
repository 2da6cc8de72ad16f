import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { roiCurve } from "../../core/roi/roi-curve.ts";
import { buildTinyWorld, day, EVENT } from "../../core/roi/test-world.ts";
import { compareSurvival, compareSurvivalMatched } from "../../core/stats/compare-survival.ts";
import { createRng } from "../../core/stats/prng.ts";
import { type ResampleJob, resample, resampleHere, runBlocks } from "../../core/stats/resampling.ts";
import { matchedSetOutcomes, type TimedSet } from "../movement/days-saved.ts";
import { FIXTURE_KERNEL, type FixtureInput } from "./resample-fixture.ts";
import {
  ROI_ENGINE,
  resampleTally,
  resampleThreads,
  runTask,
  startResampleThreads,
  stopResampleThreads,
} from "./resample-threads.ts";

afterEach(async () => {
  await stopResampleThreads();
});

function fixtureJob(inWorker: FixtureInput["inWorker"], resamples = 400): ResampleJob<FixtureInput> {
  const rng = createRng(3);
  const values = Float64Array.from({ length: 5_000 }, () => rng.exponential(1 / 30));
  // 400 resamples × 5,000 values × 16 passes: well above the size worth sharing, and long enough (~0.1–0.3 s) for a
  // worker to take blocks on a busy machine.
  return {
    kernel: FIXTURE_KERNEL,
    input: { values, spin: 15, inWorker },
    draws: [values.length],
    resamples,
    seed: 11,
    width: 1,
    work: values.length * 16,
  };
}

describe("resample blocks", () => {
  it("give each resample the same values however the blocks are shared out", () => {
    const job = fixtureJob("compute", 90);
    const step = FIXTURE_KERNEL.prepare(job.input);
    const whole = resampleHere(job as ResampleJob);
    for (const blockSize of [1, 7, 30]) {
      const blocks = Math.ceil(job.resamples / blockSize);
      // Two "threads" taking blocks from one counter in an uneven order: each skips what the other took.
      const out = new Float64Array(job.resamples);
      let next = 0;
      const rng = createRng(blockSize);
      const a: number[] = [];
      const b: number[] = [];
      while (next < blocks) (rng.next() < 0.3 ? a : b).push(next++);
      for (const mine of [a, b]) {
        let i = 0;
        runBlocks(
          job,
          step,
          blockSize,
          () => mine[i++] ?? Number.POSITIVE_INFINITY,
          () => {},
          out,
        );
      }
      expect(out).toEqual(whole);
    }
  });
});

describe("resampling on worker threads", () => {
  it("computes blocks on the workers and gives exactly the values of one thread", async () => {
    const job = fixtureJob("compute");
    const alone = resample(job);
    await startResampleThreads({ threads: 2, preload: [FIXTURE_KERNEL.module] });
    expect(resampleThreads()).toBe(2);
    const shared = resample(job);
    expect(shared).toEqual(alone);
    expect(resampleTally().jobs).toBe(1);
    expect(resampleTally().workerBlocks).toBeGreaterThan(0);
    expect(resampleTally().retaken).toBe(0);
  });

  it("gives the product's survival and days-saved intervals unchanged", async () => {
    const rng = createRng(8);
    const draw = () => {
      const t = rng.exponential(1 / 40);
      return t > 120 ? { days: 120, moved: false } : { days: t, moved: true };
    };
    const sets: TimedSet[] = Array.from({ length: 3_000 }, () => ({
      treated: draw(),
      controls: [draw(), draw()],
    }));
    const time = sets.flatMap((s) => [s.treated.days, ...s.controls.map((c) => c.days)]);
    const event = sets.flatMap((s) => [s.treated.moved, ...s.controls.map((c) => c.moved)]);
    const matched = {
      treated: Int32Array.from(sets, (_, i) => 3 * i),
      controls: Int32Array.from({ length: 2 * sets.length }, (_, j) => 3 * Math.floor(j / 2) + 1 + (j % 2)),
      k: 2,
    };
    const options = { resamples: 1_000, seed: 4 };
    // Unmatched groups draw two count arrays per resample (treated, then control).
    const treated = { time: time.filter((_, i) => i % 3 === 0), event: event.filter((_, i) => i % 3 === 0) };
    const control = { time: time.filter((_, i) => i % 3 !== 0), event: event.filter((_, i) => i % 3 !== 0) };
    const run = () => ({
      survival: compareSurvivalMatched(time, event, matched as never, options),
      independent: compareSurvival(treated, control, options),
      outcomes: matchedSetOutcomes(sets, [30, 90], 60, options),
    });
    const alone = run();
    await startResampleThreads({ threads: 1 });
    const shared = run();
    expect(shared).toEqual(alone);
    expect(alone.outcomes.daysSaved[1]!.ci).not.toBeNull();
    expect(resampleTally().workerBlocks).toBeGreaterThan(0);
  });

  it("takes back the blocks of a worker that fails, and of one that hangs, with the same values", async () => {
    const alone = resample(fixtureJob("compute"));
    await startResampleThreads({ threads: 1, preload: [FIXTURE_KERNEL.module] });
    expect(resample(fixtureJob("throw"))).toEqual(alone);
    expect(resampleTally().retaken).toBeGreaterThan(0);
    await stopResampleThreads();
    await startResampleThreads({ threads: 1, blockTimeoutMs: 200, preload: [FIXTURE_KERNEL.module] });
    expect(resample(fixtureJob("hang"))).toEqual(alone);
    expect(resampleTally().retaken).toBeGreaterThan(0);
    // The stalled worker is stopped and takes no more work.
    expect(resampleThreads()).toBe(0);
  });

  it("keeps small jobs on the calling thread", async () => {
    await startResampleThreads({ threads: 1 });
    const small = { ...fixtureJob("compute", 20), work: 10 };
    expect(resample(small)).toEqual(resampleHere(small as ResampleJob));
    expect(resampleTally().jobs).toBe(0);
  });
});

describe("worker threads and the process", () => {
  it("never keep a process alive that has nothing else to do", () => {
    // A process that starts the workers and then ends its work must exit on its own (a command, a benchmark).
    const module = fileURLToPath(new URL("./resample-threads.ts", import.meta.url));
    const script = `const m = await import(${JSON.stringify(module)});
      await m.startResampleThreads({ threads: 1 }); console.log("threads", m.resampleThreads());`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.stdout.trim()).toBe("threads 1");
    expect(child.signal).toBeNull(); // not stopped by the timeout
    expect(child.status).toBe(0);
  }, 40_000);

  it("keep it alive while a task it waits for is running", () => {
    // Nothing else to do but wait for the task: the process must not end (exit code 13, "unsettled top-level
    // await") before the answer comes.
    const threads = fileURLToPath(new URL("./resample-threads.ts", import.meta.url));
    const fixture = new URL("./resample-fixture.ts", import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(threads)});
      await m.startResampleThreads({ threads: 1, preload: [${JSON.stringify(fixture)}] });
      console.log(await m.runTask(${JSON.stringify(fixture)}, "slowTask", [300]));`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.stdout.trim()).toBe("done after 300 ms");
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  }, 40_000);
});

describe("whole tasks on worker threads", () => {
  it("runs a task on a worker, which reads shared memory in place", async () => {
    expect(runTask(FIXTURE_KERNEL.module, "markCells", [new Int32Array(1)])).toBeNull();
    await startResampleThreads({ threads: 1, preload: [FIXTURE_KERNEL.module] });
    const cells = new Int32Array(new SharedArrayBuffer(8));
    const answer = await runTask<{ threadId: number }>(FIXTURE_KERNEL.module, "markCells", [cells]);
    expect(answer!.threadId).toBeGreaterThan(0);
    expect(cells[0]).toBe(7);
    // A copy is all a worker gets of memory that is not shared.
    const copied = new Int32Array(2);
    await runTask(FIXTURE_KERNEL.module, "markCells", [copied]);
    expect(copied[0]).toBe(0);
    expect(resampleTally().tasks).toBe(2);
  });

  it("gives an event's ROI curve exactly as this thread does, from a deal set on shared memory", async () => {
    const deals = buildTinyWorld(undefined, 365, { shared: true });
    expect(deals.touchAt.buffer).toBeInstanceOf(SharedArrayBuffer);
    const input = {
      eventId: EVENT,
      eventStartsAt: day(-1),
      eventEndsAt: day(0),
      cost: 20_000,
      now: day(250),
      accelerationByHorizon: new Map([[30, 5]]),
    };
    await startResampleThreads({ threads: 1 });
    const there = await runTask(ROI_ENGINE, "roiCurve", [deals, input]);
    expect(there).toEqual(roiCurve(deals, input));
    expect(resampleTally().tasks).toBe(1);
  });

  it("fails a task whose function throws, or that a worker does not have", async () => {
    await startResampleThreads({ threads: 1, preload: [FIXTURE_KERNEL.module] });
    await expect(runTask(FIXTURE_KERNEL.module, "failingTask", [])).rejects.toThrow(
      "this task fails on purpose",
    );
    await expect(runTask(FIXTURE_KERNEL.module, "noSuchTask", [])).rejects.toThrow(
      /exports no function noSuchTask/,
    );
    expect(resampleTally().tasks).toBe(0);
    // A task that does not end in time fails, and its worker is stopped: nothing more is given to it.
    await expect(runTask(FIXTURE_KERNEL.module, "hangingTask", [], 200)).rejects.toThrow(
      /longer than 200 ms/,
    );
    expect(resampleThreads()).toBe(0);
    expect(runTask(FIXTURE_KERNEL.module, "markCells", [new Int32Array(1)])).toBeNull();
    // What a worker has when the threads stop fails too.
    await stopResampleThreads();
    await startResampleThreads({ threads: 1, preload: [FIXTURE_KERNEL.module] });
    const pending = runTask(FIXTURE_KERNEL.module, "hangingTask", []);
    await stopResampleThreads();
    await expect(pending).rejects.toThrow(/stopped/);
  });
});
