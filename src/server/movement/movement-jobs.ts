import { DAY_MS } from "../../core/movement/index.ts";
import type { Database } from "../../db/client.ts";
import { type JobHandler, type JobRunner, scheduleJob } from "../../jobs/job-runner.ts";
import { loadEvent } from "./event-context.ts";
import { sendStallAlerts } from "./send-alerts.ts";

/** Job kind of the scheduled stall check of one event. */
export const STALL_CHECK_JOB = "movement.stall_check";

/** Runs the stall alerts of the event in the payload as of the job's run time (idempotent). */
export const stallCheckJob: JobHandler = async (ctx) => {
  await sendStallAlerts(ctx.db, ctx.orgId, String(ctx.payload.eventId), { asOf: ctx.now, now: ctx.now });
};

/** Registers the movement jobs with a runner (the server's start-up calls this once). */
export function registerMovementJobs(runner: JobRunner): JobRunner {
  return runner.register(STALL_CHECK_JOB, stallCheckJob);
}

/**
 * Schedules the stall checks of an event at 14, 30 and 60 days after it starts (an hour past, so the window is
 * whole). Each check is scheduled once (dedupe key per event and horizon). Returns the run times.
 */
export async function scheduleStallChecks(
  db: Database,
  orgId: string,
  eventId: string,
  days: readonly number[] = [14, 30, 60],
): Promise<string[]> {
  return db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, eventId);
    const out: string[] = [];
    for (const d of days) {
      const runAt = new Date(event.startsAt.getTime() + d * DAY_MS + 3_600_000);
      await scheduleJob(tx, orgId, {
        kind: STALL_CHECK_JOB,
        runAt,
        payload: { eventId, days: d },
        dedupeKey: `${STALL_CHECK_JOB}:${eventId}:${d}`,
      });
      out.push(runAt.toISOString());
    }
    return out;
  });
}
