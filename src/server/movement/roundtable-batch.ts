import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import {
  emptyOpportunityTable,
  type OpportunityQueryRow,
  type OpportunityTable,
  onePassHistories,
  readHistories,
} from "./roundtable-queries.ts";

/**
 * Every roundtable of an organization compared at once (the portfolio ranks hundreds): the organization's
 * opportunities and stage histories are read once, with when each deal opened and closed, and each event's
 * comparison table is then cut from them in memory. The cut is the same table `loadOpportunityTable` reads for one
 * event: the same rows in the same (id) order, the same histories up to the event's as-of instant, so the analysis
 * gives the same figures (a test compares them). One read of the whole pipeline instead of one per event: at 424
 * roundtables on the large demo, one read of about 3 s instead of 424.
 */
export interface RoundtableWorld {
  table: OpportunityTable;
  openedAtMs: Float64Array;
  /** NaN while open. */
  closedAtMs: Float64Array;
  /** Events of the type by id: start and attending accounts (people checked in, or registered and marked attended). */
  events: Map<string, { startsAtMs: number; accounts: Set<string>; codes: Int32Array }>;
  /** Each opportunity's account as a number (0 … accounts − 1), and the events' attending accounts likewise. */
  accountCode: Int32Array;
  accounts: number;
}

/** Reads the organization's opportunities (histories up to `until`) and the attendance at every event of `type`. */
export async function loadRoundtableWorld(
  tx: Tx,
  orgId: string,
  type: string,
  until: Date,
): Promise<RoundtableWorld> {
  const at = until.toISOString();
  // One pass over the stage changes in (opportunity, time, id) order, as the one-pass read of a single event; the
  // sorted subquery feeds the aggregate in order, so this transaction plans without parallel workers.
  await tx.execute(sql`set local jit = off`);
  await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
  const opps = await rows<
    Omit<OpportunityQueryRow, "treated"> & { opened_ms: number | string; closed_ms: number | string | null }
  >(
    tx,
    sql`select o.id, o.account_id, o.name, o.owner_user_id, o.amount_minor, o.currency, a.segment,
          (extract(epoch from o.opened_at) * 1000)::float8 as opened_ms,
          (extract(epoch from o.closed_at) * 1000)::float8 as closed_ms, h.history
        from opportunities o join accounts a on a.org_id = o.org_id and a.id = o.account_id
        ${onePassHistories(orgId, at)}
        where o.org_id = ${orgId} and o.opened_at <= ${at}::timestamptz
        order by o.id`,
  );
  const table = readHistories(opps);
  const openedAtMs = new Float64Array(opps.length);
  const closedAtMs = new Float64Array(opps.length);
  for (let i = 0; i < opps.length; i++) {
    openedAtMs[i] = Number(opps[i]!.opened_ms);
    const closed = opps[i]!.closed_ms;
    closedAtMs[i] = closed === null ? Number.NaN : Number(closed);
  }
  const attendance = await rows<{ event_id: string; starts_ms: number | string; account_id: string | null }>(
    tx,
    sql`select e.id as event_id, (extract(epoch from e.starts_at) * 1000)::float8 as starts_ms,
          (select p.account_id from people p where p.org_id = e.org_id and p.id = a.person_id) as account_id
        from events e left join lateral (
          select c.person_id from check_ins c
           where c.org_id = e.org_id and c.event_id = e.id and c.direction = 'entry'
          union
          select r.person_id from registrations r
           where r.org_id = e.org_id and r.event_id = e.id and r.attended and r.status <> 'cancelled') a on true
        where e.org_id = ${orgId} and e.type = ${type}`,
  );
  // Accounts as numbers, so each event's cut tests a typed array instead of hashing an id per deal.
  const codes = new Map<string, number>();
  const accountCode = new Int32Array(opps.length);
  for (let i = 0; i < opps.length; i++) {
    const id = table.accountId[i]!;
    let code = codes.get(id);
    if (code === undefined) {
      code = codes.size;
      codes.set(id, code);
    }
    accountCode[i] = code;
  }
  const events = new Map<string, { startsAtMs: number; accounts: Set<string>; codes: Int32Array }>();
  for (const r of attendance) {
    let e = events.get(r.event_id);
    if (!e) {
      e = { startsAtMs: Number(r.starts_ms), accounts: new Set(), codes: new Int32Array(0) };
      events.set(r.event_id, e);
    }
    if (r.account_id) e.accounts.add(r.account_id);
  }
  // An attending account without opportunities changes no event's cut: it has no code.
  for (const e of events.values())
    e.codes = Int32Array.from(
      [...e.accounts].flatMap((a) => {
        const code = codes.get(a);
        return code === undefined ? [] : [code];
      }),
    );
  return { table, openedAtMs, closedAtMs, events, accountCode, accounts: codes.size };
}

/**
 * One event's comparison table cut from the world: its attending accounts' opportunities opened by `asOf`, and as
 * candidate controls the other opportunities open at the event (opened by it, not closed before it) whose account
 * attended no other event of the type starting by `asOf`; histories up to `asOf`. Null for an event not in the world.
 */
export function roundtableTableOf(
  world: RoundtableWorld,
  eventId: string,
  eventAt: Date,
  asOf: Date,
): OpportunityTable | null {
  const event = world.events.get(eventId);
  if (!event) return null;
  const atMs = eventAt.getTime();
  const untilMs = asOf.getTime();
  // Per account: 1 attended this event, 2 attended another event of the type starting by asOf (and not this one).
  const mark = new Uint8Array(world.accounts);
  for (const [id, e] of world.events) {
    if (id === eventId || e.startsAtMs > untilMs) continue;
    for (const a of e.codes) mark[a] = 2;
  }
  for (const a of event.codes) mark[a] = 1;
  const { table, openedAtMs, closedAtMs, accountCode } = world;
  const picked: number[] = [];
  const treated: boolean[] = [];
  for (let i = 0; i < table.ids.length; i++) {
    if (openedAtMs[i]! > untilMs) continue;
    const m = mark[accountCode[i]!]!;
    const attending = m === 1;
    if (!attending) {
      if (openedAtMs[i]! > atMs) continue;
      const closed = closedAtMs[i]!;
      if (!Number.isNaN(closed) && closed <= atMs) continue;
      if (m === 2) continue;
    }
    picked.push(i);
    treated.push(attending);
  }
  const n = picked.length;
  const { offsets, stage, enteredAtMs } = table.history;
  let entries = 0;
  for (const i of picked) entries += offsets[i + 1]! - offsets[i]!;
  const out = emptyOpportunityTable(n, entries, table.stageNames);
  let used = 0;
  for (let j = 0; j < n; j++) {
    const i = picked[j]!;
    out.ids[j] = table.ids[i]!;
    out.accountId[j] = table.accountId[i]!;
    out.name[j] = table.name[i]!;
    out.ownerUserId[j] = table.ownerUserId[i]!;
    out.amountMinor[j] = table.amountMinor[i]!;
    out.currency[j] = table.currency[i]!;
    out.segment[j] = table.segment[i]!;
    out.treated[j] = treated[j] ? 1 : 0;
    // Entries are oldest first: the history up to asOf is a prefix.
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const ms = enteredAtMs[e]!;
      if (ms > untilMs) break;
      out.history.stage[used] = stage[e]!;
      out.history.enteredAtMs[used] = ms;
      used++;
    }
    out.history.offsets[j + 1] = used;
  }
  out.history.stage = out.history.stage.subarray(0, used);
  out.history.enteredAtMs = out.history.enteredAtMs.subarray(0, used);
  return out;
}
