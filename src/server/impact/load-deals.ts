import { type SQL, sql } from "drizzle-orm";
import {
  DAY_MS,
  type DealSet,
  DealSetBuilder,
  type StageInfo,
  type TouchInput,
} from "../../core/roi/index.ts";
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
   * Load touches only for the accounts an event touched (account scope) or its people (person scope). Enough for
   * per-journey models and for acceleration (whose controls need no touches); population models need everything.
   */
  focusEventId?: string;
}

/** What the loader met: sizes, and data it could not use as given. */
export interface LoadInfo {
  deals: number;
  touches: number;
  currencies: string[];
  unknownStages: string[];
  ms: number;
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
interface TouchRow {
  g: string;
  at: number;
  channel: string;
  kind: string;
  online: boolean;
  event_id: string | null;
  campaign: string | null;
}

const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/** The opportunities taking part, ordered by account then creation. */
async function loadOpportunities(tx: Tx, orgId: string, options: LoadDealsOptions): Promise<OppRow[]> {
  const period: SQL[] = [];
  if (options.closedFrom) period.push(sql`and o.closed_at >= ${options.closedFrom.toISOString()}`);
  if (options.closedTo) period.push(sql`and o.closed_at <= ${options.closedTo.toISOString()}`);
  return rows<OppRow>(
    tx,
    sql`select o.id, o.account_id, o.amount_minor::float8 as amount, o.currency, o.stage,
          ${epochMs(sql`o.opened_at`)} as opened, ${epochMs(sql`o.closed_at`)} as closed, o.is_won, a.segment
        from opportunities o
        join accounts a on a.org_id = o.org_id and a.id = o.account_id
        where o.org_id = ${orgId} ${sql.join(period, sql` `)}
        order by o.account_id, o.opened_at, o.id`,
  );
}

/** Stage histories of the organization's opportunities, in time order per opportunity. */
async function loadStages(tx: Tx, orgId: string): Promise<StageRow[]> {
  return rows<StageRow>(
    tx,
    sql`select s.opportunity_id, ${epochMs(sql`s.changed_at`)} as at, s.from_stage, s.to_stage
        from stage_changes s where s.org_id = ${orgId}
        order by s.opportunity_id, s.changed_at, s.id`,
  );
}

/**
 * One ordered scan of the touches, grouped (`g`) by account (account scope) or person (person scope), in time
 * order within a group (ties by id, so the order is stable from run to run). Touches older than the lookback before
 * the earliest opportunity are never read.
 */
async function loadTouches(
  tx: Tx,
  orgId: string,
  scope: JourneyScope,
  since: number,
  focusEventId: string | undefined,
): Promise<TouchRow[]> {
  const cols = sql`${epochMs(sql`t.occurred_at`)} as at, t.channel, t.kind, t.online, t.event_id::text as event_id,
    t.campaign`;
  const from = new Date(since).toISOString();
  if (scope === "account") {
    const focus = focusEventId
      ? sql`and coalesce(t.account_id, p.account_id) in (
            select coalesce(e.account_id, ep.account_id) from touchpoints e
            left join people ep on ep.org_id = e.org_id and ep.id = e.person_id
            where e.org_id = ${orgId} and e.event_id = ${focusEventId})`
      : sql``;
    return rows<TouchRow>(
      tx,
      sql`select coalesce(t.account_id, p.account_id)::text as g, ${cols}
          from touchpoints t
          left join people p on p.org_id = t.org_id and p.id = t.person_id
          where t.org_id = ${orgId} and t.occurred_at >= ${from}
            and coalesce(t.account_id, p.account_id) is not null ${focus}
          order by 1, t.occurred_at, t.id`,
    );
  }
  // Person scope: touches of people, and touches carrying an opportunity id (grouped under "opp:<id>"). With a
  // focus event: the people of every account it touched (a contact's journey must be whole, not just the part
  // that met the event), the people it touched directly, and every touch carrying an opportunity id.
  const focus = focusEventId
    ? sql`and (t.opportunity_id is not null or t.person_id in (
            select p2.id from people p2 where p2.org_id = ${orgId} and p2.account_id in (
              select coalesce(e.account_id, ep.account_id) from touchpoints e
              left join people ep on ep.org_id = e.org_id and ep.id = e.person_id
              where e.org_id = ${orgId} and e.event_id = ${focusEventId})
            union select e.person_id from touchpoints e where e.org_id = ${orgId} and e.event_id = ${focusEventId}))`
    : sql``;
  return rows<TouchRow>(
    tx,
    sql`select coalesce(t.person_id::text, 'opp:' || t.opportunity_id::text) as g, ${cols}
        from touchpoints t
        where t.org_id = ${orgId} and t.occurred_at >= ${from}
          and (t.person_id is not null or t.opportunity_id is not null) ${focus}
        order by 1, t.occurred_at, t.id`,
  );
}

/** The contacts of each opportunity (person scope); see JourneyScope. */
async function loadContacts(tx: Tx, orgId: string): Promise<Map<string, string[]>> {
  const linked = await rows<{ opportunity_id: string; person_id: string }>(
    tx,
    sql`select distinct opportunity_id::text, person_id::text from (
          select t.opportunity_id, t.person_id from touchpoints t
            where t.org_id = ${orgId} and t.opportunity_id is not null and t.person_id is not null
          union all
          select l.opportunity_id, l.person_id from leads l
            where l.org_id = ${orgId} and l.opportunity_id is not null) x
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

async function loadCommittees(tx: Tx, orgId: string): Promise<Map<string, string[]>> {
  const members = await rows<{ account_id: string; id: string }>(
    tx,
    sql`select account_id::text, id::text from people
        where org_id = ${orgId} and account_id is not null and buying_role is not null
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

/** Touch groups in columns: group g owns rows start[g] .. end[g]-1 of the scan. */
function indexGroups(touches: TouchRow[]): Map<string, [number, number]> {
  const groups = new Map<string, [number, number]>();
  let start = 0;
  for (let i = 1; i <= touches.length; i++) {
    if (i === touches.length || touches[i]!.g !== touches[start]!.g) {
      groups.set(touches[start]!.g, [start, i]);
      start = i;
    }
  }
  return groups;
}

function firstAtOrAfter(touches: TouchRow[], lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (touches[mid]!.at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const toTouch = (r: TouchRow): TouchInput => ({
  at: r.at,
  channel: r.channel,
  online: r.online,
  eventId: r.event_id,
  campaign: r.campaign,
  kind: r.kind,
});

/**
 * Reads the organization's opportunities, their stage histories and their journeys' touches (the lookback before
 * creation up to the close; no upper bound while open) straight into the columnar DealSet. Each query is one
 * ordered scan; touches are cut per opportunity by binary search over its group's time-ordered run.
 * Must run inside `db.withOrg(orgId, …)`.
 *
 * A closed opportunity whose history does not end in its closed stage gets that change appended at its closedAt,
 * so the history and the row never disagree about the outcome.
 */
export async function loadDeals(
  tx: Tx,
  orgId: string,
  options: LoadDealsOptions,
): Promise<{ deals: DealSet; info: LoadInfo }> {
  const started = performance.now();
  const lookbackDays = options.lookbackDays ?? 365;
  const opps = await loadOpportunities(tx, orgId, options);
  const builder = new DealSetBuilder(productStages, lookbackDays);
  if (opps.length === 0) {
    return {
      deals: builder.build(),
      info: { deals: 0, touches: 0, currencies: [], unknownStages: [], ms: performance.now() - started },
    };
  }
  let since = Number.POSITIVE_INFINITY;
  for (const o of opps) since = Math.min(since, o.opened);
  since -= lookbackDays * DAY_MS;
  // One transaction, one connection: the queries run one after the other.
  const stageRows = await loadStages(tx, orgId);
  const touches = await loadTouches(tx, orgId, options.scope, since, options.focusEventId);
  const person = options.scope === "person";
  const contacts = person ? await loadContacts(tx, orgId) : new Map<string, string[]>();
  const committees = person ? await loadCommittees(tx, orgId) : new Map<string, string[]>();
  const stagesByOpp = new Map<string, [number, number]>();
  for (let s = 0, i = 1; i <= stageRows.length; i++) {
    if (i === stageRows.length || stageRows[i]!.opportunity_id !== stageRows[s]!.opportunity_id) {
      stagesByOpp.set(stageRows[s]!.opportunity_id, [s, i]);
      s = i;
    }
  }
  const groups = indexGroups(touches);
  const currencies = new Set<string>();
  let touchCount = 0;
  const closedStage = (won: boolean | null) => (won ? "closed_won" : "closed_lost");
  const parts: [number, number][] = [];
  for (const o of opps) {
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
        const r = stageRows[s]!;
        builder.addStage(r.at, r.to_stage, r.from_stage);
      }
      const last = stageRows[history[1] - 1]!;
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
        ? [o.account_id]
        : [...(contacts.get(o.id) ?? committees.get(o.account_id) ?? []), `opp:${o.id}`];
    for (const key of keys) {
      const range = groups.get(key);
      if (!range) continue;
      const start = firstAtOrAfter(touches, range[0], range[1], from);
      let end = start;
      while (end < range[1] && touches[end]!.at <= to) end++;
      if (end > start) parts.push([start, end]);
    }
    if (parts.length === 1) {
      for (let t = parts[0]![0]; t < parts[0]![1]; t++) builder.addTouch(toTouch(touches[t]!));
      touchCount += parts[0]![1] - parts[0]![0];
    } else if (parts.length > 1) {
      // Merge the contacts' runs by time; ties keep the order of the runs (contacts sorted by id).
      const merged: number[] = [];
      for (const [s, e] of parts) for (let t = s; t < e; t++) merged.push(t);
      merged.sort((a, b) => touches[a]!.at - touches[b]!.at || a - b);
      for (const t of merged) builder.addTouch(toTouch(touches[t]!));
      touchCount += merged.length;
    }
  }
  const deals = builder.build();
  return {
    deals,
    info: {
      deals: deals.count,
      touches: touchCount,
      currencies: [...currencies].sort(),
      unknownStages: builder.unknownStages,
      ms: performance.now() - started,
    },
  };
}
