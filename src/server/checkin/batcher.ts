import type { Database } from "../../db/client.ts";
import { processScans, type ScanRequest } from "./process-scans.ts";
import type { ScanResult } from "./scan.ts";

interface Pending {
  requests: ScanRequest[];
  resolve: (results: ScanResult[]) => void;
  reject: (error: unknown) => void;
}

/** At most this many scans go into one transaction. */
const MAX_BATCH = 1_000;

/**
 * Group commit for check-ins. While a batch of an organization is being written (one at a time on PGlite, up to
 * four on PostgreSQL, where per-person locks keep decisions for one person in order), scans arriving from other
 * kiosks wait and then go together in the next transaction, so under load the per-scan cost is a share of a few
 * queries instead of a whole transaction, and with no load a scan goes alone, at once. If a batch fails, its
 * requests are retried one by one so that one bad request cannot fail the others. A batch starts on the next turn
 * of the event loop (setImmediate), after every request already read from the sockets has been queued.
 */
export class CheckinBatcher {
  private readonly queues = new Map<string, Pending[]>();
  private readonly inFlight = new Map<string, number>();
  /** Batches of one organization written at once: PGlite runs one transaction at a time anyway. */
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.maxInFlight = db.kind === "postgres" ? 4 : 1;
  }

  submit(orgId: string, requests: ScanRequest[]): Promise<ScanResult[]> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(orgId);
      if (!queue) {
        queue = [];
        this.queues.set(orgId, queue);
      }
      queue.push({ requests, resolve, reject });
      const running = this.inFlight.get(orgId) ?? 0;
      if (running < this.maxInFlight) {
        this.inFlight.set(orgId, running + 1);
        setImmediate(() => void this.drain(orgId));
      }
    });
  }

  private async drain(orgId: string): Promise<void> {
    try {
      for (;;) {
        const queue = this.queues.get(orgId);
        if (!queue || queue.length === 0) break;
        const batch: Pending[] = [];
        let size = 0;
        while (queue.length > 0 && (batch.length === 0 || size + queue[0]!.requests.length <= MAX_BATCH)) {
          const next = queue.shift()!;
          size += next.requests.length;
          batch.push(next);
        }
        await this.write(orgId, batch);
        // The embedded database answers without real I/O, so a transaction can run entirely in microtasks and the
        // event loop would not read the requests that arrived meanwhile. Yield to it once per batch so they join
        // the next one.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      const left = (this.inFlight.get(orgId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(orgId, left);
      else this.inFlight.delete(orgId);
      if (this.queues.get(orgId)?.length === 0) this.queues.delete(orgId);
    }
  }

  private async write(orgId: string, batch: Pending[]): Promise<void> {
    const all = batch.flatMap((p) => p.requests);
    try {
      const results = await this.db.withOrg(orgId, (tx) =>
        processScans(tx, orgId, all, this.now(), { lockPeople: this.db.kind === "postgres" }),
      );
      let at = 0;
      for (const p of batch) {
        p.resolve(results.slice(at, at + p.requests.length));
        at += p.requests.length;
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const p of batch) await this.write(orgId, [p]);
    }
  }
}
