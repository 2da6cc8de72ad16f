import { type SQL, sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { rows, type Tx } from "../../db/client.ts";
import { attendedPeopleSql, pushTo, toMs } from "./event-context.ts";

/** An opportunity around the event, with its stage history (oldest first) and matching attributes. */
export interface OpportunityRow {
  id: string;
  accountId: string;
  name: string;
  ownerUserId: string | null;
  amountMinor: number;
  currency: string;
  segment: string | null;
  treated: boolean;
  stages: { stage: string; enteredAt: number }[];
}

/** An attending account with its owner, people (with buying roles) and attendees. */
export interface AccountRow {
  id: string;
  name: string;
  segment: string | null;
  ownerUserId: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
  people: { id: string; name: string; role: string | null; attended: boolean }[];
}

/** A touchpoint of an attending account (its own or one of its people's). */
export interface TouchRow {
  accountId: string;
  personId: string | null;
  at: number;
  channel: string;
}

const attendingAccounts = (orgId: string, eventId: string) =>
  sql`(select distinct p.account_id from people p
        where p.org_id = ${orgId} and p.account_id is not null and p.id in ${attendedPeopleSql(orgId, eventId)})`;

/**
 * One history entry as text: exact decimal milliseconds without trailing zeros (whole milliseconds, the usual case,
 * print as an integer: a quarter less text than the six decimals of the epoch), US, stage.
 */
const entry = sql`trim_scale(extract(epoch from s.changed_at) * 1000) || chr(31) || s.to_stage`;

/**
 * `left join (…) h on h.opportunity_id = o.id`, giving `h.history`: one pass over the organization's stage changes up
 * to `until` (and within `range`, a condition on `s.opportunity_id`) in (opportunity, time, id) order, grouped per
 * opportunity. The aggregate takes the entries in the sorted subquery's order: the transaction must plan it
 * without parallel workers.
 */
export function onePassHistories(orgId: string, until: string, range: SQL = sql``): SQL {
  return sql`left join (
          select q.opportunity_id, string_agg(q.e, chr(30)) as history
            from (select s.opportunity_id, ${entry} as e from stage_changes s
                   where s.org_id = ${orgId} ${range} and s.changed_at <= ${until}::timestamptz
                   order by s.opportunity_id, s.changed_at, s.id) q
           group by q.opportunity_id) h on h.opportunity_id = o.id`;
}

export interface OpportunityQueryRow {
  id: string;
  account_id: string;
  name: string;
  owner_user_id: string | null;
  amount_minor: number | string;
  currency: string;
  segment: string | null;
  treated: boolean;
  history: string | null;
}

/** How histories are read: by the share of the pipeline in scope (default), or one way (for tests). */
export type HistoryRead = "auto" | "probes" | "one_pass";

async function queryOpportunities(
  tx: Tx,
  orgId: string,
  eventId: string,
  eventAt: Date,
  asOf: Date,
  read: HistoryRead,
  range: IdRange = {},
): Promise<OpportunityQueryRow[]> {
  const at = eventAt.toISOString();
  const until = asOf.toISOString();
  const accounts = attendingAccounts(orgId, eventId);
  // Controls leave out accounts that attended another event of the same type by the as-of date: their own lift
  // would leak into the comparison. The set is built once and joined: NOT IN or NOT EXISTS beside an OR stays a
  // subplan run for every opportunity (70 s and more on a million people instead of about a second). It is read
  // event by event through the (event, person) indexes of check-ins and registrations, and each person's account
  // by its key: joined in one go, the planner expects thousands of attendees per event and scans every check-in,
  // registration and person of the organization (1.2 s on 1.5M check-ins instead of 0.1 s).
  const otherAttending = sql`(select (select p.account_id from people p where p.org_id = e.org_id and p.id = a.person_id)
        as account_id
      from events e cross join lateral (
        select c.person_id from check_ins c
         where c.org_id = e.org_id and c.event_id = e.id and c.direction = 'entry'
        union
        select r.person_id from registrations r
         where r.org_id = e.org_id and r.event_id = e.id and r.attended and r.status <> 'cancelled') a
      where e.org_id = ${orgId} and e.id <> ${eventId}
        and e.type = (select type from events where org_id = ${orgId} and id = ${eventId})
        and e.starts_at <= ${until}::timestamptz)`;
  const inRange = (column: SQL) =>
    sql`${range.from ? sql`and ${column} >= ${range.from}::uuid` : sql``} ${range.to ? sql`and ${column} < ${range.to}::uuid` : sql``}`;
  const scope: SQL = sql`o.org_id = ${orgId} ${inRange(sql`o.id`)} and o.opened_at <= ${until}::timestamptz and (
      o.account_id in ${accounts}
      or (o.opened_at <= ${at}::timestamptz and (o.closed_at is null or o.closed_at > ${at}::timestamptz)
          and x.account_id is null))`;
  const others = sql`other_attending as materialized (
          select distinct q.account_id from ${otherAttending} q where q.account_id is not null)`;
  // One row per opportunity with its history as text (oldest first, ties by id): a million opportunities come back
  // as a million rows, not six million stage rows. Entries are "ms<US>stage" joined by <RS> (ASCII unit and record
  // separators): plain concatenation, about a third cheaper on the server than building JSON per entry. Times go
  // out as the exact decimal (numeric) milliseconds, which read as the same number as its float8 cast and spare
  // the server the conversion (about 1 s of 11 at a million deals). The plans are cheap steps repeated a million
  // times: compiling them with JIT costs more (2.4 s of 9 s at a million deals) than it saves.
  await tx.execute(sql`set local jit = off`);
  // Histories come either from an index probe per opportunity in scope, or from one pass over all of the
  // organization's stage changes in (opportunity, time, id) order, which is cheaper per entry (1.5 µs against
  // 13 µs per probe of ~6 entries at a million deals) but reads the deals out of scope too: taken when the deals
  // open at the event are most of the pipeline. The share is estimated on a fixed 2% sample of the table's pages
  // (an exact count cost 0.4 s on 387k deals); it only chooses the plan, never what is read. Few sampled deals
  // mean a small pipeline, where probes are cheap anyway.
  let onePass = read === "one_pass";
  if (read === "auto") {
    const [size] = await rows<{ open: number; total: number }>(
      tx,
      sql`select (count(*) filter (where o.opened_at <= ${at}::timestamptz
                   and (o.closed_at is null or o.closed_at > ${at}::timestamptz)))::int as open,
                 count(*)::int as total
            from opportunities o tablesample system (2) repeatable (1)
           where o.org_id = ${orgId}`,
    );
    onePass = size !== undefined && size.total >= 200 && size.open >= 0.6 * size.total;
  }
  let history: SQL;
  let join: SQL;
  if (onePass) {
    // The aggregate takes the entries in the order of the sorted subquery; a parallel plan could interleave them,
    // so this transaction plans without workers.
    await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    history = sql`h.history`;
    join = onePassHistories(orgId, until, inRange(sql`s.opportunity_id`));
  } else {
    history = sql`(select string_agg(${entry}, chr(30) order by s.changed_at, s.id)
             from stage_changes s
            where s.org_id = o.org_id and s.opportunity_id = o.id and s.changed_at <= ${until}::timestamptz)`;
    join = sql``;
  }
  return rows<OpportunityQueryRow>(
    tx,
    sql`with ${others}
        select o.id, o.account_id, o.name, o.owner_user_id, o.amount_minor, o.currency, a.segment,
          (o.account_id in ${accounts}) as treated, ${history} as history
        from opportunities o join accounts a on a.org_id = o.org_id and a.id = o.account_id
          left join other_attending x on x.account_id = o.account_id
          ${join}
        where ${scope}
        order by o.id`,
  );
}

/** Opportunities with ids in [from, to) (either end open). */
export interface IdRange {
  from?: string;
  to?: string;
}

/**
 * Splits the organization's opportunities into `parts` id ranges of about equal size, estimated on a sample of the
 * table's pages (2% by default); one range (no split) when fewer than `minRows` (200) are sampled: a small pipeline,
 * where one read is quick anyway.
 */
export async function opportunityRanges(
  tx: Tx,
  orgId: string,
  parts: number,
  sample: { percent?: number; minRows?: number } = {},
): Promise<IdRange[]> {
  if (parts <= 1) return [{}];
  const percent = sample.percent ?? 2;
  const minRows = sample.minRows ?? 200;
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
  const [sampled] = await rows<{ n: number; cuts: string[] | string | null }>(
    tx,
    sql`select count(*)::int as n,
          (percentile_disc(${sql.param(fractions)}::float8[]) within group (order by o.id))::text[] as cuts
        from opportunities o tablesample system (${sql.raw(String(Number(percent)))}) repeatable (1)
        where o.org_id = ${orgId}`,
  );
  const cuts = typeof sampled?.cuts === "string" ? parseTextArray(sampled.cuts) : (sampled?.cuts ?? []);
  if (!sampled || sampled.n < minRows || cuts.length !== parts - 1) return [{}];
  const bounds = [...new Set(cuts)];
  return bounds.length === 0
    ? [{}]
    : [
        { to: bounds[0]! },
        ...bounds.slice(1).map((to, i) => ({ from: bounds[i]!, to })),
        { from: bounds.at(-1)! },
      ];
}

/** A PostgreSQL text array of uuids ("{a,b}") as strings. */
function parseTextArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",") : [];
}

/**
 * Opportunities of attending accounts (all of them, so the unmeasurable are listed) and candidate controls: other
 * accounts' opportunities opened by the event and not closed before it, leaving out accounts that attended another
 * event of the same type by `asOf`. Histories use nothing after `asOf`.
 */
export async function loadOpportunities(
  tx: Tx,
  orgId: string,
  eventId: string,
  eventAt: Date,
  asOf: Date,
  read: HistoryRead = "auto",
): Promise<OpportunityRow[]> {
  const opps = await queryOpportunities(tx, orgId, eventId, eventAt, asOf, read);
  return opps.map((o) => ({
    id: o.id,
    accountId: o.account_id,
    name: o.name,
    ownerUserId: o.owner_user_id,
    amountMinor: Number(o.amount_minor),
    currency: o.currency,
    segment: o.segment,
    treated: o.treated,
    stages: o.history ? parseHistory(o.id, o.history) : [],
  }));
}

/** The opportunities of `loadOpportunities` in columns, in id order: histories as stage codes and times, no object per entry. */
export interface OpportunityTable {
  ids: string[];
  accountId: string[];
  name: string[];
  ownerUserId: (string | null)[];
  amountMinor: Float64Array;
  currency: string[];
  segment: (string | null)[];
  treated: Uint8Array;
  /** Entries offsets[i] … offsets[i+1]−1 are opportunity i's, oldest first (ties by id). */
  history: { offsets: Int32Array; stage: Int32Array; enteredAtMs: Float64Array };
  stageNames: string[];
}

/** `loadOpportunities` in columns (the same rows and histories), for the velocity comparison over many deals. */
export async function loadOpportunityTable(
  tx: Tx,
  orgId: string,
  eventId: string,
  eventAt: Date,
  asOf: Date,
  read: HistoryRead = "auto",
): Promise<OpportunityTable> {
  return readHistories(await queryOpportunities(tx, orgId, eventId, eventAt, asOf, read));
}

/**
 * The rows of `loadOpportunityTable` for one id range (in id order), to be read in parts side by side and joined in
 * range order with `readHistories`.
 */
export function loadOpportunityRows(
  tx: Tx,
  orgId: string,
  eventId: string,
  eventAt: Date,
  asOf: Date,
  range: IdRange,
  read: HistoryRead = "auto",
): Promise<OpportunityQueryRow[]> {
  return queryOpportunities(tx, orgId, eventId, eventAt, asOf, read, range);
}

/** A table of `n` opportunities with room for `entries` history entries, to be filled in. */
export function emptyOpportunityTable(n: number, entries: number, stageNames: string[]): OpportunityTable {
  return {
    ids: new Array(n),
    accountId: new Array(n),
    name: new Array(n),
    ownerUserId: new Array(n),
    amountMinor: new Float64Array(n),
    currency: new Array(n),
    segment: new Array(n),
    treated: new Uint8Array(n),
    history: {
      offsets: new Int32Array(n + 1),
      stage: new Int32Array(entries),
      enteredAtMs: new Float64Array(entries),
    },
    stageNames,
  };
}

/** Opportunity rows with their histories as text ("ms<US>stage<RS>…") into columns (treated when so marked). */
export function readHistories(
  opps: readonly (Omit<OpportunityQueryRow, "treated"> & { treated?: boolean })[],
): OpportunityTable {
  const n = opps.length;
  const table = emptyOpportunityTable(n, 0, []);
  let stage = new Int32Array(Math.max(16, n * 8));
  let entered = new Float64Array(stage.length);
  let used = 0;
  const push = (code: number, ms: number) => {
    if (used === stage.length) {
      const grownStage = new Int32Array(stage.length * 2);
      grownStage.set(stage);
      stage = grownStage;
      const grownEntered = new Float64Array(stage.length);
      grownEntered.set(entered);
      entered = grownEntered;
    }
    stage[used] = code;
    entered[used] = ms;
    used++;
  };
  for (let i = 0; i < n; i++) {
    const o = opps[i]!;
    table.ids[i] = o.id;
    table.accountId[i] = o.account_id;
    table.name[i] = o.name;
    table.ownerUserId[i] = o.owner_user_id;
    table.amountMinor[i] = Number(o.amount_minor);
    table.currency[i] = o.currency;
    table.segment[i] = o.segment;
    table.treated[i] = o.treated ? 1 : 0;
    const h = o.history;
    if (h) {
      // The same reading as parseHistory, without an object per entry, and in one pass over most entries: whole
      // milliseconds are read digit by digit (exact: far below 2^53), a stage name is known by comparing it in place
      // with the names seen so far (none of which holds a separator). Anything else (a fraction, an infinite date, a
      // new name) goes through the general reading.
      const L = h.length;
      let from = 0;
      while (from <= L) {
        let to = h.indexOf("\u001e", from);
        if (to < 0) to = L;
        let q = from;
        let c = h.charCodeAt(q);
        const negative = c === 45;
        if (negative) c = h.charCodeAt(++q);
        let ms = 0;
        const digits = q;
        while (c >= 48 && c <= 57 && q - digits < 15) {
          ms = ms * 10 + (c - 48);
          c = h.charCodeAt(++q);
        }
        let code = -1;
        if (c === 31 && q > digits) {
          if (negative) ms = -ms;
          const start = q + 1;
          const length = to - start;
          const names = table.stageNames;
          for (let k = 0; k < names.length; k++) {
            const name = names[k]!;
            if (name.length === length && h.startsWith(name, start)) {
              code = k;
              break;
            }
          }
        }
        if (code < 0) {
          const cut = h.indexOf("\u001f", from);
          if (cut <= from || cut >= to) throw separatorInStage(o.id);
          const again = h.indexOf("\u001f", cut + 1);
          if (again >= 0 && again < to) throw separatorInStage(o.id);
          ms = Number(h.slice(from, cut));
          const name = h.slice(cut + 1, to);
          // Stage names are few: their position in the list is their code.
          code = table.stageNames.indexOf(name);
          if (code < 0) code = table.stageNames.push(name) - 1;
        }
        push(code, Number.isFinite(ms) ? ms : Number.NaN);
        from = to + 1;
      }
    }
    table.history.offsets[i + 1] = used;
  }
  table.history.stage = stage.subarray(0, used);
  table.history.enteredAtMs = entered.subarray(0, used);
  return table;
}

function separatorInStage(opportunityId: string): AppError {
  return new AppError(
    "validation",
    `opportunity ${opportunityId}: a stage name holds a control character (U+001E or U+001F)`,
    "stage",
  );
}

/** Reads "ms<US>stage<RS>ms<US>stage…"; a stage name holding either separator cannot be read and is refused. */
function parseHistory(opportunityId: string, history: string): { stage: string; enteredAt: number }[] {
  return history.split("\u001e").map((entry) => {
    const cut = entry.indexOf("\u001f");
    const ms = Number(entry.slice(0, cut));
    // An infinite timestamp reads as NaN, which measurement lists as invalid_timestamp.
    const enteredAt = Number.isFinite(ms) ? ms : Number.NaN;
    const stage = entry.slice(cut + 1);
    if (cut <= 0 || stage.includes("\u001f")) throw separatorInStage(opportunityId);
    return { stage, enteredAt };
  });
}

/** The attending accounts with their owner and people; people who attended are marked. */
export async function loadAttendingAccounts(tx: Tx, orgId: string, eventId: string): Promise<AccountRow[]> {
  const accounts = await rows<{
    id: string;
    name: string;
    segment: string | null;
    owner_user_id: string | null;
    owner_email: string | null;
    owner_name: string | null;
  }>(
    tx,
    sql`select a.id, a.name, a.segment, a.owner_user_id, u.email as owner_email, u.name as owner_name
        from accounts a left join users u on u.org_id = a.org_id and u.id = a.owner_user_id
        where a.org_id = ${orgId} and a.id in ${attendingAccounts(orgId, eventId)}
        order by a.name, a.id`,
  );
  if (accounts.length === 0) return [];
  // The accounts' people by the (organization, account) index, the attendees among them from the event's own
  // check-ins and registrations: asked as one IN over a subquery, the planner hashed every person of the
  // organization (0.12 s on a million people for 17 accounts).
  const attendees = new Set(
    (
      await rows<{ person_id: string }>(tx, sql`select person_id from ${attendedPeopleSql(orgId, eventId)} a`)
    ).map((r) => r.person_id),
  );
  const people = (
    await rows<{
      id: string;
      account_id: string;
      name: string;
      buying_role: string | null;
    }>(
      tx,
      sql`select p.id, p.account_id, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) as name,
          p.buying_role
        from people p
        where p.org_id = ${orgId} and p.account_id = any(${sql.param(accounts.map((a) => a.id))}::uuid[])
        order by p.id`,
    )
  ).map((p) => ({ ...p, attended: attendees.has(p.id) }));
  const byAccount = new Map<string, AccountRow["people"]>();
  for (const p of people) {
    pushTo(byAccount, p.account_id, { id: p.id, name: p.name, role: p.buying_role, attended: p.attended });
  }
  return accounts.map((a) => ({
    id: a.id,
    name: a.name,
    segment: a.segment,
    ownerUserId: a.owner_user_id,
    ownerEmail: a.owner_email,
    ownerName: a.owner_name,
    people: byAccount.get(a.id) ?? [],
  }));
}

/**
 * Touchpoints of the attending accounts (on the account or on one of its people) from `from` to `asOf`, leaving out
 * those tied to this event itself (attendance, the room's own conversations).
 */
export async function loadAccountTouches(
  tx: Tx,
  orgId: string,
  eventId: string,
  from: Date,
  asOf: Date,
): Promise<TouchRow[]> {
  // The attending accounts first (a handful), then two index-driven halves instead of one OR, which scans every
  // touch of the period: the accounts' own touches, then their people's touches not filed under one of them.
  const ids = (
    await rows<{ id: string }>(tx, sql`select a.account_id as id from ${attendingAccounts(orgId, eventId)} a`)
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const idList = sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  const list = await rows<{
    account_id: string;
    person_id: string | null;
    occurred_at: unknown;
    channel: string;
  }>(
    tx,
    sql`select t.account_id, t.person_id, t.occurred_at, t.channel from touchpoints t
         where t.org_id = ${orgId} and t.account_id in ${idList}
           and t.occurred_at >= ${from.toISOString()}::timestamptz and t.occurred_at <= ${asOf.toISOString()}::timestamptz
           and (t.event_id is null or t.event_id <> ${eventId})
        union all
        select coalesce(t.account_id, p.account_id), t.person_id, t.occurred_at, t.channel
          from people p join touchpoints t on t.org_id = p.org_id and t.person_id = p.id
         where p.org_id = ${orgId} and p.account_id in ${idList}
           and t.occurred_at >= ${from.toISOString()}::timestamptz and t.occurred_at <= ${asOf.toISOString()}::timestamptz
           and (t.event_id is null or t.event_id <> ${eventId})
           and (t.account_id is null or t.account_id not in ${idList})`,
  );
  return list.map((t) => ({
    accountId: t.account_id,
    personId: t.person_id,
    at: toMs(t.occurred_at),
    channel: t.channel,
  }));
}
