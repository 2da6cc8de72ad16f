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
import { type AnalysisOptions, checkAsOf, type EventRef, loadEvent } from "./event-context.ts";
import {
  addSums,
  type FrictionSums,
  loadPartnerDealSums,
  loadPartners,
  loadRegistrationSeries,
  MONTH_MS,
  type Panel,
  type PartnerDealSums,
  type PartnerRow,
  planPartnerQueries,
  type RegistrationSeries,
} from "./partner-queries.ts";

export { MONTH_MS };

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

/** Friction statistics of a slice of deals from its sums (only closed deals count). */
export function frictionStats(s: FrictionSums): FrictionStats {
  return {
    closed: s.closed,
    won: s.won,
    winRate: s.closed ? s.won / s.closed : null,
    // Exact sums over one division: the mean is correctly rounded, whatever the order of the deals.
    meanCycleDays: s.closed ? s.cycleMs / (s.closed * DAY_MS) : null,
    meanDiscountPct: s.discounted ? s.discountHundredths / (s.discounted * 100) : null,
  };
}

const NO_DEALS: FrictionSums = { closed: 0, won: 0, cycleMs: 0, discountHundredths: 0, discounted: 0 };

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** The panel of an event: months before as asked, months after as asked but only those complete by the as-of date. */
export function partnerPanel(event: EventRef, options: PartnerOptions): Panel {
  const monthsBefore = options.monthsBefore ?? 6;
  const maxAfter = options.monthsAfter ?? 6;
  for (const [name, v] of [
    ["monthsBefore", monthsBefore],
    ["monthsAfter", maxAfter],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new AppError("validation", `${name} must be a positive integer`, name);
  }
  const eventAtMs = event.startsAt.getTime();
  const complete = Math.floor((options.asOf.getTime() - eventAtMs) / MONTH_MS);
  return { eventAtMs, monthsBefore, monthsAfter: Math.max(Math.min(maxAfter, complete), 0) };
}

/** A partner in the comparison, as the difference-in-differences needs it. */
interface Unit {
  partnerId: string;
  attended: boolean;
}

function did<U extends Unit>(
  outcome: string,
  partners: readonly U[],
  pick: (p: U) => { before: number[]; after: number[] },
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
  return db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, eventId);
    checkAsOf(event, options.asOf);
    const panel = partnerPanel(event, options);
    await planPartnerQueries(tx);
    const partners = await loadPartners(tx, orgId, eventId, options.asOf);
    const registrations = await loadRegistrationSeries(tx, orgId, panel, options.asOf);
    // The deals are summed on the server while the registration outcomes (the survival bootstrap above all) are
    // computed here: the query is sent before the analysis takes the thread. A failure of either is reported once.
    const deals = loadPartnerDealSums(tx, orgId, panel, options.asOf);
    deals.catch(() => {});
    await new Promise<void>((resolve) => setImmediate(resolve));
    const part = analyzeRegistrations(event, partners, registrations, options);
    return completePartnerImpact(part, await deals, options);
  });
}

/** A compared partner with its registration series (the deal figures come later). */
type RegistrationUnit = Pick<
  PartnerMovement,
  | "partnerId"
  | "name"
  | "tier"
  | "attended"
  | "attendees"
  | "registrationsBefore"
  | "registrationsAfter"
  | "daysToFirstRegistration"
>;

/** What registrations alone give: the compared partners with their series and the outcomes on them. */
export interface RegistrationAnalysis {
  event: EventRef;
  panel: Panel;
  units: RegistrationUnit[];
  excludedControls: number;
  registrations: DidResult;
  timeToFirstRegistration: PartnerImpact["outcomes"]["timeToFirstRegistration"];
}

const LEVEL = 0.95;

function insufficientMonths(outcome: string, units: readonly Unit[]): DidResult {
  return {
    status: "insufficient",
    outcome,
    message: "no complete month after the event yet: nothing to compare",
    treatedUnits: units.filter((p) => p.attended).length,
    controlUnits: units.filter((p) => !p.attended).length,
  };
}

/** The analysis over loaded partners, registration series and deal sums (on the panel of `partnerPanel`). */
export function analyzePartners(
  event: EventRef,
  partnerRows: readonly PartnerRow[],
  registrations: readonly RegistrationSeries[],
  deals: readonly PartnerDealSums[],
  options: PartnerOptions,
): PartnerImpact {
  return completePartnerImpact(
    analyzeRegistrations(event, partnerRows, registrations, options),
    deals,
    options,
  );
}

/** The registration side of the analysis: the compared partners, registrations DiD and time to first registration. */
export function analyzeRegistrations(
  event: EventRef,
  partnerRows: readonly PartnerRow[],
  registrations: readonly RegistrationSeries[],
  options: PartnerOptions,
): RegistrationAnalysis {
  const eventAtMs = event.startsAt.getTime();
  const panel = partnerPanel(event, options);
  const { monthsBefore, monthsAfter } = panel;
  const horizons = [...(options.horizons ?? [30, 60, 90])];

  const regsBy = new Map<string, RegistrationSeries>();
  for (const r of registrations) regsBy.set(r.partnerId, r);

  // Partners that attended another partner event (and not this one) are left out of the comparison.
  const excludedControls = partnerRows.filter((p) => p.attendees === 0 && p.attendedOther).length;
  const units: RegistrationUnit[] = partnerRows
    .filter((p) => p.attendees > 0 || !p.attendedOther)
    .map((p) => {
      const regs = regsBy.get(p.id);
      const firstAfterMs = regs?.firstAfterMs ?? null;
      return {
        partnerId: p.id,
        name: p.name,
        tier: p.tier,
        attended: p.attendees > 0,
        attendees: p.attendees,
        registrationsBefore: regs?.before ?? new Array<number>(monthsBefore).fill(0),
        registrationsAfter: regs?.after ?? new Array<number>(monthsAfter).fill(0),
        daysToFirstRegistration: firstAfterMs === null ? null : (firstAfterMs - eventAtMs) / DAY_MS,
      };
    });

  const registrationsDid =
    monthsAfter < 1
      ? insufficientMonths("registrations_per_month", units)
      : did(
          "registrations_per_month",
          units,
          (p) => ({ before: p.registrationsBefore, after: p.registrationsAfter }),
          LEVEL,
        );

  const followUp = (options.asOf.getTime() - eventAtMs) / DAY_MS;
  const sample = (group: RegistrationUnit[]) => ({
    time: group.map((p) => p.daysToFirstRegistration ?? followUp),
    event: group.map((p) => (p.daysToFirstRegistration === null ? 0 : 1)),
  });
  const treated = units.filter((p) => p.attended);
  const control = units.filter((p) => !p.attended);
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
    event,
    panel,
    units,
    excludedControls,
    registrations: registrationsDid,
    timeToFirstRegistration,
  };
}

/** Adds the deal side to the registration analysis: sourced pipeline DiD and the friction scorecards. */
export function completePartnerImpact(
  part: RegistrationAnalysis,
  deals: readonly PartnerDealSums[],
  options: PartnerOptions,
): PartnerImpact {
  const { event, panel } = part;
  const { monthsBefore, monthsAfter } = panel;
  const dealsBy = new Map<string, PartnerDealSums>();
  let direct = NO_DEALS;
  let throughPartners = NO_DEALS;
  for (const d of deals) {
    if (d.partnerId === null) direct = d.allTime;
    else {
      dealsBy.set(d.partnerId, d);
      throughPartners = addSums(throughPartners, d.allTime);
    }
  }
  const partners: PartnerMovement[] = part.units.map((u) => {
    const mine = dealsBy.get(u.partnerId);
    const before = frictionStats(mine?.before ?? NO_DEALS);
    const after = frictionStats(mine?.after ?? NO_DEALS);
    return {
      partnerId: u.partnerId,
      name: u.name,
      tier: u.tier,
      attended: u.attended,
      attendees: u.attendees,
      registrationsBefore: u.registrationsBefore,
      registrationsAfter: u.registrationsAfter,
      sourcedPipelineBeforeMinor: mine?.sourcedBeforeMinor ?? new Array<number>(monthsBefore).fill(0),
      sourcedPipelineAfterMinor: mine?.sourcedAfterMinor ?? new Array<number>(monthsAfter).fill(0),
      daysToFirstRegistration: u.daysToFirstRegistration,
      friction: {
        allTime: frictionStats(mine?.allTime ?? NO_DEALS),
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

  const pipelineDid =
    monthsAfter < 1
      ? insufficientMonths("sourced_pipeline_minor_per_month", partners)
      : did(
          "sourced_pipeline_minor_per_month",
          partners,
          (p) => ({ before: p.sourcedPipelineBeforeMinor, after: p.sourcedPipelineAfterMinor }),
          LEVEL,
        );
  return {
    event: { id: event.id, name: event.name, type: event.type, startsAt: event.startsAt.toISOString() },
    asOf: options.asOf.toISOString(),
    months: { before: monthsBefore, after: monthsAfter, monthDays: MONTH_MS / DAY_MS },
    indicators: {
      attendingPartners: partners.filter((p) => p.attended).length,
      partnerAttendees: partners.reduce((s, p) => s + p.attendees, 0),
      partners: partners.length,
      excludedControls: part.excludedControls,
    },
    outcomes: {
      registrations: part.registrations,
      sourcedPipeline: pipelineDid,
      timeToFirstRegistration: part.timeToFirstRegistration,
    },
    overall: {
      partnerDeals: frictionStats(throughPartners),
      directDeals: frictionStats(direct),
    },
    partners,
  };
}
