import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { normalQuantile } from "../../core/stats/index.ts";
import { rows, type Tx } from "../../db/client.ts";

/** The event an analysis is about. */
export interface EventRef {
  id: string;
  name: string;
  type: string;
  format: string;
  startsAt: Date;
  endsAt: Date;
}

/** Reads a date column the same way on both drivers (Date from pg and PGlite, or an ISO string). */
export function toMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" || typeof value === "number") return new Date(value).getTime();
  return Number.NaN;
}

/** The event, or not_found (another organization's event is invisible under row-level security, so also 404). */
export async function loadEvent(tx: Tx, orgId: string, eventId: string): Promise<EventRef> {
  const [event] = await rows<{
    id: string;
    name: string;
    type: string;
    format: string;
    starts_at: unknown;
    ends_at: unknown;
  }>(
    tx,
    sql`select id, name, type, format, starts_at, ends_at from events where org_id = ${orgId} and id = ${eventId}`,
  );
  if (!event) throw new AppError("not_found", `event ${eventId} not found`);
  return {
    id: event.id,
    name: event.name,
    type: event.type,
    format: event.format,
    startsAt: new Date(toMs(event.starts_at)),
    endsAt: new Date(toMs(event.ends_at)),
  };
}

/**
 * People who attended the event: a check-in entry at the door or at any session, or a registration marked attended
 * by an import (webinar reports). Cancelled registrations do not count.
 */
export const attendedPeopleSql = (orgId: string, eventId: string) =>
  sql`(select c.person_id from check_ins c
        where c.org_id = ${orgId} and c.event_id = ${eventId} and c.direction = 'entry'
       union
       select r.person_id from registrations r
        where r.org_id = ${orgId} and r.event_id = ${eventId} and r.attended and r.status <> 'cancelled')`;

/** Ids of the people who attended (see `attendedPeopleSql`). */
export async function attendeeIds(tx: Tx, orgId: string, eventId: string): Promise<string[]> {
  const list = await rows<{ person_id: string }>(
    tx,
    sql`select person_id from ${attendedPeopleSql(orgId, eventId)} a order by person_id`,
  );
  return list.map((r) => r.person_id);
}

/** Common query options of the movement analyses. */
export interface AnalysisOptions {
  /** Nothing after this instant is used (default: now). */
  asOf: Date;
  /** Bootstrap resamples and seed (defaults 2,000 and 1). */
  resamples?: number;
  seed?: number;
}

/** Refuses an as-of date before the event ends. */
export function checkAsOf(event: EventRef, asOf: Date): void {
  if (!Number.isFinite(asOf.getTime())) throw new AppError("validation", "asOf is not a valid time", "asOf");
  if (asOf.getTime() < event.startsAt.getTime())
    throw new AppError(
      "validation",
      `asOf ${asOf.toISOString()} is before the event starts (${event.startsAt.toISOString()})`,
      "asOf",
    );
}

/** Wilson score interval of a proportion (no randomness; sensible at 0 and 1 and for small n). */
export function wilson(successes: number, n: number, level = 0.95): [number, number] | null {
  if (n <= 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Appends `value` to the list under `key`, creating it. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
