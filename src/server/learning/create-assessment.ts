import { and, asc, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { measurementSchedule } from "../../core/learning/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { assessmentItems, assessments, assessmentWindows } from "../../db/schema/index.ts";
import { scheduleJob } from "../../jobs/job-runner.ts";
import { DAY_MS, eventSessionsOf, requireEvent, settingsOf } from "./event-lookup.ts";
import { type AssessmentJobPayload, LEARNING_JOBS } from "./job-kinds.ts";
import type { CreateAssessmentInput } from "./schemas.ts";

type AssessmentRow = typeof assessments.$inferSelect;
type ItemRow = typeof assessmentItems.$inferSelect;
type WindowRow = typeof assessmentWindows.$inferSelect;

/** The API shape of an assessment, its items (with the answer key: educators only) and its schedule. */
export function assessmentJson(a: AssessmentRow, items: ItemRow[], windows: WindowRow[]) {
  return {
    id: a.id,
    eventId: a.eventId,
    sessionId: a.sessionId,
    title: a.title,
    delayDays: a.delayDays,
    closesAt: a.closesAt ? a.closesAt.toISOString() : null,
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      kind: i.kind,
      prompt: i.prompt,
      options: i.options,
      correct: i.correct,
      objective: i.objective,
      outcomeLevel: i.outcomeLevel,
    })),
    schedule: windows
      .slice()
      .sort((x, y) => x.opensAt.getTime() - y.opensAt.getTime())
      .map((w) => ({
        phase: w.phase,
        delayDays: w.phase === "delayed" ? w.delayDays : null,
        opensAt: w.opensAt.toISOString(),
        closesAt: w.closesAt.toISOString(),
      })),
  };
}

export async function loadAssessment(tx: Tx, orgId: string, assessmentId: string) {
  const [a] = await tx
    .select()
    .from(assessments)
    .where(and(eq(assessments.orgId, orgId), eq(assessments.id, assessmentId)));
  if (!a) throw new AppError("not_found", `no assessment ${assessmentId}`);
  const items = await tx
    .select()
    .from(assessmentItems)
    .where(and(eq(assessmentItems.orgId, orgId), eq(assessmentItems.assessmentId, assessmentId)))
    .orderBy(asc(assessmentItems.position));
  const windows = await tx
    .select()
    .from(assessmentWindows)
    .where(and(eq(assessmentWindows.orgId, orgId), eq(assessmentWindows.assessmentId, assessmentId)));
  return { assessment: a, items, windows };
}

/**
 * Creates an assessment with its items and its fixed measurement schedule: a pre-test window until the activity
 * starts, a post-test window from its end, and one delayed window per delay (the event's `delayDays` setting,
 * 30 and 90 days unless changed, when the assessment names none), each open for the event's `windowDays`. It schedules the sends and reminders as durable jobs in the same transaction.
 * A pre-test is left out when the activity has already started: a baseline taken after teaching is no baseline.
 */
export async function createAssessment(
  db: Database,
  orgId: string,
  eventId: string,
  input: CreateAssessmentInput,
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    let start = event.startsAt;
    let end = event.endsAt;
    if (input.sessionId) {
      const session = (await eventSessionsOf(tx, orgId, eventId)).find((s) => s.id === input.sessionId);
      if (!session)
        throw new AppError("validation", `no session ${input.sessionId} in this event`, "sessionId");
      start = session.startsAt;
      end = session.endsAt;
    }
    const settings = await settingsOf(tx, orgId, eventId);
    const delays = input.delayDays ?? settings.delayDays;
    const schedule = measurementSchedule(end, delays, start);
    const [a] = await tx
      .insert(assessments)
      .values({
        orgId,
        eventId,
        sessionId: input.sessionId ?? null,
        title: input.title,
        delayDays: schedule.delayed.map((d) => d.delayDays),
        closesAt: input.closesAt ? new Date(input.closesAt) : null,
      })
      .returning();
    await tx.insert(assessmentItems).values(
      input.items.map((item, position) => ({
        orgId,
        assessmentId: a!.id,
        position,
        kind: item.kind,
        prompt: item.prompt,
        options: item.options ?? ["True", "False"],
        correct: [...item.correct].sort((x, y) => x - y),
        objective: item.objective,
        outcomeLevel: item.outcomeLevel,
      })),
    );
    const windowMs = settings.windowDays * DAY_MS;
    const windows: { phase: "pre" | "post" | "delayed"; delayDays: number; opensAt: Date; closesAt: Date }[] =
      [];
    if (input.preTest !== false && now.getTime() < schedule.pre.dueBy.getTime()) {
      windows.push({ phase: "pre", delayDays: 0, opensAt: now, closesAt: schedule.pre.dueBy });
    }
    windows.push({
      phase: "post",
      delayDays: 0,
      opensAt: schedule.post.at,
      closesAt: new Date(schedule.post.at.getTime() + windowMs),
    });
    for (const d of schedule.delayed) {
      windows.push({
        phase: "delayed",
        delayDays: d.delayDays,
        opensAt: d.at,
        closesAt: new Date(d.at.getTime() + windowMs),
      });
    }
    const saved = await tx
      .insert(assessmentWindows)
      .values(windows.map((w) => ({ orgId, assessmentId: a!.id, ...w })))
      .returning();
    for (const w of windows) {
      const payload: AssessmentJobPayload = { assessmentId: a!.id, phase: w.phase, delayDays: w.delayDays };
      const key = `${a!.id}:${w.phase}:${w.delayDays}`;
      await scheduleJob(tx, orgId, {
        kind: LEARNING_JOBS.sendAssessment,
        runAt: w.opensAt,
        payload: { ...payload },
        dedupeKey: `${LEARNING_JOBS.sendAssessment}:${key}`,
      });
      const remindAt = new Date(w.opensAt.getTime() + settings.reminderAfterDays * DAY_MS);
      if (remindAt.getTime() < w.closesAt.getTime()) {
        await scheduleJob(tx, orgId, {
          kind: LEARNING_JOBS.remindAssessment,
          runAt: remindAt,
          payload: { ...payload },
          dedupeKey: `${LEARNING_JOBS.remindAssessment}:${key}`,
        });
      }
    }
    const items = await tx
      .select()
      .from(assessmentItems)
      .where(and(eq(assessmentItems.orgId, orgId), eq(assessmentItems.assessmentId, a!.id)))
      .orderBy(asc(assessmentItems.position));
    return assessmentJson(a!, items, saved);
  });
}

/** The assessments of an event, each with items and schedule. */
export async function listAssessments(db: Database, orgId: string, eventId: string) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const rows = await tx
      .select({ id: assessments.id })
      .from(assessments)
      .where(and(eq(assessments.orgId, orgId), eq(assessments.eventId, eventId)))
      .orderBy(asc(assessments.createdAt));
    const out = [];
    for (const r of rows) {
      const { assessment, items, windows } = await loadAssessment(tx, orgId, r.id);
      out.push(assessmentJson(assessment, items, windows));
    }
    return out;
  });
}
