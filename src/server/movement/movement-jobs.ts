import { sql } from "drizzle-orm";
import { DAY_MS } from "../../core/movement/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { type JobHandler, type JobRunner, scheduleJob } from "../../jobs/job-runner.ts";
import { loadEvent } from "./event-context.ts";
import { sendStallAlerts } from "./send-alerts.ts";

/** Job kind of the scheduled stall check of one event. */
export const STALL_CHECK_JOB = "movement.stall_check";
/** Job kind of the daily sweep that books the stall checks of roundtables that have ended. */
export const STALL_SWEEP_JOB = "movement.stall_sweep";
/** Horizons of the stall checks (days after the event starts). */
export const STALL_CHECK_DAYS = [14, 30, 60] as const;
/** Hour of the day (UTC) of the sweep. */
export const STALL_SWEEP_HOUR_UTC = 6;
/** A check whose time passed less than this long ago is still booked (a sweep that ran late misses nothing). */
const GRACE_MS = 2 * DAY_MS;
const HOUR_MS = 3_600_000;

/** Runs the stall alerts of the event in the payload as of the job's run time (idempotent). */
export const stallCheckJob: JobHandler = async (ctx) => {
  await sendStallAlerts(ctx.db, ctx.orgId, String(ctx.payload.eventId), { asOf: ctx.now, now: ctx.now });
};

/** Books the checks of every roundtable that has ended, then the next day's sweep. */
export const stallSweepJob: JobHandler = async (ctx) => {
  await bookStallChecks(ctx.db, ctx.orgId, ctx.now);
  await ctx.db.withOrg(ctx.orgId, (tx) => scheduleStallSweep(tx, ctx.orgId, ctx.now));
};

/** Registers the movement jobs with a runner (the server's start-up calls this once). */
export function registerMovementJobs(runner: JobRunner): JobRunner {
  return runner.register(STALL_CHECK_JOB, stallCheckJob).register(STALL_SWEEP_JOB, stallSweepJob);
}

/** The next sweep time (06:00 UTC) strictly after `now`. */
export function nextSweepTime(now: Date): Date {
  const at = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), STALL_SWEEP_HOUR_UTC, 0, 0),
  );
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

/** Schedules the organization's next stall sweep (idempotent: one per day). */
export async function scheduleStallSweep(tx: Tx, orgId: string, now: Date): Promise<string> {
  const runAt = nextSweepTime(now);
  return scheduleJob(tx, orgId, {
    kind: STALL_SWEEP_JOB,
    runAt,
    dedupeKey: `${STALL_SWEEP_JOB}:${runAt.toISOString().slice(0, 10)}`,
  });
}

/** Run time of the check at `days` after an event: an hour past, so the window is whole. */
function checkTime(startsAt: Date, days: number): Date {
  return new Date(startsAt.getTime() + days * DAY_MS + HOUR_MS);
}

async function scheduleCheck(
  tx: Tx,
  orgId: string,
  eventId: string,
  days: number,
  runAt: Date,
): Promise<void> {
  await scheduleJob(tx, orgId, {
    kind: STALL_CHECK_JOB,
    runAt,
    payload: { eventId, days },
    dedupeKey: `${STALL_CHECK_JOB}:${eventId}:${days}`,
  });
}

/**
 * Schedules the stall checks of an event at 14, 30 and 60 days after it starts (an hour past, so the window is
 * whole). Each check is scheduled once (dedupe key per event and horizon). Returns the run times.
 */
export async function scheduleStallChecks(
  db: Database,
  orgId: string,
  eventId: string,
  days: readonly number[] = STALL_CHECK_DAYS,
): Promise<string[]> {
  return db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, eventId);
    const out: string[] = [];
    for (const d of days) {
      const runAt = checkTime(event.startsAt, d);
      await scheduleCheck(tx, orgId, eventId, d, runAt);
      out.push(runAt.toISOString());
    }
    return out;
  });
}

/**
 * The sweep: for every executive roundtable of the organization that has ended by `now` (and was not cancelled),
 * books each stall check whose time is still ahead or passed less than two days ago. Checks of long-past events are
 * not booked (their stalls are history, not news). Idempotent by dedupe key, so a check booked by hand (POST
 * /movement/alerts) is not booked twice. Returns what it booked.
 */
export async function bookStallChecks(
  db: Database,
  orgId: string,
  now: Date,
  days: readonly number[] = STALL_CHECK_DAYS,
): Promise<{ eventId: string; days: number; runAt: string }[]> {
  const longest = Math.max(...days);
  const since = new Date(now.getTime() - GRACE_MS - longest * DAY_MS - HOUR_MS);
  return db.withOrg(orgId, async (tx) => {
    const ended = await rows<{ id: string; starts_at: Date | string }>(
      tx,
      sql`select id, starts_at from events
          where org_id = ${orgId} and type = 'executive_roundtable' and status <> 'cancelled'
            and ends_at <= ${now.toISOString()}::timestamptz and starts_at > ${since.toISOString()}::timestamptz
          order by starts_at, id`,
    );
    const booked: { eventId: string; days: number; runAt: string }[] = [];
    for (const e of ended) {
      const startsAt = new Date(e.starts_at);
      for (const d of days) {
        const runAt = checkTime(startsAt, d);
        if (runAt.getTime() < now.getTime() - GRACE_MS) continue;
        await scheduleCheck(tx, orgId, e.id, d, runAt);
        booked.push({ eventId: e.id, days: d, runAt: runAt.toISOString() });
      }
    }
    return booked;
  });
}
