import { sql } from "drizzle-orm";
import type { StallReason } from "../../core/movement/stall-reasons.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import { emailQueued } from "../../jobs/wake.ts";
import { type KickoffOptions, kickoffImpact } from "./kickoff-impact.ts";
import { type RoundtableOptions, roundtableMovement } from "./roundtable-movement.ts";

/** What one alert run did. */
export interface AlertRun {
  /** Alerts raised for the first time in this run. */
  raised: number;
  /** Emails queued (one per recipient and subject, even when several horizons are new at once). */
  emailsQueued: number;
  /** Alerts already raised by an earlier run (each alert is raised once). */
  alreadyRaised: number;
  /** New alerts with nobody to tell (no account owner / no address): recorded, not emailed. */
  noRecipient: number;
  alerts: { kind: "stall" | "adoption"; subjectId: string; period: number; outboxId: string | null }[];
}

/** Records an alert once; true when this call raised it. */
async function raise(
  tx: Tx,
  orgId: string,
  alert: {
    eventId: string;
    kind: "stall" | "adoption";
    subjectId: string;
    period: number;
    recipientUserId: string | null;
    detail: Record<string, unknown>;
  },
): Promise<string | null> {
  const [row] = await rows<{ id: string }>(
    tx,
    sql`insert into movement_alerts (org_id, event_id, kind, subject_id, period, recipient_user_id, detail)
        values (${orgId}, ${alert.eventId}, ${alert.kind}, ${alert.subjectId}, ${alert.period},
                ${alert.recipientUserId}, ${JSON.stringify(alert.detail)}::jsonb)
        on conflict (org_id, event_id, kind, subject_id, period) do nothing
        returning id`,
  );
  return row?.id ?? null;
}

async function linkOutbox(tx: Tx, orgId: string, alertIds: string[], outboxId: string): Promise<void> {
  for (const id of alertIds)
    await tx.execute(
      sql`update movement_alerts set outbox_id = ${outboxId} where org_id = ${orgId} and id = ${id}`,
    );
}

/**
 * Stall alerts after an executive event: for every attending account stalled at a horizon (14/30/60 days by
 * default) an alert is recorded once, and the account owner gets one email naming the missing link of the longest
 * new stall. Idempotent: running it again raises nothing new.
 */
export async function sendStallAlerts(
  db: Database,
  orgId: string,
  eventId: string,
  options: RoundtableOptions & { now: Date },
): Promise<AlertRun> {
  // Only the stall flags are needed; a small bootstrap keeps the run cheap.
  const report = await roundtableMovement(db, orgId, eventId, { resamples: 100, ...options });
  const run: AlertRun = { raised: 0, emailsQueued: 0, alreadyRaised: 0, noRecipient: 0, alerts: [] };
  await db.withOrg(orgId, async (tx) => {
    for (const account of report.accounts) {
      const stalled = account.stall.filter((s): s is StallReason => s.status === "stalled");
      const fresh: { id: string; stall: StallReason }[] = [];
      for (const s of stalled) {
        const id = await raise(tx, orgId, {
          eventId,
          kind: "stall",
          subjectId: account.accountId,
          period: s.days,
          recipientUserId: account.owner?.userId ?? null,
          detail: { missingLink: s.missingLink, explanation: s.explanation, chain: s.chain },
        });
        if (id) fresh.push({ id, stall: s });
        else run.alreadyRaised++;
      }
      if (fresh.length === 0) continue;
      run.raised += fresh.length;
      const worst = fresh[fresh.length - 1]!.stall;
      let outboxId: string | null = null;
      if (account.owner?.email) {
        const lines = [
          `${account.name} attended ${report.event.name} on ${report.eventAt.slice(0, 10)} and nothing has moved since.`,
          "",
          `Stalled at ${worst.days} days. Missing link: ${worst.explanation}.`,
          "",
          "What the data shows:",
          ...worst.chain.map(
            (c) => `- ${c.link.replace(/_/g, " ")}: ${c.held ? "held" : "missing"} (${c.evidence})`,
          ),
        ];
        outboxId = await enqueueEmail(
          tx,
          orgId,
          {
            to: account.owner.email,
            subject: `Stalled after ${report.event.name}: ${account.name} (${worst.days} days)`,
            text: lines.join("\n"),
            purpose: "stall_alert",
            refId: account.accountId,
          },
          options.now,
        );
        await linkOutbox(
          tx,
          orgId,
          fresh.map((f) => f.id),
          outboxId,
        );
        run.emailsQueued++;
      } else {
        run.noRecipient += fresh.length;
      }
      for (const f of fresh)
        run.alerts.push({ kind: "stall", subjectId: account.accountId, period: f.stall.days, outboxId });
    }
  });
  if (run.emailsQueued > 0) emailQueued();
  return run;
}

/**
 * Adoption alerts after a sales kickoff: a rep whose messaging adoption over the trailing complete weeks falls
 * below the threshold is recorded once per window end week; the kickoff's owner is told (the rep when the event has
 * no owner).
 */
export async function sendAdoptionAlerts(
  db: Database,
  orgId: string,
  eventId: string,
  options: KickoffOptions & { now: Date },
): Promise<AlertRun> {
  const report = await kickoffImpact(db, orgId, eventId, { resamples: 100, ...options });
  const run: AlertRun = { raised: 0, emailsQueued: 0, alreadyRaised: 0, noRecipient: 0, alerts: [] };
  if (report.alerts.length === 0) return run;
  await db.withOrg(orgId, async (tx) => {
    const [owner] = await rows<{ id: string | null; email: string | null }>(
      tx,
      sql`select u.id, u.email from events e left join users u on u.org_id = e.org_id and u.id = e.owner_user_id
          where e.org_id = ${orgId} and e.id = ${eventId}`,
    );
    for (const a of report.alerts) {
      const [rep] = await rows<{ email: string }>(
        tx,
        sql`select email from users where org_id = ${orgId} and id = ${a.repId}`,
      );
      const to = owner?.email ?? rep?.email ?? null;
      const recipient = owner?.email ? owner.id : a.repId;
      const id = await raise(tx, orgId, {
        eventId,
        kind: "adoption",
        subjectId: a.repId,
        period: a.weeks[1],
        recipientUserId: recipient,
        detail: { ...a },
      });
      if (!id) {
        run.alreadyRaised++;
        continue;
      }
      run.raised++;
      let outboxId: string | null = null;
      if (to) {
        const pct = (v: number) => `${Math.round(v * 100)}%`;
        outboxId = await enqueueEmail(
          tx,
          orgId,
          {
            to,
            subject: `Messaging adoption below ${pct(a.threshold)} after ${report.event.name}: ${a.name}`,
            text: [
              `${a.name} (${a.team}) used the new positioning in ${pct(a.adoption)} of deal notes and call summaries`,
              `in weeks ${a.weeks[0]}–${a.weeks[1]} after ${report.event.name} (${a.notes} notes; threshold ${pct(a.threshold)}).`,
              a.earlier === null ? "" : `Earlier weeks: ${pct(a.earlier)}.`,
              "A reinforcement drill or a coached call now is cheaper than another kickoff.",
            ]
              .filter(Boolean)
              .join("\n"),
            purpose: "adoption_alert",
            refId: a.repId,
          },
          options.now,
        );
        await linkOutbox(tx, orgId, [id], outboxId);
        run.emailsQueued++;
      } else run.noRecipient++;
      run.alerts.push({ kind: "adoption", subjectId: a.repId, period: a.weeks[1], outboxId });
    }
  });
  if (run.emailsQueued > 0) emailQueued();
  return run;
}
