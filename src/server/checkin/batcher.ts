import type { Database } from "../../db/client.ts";
import {
  PROCESS_SCANS_MODULE,
  processScans,
  type processScansInThread,
  type ScanRequest,
} from "./process-scans.ts";
import type { ScanResult } from "./scan.ts";
import { countSignatureChecks } from "./verify-scans.ts";

interface Pending {
  requests: ScanRequest[];
  resolve: (results: ScanResult[]) => void;
  reject: (error: unknown) => void;
}

/** At most this many scans go into one transaction. */
const MAX_BATCH = 1_000;
/**
 * While a batch is being written, another starts only once this many scans wait: on PostgreSQL, and embedded, where
 * the next batch waits in the database's thread. Embedded, larger batches share the transaction's fixed cost (~1.5 ms:
 * its start, two statements' planning and messages, the commit) among more scans: with 48, 100 kiosks made batches
 * of ~50 instead of ~34, and the thread spent ~255 µs per check-in instead of ~290 (three runs each, alternating).
 */
const MIN_SCANS_FOR_ANOTHER_BATCH = { postgres: 16, pglite: 48 } as const;

/** Transactions written by the batchers of this process and the scans in them (for the benchmark and monitoring). */
const written = { transactions: 0, scans: 0, largest: 0 };
export function checkinBatchStats(): Readonly<typeof written> {
  return { ...written };
}

interface OrgQueue {
  queue: Pending[];
  queuedScans: number;
  /** Batches being written. */
  writing: number;
  /** A start is due on the next turn of the event loop. */
  scheduled: boolean;
}

/**
 * Group commit for check-ins. While a batch of an organization is being written, scans arriving from other kiosks
 * wait and then go together in the next transaction, so under load the per-scan cost is a share of a few statements
 * instead of a whole transaction, and with no load a scan goes alone, at once. Embedded, a batch is one call to the
 * database's thread (`Database.callInThread`), which runs one transaction at a time: a second batch waits there and
 * starts the moment the first commits, so the thread never idles while this one gathers the next; it is sent once
 * MIN_SCANS_FOR_ANOTHER_BATCH scans wait. On PostgreSQL another (up to four) starts while one is being written only
 * once MIN_SCANS_FOR_ANOTHER_BATCH scans wait, so that the server's work on one batch overlaps this process's work on
 * the next without splitting the scans into many small transactions; per-person locks keep the decisions for one person in order. (Starting
 * another batch whatever waited split 100 kiosks into batches of about 18 and cost PostgreSQL 170–210 µs of CPU
 * per check-in; with 16, batches of about 32 and 125–140 µs; with 64, nearly one batch at a time, 100 µs, but the
 * two sides took turns and the rate was no better.) If a batch fails, its requests are retried one by one so that one
 * bad request cannot fail the others.
 */
export class CheckinBatcher {
  private readonly orgs = new Map<string, OrgQueue>();
  /** Batches of one organization written (or, embedded, queued in the database's thread) at once. */
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {
    this.maxInFlight = db.kind === "postgres" ? 4 : db.callInThread ? 2 : 1;
  }

  submit(orgId: string, requests: ScanRequest[]): Promise<ScanResult[]> {
    return new Promise((resolve, reject) => {
      let org = this.orgs.get(orgId);
      if (!org) {
        org = { queue: [], queuedScans: 0, writing: 0, scheduled: false };
        this.orgs.set(orgId, org);
      }
      org.queue.push({ requests, resolve, reject });
      org.queuedScans += requests.length;
      this.schedule(orgId, org);
    });
  }

  /**
   * A batch may start when none of the organization's is being written, or, while others are, once enough scans
   * wait to make another transaction worth its fixed cost (a few round trips and statements): under load the scans
   * go in a few large batches rather than many small ones.
   */
  private mayStart(org: OrgQueue): boolean {
    return (
      org.queue.length > 0 &&
      org.writing < this.maxInFlight &&
      (org.writing === 0 || org.queuedScans >= MIN_SCANS_FOR_ANOTHER_BATCH[this.db.kind])
    );
  }

  private schedule(orgId: string, org: OrgQueue): void {
    if (org.scheduled || !this.mayStart(org)) return;
    org.scheduled = true;
    // The next turn of the event loop, after the requests already read from the sockets have been queued. (The
    // embedded database answers without real I/O, so a transaction can run entirely in microtasks; without this
    // turn, the requests that arrived meanwhile would not join the next batch.)
    setImmediate(() => {
      org.scheduled = false;
      this.start(orgId, org);
    });
  }

  private start(orgId: string, org: OrgQueue): void {
    while (this.mayStart(org)) {
      const batch: Pending[] = [];
      let size = 0;
      while (
        org.queue.length > 0 &&
        (batch.length === 0 || size + org.queue[0]!.requests.length <= MAX_BATCH)
      ) {
        const next = org.queue.shift()!;
        size += next.requests.length;
        batch.push(next);
      }
      org.queuedScans -= size;
      org.writing++;
      void this.write(orgId, batch).finally(() => {
        org.writing--;
        if (org.writing === 0 && org.queue.length === 0) this.orgs.delete(orgId);
        else this.schedule(orgId, org);
      });
    }
  }

  /**
   * The batch's transaction: embedded, in the database's thread, whole (one message each way; the thread serving
   * HTTP goes on meanwhile); on PostgreSQL, here, with per-person locks.
   */
  private async process(orgId: string, requests: ScanRequest[]): Promise<ScanResult[]> {
    const now = this.now();
    if (this.db.callInThread) {
      const { results, signatures } = await this.db.callInThread<
        Parameters<typeof processScansInThread>[1],
        Awaited<ReturnType<typeof processScansInThread>>
      >(PROCESS_SCANS_MODULE, "processScansInThread", { orgId, requests, now });
      countSignatureChecks(signatures);
      return results;
    }
    return this.db.withOrg(orgId, (tx) =>
      processScans(tx, orgId, requests, now, { lockPeople: this.db.kind === "postgres", run: this.db.run }),
    );
  }

  private async write(orgId: string, batch: Pending[]): Promise<void> {
    const all = batch.flatMap((p) => p.requests);
    written.transactions++;
    written.scans += all.length;
    written.largest = Math.max(written.largest, all.length);
    try {
      const results = await this.process(orgId, all);
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
