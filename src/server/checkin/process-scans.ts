import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { decodeToken, tokenDigest } from "../../core/tickets/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { statement } from "../../db/statements.ts";
import { localClock } from "../events/time-zone.ts";
import type { Scan, ScanResult } from "./scan.ts";
import {
  noKeyVerdict,
  rememberPublicKey,
  signatureChecks,
  type Verdict,
  verdictOnIssuedCode,
  verifyTicketCode,
} from "./verify-scans.ts";

export interface ScanRequest {
  eventId: string;
  scan: Scan;
  userId: string;
}

/** A PostgreSQL array literal for one bound parameter (one parameter, whatever the batch size). */
function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** Offline kiosks may replay scans seen this long ago; older or future times are replaced by the server's clock. */
const MAX_REPLAY_AGE_MS = 7 * 86_400_000;

interface EventInfo {
  id: string;
  timeZone: string;
  publicKey: string | null;
  sessions: string[];
}
interface PersonInfo {
  personId: string;
  name: string;
  accountId: string | null;
  /** Events (of this batch) the person holds a place at. */
  registeredFor: Set<string>;
}
interface State {
  direction: "entry" | "exit";
  at: Date;
}
interface Lookup {
  events: EventInfo[];
  replayed: { nonce: string; personId: string; direction: string; at: string; name: string }[];
  tickets: {
    id: string;
    revoked: boolean;
    personId: string;
    accountId: string | null;
    status: string;
    eventId: string;
    name: string;
    email: string | null;
    /** The digest of the code issued for the ticket (`tickets.code_digest`), if recorded. */
    digest: string | null;
  }[];
  people: {
    id: string;
    name: string;
    email: string | null;
    accountId: string | null;
    registered: string | null;
  }[];
  state: {
    eventId: string;
    personId: string;
    sessionId: string | null;
    direction: "entry" | "exit";
    at: string;
  }[];
}

/** Drivers return json columns parsed (node-postgres) or as text (some PGlite paths); accept both. */
function parsed<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

// Every look-up below is an index probe per scan: unnest(...) of the keys, and a lateral subquery with equality on
// an indexed key and "limit 1" (or an order), which the planner cannot turn into a join. Without it the planner,
// working from statistics that the embedded database never refreshes, hash-joined the keys against all of the
// organization's tickets, people and check-ins: each batch read the whole event, and the cost grew with the crowd.

/**
 * The batch's look-up ($1 the organization; arrays: $2 events, $3 sessions, $4 nonces, $5 ticket ids, $6 people found
 * by name, $7 everyone the batch names): the events, replayed nonces, tickets, people and each person's current state
 * as JSON.
 */
const lookupStatement = statement(
  "checkin_lookup",
  `select
    coalesce((select json_agg(json_build_object('id', e.id, 'timeZone', e.time_zone, 'publicKey', e.ticket_public_key,
        'sessions', coalesce((select json_agg(s.id) from event_sessions s where s.org_id = $1 and s.event_id = e.id
          and s.id = any($3::uuid[])), '[]')))
      from events e where e.org_id = $1 and e.id = any($2::uuid[])), '[]') as events,
    coalesce((select json_agg(json_build_object('nonce', c.scan_nonce, 'personId', c.person_id, 'direction', c.direction,
        'at', c.occurred_at, 'name', trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, ''))))
      from unnest($4::text[]) as n(nonce)
      cross join lateral (select c.scan_nonce, c.person_id, c.direction, c.occurred_at from check_ins c
        where c.org_id = $1 and c.scan_nonce = n.nonce limit 1) c
      cross join lateral (select p.first_name, p.last_name from people p
        where p.org_id = $1 and p.id = c.person_id limit 1) p), '[]') as replayed,
    coalesce((select json_agg(json_build_object('id', t.id, 'revoked', t.revoked_at is not null, 'personId', r.person_id,
        'accountId', p.account_id, 'status', r.status, 'eventId', t.event_id, 'email', p.email, 'digest', t.code_digest,
        'name', trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, ''))))
      from unnest($5::uuid[]) as tid(id)
      cross join lateral (select t.id, t.revoked_at, t.event_id, t.registration_id, t.code_digest from tickets t
        where t.org_id = $1 and t.id = tid.id limit 1) t
      cross join lateral (select r.person_id, r.status from registrations r
        where r.org_id = $1 and r.id = t.registration_id limit 1) r
      cross join lateral (select p.email, p.first_name, p.last_name, p.account_id from people p
        where p.org_id = $1 and p.id = r.person_id limit 1) p), '[]') as tickets,
    coalesce((select json_agg(json_build_object('id', p.id,
        'name', trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), 'email', p.email,
        'accountId', p.account_id,
        'registered', (select string_agg(ev.id::text, ',') from unnest($2::uuid[]) as ev(id)
          where exists (select 1 from registrations r where r.org_id = $1 and r.event_id = ev.id
            and r.person_id = p.id and r.status = 'registered'))))
      from unnest($6::uuid[]) as sid(id)
      cross join lateral (select p.id, p.email, p.first_name, p.last_name, p.account_id from people p
        where p.org_id = $1 and p.id = sid.id limit 1) p), '[]') as people,
    coalesce((select json_agg(x) from unnest($7::uuid[]) as pid(id) cross join unnest($2::uuid[]) as ev(id)
      cross join lateral (
        select distinct on (c.session_id) c.event_id as "eventId", c.person_id as "personId",
          c.session_id as "sessionId", c.direction, c.occurred_at as at
        from check_ins c
        where c.org_id = $1 and c.event_id = ev.id and c.person_id = pid.id
        order by c.session_id, c.occurred_at desc, c.created_at desc) x), '[]') as state`,
);

/**
 * The batch's check-ins, then one touchpoint per check-in actually inserted, keyed by the nonce, so that a replay can
 * never add a second ($1 the organization, $2 the rows as JSON).
 */
const recordStatement = statement(
  "checkin_record",
  `with v as (
      select * from jsonb_to_recordset($2::jsonb) as v(id uuid, touch_id uuid, nonce text, event_id uuid,
        session_id uuid, person_id uuid, account_id uuid, ticket_id uuid, direction text, method text, device_id text,
        at timestamptz, kind text, meta jsonb)),
    ins as (
      insert into check_ins (org_id, id, event_id, session_id, person_id, ticket_id, direction, method, scan_nonce,
        device_id, occurred_at)
      select $1::uuid, id, event_id, session_id, person_id, ticket_id, direction, method, nonce, device_id, at from v
      on conflict (org_id, scan_nonce) do nothing
      returning scan_nonce)
    insert into touchpoints (org_id, id, source, external_id, occurred_at, channel, kind, online, person_id, account_id,
      event_id, session_id, metadata)
    select $1::uuid, v.touch_id, 'throughline', 'checkin:' || v.nonce, v.at, 'event', v.kind, false, v.person_id, v.account_id,
      v.event_id, v.session_id, v.meta
    from v join ins on ins.scan_nonce = v.nonce
    on conflict (org_id, source, external_id) do nothing`,
);

/**
 * Records a batch of scans in one transaction with two statements whatever the batch size (three on PostgreSQL,
 * which first takes per-person locks): one look-up returning the events, replayed nonces, tickets, people and each
 * person's current state as JSON, and one insert of check-ins and their touchpoints from a JSON parameter. Codes
 * are looked up by their claims and then judged, by the digest recorded when the ticket was issued or else by the
 * signature, so a forged code's look-up is simply unused. Decisions are made in order in memory. The rules: a
 * replayed nonce returns its original answer and adds nothing; an entry while already inside answers "already
 * checked in at 09:14" (the event's clock) and adds nothing; an exit needs an entry first, and reports the minutes
 * since it. Both statements go through `run` (`Database.run`: prepared once on the embedded database).
 */
export async function processScans(
  tx: Tx,
  orgId: string,
  requests: readonly ScanRequest[],
  now: Date,
  options: { lockPeople?: boolean; run: Database["run"] },
): Promise<ScanResult[]> {
  const { run } = options;
  const eventIds = [...new Set(requests.map((r) => r.eventId))].sort();
  const sessionIds = [...new Set(requests.map((r) => r.scan.sessionId).filter((s): s is string => !!s))];

  // Whose codes these claim to be, read without the signature (judged after the look-up): what to look up.
  const claimed = requests.map((r): { ticketId?: string; personId: string } | undefined => {
    if (!r.scan.ticket) return { personId: r.scan.personId! };
    const claims = decodeToken(r.scan.ticket.trim());
    return claims?.kind === "ticket" ? { ticketId: claims.id, personId: claims.subjectId } : undefined;
  });
  const ticketIds = [...new Set(claimed.flatMap((c) => (c?.ticketId ? [c.ticketId] : [])))];
  const personIds = [...new Set(claimed.flatMap((c) => (c ? [c.personId] : [])))];
  // People found by name search (no ticket): their names and registrations come from a separate part of the look-up.
  const searchedIds = [...new Set(requests.flatMap((r) => (r.scan.ticket ? [] : [r.scan.personId!])))];
  const nonces = requests.map((r) => r.scan.nonce);
  // Decisions read each person's state, so two transactions must not decide for the same person at once (several
  // batches in flight on PostgreSQL, or several app servers). Lock each person of the batch, in hash order so two
  // batches never wait on each other in a cycle. Different people proceed in parallel. PGlite runs one
  // transaction at a time, so it needs no lock.
  if (options.lockPeople !== false && personIds.length > 0) {
    await tx.execute(
      sql`select count(*) from (
            select pg_advisory_xact_lock(h) from (
              select distinct hashtextextended('checkin:' || e || ':' || p, 0) as h
              from unnest(${pgArray(eventIds)}::text[]) e, unnest(${pgArray(personIds)}::text[]) p) k
            order by h) l`,
    );
  }

  const [found] = await run<{ [K in keyof Lookup]: Lookup[K] | string }>(tx, lookupStatement, [
    orgId,
    pgArray(eventIds),
    pgArray(sessionIds),
    pgArray(nonces),
    pgArray(ticketIds),
    pgArray(searchedIds),
    pgArray(personIds),
  ]);
  const events = new Map(parsed(found!.events).map((e) => [e.id, e]));
  const sessions = new Map<string, string>();
  for (const e of events.values()) {
    for (const s of e.sessions) sessions.set(s, e.id);
    if (e.publicKey) rememberPublicKey(orgId, e.id, e.publicKey);
  }

  const tickets = new Map(parsed(found!.tickets).map((t) => [t.id, t]));
  // The verdicts: the event and session first, then the code. A code whose digest is the one recorded when its
  // ticket was issued is that very code, signed by the server; any other is checked by its signature on the thread
  // pool.
  const verdicts = await Promise.all(
    requests.map((r, i): Verdict | Promise<Verdict> => {
      const event = events.get(r.eventId);
      if (!event) return { kind: "reject", reason: "unknown_event", message: "no such event" };
      if (r.scan.sessionId && sessions.get(r.scan.sessionId) !== r.eventId) {
        return { kind: "reject", reason: "unknown_session", message: "no such session in this event" };
      }
      if (!r.scan.ticket) return { kind: "person", personId: r.scan.personId! };
      const digest = claimed[i]?.ticketId ? tickets.get(claimed[i]!.ticketId!)?.digest : null;
      if (digest && digest === tokenDigest(r.scan.ticket)) {
        return verdictOnIssuedCode(r.scan.ticket, r.eventId, now);
      }
      if (!event.publicKey) return noKeyVerdict;
      return verifyTicketCode(r.scan.ticket, event.publicKey, r.eventId, now);
    }),
  );
  const replayed = new Map(parsed(found!.replayed).map((r) => [r.nonce, r]));
  const people = new Map<string, PersonInfo>();
  for (const t of tickets.values()) {
    const known = people.get(t.personId);
    const registeredFor = known?.registeredFor ?? new Set<string>();
    if (t.status === "registered") registeredFor.add(t.eventId);
    people.set(t.personId, {
      personId: t.personId,
      name: t.name || t.email || "guest",
      accountId: t.accountId,
      registeredFor,
    });
  }
  for (const [id, info] of new Map<string, PersonInfo>(
    parsed(found!.people).map((p) => [
      p.id,
      {
        personId: p.id,
        name: p.name || p.email || "guest",
        accountId: p.accountId,
        registeredFor: new Set(p.registered ? p.registered.split(",") : []),
      },
    ]),
  )) {
    people.set(id, info);
  }
  const state = new Map<string, State>(
    parsed(found!.state).map((s) => [
      stateKey(s.eventId, s.personId, s.sessionId),
      { direction: s.direction, at: new Date(s.at) },
    ]),
  );

  const inserts: {
    id: string;
    eventId: string;
    sessionId: string | null;
    personId: string;
    accountId: string | null;
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
    const tz = events.get(r.eventId)?.timeZone ?? "UTC";
    const verdict = verdicts[i]!;
    const base = { nonce: scan.nonce, replay: false, reason: null, minutesInSession: null };
    const earlier = seenNonces.get(scan.nonce);
    if (earlier) return { ...earlier, replay: true };
    const row = replayed.get(scan.nonce);
    if (row) {
      const at = new Date(row.at);
      const entry = row.direction === "entry";
      return {
        ...base,
        replay: true,
        outcome: entry ? "checked_in" : "checked_out",
        message: `${entry ? "Checked in" : "Checked out"} at ${localClock(at, tz)} (this scan was already recorded)`,
        person: { id: row.personId, name: row.name || "guest" },
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
      accountId: person.accountId,
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
    const payload = inserts.map((c) => ({
      id: c.id,
      touch_id: randomUUID(),
      nonce: c.nonce,
      event_id: c.eventId,
      session_id: c.sessionId,
      person_id: c.personId,
      account_id: c.accountId,
      ticket_id: c.ticketId,
      direction: c.direction,
      method: c.method,
      device_id: c.deviceId,
      at: c.at.toISOString(),
      kind: c.sessionId ? `session_${c.direction}` : c.direction === "entry" ? "check_in" : "check_out",
      meta: { method: c.method, ...(c.minutes !== null ? { minutes: c.minutes } : {}) },
    }));
    await run(tx, recordStatement, [orgId, JSON.stringify(payload)]);
  }
  return results;
}

/** The module, for `Database.callInThread`. */
export const PROCESS_SCANS_MODULE = new URL(import.meta.url).href;

/**
 * A batch of scans in its own transaction, in the embedded database's thread (`Database.callInThread`): the
 * look-up, the decisions and the insert, with one message each way instead of one per statement. Returns the results
 * and the signatures checked for them (this thread's count, which the caller adds to its own).
 */
export async function processScansInThread(
  db: Database,
  args: { orgId: string; requests: ScanRequest[]; now: Date },
): Promise<{ results: ScanResult[]; signatures: number }> {
  const before = signatureChecks();
  // Generic plans: the look-up is otherwise planned again for every batch of fewer than ~50 scans (the plan cache
  // estimates a custom plan cheaper for small arrays), about 1–2 ms a batch; its generic plan probes the same indexes
  // (process-scans.test.ts).
  const results = await db.withOrg(
    args.orgId,
    (tx) => processScans(tx, args.orgId, args.requests, args.now, { lockPeople: false, run: db.run }),
    { genericPlans: true },
  );
  return { results, signatures: signatureChecks() - before };
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
