import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../test/db.ts";
import { type Database, rows } from "../db/client.ts";
import { backoffMs, MAX_ATTEMPTS } from "./backoff.ts";
import { enqueueEmail } from "./enqueue-email.ts";
import { JobRunner, scheduleJob } from "./job-runner.ts";
import { smtpTransport } from "./mail-transport.ts";
import { OutboxWorker } from "./outbox-worker.ts";
import { mailText, startTestSmtp, type TestSmtp } from "./test-smtp.ts";

let db: Database;
let smtp: TestSmtp;
let orgId: string;
let clock = new Date("2025-10-14T08:00:00Z");
const now = () => clock;
beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startTestSmtp();
  orgId = await createTestOrg(db);
});
afterAll(async () => {
  await smtp.close();
  await db.close();
});

function worker() {
  return new OutboxWorker({
    db,
    transport: smtpTransport(smtp.url),
    from: "Events <events@example.test>",
    now,
  });
}

async function status(id: string) {
  const [row] = await db.withOrg(orgId, (tx) =>
    rows<{ status: string; attempts: number; last_error: string | null; next_attempt_at: Date | string }>(
      tx,
      sql`select status, attempts, last_error, next_attempt_at from email_outbox where id = ${id}`,
    ),
  );
  return row!;
}

describe("email outbox", () => {
  it("delivers a queued email over SMTP and marks it sent", async () => {
    const id = await db.withOrg(orgId, (tx) =>
      enqueueEmail(
        tx,
        orgId,
        { to: "ada@example.test", subject: "Your ticket", text: "Code: TL1.abc", purpose: "ticket" },
        clock,
      ),
    );
    expect((await status(id)).status).toBe("queued");
    const before = smtp.received.length;
    expect(await worker().runOnce()).toEqual({ sent: 1, failed: 0 });
    const [mail] = smtp.received.slice(before);
    expect(mail!.to).toEqual(["ada@example.test"]);
    expect(mailText(mail!.raw)).toContain("Code: TL1.abc");
    expect(mail!.raw.toLowerCase()).toContain(`x-throughline-outbox-id: ${id}`);
    expect(await status(id)).toMatchObject({ status: "sent", attempts: 1, last_error: null });
    expect(await worker().runOnce()).toEqual({ sent: 0, failed: 0 });
  });

  it("retries a refused email after a growing delay with the last error visible", async () => {
    const id = await db.withOrg(orgId, (tx) =>
      enqueueEmail(tx, orgId, { to: "bo@example.test", subject: "s", text: "t", purpose: "ticket" }, clock),
    );
    smtp.failNext(1);
    expect(await worker().runOnce()).toEqual({ sent: 0, failed: 1 });
    const after = await status(id);
    expect(after).toMatchObject({ status: "queued", attempts: 1 });
    expect(after.last_error).toContain("mailbox busy");
    expect(new Date(after.next_attempt_at).getTime()).toBe(clock.getTime() + backoffMs(1));
    // Not due yet: nothing happens.
    expect(await worker().runOnce()).toEqual({ sent: 0, failed: 0 });
    clock = new Date(clock.getTime() + backoffMs(1));
    expect(await worker().runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(await status(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("marks an email failed after the last attempt", async () => {
    const id = await db.withOrg(orgId, (tx) =>
      enqueueEmail(tx, orgId, { to: "cy@example.test", subject: "s", text: "t", purpose: "ticket" }, clock),
    );
    smtp.failNext(MAX_ATTEMPTS);
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      expect(await worker().runOnce()).toEqual({ sent: 0, failed: 1 });
      clock = new Date(clock.getTime() + backoffMs(i));
    }
    expect(await status(id)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(await worker().runOnce()).toEqual({ sent: 0, failed: 0 });
  });

  it("gives an email interrupted mid-send back to the queue once its lease is over", async () => {
    const id = await db.withOrg(orgId, (tx) =>
      enqueueEmail(tx, orgId, { to: "di@example.test", subject: "s", text: "t", purpose: "ticket" }, clock),
    );
    await db.withOrg(orgId, (tx) =>
      tx.execute(
        sql`update email_outbox set status = 'sending', next_attempt_at = ${clock.toISOString()}::timestamptz where id = ${id}`,
      ),
    );
    expect(await worker().recoverStale()).toBeGreaterThanOrEqual(1);
    expect((await status(id)).status).toBe("queued");
  });

  it("grows the retry delay fourfold and caps it at six hours", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(a) / 1000)).toEqual([
      30, 120, 480, 1920, 7680, 21600, 21600,
    ]);
  });
});

describe("job runner", () => {
  it("runs a due job once, retries a failing one, and schedules a dedupe key once", async () => {
    const seen: string[] = [];
    let failOnce = true;
    const runner = new JobRunner(db, now)
      .register("remind", async ({ payload }) => {
        seen.push(String(payload.who));
      })
      .register("flaky", async () => {
        if (failOnce) {
          failOnce = false;
          throw new Error("downstream unavailable");
        }
        seen.push("flaky");
      });
    const [a, b] = await db.withOrg(orgId, async (tx) => [
      await scheduleJob(tx, orgId, {
        kind: "remind",
        runAt: clock,
        payload: { who: "ada" },
        dedupeKey: "remind:ada",
      }),
      await scheduleJob(tx, orgId, {
        kind: "remind",
        runAt: clock,
        payload: { who: "ada" },
        dedupeKey: "remind:ada",
      }),
    ]);
    expect(a).toBe(b);
    await db.withOrg(orgId, (tx) =>
      scheduleJob(tx, orgId, {
        kind: "remind",
        runAt: new Date(clock.getTime() + 3_600_000),
        payload: { who: "later" },
      }),
    );
    await db.withOrg(orgId, (tx) => scheduleJob(tx, orgId, { kind: "flaky", runAt: clock }));
    expect(await runner.runOnce()).toEqual({ done: 1, failed: 1 });
    expect(seen).toEqual(["ada"]);
    clock = new Date(clock.getTime() + backoffMs(1));
    expect(await runner.runOnce()).toEqual({ done: 1, failed: 0 });
    expect(seen).toEqual(["ada", "flaky"]);
    const [flaky] = await db.withOrg(orgId, (tx) =>
      rows<{ status: string; attempts: number }>(
        tx,
        sql`select status, attempts from jobs where kind = 'flaky'`,
      ),
    );
    expect(flaky).toEqual({ status: "done", attempts: 2 });
  });
});

describe("job runner leases", () => {
  it("gives a job back to the queue after a crash only once its lease is over", async () => {
    const runner = new JobRunner(db, now, () => {}, 60_000);
    let release: () => void = () => {};
    runner.register("slow", () => new Promise<void>((resolve) => (release = resolve)));
    const id = await db.withOrg(orgId, (tx) => scheduleJob(tx, orgId, { kind: "slow", runAt: clock }));
    const pass = runner.runOnce();
    // Wait until the job is claimed (running) and hangs.
    for (let i = 0; i < 100; i++) {
      const [j] = await db.withOrg(orgId, (tx) =>
        rows<{ status: string }>(tx, sql`select status from jobs where id = ${id}`),
      );
      if (j!.status === "running") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await new JobRunner(db, now).recoverStale()).toBe(0);
    clock = new Date(clock.getTime() + 61_000);
    expect(await new JobRunner(db, now).recoverStale()).toBe(1);
    release();
    await pass;
  });
});
