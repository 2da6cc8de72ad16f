import { type SQL, sql } from "drizzle-orm";
import { DAY_MS, type DealSet, DealSetBuilder, type StageInfo, type TouchRun } from "../../core/roi/index.ts";
import { rows, type Tx } from "../../db/client.ts";
import { opportunityStages, stageProbability } from "../../db/schema/vocabulary.ts";

/**
 * Whose touches make an opportunity's journey.
 * - `account`: every touch of the opportunity's account: touches carrying the account, and touches of any person of
 *   the account (the whole buying committee).
 * - `person`: the opportunity's contacts only: people on touches that carry the opportunity id and people whose lead
 *   was converted into it; an opportunity with neither falls back to the people of its account who have a
 *   buying-committee role (people.buying_role, the CRM's contact roles). Touches that carry the opportunity id
 *   belong to it whoever made them. Account-level touches without a person are not part of a person journey.
 */
export type JourneyScope = "person" | "account";

/** The longest ROI horizon: acceleration controls closing later than this after the event are never compared. */
const MAX_HORIZON_DAYS = 365;
export const journeyScopes = ["person", "account"] as const;

/** The product's stages with their open-pipeline probabilities and closed outcomes. */
export const productStages: StageInfo[] = opportunityStages.map((name) => ({
  name,
  probability: stageProbability[name],
  closed: name === "closed_won" ? "won" : name === "closed_lost" ? "lost" : null,
}));

export interface LoadDealsOptions {
  scope: JourneyScope;
  /** Touches earlier than this many days before an opportunity's creation are not loaded (default 365). */
  lookbackDays?: number;
  /** Only opportunities closed on or after this instant (open ones are then left out). */
  closedFrom?: Date;
  /** Only opportunities closed on or before this instant (open ones are then left out). */
  closedTo?: Date;
  /**
   * Load only what one event's report needs: the deals, histories and touches of the accounts the event touched,
   * plus the other accounts' won deals that were open when it ended (acceleration controls, without touches, with
   * the stage they were in at the event's end). Enough for per-journey models and for acceleration; population
   * models (markov, shapley) need everything.
   */
  focusEventId?: string;
  /**
   * Runs independent reads side by side, each in a transaction of its own (`Database.withOrgEach` on PostgreSQL).
   * Without it the reads run one after the other in the caller's transaction.
   */
  parallel?: <T>(parts: readonly ((tx: Tx) => Promise<T>)[]) => Promise<T[]>;
  /**
   * Side by side, a focused read takes the touches of about this many accounts per query (default 1,000; from 2 to
   * 6 queries), so that the deals are parsed and built while later ones are still being read.
   */
  chunkAccounts?: number;
  /** Builds the deal set on shared memory, for a worker thread to read (see `DealSetBuilder.build`). */
  shared?: boolean;
}

/** What the loader met: sizes, and data it could not use as given. */
export interface LoadInfo {
  deals: number;
  touches: number;
  currencies: string[];
  unknownStages: string[];
  ms: number;
  /**
   * Milliseconds per step: opportunities; stage histories and touches (the queries, with the deals parsed and built
   * as the touches come, and the wait for the acceleration controls); the controls added and the final build.
   */
  steps: { opportunities: number; touches: number; build: number };
}

interface OppRow {
  id: string;
  account_id: string;
  amount: number;
  currency: string;
  stage: string;
  opened: number;
  closed: number | null;
  is_won: boolean | null;
  segment: string | null;
}
interface StageRow {
  opportunity_id: string;
  at: number;
  from_stage: string | null;
  to_stage: string;
}
/** One touch group (an account, a person, or an opportunity's own touches) as one string, see touchGroupsSql. */
interface GroupRow {
  g: string;
  s: string;
}

/**
 * An instant as epoch milliseconds (a double, fractions kept): the exact microseconds (see touchColumns) divided by a
 * thousand, which rounds exactly as `(extract(epoch) * 1000)::float8` does (both are the nearest double to the same
 * quotient) without extract's numeric arithmetic.
 */
const epochMs = (column: SQL) => sql`((date_part('epoch', ${column}) * 1000000)::bigint)::float8 / 1000`;

/**
 * Accounts an event touched (column `id`): through the touch's account, or the account of the person touched; from
 * the event index alone (touchpoints_event_idx includes both).
 */
const focusAccountsSql = (orgId: string, eventId: string) =>
  sql`select e.account_id as id from touchpoints e
        where e.org_id = ${orgId} and e.event_id = ${eventId} and e.account_id is not null
      union
      select ep.account_id from touchpoints e
        join people ep on ep.org_id = e.org_id and ep.id = e.person_id
        where e.org_id = ${orgId} and e.event_id = ${eventId} and e.account_id is null and ep.account_id is not null`;

async function focusAccountIds(tx: Tx, orgId: string, eventId: string): Promise<string[]> {
  const list = await rows<{ id: string }>(
    tx,
    sql`select f.id::text as id from (${focusAccountsSql(orgId, eventId)}) f`,
  );
  return list.map((r) => r.id);
}

/** The opportunities taking part, ordered by account then creation. */
async function loadOpportunities(
  tx: Tx,
  orgId: string,
  options: LoadDealsOptions,
  focus: SQL | null,
): Promise<OppRow[]> {
  const where: SQL[] = [];
  if (options.closedFrom) where.push(sql`and o.closed_at >= ${options.closedFrom.toISOString()}`);
  if (options.closedTo) where.push(sql`and o.closed_at <= ${options.closedTo.toISOString()}`);
  if (focus) where.push(sql`and o.account_id = any(${focus})`);
  if (focus && options.focusEventId) {
    // Only deals whose journey window can hold one of the event's touches, or that were open when it ended (the
    // acceleration candidates): a deal closed before the event, or created more than the lookback after it, cannot.
    const touches = sql`from touchpoints e where e.org_id = ${orgId} and e.event_id = ${options.focusEventId}`;
    const ends = sql`(select ends_at from events where org_id = ${orgId} and id = ${options.focusEventId})`;
    where.push(sql`and (o.closed_at is null or o.closed_at >= least((select min(e.occurred_at) ${touches}), ${ends}))
      and o.opened_at - make_interval(days => ${options.lookbackDays ?? 365})
        <= greatest((select max(e.occurred_at) ${touches}), ${ends})`);
  }
  return rows<OppRow>(
    tx,
    sql`select o.id, o.account_id, o.amount_minor::float8 as amount, o.currency, o.stage,
          ${epochMs(sql`o.opened_at`)} as opened, ${epochMs(sql`o.closed_at`)} as closed, o.is_won, a.segment
        from opportunities o
        join accounts a on a.org_id = o.org_id and a.id = o.account_id
        where o.org_id = ${orgId} ${sql.join(where, sql` `)}
        order by o.account_id, o.opened_at, o.id`,
  );
}

/**
 * Acceleration candidates outside the accounts the event touched: won deals open when the event ended that closed
 * within the longest horizon after it. They need no touches (the event did not touch their accounts), only the
 * stage they were in when the event ended, which the query reads from the history. The query needs nothing but the
 * event, so it can start before anything else is known.
 */
async function loadControls(
  tx: Tx,
  orgId: string,
  eventId: string,
): Promise<(OppRow & { stage_at_end: string })[]> {
  const ends = sql`(select ends_at from events where org_id = ${orgId} and id = ${eventId})`;
  return rows<OppRow & { stage_at_end: string }>(
    tx,
    sql`with focus as (${focusAccountsSql(orgId, eventId)})
        select o.id, o.account_id, o.amount_minor::float8 as amount, o.currency, o.stage,
          ${epochMs(sql`o.opened_at`)} as opened, ${epochMs(sql`o.closed_at`)} as closed, o.is_won, a.segment,
          coalesce(
            (select s.to_stage from stage_changes s where s.org_id = o.org_id and s.opportunity_id = o.id
               and s.changed_at <= ${ends} order by s.changed_at desc, s.id desc limit 1),
            (select s.from_stage from stage_changes s where s.org_id = o.org_id and s.opportunity_id = o.id
               order by s.changed_at, s.id limit 1),
            'prospecting') as stage_at_end
        from opportunities o
        join accounts a on a.org_id = o.org_id and a.id = o.account_id
        where o.org_id = ${orgId} and o.is_won and o.opened_at <= ${ends} and o.closed_at > ${ends}
          and o.closed_at <= ${ends} + interval '${sql.raw(String(MAX_HORIZON_DAYS))} days'
          and not exists (select 1 from focus f where f.id = o.account_id)
        order by o.id`,
  );
}

/**
 * Stage histories of the opportunities taking part (all, or the ids given), in time order per opportunity. Given
 * ids are read one index probe each, in the order given (a scan of every history filtered by thousands of ids
 * would cost more); either way from stage_changes_history_idx alone.
 */
async function loadStages(tx: Tx, orgId: string, ids: string[] | null): Promise<StageRow[]> {
  const columns = sql`s.opportunity_id, ${epochMs(sql`s.changed_at`)} as at, s.from_stage, s.to_stage`;
  if (!ids) {
    return rows<StageRow>(
      tx,
      sql`select ${columns} from stage_changes s where s.org_id = ${orgId}
          order by s.opportunity_id, s.changed_at, s.id`,
    );
  }
  return rows<StageRow>(
    tx,
    sql`select ${columns} from unnest(${sql.param(ids)}::uuid[]) with ordinality as o(id, n)
        cross join lateral (select * from stage_changes s where s.org_id = ${orgId} and s.opportunity_id = o.id
          order by s.changed_at, s.id) s
        order by o.n, s.changed_at, s.id`,
  );
}

/**
 * Accounts whose touches are read, each over its own window: `from[k]` to `to[k]` (ms, Infinity for no end), both
 * included. See `accountWindows`.
 */
export interface AccountWindows {
  ids: string[];
  from: number[];
  to: number[];
}

/** An instant as a timestamp PostgreSQL reads ('infinity' for no end). */
const isoMs = (ms: number) => (ms === Number.POSITIVE_INFINITY ? "infinity" : new Date(ms).toISOString());

/**
 * The window of each account's touches its deals' journeys can hold: from the earliest creation less the lookback
 * to the latest close (no end while one is open), widened by a millisecond each way so that the cut by the touches'
 * whole milliseconds is still made by the journeys, exactly as with one lower bound for all. Accounts sorted.
 */
export function accountWindows(
  deals: readonly { account_id: string; opened: number; closed: number | null }[],
  lookbackDays: number,
): AccountWindows {
  const span = new Map<string, [number, number]>();
  for (const o of deals) {
    const from = o.opened - lookbackDays * DAY_MS;
    const to = o.closed ?? Number.POSITIVE_INFINITY;
    const w = span.get(o.account_id);
    if (!w) span.set(o.account_id, [from, to]);
    else {
      w[0] = Math.min(w[0], from);
      w[1] = Math.max(w[1], to);
    }
  }
  const ids = [...span.keys()].sort();
  return {
    ids,
    from: ids.map((id) => Math.floor(span.get(id)![0]) - 1),
    to: ids.map((id) => Math.ceil(span.get(id)![1]) + 1),
  };
}

/**
 * One touch's fields joined by chr(31): epoch ms, channel, kind, online (1/0), event id, campaign. A group's touches
 * are joined by chr(30) in the order of the ordered subquery they are aggregated from (time, then id). Names never
 * hold the two separators (touchpoints_names_check), so they are sent as they are.
 *
 * The milliseconds are those of `round(extract(epoch) * 1000)` (halves away from zero), computed in integers from
 * the exact microseconds (`us`, see touchColumns): extract's numeric arithmetic took a fifth of the touch read.
 */
const touchText = sql`string_agg(concat_ws(chr(31),
    case when t.us >= 0 then (t.us + 500) / 1000 else -((500 - t.us) / 1000) end,
    t.channel, t.kind, case when t.online then '1' else '0' end, coalesce(t.event_id::text, ''),
    coalesce(t.campaign, '')), chr(30))`;

/**
 * Touch columns of an ordered subquery, as `touchText` reads them. `us` is the epoch in whole microseconds:
 * date_part divides the stored microseconds by a million in double precision (correctly rounded), and multiplying
 * back is off by under half a microsecond for any instant before 2100, so the cast recovers them exactly.
 */
const touchColumns = sql`t.occurred_at, t.id, t.channel, t.kind, t.online, t.event_id, t.campaign,
    (date_part('epoch', t.occurred_at) * 1000000)::bigint as us`;

/** Group key of an account's touches that carry no account (they reach it through their person). */
const accountlessKey = (accountId: string) => `*${accountId}`;

/**
 * The query of every group's touches (the account in account scope, the person in person scope), one row per group
 * with its touches in one string (far fewer rows to ship and parse than one per touch). Touches older than `since`
 * (the lookback before the earliest opportunity) are never read.
 *
 * Account scope reads two kinds of group: touches carrying the account (key: the account id), and touches with no
 * account whose person belongs to it (key: `accountlessKey`). Each comes in (time, id) order straight from its
 * covering index (touchpoints_account_idx, touchpoints_accountless_idx): no table page per touch. The whole
 * organization is one ordered scan per kind, grouped as it goes. Chosen accounts (`windows`, or `focus` from
 * `since` on) are read one account at a time, a lateral subquery each, over that account's own window: an `= any`
 * key over thousands of accounts would lose the index order on PostgreSQL before 17 and sort every touch (a third of
 * the query's time on the large demo), and the account-less branch would probe every person of those accounts in
 * one pass and sort again. The aggregate keeps the order of its ordered subquery; the statement runs without
 * parallel workers, which could otherwise combine partial strings out of order, and `parseRun` refuses a run whose
 * times go backwards.
 */
export function touchGroupsSql(
  orgId: string,
  scope: JourneyScope,
  since: number,
  focus: SQL | null,
  windows?: AccountWindows,
): SQL {
  const from = new Date(since).toISOString();
  if (scope === "account" && (windows || focus)) {
    const accounts = windows
      ? sql`unnest(${sql.param(windows.ids)}::uuid[], ${sql.param(windows.from.map(isoMs))}::timestamptz[],
          ${sql.param(windows.to.map(isoMs))}::timestamptz[]) a(id, lo, hi)`
      : sql`(select f.id, ${from}::timestamptz as lo, 'infinity'::timestamptz as hi from unnest(${focus}) f(id)) a`;
    return sql`select a.id::text as g, c.s from ${accounts}
          cross join lateral (select ${touchText} as s from (
            select ${touchColumns} from touchpoints t
              where t.org_id = ${orgId} and t.account_id = a.id and t.occurred_at >= a.lo and t.occurred_at <= a.hi
              order by t.occurred_at, t.id) t) c
          where c.s is not null
        union all
        select '*' || a.id::text, c.s from ${accounts}
          cross join lateral (select ${touchText} as s from (
            select ${touchColumns} from people p
              join touchpoints t on t.org_id = p.org_id and t.person_id = p.id and t.account_id is null
              where p.org_id = ${orgId} and p.account_id = a.id and t.occurred_at >= a.lo and t.occurred_at <= a.hi
              order by t.occurred_at, t.id) t) c
          where c.s is not null`;
  }
  if (scope === "account") {
    return sql`select t.g::text as g, ${touchText} as s from (
          select t.account_id as g, ${touchColumns} from touchpoints t
            where t.org_id = ${orgId} and t.account_id is not null and t.occurred_at >= ${from}
            order by t.account_id, t.occurred_at, t.id) t
          group by t.g
        union all
        select '*' || t.g::text, ${touchText} from (
          select p.account_id as g, ${touchColumns} from people p
            join touchpoints t on t.org_id = p.org_id and t.person_id = p.id and t.account_id is null
            where p.org_id = ${orgId} and p.account_id is not null and t.occurred_at >= ${from}
            order by p.account_id, t.occurred_at, t.id) t
          group by t.g`;
  }
  // Person scope: touches of people, and touches carrying an opportunity id (grouped under "opp:<id>"). With a
  // focus: the people of the focus accounts (a contact's journey must be whole, not only the part that met the
  // event) and the touches carrying one of their opportunities.
  const only = focus
    ? sql`and (t.person_id in (select p2.id from people p2 where p2.org_id = ${orgId} and p2.account_id = any(${focus}))
            or t.opportunity_id in (select o.id from opportunities o where o.org_id = ${orgId}
              and o.account_id = any(${focus})))`
    : sql``;
  return sql`select t.g as g, ${touchText} as s from (
        select coalesce(t.person_id::text, 'opp:' || t.opportunity_id::text) as g, ${touchColumns}
          from touchpoints t
          where t.org_id = ${orgId} and t.occurred_at >= ${from}
            and (t.person_id is not null or t.opportunity_id is not null) ${only}
          order by 1, t.occurred_at, t.id) t
      group by t.g`;
}

/** A touch's attributes as the builder's codes (see `parseRun`). */
interface TouchCodes {
  channel: number;
  kind: number;
  online: number;
  event: number;
  campaign: number;
}

/** Touches of `count` groups in one set of columns: group `k` is touches `bounds[k]..bounds[k + 1] - 1`. */
export interface ParsedGroups {
  run: TouchRun;
  bounds: Int32Array;
}

const touchColumnsOf = (n: number): TouchRun => ({
  at: new Float64Array(n),
  channel: new Int32Array(n),
  event: new Int32Array(n),
  campaign: new Int32Array(n),
  kind: new Int32Array(n),
  online: new Uint8Array(n),
});

/** Touches in a group string: one more than its separators (an empty string is no group). */
function touchesIn(text: string): number {
  let n = 1;
  for (let p = text.indexOf("\u001e"); p >= 0; p = text.indexOf("\u001e", p + 1)) n++;
  return n;
}

/**
 * Parses group strings into one set of columns (one allocation per column for a whole chunk of groups, not six per
 * group: tens of thousands of small buffers cost the garbage collector more than the parsing), interning attributes
 * into the builder's dictionaries. See `parseRunInto`.
 */
export function parseGroups(
  texts: readonly string[],
  builder: DealSetBuilder,
  seen: Map<string, TouchCodes>,
): ParsedGroups {
  const bounds = new Int32Array(texts.length + 1);
  for (let k = 0; k < texts.length; k++) bounds[k + 1] = bounds[k]! + touchesIn(texts[k]!);
  const run = touchColumnsOf(bounds[texts.length]!);
  for (let k = 0; k < texts.length; k++)
    parseRunInto(texts[k]!, builder, seen, run, bounds[k]!, bounds[k + 1]!);
  return { run, bounds };
}

/** One group string parsed into columns of its own (see `parseRunInto`). */
export function parseRun(text: string, builder: DealSetBuilder, seen: Map<string, TouchCodes>): TouchRun {
  const n = touchesIn(text);
  const run = touchColumnsOf(n);
  parseRunInto(text, builder, seen, run, 0, n);
  return run;
}

/**
 * Parses a group string of `end - start` touches into `run[start..end)`, interning attributes into the builder's
 * dictionaries. Touches repeat the same attributes (channel, kind, online, event, campaign) over and over, so
 * everything after the time is looked up whole in `seen` (one per builder) and split only the first time it occurs:
 * the codes, and the order in which values enter the dictionaries, are those of splitting every touch (each value
 * first occurs in an unseen tail).
 */
function parseRunInto(
  text: string,
  builder: DealSetBuilder,
  seen: Map<string, TouchCodes>,
  run: TouchRun,
  start: number,
  end: number,
): void {
  let from = 0;
  for (let i = start; i < end; i++) {
    let to = text.indexOf("\u001e", from);
    if (to < 0) to = text.length;
    // The time: whole milliseconds read digit by digit (up to 15 digits, sign included: exact in a double), anything
    // else through Number().
    let cut = from;
    const negative = text.charCodeAt(cut) === 45;
    if (negative) cut++;
    const digits = cut;
    let whole = 0;
    for (let c = text.charCodeAt(cut); c >= 48 && c <= 57; c = text.charCodeAt(++cut))
      whole = whole * 10 + (c - 48);
    let at: number;
    if (text.charCodeAt(cut) === 31 && cut > digits && cut - digits <= 15) at = negative ? -whole : whole;
    else {
      cut = text.indexOf("\u001f", from);
      if (cut < 0 || cut > to) cut = to;
      at = Number(text.slice(from, cut));
    }
    // The runs arrive in time order (touchGroupsSql); a run that goes back in time was aggregated out of order.
    if (!(at >= (i > start ? run.at[i - 1]! : Number.NEGATIVE_INFINITY)))
      throw new Error(`touch run out of time order at touch ${i - start + 1}: ${text.slice(from, cut)}`);
    run.at[i] = at;
    const tail = text.slice(cut + 1, to);
    let codes = seen.get(tail);
    if (codes === undefined) {
      const f = tail.split("\u001f");
      codes = {
        channel: builder.touchCode("channel", f[0]!.trim()),
        kind: builder.touchCode("kind", f[1]),
        online: f[2] === "1" ? 1 : 0,
        event: builder.touchCode("event", f[3]),
        campaign: builder.touchCode("campaign", f[4]),
      };
      seen.set(tail, codes);
    }
    run.channel[i] = codes.channel;
    run.kind[i] = codes.kind;
    run.online[i] = codes.online;
    run.event[i] = codes.event;
    run.campaign[i] = codes.campaign;
    from = to + 1;
  }
}

/** The first index in `lo..hi-1` whose time is at or after `t` (`hi` if none). */
function firstAtOrAfter(times: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The contacts of each opportunity (person scope); see JourneyScope. */
async function loadContacts(tx: Tx, orgId: string, focus: SQL | null): Promise<Map<string, string[]>> {
  const only = focus
    ? sql`where opportunity_id in (select o.id from opportunities o where o.org_id = ${orgId}
            and o.account_id = any(${focus}))`
    : sql``;
  const linked = await rows<{ opportunity_id: string; person_id: string }>(
    tx,
    sql`select distinct opportunity_id::text, person_id::text from (
          select t.opportunity_id, t.person_id from touchpoints t
            where t.org_id = ${orgId} and t.opportunity_id is not null and t.person_id is not null
          union all
          select l.opportunity_id, l.person_id from leads l
            where l.org_id = ${orgId} and l.opportunity_id is not null) x ${only}
        order by 1, 2`,
  );
  const byOpp = new Map<string, string[]>();
  for (const r of linked) {
    const list = byOpp.get(r.opportunity_id);
    if (list) list.push(r.person_id);
    else byOpp.set(r.opportunity_id, [r.person_id]);
  }
  return byOpp;
}

async function loadCommittees(tx: Tx, orgId: string, focus: SQL | null): Promise<Map<string, string[]>> {
  const only = focus ? sql`and account_id = any(${focus})` : sql``;
  const members = await rows<{ account_id: string; id: string }>(
    tx,
    sql`select account_id::text, id::text from people
        where org_id = ${orgId} and account_id is not null and buying_role is not null ${only}
        order by account_id, id`,
  );
  const byAccount = new Map<string, string[]>();
  for (const r of members) {
    const list = byAccount.get(r.account_id);
    if (list) list.push(r.id);
    else byAccount.set(r.account_id, [r.id]);
  }
  return byAccount;
}

/**
 * Reads the organization's opportunities, their stage histories and their journeys' touches (the lookback before
 * creation up to the close; no upper bound while open) straight into the columnar DealSet. Each query is one
 * ordered scan; touches come one string per group and are cut per opportunity by binary search over the group's
 * time-ordered run.
 * Runs inside `db.withOrg(orgId, …)` (its transaction is `tx`), or, with `options.parallel` and no `tx`, entirely
 * in the transactions `parallel` opens: then no transaction of the caller's holds locks while the parts wait.
 *
 * A closed opportunity whose history does not end in its closed stage gets that change appended at its closedAt,
 * so the history and the row never disagree about the outcome.
 */
export async function loadDeals(
  tx: Tx | null,
  orgId: string,
  options: LoadDealsOptions,
): Promise<{ deals: DealSet; info: LoadInfo }> {
  const started = performance.now();
  const steps = { opportunities: 0, touches: 0, build: 0 };
  let mark = started;
  const lap = (step: keyof typeof steps) => {
    const t = performance.now();
    steps[step] += t - mark;
    mark = t;
  };
  const lookbackDays = options.lookbackDays ?? 365;
  // Reads that do not depend on each other go side by side when the caller can (`parallel`), else one after the
  // other in the caller's transaction. Each part sets what its queries need, in whichever transaction it runs:
  // no JIT (these queries are costed high enough for PostgreSQL to compile them, which took about 2 s of a 6 s
  // read on the large demo and saves nothing: the work is scanning and sorting), the memory to sort without
  // spilling to disk, and no parallel workers (see touchGroupsSql).
  const together = async (parts: readonly ((t: Tx) => Promise<unknown>)[]): Promise<unknown[]> => {
    const prepared = parts.map((part) => async (t: Tx) => {
      await t.execute(sql`set local jit = off`);
      await t.execute(sql`set local work_mem = '64MB'`);
      // The touch strings are aggregated in the order of an ordered subquery, which parallel workers would split.
      await t.execute(sql`set local max_parallel_workers_per_gather = 0`);
      return part(t);
    });
    if (options.parallel) return options.parallel(prepared);
    if (!tx) throw new Error("loadDeals needs a transaction or options.parallel");
    const out: unknown[] = [];
    for (const part of prepared) out.push(await part(tx));
    return out;
  };
  const focusEventId = options.focusEventId;
  type ControlRow = OppRow & { stage_at_end: string };
  const readControls = async (): Promise<ControlRow[]> =>
    focusEventId
      ? ((await together([(t) => loadControls(t, orgId, focusEventId)])) as [ControlRow[]])[0]
      : [];
  // Side by side, the acceleration controls (the costliest read before the journeys) start at once and are waited
  // for only when the deals are built; one after the other, they come after the opportunities.
  const early = options.parallel ? readControls() : null;
  early?.catch(() => undefined); // awaited below; an error then is the caller's
  const focusIds = focusEventId
    ? ((await together([(t) => focusAccountIds(t, orgId, focusEventId)])) as [string[]])[0]
    : null;
  const asParam = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;
  const focus = focusIds ? asParam(focusIds) : null;
  const [opps] = (await together([(t) => loadOpportunities(t, orgId, options, focus)])) as [OppRow[]];
  const controlsRead = early ?? (await readControls());
  lap("opportunities");
  const builder = new DealSetBuilder(productStages, lookbackDays);
  if (opps.length === 0 && (await controlsRead).length === 0) {
    return {
      deals: builder.build({ shared: options.shared }),
      info: {
        deals: 0,
        touches: 0,
        currencies: [],
        unknownStages: [],
        ms: performance.now() - started,
        steps,
      },
    };
  }
  let since = Number.POSITIVE_INFINITY;
  for (const o of opps) since = Math.min(since, o.opened);
  // A millisecond early: a touch less than half a millisecond before the bound is read as on it (touchText).
  since = Math.floor(since - lookbackDays * DAY_MS) - 1;
  const person = options.scope === "person";
  // The touch groups are read in chunks of accounts, and parsed and built into deals as they come while later chunks
  // are still being read. A focused account-scope read takes only the accounts with a deal, each over its deals'
  // window (accountWindows); side by side it splits them (sorted) into chunks taken in turn by two connections.
  // Each account's touches are one group, so chunks never share a group. Chunks are parsed in their order and deals
  // added in the opportunities' (account) order, so the result does not depend on which chunk comes back first.
  // Otherwise there is one chunk.
  const windows = focusIds && !person ? accountWindows(opps, lookbackDays) : null;
  const chunked = windows && options.parallel ? windows : null;
  const perChunk = options.chunkAccounts ?? 1000;
  const chunkCount = chunked
    ? Math.min(chunked.ids.length, 6, Math.max(2, Math.ceil(chunked.ids.length / perChunk)))
    : 1;
  const chunkWindows: AccountWindows[] = [];
  if (chunked) {
    for (let k = 0; k < chunkCount; k++) {
      const from = Math.floor((k * chunked.ids.length) / chunkCount);
      const to = Math.floor(((k + 1) * chunked.ids.length) / chunkCount);
      chunkWindows.push({
        ids: chunked.ids.slice(from, to),
        from: chunked.from.slice(from, to),
        to: chunked.to.slice(from, to),
      });
    }
  }
  const chunks: { focus: SQL | null; windows?: AccountWindows }[] =
    opps.length === 0
      ? []
      : chunked
        ? chunkWindows.map((w) => ({ focus: null, windows: w }))
        : [{ focus, windows: windows ?? undefined }];
  const lanes: number[][] = chunks.length === 0 ? [] : chunked && chunks.length > 1 ? [[], []] : [[]];
  for (let k = 0; k < chunks.length; k++) lanes[k % lanes.length]!.push(k);
  const arrived: (GroupRow[] | null)[] = chunks.map(() => null);
  let stageRows: StageRow[] | null = null;
  const stagesByOpp = new Map<string, [number, number]>();
  let contacts: Map<string, string[]> | null = person ? null : new Map();
  let committees: Map<string, string[]> | null = person ? null : new Map();
  /** Each group's touches: a range of its chunk's columns. */
  const groups = new Map<string, { run: TouchRun; start: number; end: number }>();
  const seen = new Map<string, TouchCodes>();
  const currencies = new Set<string>();
  let touchCount = 0;
  let parsed = 0; // chunks parsed, in order
  let built = 0; // opportunities added, in order
  const closedStage = (won: boolean | null) => (won ? "closed_won" : "closed_lost");
  const parts: { run: TouchRun; start: number; end: number }[] = [];
  const add = (run: TouchRun, t: number) =>
    builder.addTouchCodes(
      run.at[t]!,
      run.channel[t]!,
      run.event[t]!,
      run.campaign[t]!,
      run.kind[t]!,
      run.online[t] === 1,
    );
  const addOpportunity = (o: OppRow, contacts: Map<string, string[]>, committees: Map<string, string[]>) => {
    const rows = stageRows!;
    currencies.add(o.currency);
    builder.addDeal({
      id: o.id,
      amount: o.amount,
      openedAt: o.opened,
      closedAt: o.closed,
      isWon: o.is_won,
      stage: o.stage,
      segment: o.segment,
    });
    const history = stagesByOpp.get(o.id);
    if (history) {
      for (let s = history[0]; s < history[1]; s++) {
        const r = rows[s]!;
        builder.addStage(r.at, r.to_stage, r.from_stage);
      }
      const last = rows[history[1] - 1]!;
      const closed = o.closed !== null && o.is_won !== null;
      if (closed && last.to_stage !== closedStage(o.is_won) && o.closed! >= last.at) {
        builder.addStage(o.closed!, closedStage(o.is_won));
      }
    }
    // The journey's touch runs: one per group (the account, or each contact and the opportunity's own group).
    const from = o.opened - lookbackDays * DAY_MS;
    const to = o.closed ?? Number.POSITIVE_INFINITY;
    parts.length = 0;
    const keys =
      options.scope === "account"
        ? [o.account_id, accountlessKey(o.account_id)]
        : [...(contacts.get(o.id) ?? committees.get(o.account_id) ?? []), `opp:${o.id}`];
    for (const key of keys) {
      const group = groups.get(key);
      if (!group) continue;
      const { run } = group;
      const start = firstAtOrAfter(run.at, from, group.start, group.end);
      let end = start;
      while (end < group.end && run.at[end]! <= to) end++;
      if (end > start) parts.push({ run, start, end });
    }
    if (parts.length === 1) {
      const { run, start, end } = parts[0]!;
      builder.addTouchRun(run, start, end);
      touchCount += end - start;
    } else if (parts.length > 1) {
      // Merge the runs by time; ties keep the order of the runs (an account's own touches before its people's
      // account-less ones; contacts sorted by id, then the opportunity's own), then their own order.
      const merged: [number, number][] = [];
      parts.forEach((p, k) => {
        for (let t = p.start; t < p.end; t++) merged.push([k, t]);
      });
      merged.sort(
        (a, b) => parts[a[0]]!.run.at[a[1]]! - parts[b[0]]!.run.at[b[1]]! || a[0] - b[0] || a[1] - b[1],
      );
      for (const [k, t] of merged) add(parts[k]!.run, t);
      touchCount += merged.length;
    }
  };
  /** Parses the chunks that can be (in order), then adds the opportunities whose accounts are all read. */
  const advance = () => {
    while (parsed < chunks.length && arrived[parsed]) {
      const list = arrived[parsed]!.filter((row) => row.s);
      const { run, bounds } = parseGroups(
        list.map((row) => row.s),
        builder,
        seen,
      );
      for (let k = 0; k < list.length; k++)
        groups.set(list[k]!.g, { run, start: bounds[k]!, end: bounds[k + 1]! });
      arrived[parsed] = [];
      parsed++;
    }
    if (!stageRows || !contacts || !committees) return;
    // Opportunities come in account order: those up to the last account of the last parsed chunk are complete.
    const bound =
      parsed === chunks.length
        ? null
        : parsed > 0 && chunked
          ? chunkWindows[parsed - 1]!.ids.at(-1)!
          : undefined;
    if (bound === undefined) return;
    while (built < opps.length && (bound === null || opps[built]!.account_id <= bound)) {
      addOpportunity(opps[built++]!, contacts, committees);
    }
  };
  // Contacts and committees only in person scope: no part (no transaction) for reads that return nothing.
  await together([
    async (t) => {
      const list = await loadStages(t, orgId, focus ? opps.map((o) => o.id) : null);
      for (let s = 0, i = 1; i <= list.length; i++) {
        if (i === list.length || list[i]!.opportunity_id !== list[s]!.opportunity_id) {
          stagesByOpp.set(list[s]!.opportunity_id, [s, i]);
          s = i;
        }
      }
      stageRows = list;
      advance();
    },
    ...lanes.map((lane) => async (t: Tx) => {
      // Each chunk of a connection is sent as soon as the one before has come, before that one is parsed: the
      // connection never waits for this thread.
      const read = (k: number) => {
        const result = rows<GroupRow>(
          t,
          touchGroupsSql(orgId, options.scope, since, chunks[k]!.focus, chunks[k]!.windows),
        );
        result.catch(() => undefined); // awaited below; an error then is the caller's
        return result;
      };
      let next = lane.length > 0 ? read(lane[0]!) : null;
      for (let i = 0; i < lane.length; i++) {
        const got = await next!;
        next = i + 1 < lane.length ? read(lane[i + 1]!) : null;
        arrived[lane[i]!] = got;
        advance();
      }
    }),
    ...(person
      ? [
          async (t: Tx) => {
            contacts = await loadContacts(t, orgId, focus);
            advance();
          },
          async (t: Tx) => {
            committees = await loadCommittees(t, orgId, focus);
            advance();
          },
        ]
      : []),
  ]);
  if (built !== opps.length) throw new Error(`built ${built} of ${opps.length} opportunities`);
  // The controls are the won deals of the accounts the event did not touch, as their own read saw it: a touch
  // written between that read and the focus read (a check-in during the event) could put an account's deal in
  // both. The focus read decides.
  const focusSet = new Set(focusIds ?? []);
  const controls = (await controlsRead).filter((o) => !focusSet.has(o.account_id));
  lap("touches");
  // Acceleration controls outside the focus: their history reduced to what the comparison reads.
  for (const o of controls) {
    currencies.add(o.currency);
    builder.addDeal({
      id: o.id,
      amount: o.amount,
      openedAt: o.opened,
      closedAt: o.closed,
      segment: o.segment,
    });
    builder.addStage(o.opened, o.stage_at_end);
    builder.addStage(o.closed!, "closed_won");
  }
  const deals = builder.build({ shared: options.shared });
  lap("build");
  return {
    deals,
    info: {
      deals: deals.count,
      touches: touchCount,
      currencies: [...currencies].sort(),
      unknownStages: builder.unknownStages,
      ms: performance.now() - started,
      steps,
    },
  };
}
