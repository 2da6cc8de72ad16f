import { AppError } from "../../core/errors.ts";
import { horizonInstant } from "../../core/roi/horizons.ts";
import type { Database } from "../../db/client.ts";
import { stageProbability } from "../../db/schema/vocabulary.ts";
import type { Interval } from "./days-saved.ts";
import type { EventRef } from "./event-context.ts";
import { loadRoundtableWorld, type RoundtableWorld, roundtableTableOf } from "./roundtable-batch.ts";
import {
  analyzeRoundtableTable,
  type RoundtableMovement,
  type RoundtableOptions,
  roundtableMovement,
} from "./roundtable-movement.ts";

export type { Interval } from "./days-saved.ts";

/**
 * Acceleration value: what it is worth that deals moved sooner after an event.
 *
 *     acceleration value = days saved per deal × daily value per deal × accelerated deals
 *
 * Days saved come from the matched-control comparison of time to next stage: the restricted mean time to next
 * stage within a horizon H (area under the Kaplan–Meier curve up to H, so open deals count with their censored time,
 * not dropped), controls minus attendees. Positive = attendees moved sooner. The interval comes from a seeded
 * bootstrap over matched sets. The daily value is the caller's or, by default, the deal's weighted amount per day:
 * amount × win probability of its stage / 365 (amounts are annual contract values, so a day sooner is a day more of
 * revenue, as in docs/roi.md, weighted by the chance the open deal is won).
 */

/** Default daily value of one open deal: amount × win probability of its stage / 365 (minor units). */
export function dailyValueOfDeal(amountMinor: number, stage: string): number {
  const p = stageProbability[stage as keyof typeof stageProbability];
  if (p === undefined) throw new AppError("validation", `unknown stage ${stage}`, "stage");
  return (amountMinor * p) / 365;
}

/** Acceleration value with its interval: days saved × daily value × deals (the interval of days saved carries). */
export interface AccelerationValue {
  valueMinor: number | null;
  ciMinor: [number, number] | null;
  daysSaved: Interval;
  dailyValueMinor: number;
  deals: number;
  note?: string;
}

/**
 * The acceleration value another module (ROI) calls: `daysSaved` per deal (with its interval), the value of one
 * day sooner for one deal (`dailyValueMinor`, minor units), and the number of accelerated deals. No number when
 * days saved has none.
 */
export function accelerationValue(input: {
  daysSaved: Interval;
  dailyValueMinor: number;
  deals: number;
}): AccelerationValue {
  const { daysSaved, dailyValueMinor, deals } = input;
  if (!Number.isFinite(dailyValueMinor) || dailyValueMinor < 0)
    throw new AppError("validation", "dailyValueMinor must be a non-negative number", "dailyValueMinor");
  if (!Number.isInteger(deals) || deals < 0)
    throw new AppError("validation", "deals must be a non-negative integer", "deals");
  const scale = dailyValueMinor * deals;
  if (daysSaved.estimate === null)
    return {
      valueMinor: null,
      ciMinor: null,
      daysSaved,
      dailyValueMinor,
      deals,
      note: daysSaved.note ?? "days saved is unknown",
    };
  return {
    valueMinor: daysSaved.estimate * scale,
    ciMinor: daysSaved.ci ? [daysSaved.ci[0] * scale, daysSaved.ci[1] * scale] : null,
    daysSaved,
    dailyValueMinor,
    deals,
  };
}

/** The acceleration value of one event, with what it is made of. */
export interface EventAcceleration extends AccelerationValue {
  eventId: string;
  horizonDays: number;
  /** How the daily value was set: given by the caller, or the default weighted amount per day. */
  dailyValueBasis: "given" | "weighted_amount_per_day";
  asOf: string;
}

/**
 * Acceleration value of an account-level event (executive roundtable) for ROI: days saved per matched attending deal
 * within `horizonDays` (default 90) × daily value × matched attending deals. Pass `dailyValueMinor` to use your own
 * value of one day sooner per deal; otherwise it is the mean over the matched attending deals of
 * amount × win probability of the stage at the event / 365.
 */
export async function eventAccelerationValue(
  db: Database,
  orgId: string,
  eventId: string,
  options: RoundtableOptions & { horizonDays?: number; dailyValueMinor?: number },
): Promise<EventAcceleration> {
  const report = await roundtableMovement(db, orgId, eventId, {
    ...options,
    ...(options.horizonDays !== undefined ? { daysSavedHorizon: options.horizonDays } : {}),
  });
  return accelerationOfReport(report, options.dailyValueMinor);
}

/** The acceleration value read off a roundtable report already computed (see eventAccelerationValue). */
export function accelerationOfReport(
  report: RoundtableMovement,
  dailyValueMinor?: number,
): EventAcceleration {
  const matched = report.accounts.flatMap((a) =>
    a.opportunities.filter((o) => o.controlIds.length > 0 && o.movement !== null),
  );
  // Deals in a stage outside the standard vocabulary have no win probability: they add no default daily value.
  // Summed in opportunity id order, whatever order the accounts are listed in (by name in the event's report), so
  // the portfolio's cut gives the same bits.
  const valued = matched
    .filter((o) => o.movement!.stageAtEvent in stageProbability)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const given = dailyValueMinor !== undefined;
  const daily = given
    ? dailyValueMinor
    : valued.length
      ? valued.reduce((s, o) => s + dailyValueOfDeal(o.amountMinor, o.movement!.stageAtEvent), 0) /
        valued.length
      : 0;
  const { daysSaved } = report.outcomes;
  return {
    eventId: report.event.id,
    horizonDays: daysSaved.horizonDays,
    dailyValueBasis: given ? "given" : "weighted_amount_per_day",
    asOf: report.asOf,
    ...accelerationValue({
      daysSaved: {
        estimate: daysSaved.estimate,
        ci: daysSaved.ci,
        ...(daysSaved.note ? { note: daysSaved.note } : {}),
      },
      dailyValueMinor: daily,
      deals: matched.length,
    }),
  };
}

/** What the acceleration of an executive roundtable adds to its ROI at one horizon. */
export interface RoiAcceleration {
  horizon: number;
  /** Enters ROI: `valueMinor` when its 95% interval excludes 0 (as for won-deal acceleration), else 0. */
  value: number;
  counted: boolean;
  /** The measure behind the value; null at horizon 0, where no time has passed. */
  detail: EventAcceleration | null;
}

/** The ROI horizons reached by `now`, and those among them that need a measure (horizon 0 saves nothing). */
export function reachedHorizons(endsAt: number, horizons: readonly number[], now: number) {
  const reached = horizons.filter((h) => horizonInstant(endsAt, h) <= now);
  return { reached, measured: reached.filter((h) => h > 0) };
}

/**
 * The pipeline acceleration of an executive roundtable at each ROI horizon that has been reached: days saved to the
 * next stage within h days of the event × weighted daily value × matched deals. Like the won-deal acceleration of
 * other events, it counts only when its interval excludes 0. One matched comparison, as known on the last reached
 * horizon's day or later, serves every horizon: within h days only what happened by event end + h counts, which was
 * known that day. (Controls exclude accounts at another roundtable by the comparison's day, not by each horizon's: an
 * attendance after h cannot touch the first h days.) Horizon 0 saves nothing by definition: 0, not computed.
 * `shared` is a report already computed with `daysSavedHorizons` covering the measured horizons (the event report
 * passes the ledger's when it is read on or after the last reached horizon).
 */
export async function roundtableRoiAcceleration(
  db: Database,
  orgId: string,
  event: { id: string; endsAt: number },
  horizons: readonly number[],
  now: number,
  shared?: RoundtableMovement,
): Promise<Map<number, RoiAcceleration>> {
  const { reached, measured } = reachedHorizons(event.endsAt, horizons, now);
  const report =
    measured.length === 0
      ? null
      : (shared ??
        (await roundtableMovement(db, orgId, event.id, {
          asOf: new Date(horizonInstant(event.endsAt, Math.max(...measured))),
          daysSavedHorizons: measured,
        })));
  return roiAccelerationOfReport(report, event.endsAt, reached);
}

/**
 * `roundtableRoiAcceleration` for many roundtables at once (the portfolio): the organization's pipeline is read once
 * and each event's comparison cut from it in memory (`roundtable-batch.ts`), the same comparison and figures as one
 * event's. Each event gets its own horizons.
 */
export async function roundtableRoiAccelerations(
  db: Database,
  orgId: string,
  events: readonly (EventRef & { horizons: readonly number[] })[],
  now: number,
): Promise<Map<string, Map<number, RoiAcceleration>>> {
  const out = new Map<string, Map<number, RoiAcceleration>>();
  const plans = events.map((e) => {
    const endsAt = e.endsAt.getTime();
    const { reached, measured } = reachedHorizons(endsAt, e.horizons, now);
    const asOf = measured.length ? horizonInstant(endsAt, Math.max(...measured)) : null;
    return { event: e, endsAt, reached, measured, asOf };
  });
  // Controls leave out accounts at other events of the same type: one read per type.
  const worlds = new Map<string, RoundtableWorld>();
  for (const type of new Set(plans.filter((p) => p.asOf !== null).map((p) => p.event.type))) {
    const latest = Math.max(...plans.filter((p) => p.event.type === type).map((p) => p.asOf ?? 0));
    worlds.set(type, await db.withOrg(orgId, (tx) => loadRoundtableWorld(tx, orgId, type, new Date(latest))));
  }
  for (const p of plans) {
    let report: RoundtableMovement | null = null;
    const world = worlds.get(p.event.type);
    if (p.asOf !== null && world) {
      const asOf = new Date(p.asOf);
      const table = roundtableTableOf(world, p.event.id, p.event.startsAt, asOf);
      if (table) {
        // The acceleration reads the comparison and the attending deals, listed under their accounts; names,
        // people and touches only describe the accounts, so they are not read here.
        const accounts = [...new Set(table.accountId.filter((_, i) => table.treated[i] === 1))].map((id) => ({
          id,
          name: "",
          segment: null,
          ownerUserId: null,
          ownerEmail: null,
          ownerName: null,
          people: [],
        }));
        report = analyzeRoundtableTable(p.event, table, accounts, [], {
          asOf,
          daysSavedHorizons: p.measured,
        });
      }
    }
    out.set(p.event.id, roiAccelerationOfReport(report, p.endsAt, p.reached));
  }
  return out;
}

/** Per reached horizon, the acceleration ROI counts, read off one roundtable report (see roundtableRoiAcceleration). */
export function roiAccelerationOfReport(
  report: RoundtableMovement | null,
  endsAt: number,
  reached: readonly number[],
): Map<number, RoiAcceleration> {
  const out = new Map<number, RoiAcceleration>();
  const base = report ? accelerationOfReport(report) : null;
  for (const h of reached) {
    const at = report?.outcomes.daysSavedAt.find((d) => d.asked === h);
    if (!at || !base) {
      out.set(h, { horizon: h, value: 0, counted: false, detail: null });
      continue;
    }
    const d = at.daysSaved;
    const detail: EventAcceleration = {
      ...base,
      horizonDays: d.horizonDays,
      asOf: new Date(horizonInstant(endsAt, h)).toISOString(),
      ...accelerationValue({
        daysSaved: { estimate: d.estimate, ci: d.ci, ...(d.note ? { note: d.note } : {}) },
        dailyValueMinor: base.dailyValueMinor,
        deals: base.deals,
      }),
    };
    const ci = detail.ciMinor;
    const counted = detail.valueMinor !== null && ci !== null && (ci[0] > 0 || ci[1] < 0);
    out.set(h, { horizon: h, value: counted ? detail.valueMinor! : 0, counted, detail });
  }
  return out;
}
