import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { loadConfig } from "../../config.ts";
import type { Tx } from "../../db/client.ts";
import { assessmentAttempts, drillCards, emailOutbox, people, registrations } from "../../db/schema/index.ts";
import { enqueueEmail } from "../../jobs/enqueue-email.ts";
import type { JobContext, JobHandler } from "../../jobs/job-runner.ts";
import { ensureAttempt, findWindow } from "./attempts.ts";
import { eventAttendance } from "./attendance.ts";
import { loadAssessment } from "./create-assessment.ts";
import { eventSessionsOf, requireEvent, utcText } from "./event-lookup.ts";
import { type AssessmentJobPayload, LEARNING_JOBS, type PersonJobPayload } from "./job-kinds.ts";
import { learnerUrl, signLink } from "./link-token.ts";

/**
 * Handlers of the learning jobs (kinds in job-kinds.ts). Each is idempotent: a job retried after a crash sends
 * nothing twice (attempts remember sentAt; reminders and follow-ups check the outbox for their row).
 */

function publicUrl(): string | undefined {
  try {
    return loadConfig().THROUGHLINE_PUBLIC_URL;
  } catch {
    return undefined;
  }
}

const phaseName = (phase: string, delayDays: number) =>
  phase === "pre"
    ? "pre-activity check"
    : phase === "post"
      ? "post-activity check"
      : `${delayDays}-day follow-up check`;

async function recipients(tx: Tx, orgId: string, eventId: string, phase: string) {
  const regs = await tx
    .select({ personId: registrations.personId, email: people.email, firstName: people.firstName })
    .from(registrations)
    .innerJoin(people, and(eq(people.orgId, registrations.orgId), eq(people.id, registrations.personId)))
    .where(
      and(
        eq(registrations.orgId, orgId),
        eq(registrations.eventId, eventId),
        eq(registrations.status, "registered"),
      ),
    );
  if (phase === "pre") return regs;
  // Post and delayed checks go to those who attended; an event with no attendance data at all asks everyone.
  const { attended } = await eventAttendance(tx, orgId, eventId, await eventSessionsOf(tx, orgId, eventId));
  return attended.size === 0 ? regs : regs.filter((r) => attended.has(r.personId));
}

async function alreadyQueued(tx: Tx, orgId: string, purpose: string, refId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.orgId, orgId), eq(emailOutbox.purpose, purpose), eq(emailOutbox.refId, refId)))
    .limit(1);
  return row !== undefined;
}

/** Creates each recipient's attempt for the window and emails the signed link (once per attempt). */
export async function sendAssessment(ctx: JobContext): Promise<void> {
  const p = ctx.payload as unknown as AssessmentJobPayload;
  await ctx.db.withOrg(ctx.orgId, async (tx) => {
    const { assessment, windows } = await loadAssessment(tx, ctx.orgId, p.assessmentId);
    const window = findWindow(windows, p.phase, p.delayDays);
    if (!window) return;
    const event = await requireEvent(tx, ctx.orgId, assessment.eventId);
    for (const r of await recipients(tx, ctx.orgId, assessment.eventId, p.phase)) {
      if (!r.email) continue;
      const attempt = await ensureAttempt(tx, ctx.orgId, assessment.id, r.personId, p.phase, p.delayDays);
      if (attempt.sentAt) continue;
      const token = await signLink(tx, { o: ctx.orgId, k: "attempt", i: attempt.id });
      const name = phaseName(p.phase, p.delayDays);
      await enqueueEmail(
        tx,
        ctx.orgId,
        {
          to: r.email,
          subject: `${event.name}: your ${name}`,
          text: `Hello ${r.firstName ?? ""},\n\nPlease take the ${name} for "${assessment.title}". It takes a few minutes; for each answer say how sure you are.\n\n${learnerUrl(publicUrl(), token)}\n\nIt is open until ${utcText(window.closesAt)}.`,
          purpose: "learning.assessment",
          refId: attempt.id,
        },
        ctx.now,
      );
      await tx
        .update(assessmentAttempts)
        .set({ sentAt: ctx.now })
        .where(and(eq(assessmentAttempts.orgId, ctx.orgId), eq(assessmentAttempts.id, attempt.id)));
    }
  });
}

/** One reminder per sent, unsubmitted attempt of the window, while it is open. */
export async function remindAssessment(ctx: JobContext): Promise<void> {
  const p = ctx.payload as unknown as AssessmentJobPayload;
  await ctx.db.withOrg(ctx.orgId, async (tx) => {
    const { assessment, windows } = await loadAssessment(tx, ctx.orgId, p.assessmentId);
    const window = findWindow(windows, p.phase, p.delayDays);
    if (!window || ctx.now.getTime() > window.closesAt.getTime()) return;
    const open = await tx
      .select({ attempt: assessmentAttempts, email: people.email })
      .from(assessmentAttempts)
      .innerJoin(
        people,
        and(eq(people.orgId, assessmentAttempts.orgId), eq(people.id, assessmentAttempts.personId)),
      )
      .where(
        and(
          eq(assessmentAttempts.orgId, ctx.orgId),
          eq(assessmentAttempts.assessmentId, assessment.id),
          eq(assessmentAttempts.phase, p.phase),
          eq(assessmentAttempts.delayDays, p.delayDays),
          isNotNull(assessmentAttempts.sentAt),
          isNull(assessmentAttempts.submittedAt),
        ),
      );
    for (const { attempt, email } of open) {
      if (!email || (await alreadyQueued(tx, ctx.orgId, "learning.assessment.reminder", attempt.id)))
        continue;
      const token = await signLink(tx, { o: ctx.orgId, k: "attempt", i: attempt.id });
      await enqueueEmail(
        tx,
        ctx.orgId,
        {
          to: email,
          subject: `Reminder: ${assessment.title}`,
          text: `Your ${phaseName(p.phase, p.delayDays)} is still open until ${utcText(window.closesAt)}. Your saved answers are kept.\n\n${learnerUrl(publicUrl(), token)}`,
          purpose: "learning.assessment.reminder",
          refId: attempt.id,
        },
        ctx.now,
      );
    }
  });
}

async function personEmail(tx: Tx, orgId: string, personId: string) {
  const [p] = await tx
    .select({ email: people.email, firstName: people.firstName })
    .from(people)
    .where(and(eq(people.orgId, orgId), eq(people.id, personId)));
  return p;
}

/** Emails the commitment follow-up link (implemented fully, partly or not; barriers). */
export async function commitmentFollowUp(ctx: JobContext): Promise<void> {
  const p = ctx.payload as unknown as PersonJobPayload;
  await ctx.db.withOrg(ctx.orgId, async (tx) => {
    const person = await personEmail(tx, ctx.orgId, p.personId);
    const event = await requireEvent(tx, ctx.orgId, p.eventId);
    const ref = `${p.eventId}`;
    if (!person?.email) return;
    const token = await signLink(tx, { o: ctx.orgId, k: "follow_up", i: p.eventId, p: p.personId });
    const purpose = `learning.commitment.follow_up:${p.personId}`;
    if (await alreadyQueued(tx, ctx.orgId, purpose, ref)) return;
    await enqueueEmail(
      tx,
      ctx.orgId,
      {
        to: person.email,
        subject: `${event.name}: did your commitments happen?`,
        text: `After "${event.name}" you committed to change something in your practice. Tell us for each: implemented fully, partly or not, and what got in the way.\n\n${learnerUrl(publicUrl(), token)}`,
        purpose,
        refId: ref,
      },
      ctx.now,
    );
  });
}

/** Emails the drill link when the learner has cards due (practice, never measurement). */
export async function drillDue(ctx: JobContext): Promise<void> {
  const p = ctx.payload as unknown as PersonJobPayload;
  await ctx.db.withOrg(ctx.orgId, async (tx) => {
    const cards = await tx
      .select()
      .from(drillCards)
      .where(
        and(
          eq(drillCards.orgId, ctx.orgId),
          eq(drillCards.eventId, p.eventId),
          eq(drillCards.personId, p.personId),
        ),
      );
    const due = cards.filter((c) => c.dueAt.getTime() <= ctx.now.getTime());
    const person = await personEmail(tx, ctx.orgId, p.personId);
    if (due.length === 0 || !person?.email) return;
    const token = await signLink(tx, { o: ctx.orgId, k: "drill", i: p.eventId, p: p.personId });
    await enqueueEmail(
      tx,
      ctx.orgId,
      {
        to: person.email,
        subject: `${due.length} quick practice question${due.length === 1 ? "" : "s"}`,
        text: `A short practice keeps what you learned. It does not count toward any score.\n\n${learnerUrl(publicUrl(), token)}`,
        purpose: "learning.drill",
        refId: p.eventId,
      },
      ctx.now,
    );
  });
}

export const learningJobHandlers: Record<string, JobHandler> = {
  [LEARNING_JOBS.sendAssessment]: sendAssessment,
  [LEARNING_JOBS.remindAssessment]: remindAssessment,
  [LEARNING_JOBS.commitmentFollowUp]: commitmentFollowUp,
  [LEARNING_JOBS.drillDue]: drillDue,
};

/** Registers the learning job handlers on a job runner (src/jobs JobRunner or anything with `register`). */
export function registerLearningJobs(runner: { register(kind: string, handler: JobHandler): unknown }): void {
  for (const [kind, handler] of Object.entries(learningJobHandlers)) runner.register(kind, handler);
}
