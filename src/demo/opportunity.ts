import { opportunityStages } from "../db/schema/vocabulary.ts";
import {
  AMOUNT_MEDIAN,
  AMOUNT_SIGMA,
  CHANGES_TO_CLOSE,
  CHANGES_TO_CLOSE_WEIGHTS,
  STAGE_MEAN_DAYS,
  STALL_WINDOW_DAYS,
  WIN_RATE_BASE,
  WIN_RATE_DRIFT_PER_YEAR,
} from "./constants.ts";
import { DAY, q, ts, WEEK } from "./format.ts";
import type { Rng } from "./rng.ts";
import { PRODUCTS } from "./vocabulary.ts";
import type { World } from "./world.ts";
import type { UnitWriter } from "./writer.ts";

const OPEN_STAGES = opportunityStages.slice(0, 5);

/**
 * Win probability of a deal closing at `at` and owned by rep `rep`: base + drift, plus for kickoff attendees after
 * the kickoff the lift L, kept whole by reinforced reps and halving every `sko_decay_half_life_weeks` otherwise.
 */
export function winProbability(w: World, rep: number, at: number): number {
  const sko = w.events[w.sko]!.start;
  let p = WIN_RATE_BASE + (WIN_RATE_DRIFT_PER_YEAR * (at - sko)) / (365 * DAY);
  const status = w.repSko[rep]!;
  if (status > 0 && at >= sko) {
    const lift = w.effects.sko_win_rate_lift;
    p += status === 2 ? lift : lift * 2 ** (-(at - sko) / (w.effects.sko_decay_half_life_weeks * WEEK));
  }
  return Math.min(1, Math.max(0, p));
}

/**
 * Everything drawn for one opportunity. The draws never depend on the account's class (field or digital), so the
 * plan can draw every deal of the world once to add up each account's won revenue before it decides the classes
 * (`offline_won_revenue_share`), and the generator draws the very same deal again when it writes it.
 */
export interface OpportunityDraw {
  openedAt: number;
  /** Stage changes until the close (3, 4 or 5); `times[0]` is the opening, `times[k]` the close. */
  k: number;
  times: Float64Array;
  closedAt: number | null;
  won: boolean;
  amountMinor: number;
  /** Discount in percent (won deals), as written. */
  discount: string;
  product: number;
  /** Field accounts: days between the discovery meeting and the opening, and whether the proposal is reviewed in a meeting. */
  meetingDaysBefore: number;
  proposalInPerson: boolean;
}

/**
 * Draws one opportunity opened at `openedAt` in account `a`. Every stay in a stage is exponential with the segment's
 * mean, so for an opportunity of an account that attended no roundtable the time from any date to its next stage
 * change is again exponential with that mean (memoryless). For an account that attended a roundtable, the stay
 * running at the roundtable is replaced: with probability `roundtable_stall_share` the next change comes 60 days +
 * Exp(mean) later (a stall), otherwise after (1 − `roundtable_velocity_lift`) × Exp(mean) truncated to 60 days. The
 * close's outcome is drawn at the close time from `winProbability`. The draws for the deal's touches are made
 * whatever the class, so the stream `rng` continues the same way for field and digital accounts.
 */
export function drawOpportunity(w: World, rng: Rng, a: number, openedAt: number): OpportunityDraw {
  const acc = w.accounts;
  const seg = acc.segment[a]!;
  const mean = STAGE_MEAN_DAYS[seg]! * DAY;
  const k = CHANGES_TO_CLOSE[rng.weighted(CHANGES_TO_CLOSE_WEIGHTS)]!;
  const times = new Float64Array(k + 1);
  times[0] = openedAt;
  for (let i = 1; i <= k; i++) times[i] = times[i - 1]! + rng.exp(mean);
  // The dinner and the online briefing of a roundtable pair start at the same instant, so the account's class does
  // not matter here.
  const rt = acc.roundtable[a]!;
  if (rt >= 0) {
    const te = w.events[rt]!.start;
    if (openedAt < te && times[k]! > te) {
      let j = 1;
      while (times[j]! <= te) j++;
      const next = rng.chance(w.effects.roundtable_stall_share)
        ? te + STALL_WINDOW_DAYS * DAY + rng.exp(mean)
        : te + (1 - w.effects.roundtable_velocity_lift) * rng.truncExp(mean, STALL_WINDOW_DAYS * DAY);
      const shift = next - times[j]!;
      for (let i = j; i <= k; i++) times[i] = times[i]! + shift;
    }
  }
  const closed = times[k]! <= w.now;
  const won = closed && rng.chance(winProbability(w, acc.owner[a]!, times[k]!));
  const amountDollars = Math.max(
    500,
    Math.round((AMOUNT_MEDIAN[seg]! * Math.exp(AMOUNT_SIGMA * rng.normal())) / 100) * 100,
  );
  const discount = won ? (Math.round(rng.range(0, 25) * 100) / 100).toString() : "";
  const product = rng.int(PRODUCTS.length);
  const meetingDaysBefore = rng.range(0, 3);
  const proposalInPerson = rng.chance(0.5);
  return {
    openedAt,
    k,
    times,
    closedAt: closed ? times[k]! : null,
    won,
    amountMinor: amountDollars * 100,
    discount,
    product,
    meetingDaysBefore,
    proposalInPerson,
  };
}

/**
 * Writes one drawn opportunity with its full stage history (truncated at `now`) and its touches: a field account
 * meets in person before the deal opens (offline), a digital account's deal starts with a demo request (online).
 * Returns the opportunity's id.
 */
export function writeOpportunity(
  out: UnitWriter,
  a: number,
  d: OpportunityDraw,
  source: string,
  partnerId: string | null,
  contactId: string,
): string {
  const w = out.w;
  const acc = w.accounts;
  const { openedAt, k, times, won } = d;
  const now = w.now;
  const closed = d.closedAt !== null;
  let last = 0;
  while (last + 1 < k && times[last + 1]! <= now) last++;
  const stage = closed ? (won ? "closed_won" : "closed_lost") : OPEN_STAGES[last]!;
  const id = out.id("opportunities");
  const accountId = w.gen.accounts.id(a);
  const name = `${acc.segment[a] === 2 ? "Enterprise" : "Team"} ${PRODUCTS[d.product]} ${new Date(openedAt).toISOString().slice(0, 7)}`;
  out.row(
    "opportunities",
    `${id},,${accountId},${w.reps[acc.owner[a]!]!.id},${partnerId ?? ""},${q(name)},${d.amountMinor},${stage},${source},${d.discount},${ts(openedAt)},${closed ? ts(times[k]!) : ""},${closed ? (won ? "t" : "f") : ""},${ts(openedAt)}`,
  );
  out.row("stage_changes", `${out.id("stage_changes")},${id},,prospecting,${ts(openedAt)},${ts(openedAt)}`);
  for (let i = 1; i < k && times[i]! <= now; i++) {
    const at = times[i]!;
    out.row(
      "stage_changes",
      `${out.id("stage_changes")},${id},${OPEN_STAGES[i - 1]},${OPEN_STAGES[i]},${ts(at)},${ts(at)}`,
    );
  }
  if (closed) {
    const at = times[k]!;
    out.row(
      "stage_changes",
      `${out.id("stage_changes")},${id},${OPEN_STAGES[k - 1]},${stage},${ts(at)},${ts(at)}`,
    );
  }

  // The deal's touches: field accounts meet in person before the deal opens (offline); digital accounts never do.
  const field = acc.field[a] === 1;
  if (field) {
    const before = openedAt - d.meetingDaysBefore * DAY;
    out.touch(
      before >= w.h0 ? before : openedAt,
      "meeting",
      "discovery_meeting",
      false,
      contactId,
      accountId,
      null,
      null,
      id,
    );
  } else {
    out.touch(openedAt, "web", "demo_request", true, contactId, accountId, null, null, id);
  }
  if (k >= 4 && times[3]! <= now) {
    if (field && d.proposalInPerson) {
      out.touch(times[3]!, "meeting", "proposal_review", false, contactId, accountId, null, null, id);
    } else {
      out.touch(times[3]!, "email", "proposal_sent", true, contactId, accountId, null, null, id);
    }
  }
  return id;
}
