import { sql } from "drizzle-orm";
import { type Database, rows, type Tx } from "../db/client.ts";
import { backoffMs, MAX_ATTEMPTS } from "./backoff.ts";
import { orgsWithDueWork } from "./due-orgs.ts";
import { Poller } from "./poller.ts";

export interface JobContext {
  db: Database;
  orgId: string;
  jobId: string;
  payload: Record<string, unknown>;
  now: Date;
}
export type JobHandler = (ctx: JobContext) => Promise<void>;

export interface ScheduledJob {
  kind: string;
  runAt: Date;
  payload?: Record<string, unknown>;
  /** The same logical job is scheduled once: a second call with the same key is a no-op. */
  dedupeKey?: string;
}

/** Schedules a job in the caller's transaction; returns its id, or the existing one for a repeated dedupe key. */
export async function scheduleJob(tx: Tx, orgId: string, job: ScheduledJob): Promise<string> {
  if (job.dedupeKey) {
    // Serialise schedulers of the same key (jobs has no unique index on it) so two calls cannot both insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${orgId}:${job.dedupeKey}`}, 0))`);
    const [existing] = await rows<{ id: string }>(
      tx,
      sql`select id from jobs where org_id = ${orgId} and dedupe_key = ${job.dedupeKey} limit 1`,
    );
    if (existing) return existing.id;
  }
  const [row] = await rows<{ id: string }>(
    tx,
    sql`insert into jobs (org_id, kind, run_at, payload, dedupe_key)
        values (${orgId}, ${job.kind}, ${job.runAt.toISOString()}::timestamptz, ${JSON.stringify(job.payload ?? {})}::jsonb,
                ${job.dedupeKey ?? null})
        returning id`,
  );
  return row!.id;
}

/**
 * Runs due jobs from the `jobs` table: pending → running → done, or back to pending with a growing delay and the
 * last error, or failed after MAX_ATTEMPTS. Work survives a restart because it lives in the table, not in memory.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private poller: Poller | undefined;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
    private readonly log: (line: string) => void = () => {},
    /** How long a claimed job is considered running before a restart may take it again. */
    private readonly leaseMs = 15 * 60_000,
  ) {}

  register(kind: string, handler: JobHandler): this {
    this.handlers.set(kind, handler);
    return this;
  }

  /** One pass: every due job of every organization, oldest first. */
  async runOnce(): Promise<{ done: number; failed: number }> {
    let done = 0;
    let failed = 0;
    for (const orgId of await orgsWithDueWork(this.db, this.now())) {
      const kinds = [...this.handlers.keys()];
      if (kinds.length === 0) break;
      const now = this.now();
      const claimed = await this.db.withOrg(orgId, (tx) =>
        rows<{ id: string; kind: string; payload: Record<string, unknown>; attempts: number }>(
          tx,
          sql`update jobs set status = 'running', attempts = attempts + 1,
                run_at = ${new Date(now.getTime() + this.leaseMs).toISOString()}::timestamptz
              where org_id = ${orgId} and id in (
                select id from jobs where org_id = ${orgId} and status = 'pending'
                  and run_at <= ${now.toISOString()}::timestamptz
                  and kind in (${sql.join(
                    kinds.map((k) => sql`${k}`),
                    sql`, `,
                  )})
                order by run_at, id limit 50 for update skip locked)
              returning id, kind, payload, attempts`,
        ),
      );
      for (const job of claimed) {
        try {
          await this.handlers.get(job.kind)!({
            db: this.db,
            orgId,
            jobId: job.id,
            payload: job.payload,
            now,
          });
          await this.db.withOrg(orgId, (tx) =>
            tx.execute(
              sql`update jobs set status = 'done', finished_at = ${this.now().toISOString()}::timestamptz, last_error = null
                  where org_id = ${orgId} and id = ${job.id}`,
            ),
          );
          done++;
        } catch (error) {
          const message = (error as Error).message?.slice(0, 1000) || String(error);
          const giveUp = job.attempts >= MAX_ATTEMPTS;
          const next = new Date(this.now().getTime() + backoffMs(job.attempts));
          await this.db.withOrg(orgId, (tx) =>
            tx.execute(
              sql`update jobs set status = ${giveUp ? "failed" : "pending"}, last_error = ${message},
                    run_at = ${next.toISOString()}::timestamptz,
                    finished_at = ${giveUp ? this.now().toISOString() : null}::timestamptz
                  where org_id = ${orgId} and id = ${job.id}`,
            ),
          );
          this.log(`job ${job.kind} ${job.id}: attempt ${job.attempts} failed: ${message}`);
          failed++;
        }
      }
    }
    return { done, failed };
  }

  /**
   * Jobs left running by a process that stopped go back to pending once their lease is over (owner-level
   * maintenance at start-up; a job another live process is running still holds its lease).
   */
  async recoverStale(): Promise<number> {
    const result = await rows<{ id: string }>(
      this.db.owner,
      sql`update jobs set status = 'pending' where status = 'running'
          and run_at <= ${this.now().toISOString()}::timestamptz returning id`,
    );
    return result.length;
  }

  start(intervalMs = 5_000): void {
    this.poller ??= new Poller(
      () => this.runOnce(),
      intervalMs,
      (error) => this.log(`job pass failed: ${(error as Error).message}`),
    );
    this.poller.start();
  }

  nudge(): void {
    this.poller?.nudge();
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }
}
