import { sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import { type Database, rows } from "../db/client.ts";
import { backoffMs, MAX_ATTEMPTS } from "./backoff.ts";
import { orgsWithDueWork } from "./due-orgs.ts";
import { Poller } from "./poller.ts";

export interface OutboxWorkerOptions {
  db: Database;
  transport: Pick<Transporter, "sendMail">;
  from: string;
  now?: () => Date;
  /** Emails claimed per organization per pass. */
  batchSize?: number;
  /** How long a claimed email stays "sending" before another pass may take it again (a crashed sender). */
  leaseMs?: number;
  log?: (line: string) => void;
}

interface Claimed {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attempts: number;
}

/**
 * Delivers the email outbox: claims due rows (queued → sending), sends each over SMTP, and marks it sent, or back to
 * queued with a growing delay and the last error, or failed after MAX_ATTEMPTS.
 */
export class OutboxWorker {
  private readonly now: () => Date;
  private poller: Poller | undefined;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** One pass over every organization with due email; returns how many were sent and how many failed. */
  async runOnce(): Promise<{ sent: number; failed: number }> {
    const { db } = this.options;
    let sent = 0;
    let failed = 0;
    for (const orgId of await orgsWithDueWork(db, this.now())) {
      const r = await this.deliverOrg(orgId);
      sent += r.sent;
      failed += r.failed;
    }
    return { sent, failed };
  }

  private async deliverOrg(orgId: string): Promise<{ sent: number; failed: number }> {
    const { db, transport, from } = this.options;
    const now = this.now();
    const lease = new Date(now.getTime() + (this.options.leaseMs ?? 5 * 60_000));
    const claimed = await db.withOrg(orgId, (tx) =>
      rows<Claimed>(
        tx,
        sql`update email_outbox set status = 'sending', attempts = attempts + 1, next_attempt_at = ${lease.toISOString()}::timestamptz
            where org_id = ${orgId} and id in (
              select id from email_outbox
              where org_id = ${orgId} and status = 'queued' and next_attempt_at <= ${now.toISOString()}::timestamptz
              order by next_attempt_at, id limit ${this.options.batchSize ?? 50}
              for update skip locked)
            returning id, to_address, subject, text_body, html_body, attempts`,
      ),
    );
    let sent = 0;
    let failed = 0;
    for (const m of claimed) {
      try {
        await transport.sendMail({
          from,
          to: m.to_address,
          subject: m.subject,
          text: m.text_body,
          ...(m.html_body ? { html: m.html_body } : {}),
          headers: { "X-Throughline-Outbox-Id": m.id },
        });
        await db.withOrg(orgId, (tx) =>
          tx.execute(
            sql`update email_outbox set status = 'sent', sent_at = ${this.now().toISOString()}::timestamptz, last_error = null
                where org_id = ${orgId} and id = ${m.id}`,
          ),
        );
        sent++;
      } catch (error) {
        const message = (error as Error).message?.slice(0, 1000) || String(error);
        const giveUp = m.attempts >= MAX_ATTEMPTS;
        const next = new Date(this.now().getTime() + backoffMs(m.attempts));
        await db.withOrg(orgId, (tx) =>
          tx.execute(
            sql`update email_outbox set status = ${giveUp ? "failed" : "queued"}, last_error = ${message},
                  next_attempt_at = ${next.toISOString()}::timestamptz
                where org_id = ${orgId} and id = ${m.id}`,
          ),
        );
        this.options.log?.(`email ${m.id} to ${m.to_address}: attempt ${m.attempts} failed: ${message}`);
        failed++;
      }
    }
    return { sent, failed };
  }

  /**
   * Puts emails whose sender died mid-send back in the queue. Runs once at start-up with the owner handle: it is
   * maintenance across organizations, like a migration, not request work.
   */
  async recoverStale(): Promise<number> {
    const result = await rows<{ id: string }>(
      this.options.db.owner,
      sql`update email_outbox set status = 'queued' where status = 'sending'
          and next_attempt_at <= ${this.now().toISOString()}::timestamptz returning id`,
    );
    return result.length;
  }

  /** Polls every `intervalMs` until stop(); a pass never overlaps the previous one. */
  start(intervalMs = 2_000): void {
    this.poller ??= new Poller(
      () => this.runOnce(),
      intervalMs,
      (error) => this.options.log?.(`outbox pass failed: ${(error as Error).message}`),
    );
    this.poller.start();
  }

  /** Wakes the worker now (a registration queued a ticket) instead of at the next poll. */
  nudge(): void {
    this.poller?.nudge();
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }
}
