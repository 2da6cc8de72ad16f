import { AppError } from "../../core/errors.ts";
import { DAY_MS } from "../../core/movement/index.ts";
import {
  compareSurvival,
  type DidEstimate,
  didRegression,
  type PanelRow,
  type SurvivalComparison,
} from "../../core/stats/index.ts";
import type { Database } from "../../db/client.ts";
import { type AnalysisOptions, checkAsOf, type EventRef, loadEvent, pushTo } from "./event-context.ts";
import {
  loadDeals,
  loadPartners,
  loadRegistrations,
  type PartnerDealRow,
  type PartnerRow,
  type RegistrationRow,
} from "./partner-queries.ts";

/** A "month" of the before/after panels: 30 days, counted from the event start. */
export const MONTH_MS = 30 * DAY_MS;

/** Options of the partner-event analysis. */
export interface PartnerOptions extends AnalysisOptions {
  /** Months before the event in the panel (default 6). */
  monthsBefore?: number;
  /** Months after the event, at most (default 6); only months complete by the as-of date are used. */
  monthsAfter?: number;
  /** Horizons for "registered by day h" (default 30, 60, 90). */
  horizons?: readonly number[];
}

/** A DiD estimate, or why there is none (never a number computed from nothing). */
export type DidResult =
  | ({ status: "estimated"; outcome: string; relativeLift: number | null } & DidEstimate)
  | { status: "insufficient"; outcome: string; message: string; treatedUnits: number; controlUnits: number };

/** One partner's monthly series and friction scorecard. */
export interface PartnerMovement {
  partnerId: string;
  name: string;
  tier: string | null;
  attended: boolean;
  attendees: number;
  /** Index 0 = the month just before the event (before) / the first month after it (after). */
  registrationsBefore: number[];
  registrationsAfter: number[];
  sourcedPipelineBeforeMinor: number[];
  sourcedPipelineAfterMinor: number[];
  /** Days from the event to the first registration after it; null when none by the as-of date. */
  daysToFirstRegistration: number | null;
  friction: PartnerFriction;
}

/** Friction of our deals through a partner, closed before and after the event, against baselines. */
export interface PartnerFriction {
  allTime: FrictionStats;
  before: FrictionStats;
  after: FrictionStats;
  /** after − before (the partner's own baseline); null where either side has no closed deal. */
  change: { winRate: number | null; cycleDays: number | null; discountPct: number | null };
}

/** Closed deals, win rate, mean cycle (opened → closed) and mean discount of won deals. */
export interface FrictionStats {
  closed: number;
  won: number;
  winRate: number | null;
  meanCycleDays: number | null;
  meanDiscountPct: number | null;
}

/** The partner-event report: indicators and outcomes side by side. */
export interface PartnerImpact {
  event: { id: string; name: string; type: string; startsAt: string };
  asOf: string;
  months: { before: number; after: number; monthDays: number };
  /** `excludedControls`: partners left out because they attended another partner event by the as-of date. */
  indicators: {
    attendingPartners: number;
    partnerAttendees: number;
    partners: number;
    excludedControls: number;
  };
  outcomes: {
    /** Registrations per partner-month: attending partners against the rest, after against before. */
    registrations: DidResult;
    /** Partner-sourced pipeline (minor units) per partner-month, the same way. */
    sourcedPipeline: DidResult;
    /** Time to first registration after the event, attending partners against the rest (censored at as-of). */
    timeToFirstRegistration:
      | ({ status: "compared" } & SurvivalComparison)
      | { status: "insufficient"; message: string; treatedUnits: number; controlUnits: number };
  };
  /** Friction of all partner deals and of direct deals, for comparison with each partner. */
  overall: { partnerDeals: FrictionStats; directDeals: FrictionStats };
  partners: PartnerMovement[];
}

function meanOrNull(xs: number[]): number | null {
  return xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null;
}

/** Friction statistics of a set of deals (only closed ones count). */
export function frictionStats(deals: readonly PartnerDealRow[]): FrictionStats {
  const closed = deals.filter((d) => d.closedAt !== null && d.isWon !== null);
  const won = closed.filter((d) => d.isWon);
  const discounts = won.map((d) => d.discountPct).filter((v): v is number => v !== null);
  return {
    closed: closed.length,
    won: won.length,
    winRate: closed.length ? won.length / closed.length : null,
    meanCycleDays: meanOrNull(closed.map((d) => (d.closedAt! - d.openedAt) / DAY_MS)),
    meanDiscountPct: meanOrNull(discounts),
  };
}

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** Monthly buckets: counts or sums of values whose time falls in each month before / after the event. */
function buckets(
  items: readonly { at: number; value: number }[],
  eventAtMs: number,
  monthsBefore: number,
  monthsAfter: number,
): { before: number[]; after: number[] } {
  const before = new Array<number>(monthsBefore).fill(0);
  const after = new Array<number>(monthsAfter).fill(0);
  for (const { at, value } of items) {
    if (at < eventAtMs) {
      const k = Math.floor((eventAtMs - at) / MONTH_MS - 1e-12);
      if (k < monthsBefore) before[k]! += value;
    } else {
      const k = Math.floor((at - eventAtMs) / MONTH_MS);
      if (k < monthsAfter) after[k]! += value;
    }
  }
  return { before, after };
}

function did(
  outcome: string,
  partners: readonly PartnerMovement[],
  pick: (p: PartnerMovement) => { before: number[]; after: number[] },
  level: number,
): DidResult {
  const treatedUnits = partners.filter((p) => p.attended).length;
  const controlUnits = partners.length - treatedUnits;
  if (treatedUnits === 0 || controlUnits === 0) {
    return {
      status: "insufficient",
      outcome,
      message:
        treatedUnits === 0
          ? "no partner attended: nothing to compare"
          : `no partner stayed away: ${treatedUnits} attending partners and 0 controls, so no difference-in-differences`,
      treatedUnits,
      controlUnits,
    };
  }
  const panel: PanelRow[] = [];
  for (const p of partners) {
    const s = pick(p);
    for (const v of s.before) panel.push({ unit: p.partnerId, treated: p.attended, post: false, outcome: v });
    for (const v of s.after) panel.push({ unit: p.partnerId, treated: p.attended, post: true, outcome: v });
  }
  try {
    const e = didRegression(panel, { level });
    const counterfactual = e.cells.treatedPre.mean + (e.cells.controlPost.mean - e.cells.controlPre.mean);
    return {
      status: "estimated",
      outcome,
      relativeLift: counterfactual > 0 ? e.estimate / counterfactual : null,
      ...e,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "validation")
      return { status: "insufficient", outcome, message: error.message, treatedUnits, controlUnits };
    throw error;
  }
}

/**
 * Partner movement after a partner event: per partner, deal registrations and partner-sourced pipeline per month
 * before and after, attending partners against those who did not attend (2×2 difference-in-differences with
 * partner-clustered standard errors), time to first registration after the event, and a friction scorecard of our
 * deals through each partner (win rate, cycle, discount) before and after, against all partner and direct deals.
 */
export async function partnerImpact(
  db: Database,
  orgId: string,
  eventId: string,
  options: PartnerOptions,
): Promise<PartnerImpact> {
  const monthsBefore = options.monthsBefore ?? 6;
  const loaded = await db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, eventId);
    checkAsOf(event, options.asOf);
    const from = new Date(event.startsAt.getTime() - monthsBefore * MONTH_MS);
    return {
      event,
      partners: await loadPartners(tx, orgId, eventId, options.asOf),
      registrations: await loadRegistrations(tx, orgId, from, options.asOf),
      deals: await loadDeals(tx, orgId, options.asOf),
    };
  });
  return analyzePartners(loaded.event, loaded.partners, loaded.registrations, loaded.deals, options);
}

/** The analysis over loaded rows. */
export function analyzePartners(
  event: EventRef,
  partnerRows: readonly PartnerRow[],
  registrations: readonly RegistrationRow[],
  deals: readonly PartnerDealRow[],
  options: PartnerOptions,
): PartnerImpact {
  const eventAtMs = event.startsAt.getTime();
  const asOfMs = options.asOf.getTime();
  const monthsBefore = options.monthsBefore ?? 6;
  const maxAfter = options.monthsAfter ?? 6;
  for (const [name, v] of [
    ["monthsBefore", monthsBefore],
    ["monthsAfter", maxAfter],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new AppError("validation", `${name} must be a positive integer`, name);
  }
  const monthsAfter = Math.min(maxAfter, Math.floor((asOfMs - eventAtMs) / MONTH_MS));
  const horizons = [...(options.horizons ?? [30, 60, 90])];
  const level = 0.95;

  const regsBy = new Map<string, RegistrationRow[]>();
  for (const r of registrations) pushTo(regsBy, r.partnerId, r);
  const dealsBy = new Map<string, PartnerDealRow[]>();
  for (const d of deals) if (d.partnerId) pushTo(dealsBy, d.partnerId, d);

  // Partners that attended another partner event (and not this one) are left out of the comparison.
  const excludedControls = partnerRows.filter((p) => p.attendees === 0 && p.attendedOther).length;
  const partners: PartnerMovement[] = partnerRows
    .filter((p) => p.attendees > 0 || !p.attendedOther)
    .map((p) => {
      const regs = regsBy.get(p.id) ?? [];
      const mine = dealsBy.get(p.id) ?? [];
      const r = buckets(
        regs.map((x) => ({ at: x.at, value: 1 })),
        eventAtMs,
        monthsBefore,
        Math.max(monthsAfter, 0),
      );
      const sourced = buckets(
        mine
          .filter((d) => d.source === "partner_sourced")
          .map((d) => ({ at: d.openedAt, value: d.amountMinor })),
        eventAtMs,
        monthsBefore,
        Math.max(monthsAfter, 0),
      );
      const first = regs.find((x) => x.at >= eventAtMs);
      const before = frictionStats(mine.filter((d) => d.closedAt !== null && d.closedAt < eventAtMs));
      const after = frictionStats(mine.filter((d) => d.closedAt !== null && d.closedAt >= eventAtMs));
      return {
        partnerId: p.id,
        name: p.name,
        tier: p.tier,
        attended: p.attendees > 0,
        attendees: p.attendees,
        registrationsBefore: r.before,
        registrationsAfter: r.after,
        sourcedPipelineBeforeMinor: sourced.before,
        sourcedPipelineAfterMinor: sourced.after,
        daysToFirstRegistration: first ? (first.at - eventAtMs) / DAY_MS : null,
        friction: {
          allTime: frictionStats(mine),
          before,
          after,
          change: {
            winRate: diff(after.winRate, before.winRate),
            cycleDays: diff(after.meanCycleDays, before.meanCycleDays),
            discountPct: diff(after.meanDiscountPct, before.meanDiscountPct),
          },
        },
      };
    });

  const insufficientMonths = (outcome: string): DidResult => ({
    status: "insufficient",
    outcome,
    message: "no complete month after the event yet: nothing to compare",
    treatedUnits: partners.filter((p) => p.attended).length,
    controlUnits: partners.filter((p) => !p.attended).length,
  });
  const registrationsDid =
    monthsAfter < 1
      ? insufficientMonths("registrations_per_month")
      : did(
          "registrations_per_month",
          partners,
          (p) => ({ before: p.registrationsBefore, after: p.registrationsAfter }),
          level,
        );
  const pipelineDid =
    monthsAfter < 1
      ? insufficientMonths("sourced_pipeline_minor_per_month")
      : did(
          "sourced_pipeline_minor_per_month",
          partners,
          (p) => ({ before: p.sourcedPipelineBeforeMinor, after: p.sourcedPipelineAfterMinor }),
          level,
        );

  const followUp = (asOfMs - eventAtMs) / DAY_MS;
  const sample = (group: PartnerMovement[]) => ({
    time: group.map((p) => p.daysToFirstRegistration ?? followUp),
    event: group.map((p) => (p.daysToFirstRegistration === null ? 0 : 1)),
  });
  const treated = partners.filter((p) => p.attended);
  const control = partners.filter((p) => !p.attended);
  const timeToFirstRegistration: PartnerImpact["outcomes"]["timeToFirstRegistration"] =
    treated.length === 0 || control.length === 0
      ? {
          status: "insufficient",
          message: `need attending and non-attending partners: ${treated.length} attended, ${control.length} did not`,
          treatedUnits: treated.length,
          controlUnits: control.length,
        }
      : {
          status: "compared",
          ...compareSurvival(sample(treated), sample(control), {
            horizons,
            ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
          }),
        };

  return {
    event: { id: event.id, name: event.name, type: event.type, startsAt: event.startsAt.toISOString() },
    asOf: options.asOf.toISOString(),
    months: { before: monthsBefore, after: Math.max(monthsAfter, 0), monthDays: MONTH_MS / DAY_MS },
    indicators: {
      attendingPartners: treated.length,
      partnerAttendees: partners.reduce((s, p) => s + p.attendees, 0),
      partners: partners.length,
      excludedControls,
    },
    outcomes: { registrations: registrationsDid, sourcedPipeline: pipelineDid, timeToFirstRegistration },
    overall: {
      partnerDeals: frictionStats(deals.filter((d) => d.partnerId !== null)),
      directDeals: frictionStats(deals.filter((d) => d.partnerId === null)),
    },
    partners,
  };
}
