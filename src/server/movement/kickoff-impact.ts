import { AppError } from "../../core/errors.ts";
import { DAY_MS } from "../../core/movement/index.ts";
import {
  type AdoptionAlert,
  adoptionAlerts,
  compileGlossary,
  poolCells,
  type RepWeeklyAdoption,
  weeklyAdoption,
} from "../../core/movement/kickoff-adoption.ts";
import {
  fitKickoffLiftHalfLife,
  LIFT_ABSENT,
  LIFT_REINFORCED,
  LIFT_UNREINFORCED,
  type LiftDeals,
} from "../../core/movement/kickoff-lift-half-life.ts";
import {
  createRng,
  DEFAULT_RESAMPLES,
  type DecayCurve,
  type DidEstimate,
  decayCurve,
  didRegression,
  type PanelRow,
  percentileInterval,
  type WeeklyUnit,
} from "../../core/stats/index.ts";
import type { Database } from "../../db/client.ts";
import { type AnalysisOptions, checkAsOf, type EventRef, loadEvent } from "./event-context.ts";
import {
  loadClosedDeals,
  loadGlossary,
  loadNotes,
  loadObservations,
  loadReps,
  type NoteRow,
  type RepClosedDeals,
  type RepRow,
} from "./kickoff-queries.ts";
import type { LiftHalfLife } from "./lift-half-life.ts";

const WEEK_MS = 7 * DAY_MS;

/** Options of the kickoff analysis. */
export interface KickoffOptions extends AnalysisOptions {
  /** Days before the kickoff starts that form the baseline (default 182 = 26 weeks). */
  beforeDays?: number;
  /** Days after the kickoff ends that are measured, at most (default 182 = 26 weeks). */
  afterDays?: number;
  /** Adoption below this share (0…1) over the trailing weeks raises an alert (default 0.5). */
  adoptionThreshold?: number;
  /** Complete weeks the alert looks back over (default 2) and the notes it needs (default 3). */
  alertWeeks?: number;
  alertMinNotes?: number;
  /** Distinct glossary phrases a note must use to count (default 1). */
  minPhrases?: number;
}

/** Win rate, cycle and deal size of closed deals. */
export interface SellingStats {
  closed: number;
  won: number;
  winRate: number | null;
  meanCycleDays: number | null;
  /** Mean amount of won deals (minor units). */
  meanDealSizeMinor: number | null;
}

/** A change with its interval, or why there is none. */
export type Change =
  | {
      status: "estimated";
      design: "difference_in_differences" | "before_after";
      estimate: number;
      ci: [number, number] | null;
      stdError: number | null;
      /** What the estimate is made of. */
      detail: DidEstimate | { before: number; after: number; reps: number; resamples: number; seed: number };
    }
  | { status: "insufficient"; message: string };

/** A decay curve, or why there is none. */
export type DecayResult =
  | ({
      status: "estimated";
      /** "controls" when untreated units could be measured; else each unit against its own baseline. */
      comparedWith: "controls" | "own_baseline";
      note?: string;
    } & DecayCurve)
  | { status: "insufficient"; message: string };

export interface RepKickoff {
  userId: string;
  name: string;
  team: string;
  attended: boolean;
  reinforced: boolean;
  reinforcements: number;
  certificationScore: number | null;
  before: SellingStats;
  after: SellingStats;
  adoption: {
    before: number | null;
    after: number | null;
    notesBefore: number;
    notesAfter: number;
    checklistAfter: number | null;
    /** Adoption per week after the kickoff (null in a week with nothing to measure). */
    weekly: (number | null)[];
  };
}

export interface KickoffImpact {
  event: { id: string; name: string; type: string; startsAt: string; endsAt: string };
  asOf: string;
  windows: { beforeDays: number; afterDays: number; weeksBefore: number; weeksAfter: number };
  indicators: {
    reps: number;
    attendingReps: number;
    reinforcedReps: number;
    certifiedReps: number;
    meanCertificationScore: number | null;
  };
  outcomes: {
    winRate: {
      before: number | null;
      after: number | null;
      change: Change;
      controlChange: Change | null;
      /** Reinforced reps against reps who did not attend (DiD, rep-clustered): the lift that reinforcement keeps. */
      reinforcedVsAbsent: Change;
    };
    /** The win-rate lift at the kickoff and the half-life of its decay without reinforcement. */
    liftHalfLife: LiftHalfLife;
    cycleDays: { before: number | null; after: number | null; change: Change };
    dealSizeMinor: { before: number | null; after: number | null; change: Change };
    adoption:
      | { status: "no_glossary"; message: string }
      | {
          status: "measured";
          glossary: string[];
          before: number | null;
          after: number | null;
          /** Pooled adoption of attending reps per week after the kickoff. */
          weekly: { week: number; adoption: number | null; notes: number; complete: boolean }[];
          /** Attending reps' weekly adoption minus their own baseline (minus non-attending reps' when any). */
          decay: DecayResult;
          /** Reinforced attending reps against the other attending reps. */
          reinforcedVsRest: DecayResult;
        };
    /** Weekly win rate minus baseline, attending reps (against non-attending when any), and reinforced vs rest. */
    winRateDecay: DecayResult;
    winRateReinforcedVsRest: DecayResult;
  };
  reps: RepKickoff[];
  teams: {
    team: string;
    reps: number;
    before: SellingStats;
    after: SellingStats;
    adoptionBefore: number | null;
    adoptionAfter: number | null;
  }[];
  alerts: (AdoptionAlert & { name: string; team: string })[];
}

function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null;
}

/** One side (before or after the kickoff) of a rep's closed deals, column-wise, in opportunity id order. */
interface DealSide {
  n: number;
  won: Uint8Array;
  closedAt: Float64Array;
  cycleDays: Float64Array;
  amountMinor: Float64Array;
}

function dealSide(n: number): DealSide {
  return {
    n,
    won: new Uint8Array(n),
    closedAt: new Float64Array(n),
    cycleDays: new Float64Array(n),
    amountMinor: new Float64Array(n),
  };
}

/**
 * Selling statistics of closed deals, pooled over the sides in order. Sums run deal by deal in that order (the
 * figures are those of one list of all the deals).
 */
function sellingStats(sides: readonly DealSide[]): SellingStats {
  let closed = 0;
  let won = 0;
  let cycle = 0;
  let amount = 0;
  for (const side of sides) {
    for (let i = 0; i < side.n; i++) {
      closed++;
      cycle += side.cycleDays[i]!;
      if (side.won[i]) {
        won++;
        amount += side.amountMinor[i]!;
      }
    }
  }
  return {
    closed,
    won,
    winRate: closed ? won / closed : null,
    meanCycleDays: closed ? cycle / closed : null,
    meanDealSizeMinor: won ? amount / won : null,
  };
}

/** Outcome of one deal for a measure (null when the deal does not count for it). */
type Measure = (s: DealSide, i: number) => number | null;
const winMeasure: Measure = (s, i) => (s.won[i] ? 1 : 0);
const cycleMeasure: Measure = (s, i) => s.cycleDays[i]!;
const sizeMeasure: Measure = (s, i) => (s.won[i] ? s.amountMinor[i]! : null);

interface RepDeals {
  rep: RepRow;
  /** Position of the rep in the loaded reps. */
  index: number;
  before: DealSide;
  after: DealSide;
}

/** A side's sum and count of a measure, summed deal by deal. */
function sideSum(side: DealSide, measure: Measure): { s: number; n: number } {
  let s = 0;
  let n = 0;
  for (let i = 0; i < side.n; i++) {
    const v = measure(side, i);
    if (v !== null) {
      s += v;
      n++;
    }
  }
  return { s, n };
}

/**
 * Before/after change pooled over reps, with a cluster bootstrap over reps (whole reps resampled): the interval
 * respects that one rep's deals are not independent.
 */
function beforeAfter(units: readonly RepDeals[], measure: Measure, resamples: number, seed: number): Change {
  const cells = units.map((u) => {
    const b = sideSum(u.before, measure);
    const a = sideSum(u.after, measure);
    return { sb: b.s, nb: b.n, sa: a.s, na: a.n };
  });
  const stat = (pick: (i: number) => number, n: number): number => {
    let sb = 0;
    let nb = 0;
    let sa = 0;
    let na = 0;
    for (let j = 0; j < n; j++) {
      const c = cells[pick(j)]!;
      sb += c.sb;
      nb += c.nb;
      sa += c.sa;
      na += c.na;
    }
    return nb > 0 && na > 0 ? sa / na - sb / nb : Number.NaN;
  };
  const n = cells.length;
  const estimate = stat((j) => j, n);
  if (!Number.isFinite(estimate))
    return { status: "insufficient", message: "no closed deal before or no closed deal after the kickoff" };
  const rng = createRng(seed);
  const samples = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) samples[r] = stat(() => rng.int(n), n);
  const { ci, se } = percentileInterval(samples, 0.95);
  const totals = cells.reduce(
    (t, c) => ({ sb: t.sb + c.sb, nb: t.nb + c.nb, sa: t.sa + c.sa, na: t.na + c.na }),
    { sb: 0, nb: 0, sa: 0, na: 0 },
  );
  return {
    status: "estimated",
    design: "before_after",
    estimate,
    ci: n > 1 && Number.isFinite(ci[0]) ? ci : null,
    stdError: n > 1 && Number.isFinite(se) ? se : null,
    detail: { before: totals.sb / totals.nb, after: totals.sa / totals.na, reps: n, resamples, seed },
  };
}

/**
 * DiD panel rows of a deal-level outcome: treated reps' deals, then control reps', each rep's before then after
 * (deals the measure leaves out are skipped). Units are numbered by their rep's position.
 */
function panelRows(treated: readonly RepDeals[], control: readonly RepDeals[], measure: Measure): PanelRow[] {
  const panel: PanelRow[] = [];
  for (const [group, flag] of [
    [treated, true],
    [control, false],
  ] as const) {
    for (const u of group) {
      for (const [side, post] of [
        [u.before, false],
        [u.after, true],
      ] as const) {
        for (let i = 0; i < side.n; i++) {
          const v = measure(side, i);
          if (v !== null) panel.push({ unit: u.index, treated: flag, post, outcome: v });
        }
      }
    }
  }
  return panel;
}

/**
 * The same rows scored with another measure that, like the one they were built with, counts every deal: win and
 * cycle share their rows instead of building ~deal-count objects twice.
 */
function rescore(
  panel: PanelRow[],
  treated: readonly RepDeals[],
  control: readonly RepDeals[],
  measure: Measure,
): PanelRow[] {
  let k = 0;
  for (const group of [treated, control])
    for (const u of group)
      for (const side of [u.before, u.after])
        for (let i = 0; i < side.n; i++) panel[k++]!.outcome = measure(side, i)!;
  return panel;
}

/** DiD of a deal-level outcome: attending reps against non-attending reps, clustered by rep. */
function didChange(panel: readonly PanelRow[]): Change {
  try {
    const e = didRegression(panel);
    return {
      status: "estimated",
      design: "difference_in_differences",
      estimate: e.estimate,
      ci: e.ci,
      stdError: e.stdError,
      detail: e,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "validation")
      return { status: "insufficient", message: error.message };
    throw error;
  }
}

function decay(
  treated: WeeklyUnit[],
  controls: WeeklyUnit[] | null,
  weeks: number,
  options: { resamples?: number; seed?: number },
  what: string,
): DecayResult {
  if (weeks < 1) return { status: "insufficient", message: "no complete week after the kickoff yet" };
  if (treated.length === 0) return { status: "insufficient", message: `no ${what}` };
  const has = (xs: readonly (number | null)[]) => xs.some((v) => v !== null);
  const usable = (controls ?? []).filter((u) => has(u.before) && has(u.after));
  const note =
    controls && controls.length > 0 && usable.length === 0
      ? `none of the ${controls.length} comparison units has both a baseline and a later value: against own baseline only`
      : undefined;
  try {
    return {
      status: "estimated",
      comparedWith: usable.length > 0 ? "controls" : "own_baseline",
      ...(note ? { note } : {}),
      ...decayCurve(treated, {
        weeks,
        ...(usable.length > 0 ? { controls: usable } : {}),
        ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      }),
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "validation")
      return { status: "insufficient", message: `${what}: ${error.message}` };
    throw error;
  }
}

/**
 * Selling behaviour after a sales kickoff: per rep and team, win rate, cycle length and deal size before and after
 * (difference-in-differences against reps who did not attend when there are any, else before/after with a
 * rep-cluster bootstrap); messaging adoption from the kickoff's phrase glossary and manager observations, weekly,
 * with its decay curve, reinforced reps against the rest; certification scores; and adoption alerts.
 */
export async function kickoffImpact(
  db: Database,
  orgId: string,
  eventId: string,
  options: KickoffOptions,
): Promise<KickoffImpact> {
  const beforeDays = options.beforeDays ?? 182;
  const loaded = await db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, eventId);
    checkAsOf(event, options.asOf);
    const from = new Date(event.startsAt.getTime() - beforeDays * DAY_MS);
    return {
      event,
      reps: await loadReps(tx, orgId, event),
      deals: await loadClosedDeals(tx, orgId, from, options.asOf),
      notes: await loadNotes(tx, orgId, from, options.asOf),
      glossary: await loadGlossary(tx, orgId, eventId),
      observations: await loadObservations(tx, orgId, eventId),
    };
  });
  return analyzeKickoff(loaded, options);
}

/** Every rep's deals before and after the kickoff, in that order, as the lift fit's columns. */
function liftDeals(
  units: readonly RepDeals[],
  startMs: number,
  reinforced: (u: RepDeals) => boolean,
): LiftDeals {
  let n = 0;
  for (const u of units) n += u.before.n + u.after.n;
  const out: LiftDeals = { won: new Uint8Array(n), days: new Float64Array(n), group: new Uint8Array(n) };
  let i = 0;
  for (const u of units) {
    const group = !u.rep.attended ? LIFT_ABSENT : reinforced(u) ? LIFT_REINFORCED : LIFT_UNREINFORCED;
    for (const side of [u.before, u.after])
      for (let k = 0; k < side.n; k++) {
        out.won[i] = side.won[k]!;
        out.days[i] = (side.closedAt[k]! - startMs) / DAY_MS;
        out.group[i] = group;
        i++;
      }
  }
  return out;
}

/** The analysis over loaded rows. */
export function analyzeKickoff(
  data: {
    event: EventRef;
    reps: RepRow[];
    deals: Map<string, RepClosedDeals>;
    notes: NoteRow[];
    glossary: string[];
    observations: { repId: string; at: number; checked: number; total: number }[];
  },
  options: KickoffOptions,
): KickoffImpact {
  const { event } = data;
  const beforeDays = options.beforeDays ?? 182;
  const afterDays = options.afterDays ?? 182;
  if (!(beforeDays >= 7) || !(afterDays >= 7))
    throw new AppError("validation", "beforeDays and afterDays must be at least 7", "beforeDays");
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 1;
  const startMs = event.startsAt.getTime();
  const endMs = event.endsAt.getTime();
  const asOfMs = options.asOf.getTime();
  const afterEnd = Math.min(endMs + afterDays * DAY_MS, asOfMs);
  const weeksBefore = Math.floor(beforeDays / 7);
  const weeksAfterMax = Math.ceil(afterDays / 7);
  const completeWeeks = Math.max(0, Math.min(weeksAfterMax, Math.floor((asOfMs - endMs) / WEEK_MS)));

  // Deals per rep, before (closed in the baseline) and after (closed after the kickoff ends, within the window).
  const baselineStart = startMs - beforeDays * DAY_MS;
  const repDeals: RepDeals[] = data.reps.map((rep, index) => {
    const mine = data.deals.get(rep.userId);
    if (!mine) return { rep, index, before: dealSide(0), after: dealSide(0) };
    const { closedAt } = mine;
    const sideOf = (i: number): 0 | 1 | 2 =>
      closedAt[i]! < startMs && closedAt[i]! >= baselineStart
        ? 1
        : closedAt[i]! >= endMs && closedAt[i]! <= afterEnd
          ? 2
          : 0;
    let nb = 0;
    let na = 0;
    for (let i = 0; i < closedAt.length; i++) {
      const k = sideOf(i);
      if (k === 1) nb++;
      else if (k === 2) na++;
    }
    const before = dealSide(nb);
    const after = dealSide(na);
    let jb = 0;
    let ja = 0;
    for (let i = 0; i < closedAt.length; i++) {
      const k = sideOf(i);
      if (k === 0) continue;
      const side = k === 1 ? before : after;
      const j = k === 1 ? jb++ : ja++;
      side.won[j] = mine.won[i]!;
      side.closedAt[j] = closedAt[i]!;
      side.cycleDays[j] = (closedAt[i]! - mine.openedAt[i]!) / DAY_MS;
      side.amountMinor[j] = mine.amountMinor[i]!;
    }
    return { rep, index, before, after };
  });
  const attending = repDeals.filter((u) => u.rep.attended);
  const absent = repDeals.filter((u) => !u.rep.attended);
  let everyDeal: PanelRow[] | null = null;
  const change = (measure: Measure): Change => {
    if (attending.length === 0) return { status: "insufficient", message: "no rep attended the kickoff" };
    if (absent.length > 0) {
      // Win and cycle count every deal: their panels share rows (didRegression keeps no reference to them).
      let panel: PanelRow[];
      if (measure === sizeMeasure) panel = panelRows(attending, absent, measure);
      else if (everyDeal) panel = rescore(everyDeal, attending, absent, measure);
      else panel = everyDeal = panelRows(attending, absent, measure);
      const d = didChange(panel);
      if (d.status === "estimated") return d;
    }
    return beforeAfter(attending, measure, resamples, seed);
  };
  const pooled = (units: RepDeals[], side: "before" | "after") => sellingStats(units.map((u) => u[side]));

  // Weekly win rate (won / closed) per rep, for the decay of the win-rate lift.
  const weeklyWin = (u: RepDeals): WeeklyUnit => {
    const before = Array.from({ length: weeksBefore }, () => ({ won: 0, closed: 0 }));
    const after = Array.from({ length: completeWeeks }, () => ({ won: 0, closed: 0 }));
    for (let i = 0; i < u.before.n; i++) {
      const k = Math.floor((startMs - u.before.closedAt[i]! - 1) / WEEK_MS);
      if (k < weeksBefore) {
        before[k]!.closed++;
        if (u.before.won[i]) before[k]!.won++;
      }
    }
    for (let i = 0; i < u.after.n; i++) {
      const k = Math.floor((u.after.closedAt[i]! - endMs) / WEEK_MS);
      if (k < completeWeeks) {
        after[k]!.closed++;
        if (u.after.won[i]) after[k]!.won++;
      }
    }
    const rate = (c: { won: number; closed: number }) => (c.closed ? c.won / c.closed : null);
    return { id: u.rep.userId, before: before.map(rate), after: after.map(rate) };
  };
  const reinforced = (u: RepDeals) => u.rep.reinforcements > 0;
  const decayOpts = { resamples, seed };
  const winRateDecay = decay(
    attending.map(weeklyWin),
    absent.length > 0 ? absent.map(weeklyWin) : null,
    completeWeeks,
    decayOpts,
    "attending reps with closed deals",
  );
  const winRateReinforcedVsRest = decay(
    attending.filter(reinforced).map(weeklyWin),
    attending.filter((u) => !reinforced(u)).map(weeklyWin),
    completeWeeks,
    decayOpts,
    "reinforced reps with closed deals",
  );

  // Messaging adoption.
  let weekly: RepWeeklyAdoption[] = [];
  let adoption: KickoffImpact["outcomes"]["adoption"];
  if (data.glossary.length === 0) {
    adoption = {
      status: "no_glossary",
      message: "the kickoff has no phrase glossary: add the new positioning's phrases to measure adoption",
    };
  } else {
    const glossary = compileGlossary(data.glossary);
    weekly = weeklyAdoption(
      data.reps.map((r) => r.userId),
      data.notes,
      data.observations,
      glossary,
      { eventStartMs: startMs, eventEndMs: endMs, weeksBefore, weeksAfter: weeksAfterMax, asOfMs },
      { minPhrases: options.minPhrases ?? 1 },
    );
    const byRep = new Map(weekly.map((w) => [w.repId, w]));
    const unit = (u: RepDeals): WeeklyUnit => {
      const w = byRep.get(u.rep.userId)!;
      return {
        id: u.rep.userId,
        before: w.before.map((c) => c.adoption),
        after: w.after.slice(0, completeWeeks).map((c) => c.adoption),
      };
    };
    const attendingWeekly = attending.map((u) => byRep.get(u.rep.userId)!);
    adoption = {
      status: "measured",
      glossary: glossary.phrases,
      before: poolCells(attendingWeekly.flatMap((w) => w.before)).adoption,
      after: poolCells(attendingWeekly.flatMap((w) => w.after.slice(0, completeWeeks))).adoption,
      weekly: Array.from({ length: weeksAfterMax }, (_, k) => {
        const cell = poolCells(attendingWeekly.map((w) => w.after[k]!));
        return {
          week: k + 1,
          adoption: cell.adoption,
          notes: cell.notes,
          complete: k < completeWeeks,
        };
      }),
      decay: decay(
        attending.map(unit),
        absent.length > 0 ? absent.map(unit) : null,
        completeWeeks,
        decayOpts,
        "attending reps with notes",
      ),
      reinforcedVsRest: decay(
        attending.filter(reinforced).map(unit),
        attending.filter((u) => !reinforced(u)).map(unit),
        completeWeeks,
        decayOpts,
        "reinforced reps with notes",
      ),
    };
  }
  const weeklyBy = new Map(weekly.map((w) => [w.repId, w]));

  const reps: RepKickoff[] = repDeals.map((u) => {
    const w = weeklyBy.get(u.rep.userId);
    const pooledBefore = w ? poolCells(w.before) : null;
    const pooledAfter = w ? poolCells(w.after.slice(0, completeWeeks)) : null;
    return {
      userId: u.rep.userId,
      name: u.rep.name,
      team: u.rep.team,
      attended: u.rep.attended,
      reinforced: reinforced(u),
      reinforcements: u.rep.reinforcements,
      certificationScore: u.rep.certificationScore,
      before: sellingStats([u.before]),
      after: sellingStats([u.after]),
      adoption: {
        before: pooledBefore?.adoption ?? null,
        after: pooledAfter?.adoption ?? null,
        notesBefore: pooledBefore?.notes ?? 0,
        notesAfter: pooledAfter?.notes ?? 0,
        checklistAfter: pooledAfter?.checklistShare ?? null,
        weekly: w ? w.after.map((c) => c.adoption) : [],
      },
    };
  });

  const teams = [...new Set(repDeals.map((u) => u.rep.team))].sort().map((team) => {
    const members = repDeals.filter((u) => u.rep.team === team);
    const ws = members.map((u) => weeklyBy.get(u.rep.userId)).filter((w) => w !== undefined);
    return {
      team,
      reps: members.length,
      before: pooled(members, "before"),
      after: pooled(members, "after"),
      adoptionBefore: ws.length ? poolCells(ws.flatMap((w) => w.before)).adoption : null,
      adoptionAfter: ws.length
        ? poolCells(ws.flatMap((w) => w.after.slice(0, completeWeeks))).adoption
        : null,
    };
  });

  const repsById = new Map(data.reps.map((r) => [r.userId, r]));
  const alerts =
    adoption.status === "measured"
      ? adoptionAlerts(
          weekly.filter((w) => repsById.get(w.repId)?.attended),
          {
            threshold: options.adoptionThreshold ?? 0.5,
            trailingWeeks: options.alertWeeks ?? 2,
            minNotes: options.alertMinNotes ?? 3,
          },
        ).map((a) => ({ ...a, name: repsById.get(a.repId)!.name, team: repsById.get(a.repId)!.team }))
      : [];

  const scores = data.reps.map((r) => r.certificationScore).filter((s): s is number => s !== null);
  // Cycle before win: the shared panel rows then hold fractional outcomes from the start, and re-scoring them with
  // 0/1 keeps their shape (the other way round every row would change shape in the engine).
  const cycleChange = change(cycleMeasure);
  const winChange = change(winMeasure);
  const sizeChange = change(sizeMeasure);
  const attendingBefore = pooled(attending, "before");
  const attendingAfter = pooled(attending, "after");
  const controlChange = absent.length > 0 ? beforeAfter(absent, winMeasure, resamples, seed) : null;
  return {
    event: {
      id: event.id,
      name: event.name,
      type: event.type,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
    },
    asOf: options.asOf.toISOString(),
    windows: { beforeDays, afterDays, weeksBefore, weeksAfter: completeWeeks },
    indicators: {
      reps: data.reps.length,
      attendingReps: attending.length,
      reinforcedReps: attending.filter(reinforced).length,
      certifiedReps: scores.length,
      meanCertificationScore: mean(scores),
    },
    outcomes: {
      winRate: {
        before: attendingBefore.winRate,
        after: attendingAfter.winRate,
        change: winChange,
        controlChange,
        reinforcedVsAbsent:
          attending.some(reinforced) && absent.length > 0
            ? didChange(panelRows(attending.filter(reinforced), absent, winMeasure))
            : {
                status: "insufficient",
                message: `need reinforced attending reps and reps who did not attend: ${attending.filter(reinforced).length} reinforced, ${absent.length} absent`,
              },
      },
      cycleDays: {
        before: attendingBefore.meanCycleDays,
        after: attendingAfter.meanCycleDays,
        change: cycleChange,
      },
      dealSizeMinor: {
        before: attendingBefore.meanDealSizeMinor,
        after: attendingAfter.meanDealSizeMinor,
        change: sizeChange,
      },
      liftHalfLife: fitKickoffLiftHalfLife(liftDeals(repDeals, startMs, reinforced)),
      adoption,
      winRateDecay,
      winRateReinforcedVsRest,
    },
    reps,
    teams,
    alerts,
  };
}
