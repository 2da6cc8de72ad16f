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
const times = new Float64Array(8);

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

export interface OpportunityResult {
  id: string;
  closedAt: number | null;
  won: boolean;
  amountMinor: number;
}

/**
 * Writes one opportunity with its full stage history (truncated at `now`). Every stay in a stage is exponential with
 * the segment's mean, so for an opportunity of an account that attended no roundtable the time from any date to its
 * next stage change is again exponential with that mean (memoryless). For an account that attended a roundtable,
 * the stay running at the roundtable is replaced: with probability `roundtable_stall_share` the next change comes
 * 60 days + Exp(mean) later (a stall), otherwise after (1 − `roundtable_velocity_lift`) × Exp(mean) truncated to 60
 * days. The close's outcome is drawn at the close time from `winProbability`.
 */
export function writeOpportunity(
  out: UnitWriter,
  rng: Rng,
  a: number,
  openedAt: number,
  source: string,
  partnerId: string | null,
  contactId: string,
): OpportunityResult {
  const w = out.w;
  const acc = w.accounts;
  const seg = acc.segment[a]!;
  const mean = STAGE_MEAN_DAYS[seg]! * DAY;
  const k = CHANGES_TO_CLOSE[rng.weighted(CHANGES_TO_CLOSE_WEIGHTS)]!;
  times[0] = openedAt;
  for (let i = 1; i <= k; i++) times[i] = times[i - 1]! + rng.exp(mean);
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
  const now = w.now;
  const closed = times[k]! <= now;
  const rep = acc.owner[a]!;
  const won = closed && rng.chance(winProbability(w, rep, times[k]!));
  const amountDollars = Math.max(
    500,
    Math.round((AMOUNT_MEDIAN[seg]! * Math.exp(AMOUNT_SIGMA * rng.normal())) / 100) * 100,
  );
  const amountMinor = amountDollars * 100;
  let last = 0;
  while (last + 1 < k && times[last + 1]! <= now) last++;
  const stage = closed ? (won ? "closed_won" : "closed_lost") : OPEN_STAGES[last]!;
  const id = out.id("opportunities");
  const accountId = w.gen.accounts.id(a);
  const discount = won ? (Math.round(rng.range(0, 25) * 100) / 100).toString() : "";
  const name = `${acc.segment[a] === 2 ? "Enterprise" : "Team"} ${PRODUCTS[rng.int(PRODUCTS.length)]} ${new Date(openedAt).toISOString().slice(0, 7)}`;
  out.row(
    "opportunities",
    `${id},,${accountId},${w.reps[rep]!.id},${partnerId ?? ""},${q(name)},${amountMinor},${stage},${source},${discount},${ts(openedAt)},${closed ? ts(times[k]!) : ""},${closed ? (won ? "t" : "f") : ""},${ts(openedAt)}`,
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
    const before = openedAt - rng.range(0, 3) * DAY;
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
    if (field && rng.chance(0.5)) {
      out.touch(times[3]!, "meeting", "proposal_review", false, contactId, accountId, null, null, id);
    } else {
      out.touch(times[3]!, "email", "proposal_sent", true, contactId, accountId, null, null, id);
    }
  }
  return { id, closedAt: closed ? times[k]! : null, won, amountMinor };
}
