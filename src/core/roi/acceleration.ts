import { AppError } from "../errors.ts";
import { bootstrap } from "../stats/bootstrap.ts";
import { matchControlsColumns } from "../stats/match-controls.ts";
import { journeyRange } from "./deal-journeys.ts";
import { closedAtAsOf, type DealSet, dealStateAsOf, stageAsOf } from "./deal-set.ts";
import { DAY_MS } from "./horizons.ts";

/** Days in the year a deal's amount is spread over when valuing days saved (amounts are annual contract values). */
export const DAYS_PER_YEAR = 365;

export interface AccelerationOptions {
  /** Index of the event in `deals.events` (-1: the event touched no deal). */
  eventCode: number;
  eventStartsAt: number;
  eventEndsAt: number;
  /** What is known: only deals won by this day are compared. */
  asOf: number;
  lookbackDays?: number;
}

/** One attending deal and the deal it was matched to. */
export interface AccelerationPair {
  treatedId: string;
  controlId: string;
  /** Days from the event's end to close: control − treated (positive = the attending deal closed sooner). */
  daysSaved: number;
  /** daysSaved × amount / 365, minor units. */
  value: number;
}

/** Deal acceleration credited to one event as known on one day. */
export interface Acceleration {
  status: "compared" | "insufficient_controls" | "no_attending_deals";
  /** Attending deals: open when the event ended, touched by it, won by `asOf`. */
  treated: number;
  /** Eligible non-attending deals: open when the event ended, not touched by it, won by `asOf`. */
  controls: number;
  matched: number;
  /** Mean days saved over the matched pairs; null without pairs. */
  daysSavedMean: number | null;
  /** Σ daysSaved × amount / 365 over the matched pairs, in minor units (0 without pairs). */
  estimate: number;
  /** 95% seeded bootstrap interval of `estimate`, resampling pairs; null without pairs. */
  interval: [number, number] | null;
  /** Whether the interval excludes 0: only then does the estimate count towards value and ROI. */
  counted: boolean;
  /** What enters value and ROI: `estimate` when counted, else 0. */
  value: number;
  pairs: AccelerationPair[];
  method: string;
  message?: string;
}

const none = () => ({
  matched: 0,
  daysSavedMean: null,
  estimate: 0,
  interval: null,
  counted: false,
  value: 0,
  pairs: [] as AccelerationPair[],
});

const METHOD =
  "won deals open when the event ended: each attending deal matched to the nearest non-attending one with the same " +
  "stage at the event end and segment (nearest on amount and age at the event, with replacement); days saved = " +
  "control's days from event end to close − attending deal's; estimate = Σ days saved × amount / 365, counted " +
  "towards value only when its 95% bootstrap interval (pairs resampled, seed 1) excludes 0";

/**
 * Acceleration value of an event as known on `asOf` (a simple matched comparison; see METHOD). Deals still open
 * on `asOf` take no part, since their close date is not known yet. Days saved are signed: a slower attending deal
 * lowers the value, so acceleration never only adds.
 */
export function accelerationAsOf(deals: DealSet, options: AccelerationOptions): Acceleration {
  const { eventCode, eventEndsAt, asOf } = options;
  if (!(eventEndsAt >= options.eventStartsAt)) {
    throw new AppError("validation", "the event ends before it starts", "endsAt");
  }
  const lookbackDays = options.lookbackDays ?? deals.lookbackDays;
  // A report asks the same question from its ledger and from its ROI curve: answered once per deal set (which
  // never changes once built; a worker thread posted the set has a copy, and answers of its own).
  let memo = remembered.get(deals);
  if (!memo) {
    memo = new Map();
    remembered.set(deals, memo);
  }
  const key = `${eventCode}|${options.eventStartsAt}|${eventEndsAt}|${asOf}|${lookbackDays}`;
  let answer = memo.get(key);
  if (!answer) {
    if (memo.size >= 256) memo.clear();
    answer = compare(deals, eventCode, eventEndsAt, asOf, lookbackDays);
    memo.set(key, answer);
  }
  const { interval } = answer;
  return {
    ...answer,
    interval: interval ? [interval[0], interval[1]] : null,
    pairs: answer.pairs.map((p) => ({ ...p })),
  };
}

const remembered = new WeakMap<DealSet, Map<string, Acceleration>>();

function compare(
  deals: DealSet,
  eventCode: number,
  eventEndsAt: number,
  asOf: number,
  lookbackDays: number,
): Acceleration {
  const n = deals.count;
  const treated = new Uint8Array(n);
  const eligible = new Uint8Array(n);
  const stage = new Float64Array(n);
  const segment = new Float64Array(n);
  const amount = new Float64Array(n);
  const age = new Float64Array(n);
  const remaining = new Float64Array(n);
  const noSegment = deals.segments.length;
  let nTreated = 0;
  let nControls = 0;
  for (let i = 0; i < n; i++) {
    if (deals.openedAt[i]! > eventEndsAt || asOf < eventEndsAt) continue;
    if (dealStateAsOf(deals, i, asOf) !== "won") continue;
    const closed = closedAtAsOf(deals, i, asOf);
    if (!(closed > eventEndsAt)) continue; // closed before the event ended: nothing to accelerate
    let touched = false;
    if (eventCode >= 0) {
      const [start, end] = journeyRange(deals, i, asOf, "influenced", lookbackDays);
      for (let t = start; t < end && !touched; t++) touched = deals.touchEvent[t] === eventCode;
    }
    eligible[i] = 1;
    treated[i] = touched ? 1 : 0;
    if (touched) nTreated++;
    else nControls++;
    stage[i] = stageAsOf(deals, i, eventEndsAt);
    segment[i] = deals.segment[i]! < 0 ? noSegment : deals.segment[i]!;
    amount[i] = deals.amount[i]!;
    age[i] = (eventEndsAt - deals.openedAt[i]!) / DAY_MS;
    remaining[i] = (closed - eventEndsAt) / DAY_MS;
  }
  const base = { treated: nTreated, controls: nControls, method: METHOD };
  if (nTreated === 0) {
    return { ...base, status: "no_attending_deals", ...none() };
  }
  const result = matchControlsColumns(
    { treated, eligible, exact: [stage, segment], numeric: [amount, age] },
    { k: 1, replacement: true },
  );
  if (result.status === "insufficient_controls") {
    return {
      ...base,
      status: "insufficient_controls",
      ...none(),
      message: result.message,
    };
  }
  const pairs: AccelerationPair[] = [];
  let value = 0;
  let days = 0;
  const { sets } = result;
  for (let s = 0; s < sets.treated.length; s++) {
    const t = sets.treated[s]!;
    const c = sets.controls[s]!;
    const daysSaved = remaining[c]! - remaining[t]!;
    const v = (daysSaved * deals.amount[t]!) / DAYS_PER_YEAR;
    pairs.push({ treatedId: deals.ids[t]!, controlId: deals.ids[c]!, daysSaved, value: v });
    value += v;
    days += daysSaved;
  }
  // Matched pairs are few and deal amounts uneven, so the sum is noisy: it counts only when its interval says it
  // is not noise (a single pair's interval is that pair: a stated limitation).
  const values = Float64Array.from(pairs, (p) => p.value);
  const m = values.length;
  const boot = bootstrap(
    value,
    (rng) => {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += values[rng.int(m)]!;
      return sum;
    },
    { resamples: 1000, seed: 1 },
  );
  const counted = boot.ci[0] > 0 || boot.ci[1] < 0;
  return {
    ...base,
    status: "compared",
    matched: m,
    daysSavedMean: m ? days / m : null,
    estimate: value,
    interval: boot.ci,
    counted,
    value: counted ? value : 0,
    pairs,
  };
}
