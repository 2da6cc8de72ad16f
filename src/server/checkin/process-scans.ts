import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { publicKeyFromRaw, verifyToken } from "../../core/tickets/index.ts";
import { rows, type Tx } from "../../db/client.ts";
import { localClock } from "../events/time-zone.ts";
import type { Scan, ScanResult } from "./scan.ts";

export interface ScanRequest {
  eventId: string;
  scan: Scan;
  userId: string;
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** Offline kiosks may replay scans seen this long ago; older or future times are replaced by the server's clock. */
const MAX_REPLAY_AGE_MS = 7 * 86_400_000;

interface EventInfo {
  id: string;
  time_zone: string;
  ticket_public_key: string | null;
}
interface PersonInfo {
  personId: string;
  name: string;
  /** Events (of this batch) the person holds a place at. */
  registeredFor: Set<string>;
}
interface State {
  direction: "entry" | "exit";
  at: Date;
}

/**
 * Records a batch of scans in one transaction: a few set-based queries for the whole batch (events, replayed nonces,
 * tickets, each person's current state), decisions in order in memory, then one multi-row insert of check-ins and
 * one of touchpoints. The rules: a replayed nonce returns its original answer and adds nothing; an entry while
 * already inside answers "already checked in at 09:14" (the event's clock) and adds nothing; an exit needs an
 * entry first, and reports the minutes since it.
 */
export async function processScans(
  tx: Tx,
  orgId: string,
  requests: readonly ScanRequest[],
  now: Date,
): Promise<ScanResult[]> {
  const eventIds = [...new Set(requests.map((r) => r.eventId))];
  // Serialise check-ins of an event across server processes (one PostgreSQL, several app servers): decisions read
  // each person's state and must not interleave. In one process the batcher already runs one batch at a time.
  for (const id of eventIds.sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`checkin:${id}`}, 0))`);
  }
  const events = new Map(
    (
      await rows<EventInfo>(
        tx,
        sql`select id, time_zone, ticket_public_key from events where org_id = ${orgId} and id in (${list(eventIds)})`,
      )
    ).map((e) => [e.id, e]),
  );
  const sessionIds = [...new Set(requests.map((r) => r.scan.sessionId).filter((s): s is string => !!s))];
  const sessions = new Map<string, { eventId: string; endsAt: Date }>();
  if (sessionIds.length > 0) {
    for (const s of await rows<{ id: string; event_id: string; ends_at: Date | string }>(
      tx,
      sql`select id, event_id, ends_at from event_sessions where org_id = ${orgId} and id in (${list(sessionIds)})`,
    )) {
      sessions.set(s.id, { eventId: s.event_id, endsAt: new Date(s.ends_at) });
    }
  }

  // Replays: the original row of each nonce already recorded.
  const nonces = requests.map((r) => r.scan.nonce);
  const replayed = new Map<
    string,
    { person_id: string; direction: string; occurred_at: Date | string; name: string }
  >();
  for (const row of await rows<{
    scan_nonce: string;
    person_id: string;
    direction: string;
    occurred_at: Date | string;
    name: string;
  }>(
    tx,
    sql`select c.scan_nonce, c.person_id, c.direction, c.occurred_at,
          trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) as name
        from check_ins c join people p on p.org_id = c.org_id and p.id = c.person_id
        where c.org_id = ${orgId} and c.scan_nonce in (${list(nonces)})`,
  )) {
    replayed.set(row.scan_nonce, row);
  }

  // Verify codes (CPU only) and collect the tickets and people to look up.
  const verdicts = requests.map((r) => {
    if (replayed.has(r.scan.nonce)) return { kind: "replay" as const };
    const event = events.get(r.eventId);
    if (!event) return { kind: "reject" as const, reason: "unknown_event", message: "no such event" };
    if (r.scan.sessionId) {
      const s = sessions.get(r.scan.sessionId);
      if (!s || s.eventId !== r.eventId) {
        return {
          kind: "reject" as const,
          reason: "unknown_session",
          message: "no such session in this event",
        };
      }
    }
    if (r.scan.ticket) {
      if (!event.ticket_public_key) {
        return {
          kind: "reject" as const,
          reason: "forged",
          message: "no tickets were issued for this event, so this code cannot be one of its tickets",
        };
      }
      const check = verifyToken(r.scan.ticket, publicKeyFromRaw(event.ticket_public_key), {
        now,
        kind: "ticket",
        eventId: r.eventId,
      });
      if (!check.ok) return { kind: "reject" as const, reason: check.reason, message: check.message };
      return { kind: "ticket" as const, ticketId: check.claims.id, personId: check.claims.subjectId };
    }
    return { kind: "person" as const, personId: r.scan.personId! };
  });

  const ticketIds = verdicts.flatMap((v) => (v.kind === "ticket" ? [v.ticketId] : []));
  const tickets = new Map<string, { revoked: boolean; personId: string; status: string; eventId: string }>();
  if (ticketIds.length > 0) {
    for (const t of await rows<{
      id: string;
      revoked: boolean;
      person_id: string;
      status: string;
      event_id: string;
    }>(
      tx,
      sql`select t.id, t.revoked_at is not null as revoked, r.person_id, r.status, t.event_id
          from tickets t join registrations r on r.org_id = t.org_id and r.id = t.registration_id
          where t.org_id = ${orgId} and t.id in (${list(ticketIds)})`,
    )) {
      tickets.set(t.id, { revoked: t.revoked, personId: t.person_id, status: t.status, eventId: t.event_id });
    }
  }

  const personIds = [
    ...new Set(verdicts.flatMap((v) => (v.kind === "ticket" || v.kind === "person" ? [v.personId] : []))),
  ];
  const people = new Map<string, PersonInfo>();
  const state = new Map<string, State>();
  if (personIds.length > 0) {
    for (const p of await rows<{ id: string; name: string; email: string | null; registered: string | null }>(
      tx,
      sql`select p.id, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) as name, p.email,
            (select string_agg(r.event_id::text, ',') from registrations r where r.org_id = p.org_id
              and r.person_id = p.id and r.event_id in (${list(eventIds)}) and r.status = 'registered') as registered
          from people p where p.org_id = ${orgId} and p.id in (${list(personIds)})`,
    )) {
      people.set(p.id, {
        personId: p.id,
        name: p.name || p.email || "guest",
        registeredFor: new Set(p.registered ? p.registered.split(",") : []),
      });
    }
    for (const s of await rows<{
      event_id: string;
      person_id: string;
      session_id: string | null;
      direction: "entry" | "exit";
      occurred_at: Date | string;
    }>(
      tx,
      sql`select distinct on (event_id, person_id, session_id) event_id, person_id, session_id, direction, occurred_at
          from check_ins
          where org_id = ${orgId} and event_id in (${list(eventIds)}) and person_id in (${list(personIds)})
          order by event_id, person_id, session_id, occurred_at desc, created_at desc`,
    )) {
      state.set(stateKey(s.event_id, s.person_id, s.session_id), {
        direction: s.direction,
        at: new Date(s.occurred_at),
      });
    }
  }

  const inserts: {
    id: string;
    eventId: string;
    sessionId: string | null;
    personId: string;
    ticketId: string | null;
    direction: "entry" | "exit";
    method: string;
    nonce: string;
    deviceId: string | null;
    at: Date;
    minutes: number | null;
  }[] = [];
  const seenNonces = new Map<string, ScanResult>();
  const results = requests.map((r, i): ScanResult => {
    const { scan } = r;
    const tz = events.get(r.eventId)?.time_zone ?? "UTC";
    const verdict = verdicts[i]!;
    const base = { nonce: scan.nonce, replay: false, reason: null, minutesInSession: null };
    const earlier = seenNonces.get(scan.nonce);
    if (earlier) return { ...earlier, replay: true };
    if (verdict.kind === "replay") {
      const row = replayed.get(scan.nonce)!;
      const at = new Date(row.occurred_at);
      const entry = row.direction === "entry";
      return {
        ...base,
        replay: true,
        outcome: entry ? "checked_in" : "checked_out",
        message: `${entry ? "Checked in" : "Checked out"} at ${localClock(at, tz)} (this scan was already recorded)`,
        person: { id: row.person_id, name: row.name || "guest" },
        at: at.toISOString(),
        atLocal: localClock(at, tz),
      };
    }
    if (verdict.kind === "reject") return reject(base, verdict.reason, verdict.message);
    let personId = verdict.personId;
    let ticketId: string | null = null;
    if (verdict.kind === "ticket") {
      const t = tickets.get(verdict.ticketId);
      if (!t || t.eventId !== r.eventId)
        return reject(base, "unknown_ticket", "this ticket is not in our records");
      if (t.revoked) return reject(base, "revoked", "this ticket was cancelled");
      if (t.status !== "registered")
        return reject(base, "not_registered", `this registration is ${t.status}`);
      personId = t.personId;
      ticketId = verdict.ticketId;
    }
    const person = people.get(personId);
    if (!person) return reject(base, "unknown_person", "this person is not in our records");
    if (verdict.kind === "person" && !person.registeredFor.has(r.eventId)) {
      return reject(base, "not_registered", `${person.name} is not registered for this event`);
    }
    const who = { id: person.personId, name: person.name };
    const sessionId = scan.sessionId ?? null;
    const key = stateKey(r.eventId, personId, sessionId);
    const current = state.get(key);
    const at = scanTime(scan.occurredAt, now);
    const where = sessionId ? "this session" : "the event";
    if (scan.direction === "entry") {
      if (current?.direction === "entry") {
        return {
          ...base,
          outcome: "already_checked_in",
          message: `${person.name} is already checked in at ${localClock(current.at, tz)}`,
          person: who,
          at: current.at.toISOString(),
          atLocal: localClock(current.at, tz),
        };
      }
    } else if (current?.direction !== "entry") {
      return {
        ...base,
        outcome: "not_checked_in",
        message: `${person.name} is not checked in to ${where}, so cannot check out`,
        person: who,
        at: null,
        atLocal: null,
      };
    }
    const minutes =
      scan.direction === "exit" && current
        ? Math.max(0, Math.round((at.getTime() - current.at.getTime()) / 60_000))
        : null;
    state.set(key, { direction: scan.direction, at });
    inserts.push({
      id: randomUUID(),
      eventId: r.eventId,
      sessionId,
      personId,
      ticketId,
      direction: scan.direction,
      method: scan.method,
      nonce: scan.nonce,
      deviceId: scan.deviceId ?? null,
      at,
      minutes,
    });
    const result: ScanResult = {
      ...base,
      outcome: scan.direction === "entry" ? "checked_in" : "checked_out",
      message:
        scan.direction === "entry"
          ? `Welcome, ${person.name}: checked in at ${localClock(at, tz)}`
          : `${person.name} checked out at ${localClock(at, tz)} after ${minutes} min`,
      person: who,
      at: at.toISOString(),
      atLocal: localClock(at, tz),
      minutesInSession: minutes,
    };
    seenNonces.set(scan.nonce, result);
    return result;
  });

  if (inserts.length > 0) {
    await tx.execute(
      sql`insert into check_ins (org_id, id, event_id, session_id, person_id, ticket_id, direction, method, scan_nonce,
            device_id, occurred_at)
          values ${sql.join(
            inserts.map(
              (c) =>
                sql`(${orgId}, ${c.id}, ${c.eventId}, ${c.sessionId}, ${c.personId}, ${c.ticketId}, ${c.direction},
                     ${c.method}, ${c.nonce}, ${c.deviceId}, ${c.at.toISOString()}::timestamptz)`,
            ),
            sql`, `,
          )}
          on conflict (org_id, scan_nonce) do nothing`,
    );
    // One touchpoint per recorded scan, keyed by the nonce: a replay can never add a second.
    await tx.execute(
      sql`insert into touchpoints (org_id, source, external_id, occurred_at, channel, kind, online, person_id, account_id,
            event_id, session_id, metadata)
          select ${orgId}, 'throughline', 'checkin:' || v.nonce, v.at, 'event', v.kind, false, p.id, p.account_id,
            v.event_id, v.session_id, v.meta
          from (values ${sql.join(
            inserts.map(
              (c) =>
                sql`(${c.nonce}, ${c.at.toISOString()}::timestamptz, ${c.sessionId ? `session_${c.direction}` : `check_${c.direction === "entry" ? "in" : "out"}`},
                     ${c.personId}::uuid, ${c.eventId}::uuid, ${c.sessionId}::uuid,
                     ${JSON.stringify({ method: c.method, ...(c.minutes !== null ? { minutes: c.minutes } : {}) })}::jsonb)`,
            ),
            sql`, `,
          )}) as v(nonce, at, kind, person_id, event_id, session_id, meta)
          join people p on p.org_id = ${orgId} and p.id = v.person_id
          on conflict (org_id, source, external_id) do nothing`,
    );
  }
  return results;
}

function stateKey(eventId: string, personId: string, sessionId: string | null): string {
  return `${eventId}|${personId}|${sessionId ?? ""}`;
}

function scanTime(occurredAt: string | undefined, now: Date): Date {
  if (!occurredAt) return now;
  const t = new Date(occurredAt);
  if (t.getTime() > now.getTime() || now.getTime() - t.getTime() > MAX_REPLAY_AGE_MS) return now;
  return t;
}

function reject(
  base: { nonce: string; replay: boolean; minutesInSession: null },
  reason: string,
  message: string,
): ScanResult {
  return { ...base, outcome: "rejected", reason, message, person: null, at: null, atLocal: null };
}
