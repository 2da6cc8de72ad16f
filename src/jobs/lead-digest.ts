// The daily digest of leads past their follow-up SLA, one email per owner, run by the durable job runner.
// Capturing a lead schedules the next digest of its organization (once per day, by dedupe key); each run schedules
// the following day's, so an organization that captures leads gets a digest every morning at 08:00 UTC.

import { sql } from "drizzle-orm";
import { type DigestLead, type OwnerDigest, overdueDigests, renderDigest } from "../core/leads/digest.ts";
import type { Tier } from "../core/leads/vocabulary.ts";
import { type Database, rows, type Tx } from "../db/client.ts";
import { emailOutbox } from "../db/schema/index.ts";
import { type JobContext, type JobRunner, scheduleJob } from "./job-runner.ts";

export const LEAD_DIGEST_JOB = "lead_sla_digest";
/** Hour of the day (UTC) at which digests go out. */
export const LEAD_DIGEST_HOUR_UTC = 8;

/** The next 08:00 UTC strictly after `now`. */
export function nextDigestTime(now: Date): Date {
  const at = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), LEAD_DIGEST_HOUR_UTC, 0, 0),
  );
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

/** Schedules the organization's next digest (idempotent: one per day). The job carries the day it is for. */
export async function scheduleLeadDigest(tx: Tx, orgId: string, now: Date): Promise<string> {
  const runAt = nextDigestTime(now);
  const day = runAt.toISOString().slice(0, 10);
  return scheduleJob(tx, orgId, {
    kind: LEAD_DIGEST_JOB,
    runAt,
    payload: { day },
    dedupeKey: `lead-digest:${day}`,
  });
}

/** Every lead of the organization past its SLA at `now` with no follow-up, grouped by owner. */
export async function loadOverdueDigests(tx: Tx, orgId: string, now: Date): Promise<OwnerDigest[]> {
  const list = await rows<{
    id: string;
    owner_user_id: string | null;
    person_name: string;
    event_name: string;
    tier: Tier | null;
    sla_due_at: Date | string | null;
    next_step: string | null;
  }>(
    tx,
    sql`select l.id, l.owner_user_id, l.tier, l.sla_due_at, e.name as event_name,
          coalesce(nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), ''), p.email, 'unknown')
            as person_name,
          (select c.next_step from conversations c where c.org_id = l.org_id and c.event_id = l.event_id
             and c.person_id = l.person_id and c.next_step is not null order by c.occurred_at desc limit 1) as next_step
        from leads l
        join people p on p.org_id = l.org_id and p.id = l.person_id
        join events e on e.org_id = l.org_id and e.id = l.event_id
        where l.org_id = ${orgId} and l.sla_due_at < ${now.toISOString()}::timestamptz
          and l.status not in ('disqualified')
          and not exists (select 1 from follow_ups f where f.org_id = l.org_id and f.lead_id = l.id
                          and f.status in ('sent', 'done'))`,
  );
  const leads: DigestLead[] = list.map((r) => ({
    id: r.id,
    ownerUserId: r.owner_user_id,
    personName: r.person_name,
    eventName: r.event_name,
    tier: r.tier,
    slaDueAt: r.sla_due_at === null ? null : new Date(r.sla_due_at),
    followedUp: false,
    nextStep: r.next_step,
  }));
  return overdueDigests(leads, now);
}

/**
 * Queues one digest email per owner with overdue leads; returns how many were queued. Each email carries the
 * idempotency key (day, owner), so a run repeated for the same day (a job retried after its emails were committed)
 * queues nothing twice. `day` (YYYY-MM-DD) defaults to the UTC day of `now`.
 */
export async function sendLeadDigests(
  tx: Tx,
  orgId: string,
  now: Date,
  day = now.toISOString().slice(0, 10),
): Promise<number> {
  const digests = await loadOverdueDigests(tx, orgId, now);
  const owners = await rows<{ id: string; name: string; email: string }>(
    tx,
    sql`select id, name, email from users where org_id = ${orgId} and disabled_at is null`,
  );
  const byId = new Map(owners.map((o) => [o.id, o]));
  let queued = 0;
  for (const digest of digests) {
    const owner = digest.ownerUserId ? byId.get(digest.ownerUserId) : undefined;
    if (!owner) continue; // unowned leads show in the API's overdue list; nobody to mail
    const mail = renderDigest(digest, owner.name);
    const inserted = await tx
      .insert(emailOutbox)
      .values({
        orgId,
        toAddress: owner.email,
        subject: mail.subject,
        textBody: mail.text,
        purpose: "lead_sla_digest",
        refId: owner.id,
        nextAttemptAt: now,
        idempotencyKey: `lead-sla-digest:${day}:${owner.id}`,
      })
      .onConflictDoNothing({ target: [emailOutbox.orgId, emailOutbox.idempotencyKey] })
      .returning({ id: emailOutbox.id });
    queued += inserted.length;
  }
  return queued;
}

/** The job handler: send today's digests, then schedule tomorrow's. */
export async function runLeadDigestJob(ctx: JobContext): Promise<void> {
  await ctx.db.withOrg(ctx.orgId, async (tx) => {
    const day = typeof ctx.payload.day === "string" ? ctx.payload.day : undefined;
    await sendLeadDigests(tx, ctx.orgId, ctx.now, day);
    await scheduleLeadDigest(tx, ctx.orgId, ctx.now);
  });
}

/** Registers the digest with a job runner (start-workers calls this with the server's runner). */
export function registerLeadDigest(runner: JobRunner): JobRunner {
  return runner.register(LEAD_DIGEST_JOB, runLeadDigestJob);
}

/** For the CLI and tests: run the digest of one organization now. */
export async function runLeadDigestNow(db: Database, orgId: string, now: Date): Promise<number> {
  return db.withOrg(orgId, (tx) => sendLeadDigests(tx, orgId, now));
}
