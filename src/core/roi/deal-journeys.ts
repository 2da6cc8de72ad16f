import { type JourneyTable, type KeyBy, MISSING_KEY } from "../attribution/index.ts";
import { FLAG_LEAD_CREATION, FLAG_ONLINE, FLAG_OPP_CREATION } from "../attribution/journey-table.ts";
import { AppError } from "../errors.ts";
import { closedAtAsOf, type DealSet, dealStateAsOf, stageAsOf } from "./deal-set.ts";
import { DAY_MS } from "./horizons.ts";

/** Which touches make a deal's journey: up to its creation (sourced) or up to its close (influenced). */
export type JourneyWindow = "sourced" | "influenced";

/**
 * What a journey converts into, as known on the day:
 * - `won`: a deal won by then converts once with its amount; a deal open or lost then is a non-converting journey;
 * - `pipeline`: a deal open then converts with its stage probability p (value = amount × p, nulls = 1 − p); deals
 *   already closed take no part (their outcome is known, it is not pipeline);
 * - `created`: every deal opened by then converts once with its amount (pipeline created, whatever became of it).
 */
export type JourneyOutcome = "won" | "pipeline" | "created";

export interface DealJourneyOptions {
  /** The day the journeys are seen from (epoch ms, inclusive): later touches and stage changes are unknown. */
  asOf: number;
  window?: JourneyWindow;
  outcome?: JourneyOutcome;
  keyBy?: KeyBy;
  onlineOnly?: boolean;
  /** Days before the deal's creation a touch may lie (default: the lookback the deals were loaded with). */
  lookbackDays?: number;
  /** Take part only deals with a non-zero entry here (e.g. the deals an event touched). */
  only?: Uint8Array;
  /** Touch kinds that create a lead: the first such touch is the lead-creation milestone (w_shaped, full_path). */
  leadKinds?: readonly string[];
  /**
   * Columns to write the touches into instead of new ones (see `JourneyScratch`): the table's touch columns are then
   * views of them, valid until the next table is written into the same scratch.
   */
  scratch?: JourneyScratch;
}

/**
 * Reusable touch columns for journey tables, grown to the largest table written into them (so they hold what one
 * event's journeys need, not every touch of a whole organization's deal set).
 */
export class JourneyScratch {
  touchChannel = new Int32Array(0);
  touchKey = new Int32Array(0);
  touchTime = new Float64Array(0);
  touchFlags = new Uint8Array(0);
  touchKind = new Int32Array(0);

  /** Makes room for `n` touches (twice what was there at least, when it grows). */
  reserve(n: number): void {
    if (n <= this.touchTime.length) return;
    const size = Math.max(n, 2 * this.touchTime.length);
    this.touchChannel = new Int32Array(size);
    this.touchKey = new Int32Array(size);
    this.touchTime = new Float64Array(size);
    this.touchFlags = new Uint8Array(size);
    this.touchKind = new Int32Array(size);
  }
}

/** A journey table built from deals, and which deal each journey is. */
export interface DealJourneys {
  table: JourneyTable;
  /** Deal index of each journey. */
  deal: Int32Array;
}

/** First index in [lo, hi) whose time is >= t (times sorted ascending). */
function lowerBound(times: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** First index in [lo, hi) whose time is > t. */
function upperBound(times: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The touch range of deal i's journey as known on `asOf`: from `openedAt − lookback` (inclusive) to its creation
 * (sourced, inclusive) or to its close as known that day, or `asOf` while open (influenced, inclusive). Touches after
 * the close are never part of the journey. Returns [start, end) indices into the deal set's touch columns.
 */
export function journeyRange(
  deals: DealSet,
  i: number,
  asOf: number,
  window: JourneyWindow,
  lookbackDays: number,
): [number, number] {
  const opened = deals.openedAt[i]!;
  const from = opened - lookbackDays * DAY_MS;
  let to: number;
  if (window === "sourced") to = Math.min(opened, asOf);
  else {
    const closed = closedAtAsOf(deals, i, asOf);
    to = Number.isNaN(closed) ? asOf : Math.min(closed, asOf);
  }
  const s = deals.touchOffsets[i]!;
  const e = deals.touchOffsets[i + 1]!;
  const start = lowerBound(deals.touchAt, s, e, from);
  const end = upperBound(deals.touchAt, start, e, to);
  return [start, end];
}

/**
 * Deal i's journey weights for `outcome` as known on `asOf`, written to `out` as [conversions, value, nulls]; false
 * when the deal takes no part (not opened yet, or, for `pipeline`, not open that day).
 */
function weigh(deals: DealSet, i: number, asOf: number, outcome: JourneyOutcome, out: Float64Array): boolean {
  const state = dealStateAsOf(deals, i, asOf);
  if (state === "not_opened") return false;
  const amount = deals.amount[i]!;
  if (outcome === "created") {
    out[0] = 1;
    out[1] = amount;
    out[2] = 0;
  } else if (outcome === "won") {
    const won = state === "won";
    out[0] = won ? 1 : 0;
    out[1] = won ? amount : 0;
    out[2] = won ? 0 : 1;
  } else {
    if (state !== "open") return false;
    const p = deals.stages[stageAsOf(deals, i, asOf)]!.probability;
    out[0] = p;
    out[1] = amount * p;
    out[2] = 1 - p;
  }
  return true;
}

/**
 * The same journeys weighed for another outcome: a table built for `created` or `won` holds every deal opened by
 * `asOf`, and re-weighing it gives exactly that outcome's table, except that for `pipeline` the deals not open that
 * day stay in it with zero conversions, value and nulls. Per-journey models skip a journey with nothing to credit,
 * so they credit exactly as on the table built for the outcome; population models (markov) must not be run on it.
 */
export function reweighJourneys(
  deals: DealSet,
  journeys: DealJourneys,
  asOf: number,
  outcome: JourneyOutcome,
): JourneyTable {
  const n = journeys.deal.length;
  const conversions = new Float64Array(n);
  const value = new Float64Array(n);
  const nulls = new Float64Array(n);
  const weight = new Float64Array(3);
  for (let j = 0; j < n; j++) {
    if (!weigh(deals, journeys.deal[j]!, asOf, outcome, weight)) continue;
    conversions[j] = weight[0]!;
    value[j] = weight[1]!;
    nulls[j] = weight[2]!;
  }
  return { ...journeys.table, conversions, value, nulls };
}

/**
 * Builds the attribution engine's columnar journey table straight from the deal columns, as known on `asOf`: one
 * journey per deal that was opened by then (and, for `pipeline`, still open), with the touches of its window, in
 * time order. Only keys, channels and kinds that occur are in the dictionaries. The opportunity-creation milestone
 * is the last touch at or before the deal's creation; the lead-creation milestone the first touch of a lead kind.
 */
export function dealJourneyTable(deals: DealSet, options: DealJourneyOptions): DealJourneys {
  const { asOf } = options;
  const window = options.window ?? "influenced";
  const outcome = options.outcome ?? "won";
  const keyBy = options.keyBy ?? "channel";
  const onlineOnly = options.onlineOnly ?? false;
  const lookbackDays = options.lookbackDays ?? deals.lookbackDays;
  if (!(lookbackDays >= 0) || lookbackDays > deals.lookbackDays) {
    throw new AppError(
      "bad_request",
      `lookback must be between 0 and ${deals.lookbackDays} days (the deals were loaded with that), got ${lookbackDays}`,
      "lookbackDays",
    );
  }
  const leadKind = new Uint8Array(deals.kinds.length);
  for (const k of options.leadKinds ?? []) {
    const code = deals.kinds.indexOf(k);
    if (code >= 0) leadKind[code] = 1;
  }

  // Pass 1: which deals take part, their amounts and touch ranges.
  const n = deals.count;
  const pick = new Int32Array(n);
  const ranges = new Int32Array(2 * n);
  const conv = new Float64Array(n);
  const val = new Float64Array(n);
  const nul = new Float64Array(n);
  const weight = new Float64Array(3);
  let journeys = 0;
  let touches = 0;
  for (let i = 0; i < n; i++) {
    if (options.only && !options.only[i]) continue;
    if (!weigh(deals, i, asOf, outcome, weight)) continue;
    const c = weight[0]!;
    const v = weight[1]!;
    const u = weight[2]!;
    const [start, end] = journeyRange(deals, i, asOf, window, lookbackDays);
    let k = end - start;
    if (onlineOnly) {
      k = 0;
      for (let t = start; t < end; t++) k += deals.touchOnline[t]!;
    }
    pick[journeys] = i;
    ranges[2 * journeys] = start;
    ranges[2 * journeys + 1] = end;
    conv[journeys] = c;
    val[journeys] = v;
    nul[journeys] = u;
    journeys++;
    touches += k;
  }

  // Pass 2: fill the touch columns, interning only the dictionary entries that occur.
  const channelMap = new Int32Array(deals.channels.length).fill(-1);
  const channels: string[] = [];
  const kindMap = new Int32Array(deals.kinds.length).fill(-1);
  const kinds: string[] = [];
  const sourceKeys =
    keyBy === "event" ? deals.events : keyBy === "campaign" ? deals.campaigns : deals.channels;
  const keyMap = new Int32Array(sourceKeys.length + 1).fill(-1); // last slot: MISSING_KEY
  const keys: string[] = [];
  const offsets = new Int32Array(journeys + 1);
  const into = options.scratch;
  into?.reserve(touches);
  const touchChannel = into ? into.touchChannel.subarray(0, touches) : new Int32Array(touches);
  const touchKey =
    keyBy === "channel" ? touchChannel : into ? into.touchKey.subarray(0, touches) : new Int32Array(touches);
  const touchTime = into ? into.touchTime.subarray(0, touches) : new Float64Array(touches);
  const touchFlags = into ? into.touchFlags.subarray(0, touches) : new Uint8Array(touches);
  const touchKind = into ? into.touchKind.subarray(0, touches) : new Int32Array(touches);
  let anyKind = false;
  let out = 0;
  for (let j = 0; j < journeys; j++) {
    const i = pick[j]!;
    const start = ranges[2 * j]!;
    const end = ranges[2 * j + 1]!;
    const opened = deals.openedAt[i]!;
    let oppTouch = -1;
    let leadTouch = -1;
    const first = out;
    for (let t = start; t < end; t++) {
      const online = deals.touchOnline[t]!;
      if (onlineOnly && !online) continue;
      const ch = deals.touchChannel[t]!;
      let c = channelMap[ch]!;
      if (c < 0) {
        c = channels.length;
        channelMap[ch] = c;
        channels.push(deals.channels[ch]!);
      }
      touchChannel[out] = c;
      if (keyBy !== "channel") {
        const raw = keyBy === "event" ? deals.touchEvent[t]! : deals.touchCampaign[t]!;
        const slot = raw < 0 ? sourceKeys.length : raw;
        let key = keyMap[slot]!;
        if (key < 0) {
          key = keys.length;
          keyMap[slot] = key;
          keys.push(raw < 0 ? MISSING_KEY : sourceKeys[raw]!);
        }
        touchKey[out] = key;
      }
      const kind = deals.touchKind[t]!;
      if (kind >= 0) {
        anyKind = true;
        let kc = kindMap[kind]!;
        if (kc < 0) {
          kc = kinds.length;
          kindMap[kind] = kc;
          kinds.push(deals.kinds[kind]!);
        }
        touchKind[out] = kc;
        if (leadTouch < 0 && leadKind[kind]) leadTouch = out;
      } else touchKind[out] = -1;
      touchTime[out] = deals.touchAt[t]!;
      touchFlags[out] = online ? FLAG_ONLINE : 0;
      if (deals.touchAt[t]! <= opened) oppTouch = out;
      out++;
    }
    if (oppTouch >= first) touchFlags[oppTouch]! |= FLAG_OPP_CREATION;
    if (leadTouch >= first) touchFlags[leadTouch]! |= FLAG_LEAD_CREATION;
    offsets[j + 1] = out;
  }
  const table: JourneyTable = {
    keyBy,
    channels,
    keys: keyBy === "channel" ? channels : keys,
    kinds,
    journeyCount: journeys,
    touchCount: touches,
    offsets,
    touchChannel,
    touchKey,
    touchTime,
    touchFlags,
    touchKind: anyKind ? touchKind : null,
    conversions: conv.slice(0, journeys),
    value: val.slice(0, journeys),
    nulls: nul.slice(0, journeys),
  };
  return { table, deal: pick.slice(0, journeys) };
}

/**
 * Marks the deals whose journey (window as known on `asOf`) holds at least one touch of event `eventCode`, and
 * counts them. Rule-based models credit journey by journey, so running them on only these deals gives the event
 * exactly the credit it gets over all deals, at a fraction of the work.
 */
export function dealsTouchedBy(
  deals: DealSet,
  eventCode: number,
  asOf: number,
  window: JourneyWindow = "influenced",
  lookbackDays = deals.lookbackDays,
): { mask: Uint8Array; count: number } {
  const mask = new Uint8Array(deals.count);
  let count = 0;
  if (eventCode < 0) return { mask, count };
  const index = eventIndex(deals);
  const from = index.offsets[eventCode]!;
  const to = index.offsets[eventCode + 1]!;
  for (let k = from; k < to; k++) {
    const i = index.deals[k]!;
    if (deals.openedAt[i]! > asOf) continue;
    const [start, end] = journeyRange(deals, i, asOf, window, lookbackDays);
    for (let t = start; t < end; t++) {
      if (deals.touchEvent[t] === eventCode) {
        mask[i] = 1;
        count++;
        break;
      }
    }
  }
  return { mask, count };
}

/** For each event code, the deals whose loaded touches mention it at all (CSR layout), built once per deal set. */
interface EventIndex {
  offsets: Int32Array;
  deals: Int32Array;
}
const eventIndexes = new WeakMap<DealSet, EventIndex>();

/**
 * Which deals each event touched anywhere in their loaded touches: a superset of every window's answer, so window
 * checks run on those deals only (a portfolio asks once per event; scanning every deal each time would not scale).
 */
function eventIndex(deals: DealSet): EventIndex {
  let index = eventIndexes.get(deals);
  if (index) return index;
  const nEvents = deals.events.length;
  const counts = new Int32Array(nEvents + 1);
  const seen = new Int32Array(nEvents).fill(-1);
  for (let i = 0; i < deals.count; i++) {
    for (let t = deals.touchOffsets[i]!; t < deals.touchOffsets[i + 1]!; t++) {
      const e = deals.touchEvent[t]!;
      if (e >= 0 && seen[e] !== i) {
        seen[e] = i;
        counts[e + 1]!++;
      }
    }
  }
  for (let e = 0; e < nEvents; e++) counts[e + 1]! += counts[e]!;
  const list = new Int32Array(counts[nEvents]!);
  const fill = counts.slice(0, nEvents);
  seen.fill(-1);
  for (let i = 0; i < deals.count; i++) {
    for (let t = deals.touchOffsets[i]!; t < deals.touchOffsets[i + 1]!; t++) {
      const e = deals.touchEvent[t]!;
      if (e >= 0 && seen[e] !== i) {
        seen[e] = i;
        list[fill[e]!++] = i;
      }
    }
  }
  index = { offsets: counts, deals: list };
  eventIndexes.set(deals, index);
  return index;
}
