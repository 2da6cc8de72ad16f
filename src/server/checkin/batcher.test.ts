import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { CheckinBatcher } from "./batcher.ts";
import type { ScanRequest } from "./process-scans.ts";
import type { ScanResult } from "./scan.ts";

/**
 * An embedded database whose thread holds each batch until the test lets it go: the batches sent, in order, and a
 * way to finish each with one answer per scan (the scan's nonce, so that answers can be matched to requests).
 */
function heldDatabase() {
  const batches: { requests: ScanRequest[]; finish: () => void }[] = [];
  const db = {
    kind: "pglite",
    callInThread: (_module: string, _name: string, args: { requests: ScanRequest[] }) =>
      new Promise((resolve) => {
        batches.push({
          requests: args.requests,
          finish: () =>
            resolve({
              results: args.requests.map(
                (r): ScanResult =>
                  ({ nonce: r.scan.nonce, outcome: "checked_in", replay: false }) as unknown as ScanResult,
              ),
              signatures: 0,
            }),
        });
      }),
  } as unknown as Database;
  return { db, batches };
}

const scan = (): ScanRequest => ({
  eventId: randomUUID(),
  userId: randomUUID(),
  scan: { nonce: `n-${randomUUID()}`, ticket: "TL1x", direction: "entry", method: "qr" },
});
/** Lets the batcher's next turn of the event loop run (two turns: it may schedule its own after this one's). */
const turn = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe("check-in batches on the embedded database", () => {
  it("sends a lone scan at once, then a second batch only once 48 scans wait, never more than two at a time", async () => {
    const { db, batches } = heldDatabase();
    const batcher = new CheckinBatcher(db, () => new Date());
    const org = randomUUID();

    const first = batcher.submit(org, [scan()]);
    await turn();
    expect(batches.map((b) => b.requests.length)).toEqual([1]);

    // 47 kiosks while the first is written: too few for a transaction of their own.
    const waiting = Array.from({ length: 47 }, () => scan());
    const answers = waiting.map((s) => batcher.submit(org, [s]));
    await turn();
    expect(batches).toHaveLength(1);

    // The 48th: they go together, beside the first.
    const last = scan();
    answers.push(batcher.submit(org, [last]));
    await turn();
    expect(batches.map((b) => b.requests.length)).toEqual([1, 48]);
    expect(batches[1]!.requests.map((r) => r.scan.nonce)).toEqual(
      [...waiting, last].map((s) => s.scan.nonce),
    );

    // Two are being written: however many wait, a third waits for one of them to end.
    const later = Array.from({ length: 60 }, () => scan());
    const laterAnswers = later.map((s) => batcher.submit(org, [s]));
    await turn();
    expect(batches).toHaveLength(2);
    batches[0]!.finish();
    expect((await first).map((r) => r.nonce)).toHaveLength(1);
    await turn();
    expect(batches.map((b) => b.requests.length)).toEqual([1, 48, 60]);

    // Each kiosk gets the answer to its own scan.
    batches[1]!.finish();
    batches[2]!.finish();
    const got = await Promise.all([...answers, ...laterAnswers]);
    expect(got.map((r) => r[0]!.nonce)).toEqual([...waiting, last, ...later].map((s) => s.scan.nonce));
  });
});
