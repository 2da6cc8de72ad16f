import { AppError } from "../../core/errors.ts";
import {
  compareOpportunityVelocity,
  compareOpportunityVelocityColumns,
  DAY_MS,
  type Movement,
  measureMovement,
  type OpportunityVelocity,
  type UnmeasurableReason,
} from "../../core/movement/index.ts";
import {
  type AccountActivation,
  type CommitteeCoverage,
  committeeCoverage,
  measureActivation,
  type StallReason,
  stallReason,
} from "../../core/movement/stall-reasons.ts";
import type { Database, Tx } from "../../db/client.ts";
import {
  matchedSetOutcomes,
  restrictedMeanDaysSaved,
  type TimedSet,
  type velocityLiftWithin,
} from "./days-saved.ts";
import {
  type AnalysisOptions,
  checkAsOf,
  type EventRef,
  loadEvent,
  pushTo,
  wilson,
} from "./event-context.ts";
import {
  type AccountRow,
  loadAccountTouches,
  loadAttendingAccounts,
  loadOpportunityRows,
  type OpportunityQueryRow,
  type OpportunityRow,
  type OpportunityTable,
  opportunityRanges,
  readHistories,
  type TouchRow,
} from "./roundtable-queries.ts";

/** Parts the opportunities are read in, side by side (on PostgreSQL: one connection each). */
const READ_PARTS = 2;

/** Stages after which an opportunity does not move. */
export const TERMINAL_STAGES = ["closed_won", "closed_lost"] as const;

/** Options of the roundtable analysis. */
export interface RoundtableOptions extends AnalysisOptions {
  /** Windows for stage changes and activation (default 14, 30, 60, 90 days). */
  windowsDays?: readonly number[];
  /** Stall horizons (default 14, 30, 60 days). */
  stallDays?: readonly number[];
  /** Controls per attending opportunity (default 1) and the caliper in pooled SDs (default none). */
  k?: number;
  caliper?: number;
  /** May one control serve several attending deals? (default false) */
  replacement?: boolean;
  /** Attributes matched exactly besides the stage at the event (default segment). */
  exact?: readonly MatchExactKey[];
  /** Attributes matched by nearest distance (default amount and age at the event). */
  nearest?: readonly MatchNearestKey[];
  /** Horizon of the days-saved measure (default 90 days, capped by the follow-up). */
  daysSavedHorizon?: number;
  /** More days-saved horizons measured on the same matched sets (`outcomes.daysSavedAt`), each capped likewise. */
  daysSavedHorizons?: readonly number[];
  /** Window of the velocity lift (default 60 days). */
  liftWindowDays?: number;
  /** Look-back that defines "already engaged" and the "before" coverage window (default 90 days). */
  lookbackDays?: number;
}

/** Exact match keys: the deal's segment (of its account), currency, or owner. */
export const matchExactKeys = ["segment", "currency", "owner"] as const;
export type MatchExactKey = (typeof matchExactKeys)[number];
/** Nearest match keys: log(1 + amount) and the deal's age at the event. */
export const matchNearestKeys = ["amount", "age"] as const;
export type MatchNearestKey = (typeof matchNearestKeys)[number];

/** Account-level stall at one horizon, or why there is none. */
export type AccountStall = StallReason | { days: number; status: "not_applicable"; reason: string };

/** One attending account's movement, activation and coverage. */
export interface AccountMovement {
  accountId: string;
  name: string;
  segment: string | null;
  owner: { userId: string; name: string | null; email: string | null } | null;
  attendees: { personId: string; name: string; role: string | null }[];
  opportunities: {
    id: string;
    name: string;
    amountMinor: number;
    currency: string;
    movement: Movement | null;
    unmeasurable: UnmeasurableReason | null;
    /** Matched control opportunities (for drill-down); empty when unmatched or not at risk. */
    controlIds: string[];
  }[];
  activation: (AccountActivation & { days: number; complete: boolean })[];
  stall: AccountStall[];
  coverage: CommitteeCoverage;
}

/** Share of units stalled at a horizon among those whose window has passed, with a Wilson interval. */
export interface StallShare {
  days: number;
  stalled: number;
  moved: number;
  pending: number;
  notApplicable: number;
  share: number | null;
  ci: [number, number] | null;
}

/** The roundtable report: indicators and outcomes side by side, never blended. */
export interface RoundtableMovement {
  event: { id: string; name: string; type: string; startsAt: string; endsAt: string };
  asOf: string;
  eventAt: string;
  observedDays: number;
  indicators: { attendees: number; attendingAccounts: number; attendingOpportunities: number };
  /** How attending deals were matched: the stage at the event always exactly, plus these keys. */
  matching: {
    exact: MatchExactKey[];
    nearest: MatchNearestKey[];
    k: number;
    replacement: boolean;
    caliper: number | null;
  };
  outcomes: {
    /** Matched-control comparison of time to next stage (treated − control), or why there is none. */
    velocity: VelocitySummary;
    /** Days saved per attending deal within the horizon (see acceleration.ts), with a matched-set bootstrap interval. */
    daysSaved: ReturnType<typeof restrictedMeanDaysSaved>;
    /** Days saved at each of `daysSavedHorizons` (asked horizon, and the measure within it), in the order asked. */
    daysSavedAt: { asked: number; daysSaved: ReturnType<typeof restrictedMeanDaysSaved> }[];
    /** 1 − mean days to next stage of attending deals that moved within the window / the same for matched controls. */
    velocityLift: ReturnType<typeof velocityLiftWithin>;
    /** Account-level stall shares at each horizon. */
    stallShare: StallShare[];
    /** Opportunity-level stall shares of the attending opportunities at each horizon. */
    opportunityStallShare: StallShare[];
    /** Missing links named among stalled accounts at each horizon. */
    missingLinks: { days: number; counts: Record<string, number> }[];
    coverage: {
      accounts: number;
      meanRolesBefore: number | null;
      meanRolesAfter: number | null;
      gained: number;
    };
  };
  accounts: AccountMovement[];
  /** Attending opportunities that could not be measured, with the reason: listed, never dropped. */
  unmeasurable: {
    opportunityId: string;
    accountId: string;
    reason: UnmeasurableReason | "closed_at_event";
  }[];
  /** Attending accounts with no opportunity at all. */
  accountsWithoutOpportunities: string[];
}

/** The velocity comparison without the per-opportunity lists (those are shown per account and in `unmeasurable`). */
export type VelocitySummary =
  | Omit<Extract<OpportunityVelocity, { status: "compared" }>, "matches" | "unmeasurableTreated">
  | Omit<Extract<OpportunityVelocity, { status: "insufficient_controls" }>, "unmeasurableTreated">;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Times after the event at which an opportunity changed stage (re-entering the same stage is not a change). */
function changeTimes(stages: OpportunityRow["stages"], eventAtMs: number): number[] {
  const out: number[] = [];
  let previous: string | null = null;
  for (const s of stages) {
    if (s.enteredAt > eventAtMs && previous !== null && s.stage !== previous) out.push(s.enteredAt);
    previous = s.stage;
  }
  return out;
}

function share(
  stalled: number,
  moved: number,
  pending: number,
  notApplicable: number,
  days: number,
): StallShare {
  const n = stalled + moved;
  return {
    days,
    stalled,
    moved,
    pending,
    notApplicable,
    share: n > 0 ? stalled / n : null,
    ci: wilson(stalled, n),
  };
}

/**
 * Movement after an executive roundtable (or any account-level event): for each attending account, its
 * opportunities' stage at the event, stage changes per window and time to next stage; the comparison with matched
 * non-attending opportunities (exact on segment and stage at the event, nearest on log amount and age); buying
 * committee coverage before and after; activation signals; and a stall flag per horizon naming the missing link.
 */
export async function roundtableMovement(
  db: Database,
  orgId: string,
  eventId: string,
  options: RoundtableOptions,
): Promise<RoundtableMovement> {
  const lookbackDays = options.lookbackDays ?? 90;
  const { event, ranges } = await db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, eventId);
    checkAsOf(event, options.asOf);
    return { event, ranges: await opportunityRanges(tx, orgId, READ_PARTS) };
  });
  // The opportunities (most of the time) are read in id ranges side by side, on one snapshot with the accounts and
  // their touches; the ranges are joined in order, so the table is the one a single read gives.
  const results = await db.withOrgParts<unknown[]>(orgId, [
    (tx) => loadAttendingAccounts(tx, orgId, eventId),
    (tx) =>
      loadAccountTouches(
        tx,
        orgId,
        eventId,
        new Date(event.startsAt.getTime() - lookbackDays * DAY_MS),
        options.asOf,
      ),
    ...ranges.map(
      (range) => (tx: Tx) => loadOpportunityRows(tx, orgId, eventId, event.startsAt, options.asOf, range),
    ),
  ]);
  const accounts = results[0] as AccountRow[];
  const touches = results[1] as TouchRow[];
  const parts = results.slice(2) as OpportunityQueryRow[][];
  const loaded = { event, opportunities: readHistories(parts.flat()), accounts, touches };
  return analyzeRoundtableTable(loaded.event, loaded.opportunities, loaded.accounts, loaded.touches, options);
}

/**
 * The analysis over opportunities in columns (as `roundtableMovement` loads them): the same report as
 * `analyzeRoundtable` over the same opportunities as rows, without an object per stage entry or per control.
 */
export function analyzeRoundtableTable(
  event: EventRef,
  table: OpportunityTable,
  accounts: readonly AccountRow[],
  touches: readonly TouchRow[],
  options: RoundtableOptions,
): RoundtableMovement {
  const settings = resolveSettings(event, options);
  const { exactKeys } = settings;
  const n = table.ids.length;
  const attributes: Record<string, unknown[]> = {};
  if (exactKeys.includes("segment")) attributes.segment = table.segment.map((v) => v ?? "(none)");
  if (exactKeys.includes("currency")) attributes.currency = table.currency;
  if (exactKeys.includes("owner")) attributes.owner = table.ownerUserId.map((v) => v ?? "(none)");
  const amount = new Float64Array(n);
  for (let i = 0; i < n; i++) amount[i] = Math.log1p(Math.max(0, table.amountMinor[i]!) / 100);
  const compared = compareOpportunityVelocityColumns(
    {
      ids: table.ids,
      treated: table.treated,
      history: table.history,
      stageNames: table.stageNames,
      attributes,
      numbers: { amount },
    },
    settings.velocityOptions,
  );
  // The attending opportunities as rows, with their histories, for the per-deal report.
  const { offsets, stage, enteredAtMs } = table.history;
  const treatedOpps: OpportunityRow[] = [];
  for (let i = 0; i < n; i++) {
    if (table.treated[i] !== 1) continue;
    const stages: OpportunityRow["stages"] = [];
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++)
      stages.push({ stage: table.stageNames[stage[e]!]!, enteredAt: enteredAtMs[e]! });
    treatedOpps.push({
      id: table.ids[i]!,
      accountId: table.accountId[i]!,
      name: table.name[i]!,
      ownerUserId: table.ownerUserId[i]!,
      amountMinor: table.amountMinor[i]!,
      currency: table.currency[i]!,
      segment: table.segment[i]!,
      treated: true,
      stages,
    });
  }
  return buildReport(event, treatedOpps, compared, accounts, touches, options, settings);
}

/** Options resolved and checked, shared by both analysis paths. */
function resolveSettings(event: EventRef, options: RoundtableOptions) {
  const eventAtMs = event.startsAt.getTime();
  const asOfMs = options.asOf.getTime();
  const observedDays = (asOfMs - eventAtMs) / DAY_MS;
  const windowsDays = [...(options.windowsDays ?? [14, 30, 60, 90])];
  const stallDays = [...(options.stallDays ?? [14, 30, 60])];
  for (const d of [...windowsDays, ...stallDays])
    if (!(d > 0))
      throw new AppError("validation", `windows and stall days must be positive, got ${d}`, "days");

  const exactKeys: MatchExactKey[] = [...new Set(options.exact ?? (["segment"] as const))];
  const nearestKeys: MatchNearestKey[] = [...new Set(options.nearest ?? (["amount", "age"] as const))];
  for (const key of exactKeys)
    if (!(matchExactKeys as readonly string[]).includes(key))
      throw new AppError(
        "validation",
        `unknown exact match key ${key}: use ${matchExactKeys.join(", ")}`,
        "exact",
      );
  for (const key of nearestKeys)
    if (!(matchNearestKeys as readonly string[]).includes(key))
      throw new AppError(
        "validation",
        `unknown nearest match key ${key}: use ${matchNearestKeys.join(", ")}`,
        "nearest",
      );
  const k = options.k ?? 1;
  const replacement = options.replacement ?? false;
  const velocityOptions = {
    eventAt: eventAtMs,
    asOf: asOfMs,
    windowsDays,
    terminalStages: TERMINAL_STAGES,
    exact: exactKeys,
    nearest: nearestKeys.filter((key): key is "amount" => key === "amount"),
    matchAgeAtEvent: nearestKeys.includes("age"),
    k,
    replacement,
    ...(options.caliper !== undefined ? { caliper: options.caliper } : {}),
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  return {
    eventAtMs,
    asOfMs,
    observedDays,
    windowsDays,
    stallDays,
    exactKeys,
    nearestKeys,
    k,
    replacement,
    velocityOptions,
  };
}

/** The analysis over loaded rows (pure apart from its inputs; exported for tests and the CLI). */
export function analyzeRoundtable(
  event: EventRef,
  opportunities: readonly OpportunityRow[],
  accounts: readonly AccountRow[],
  touches: readonly TouchRow[],
  options: RoundtableOptions,
): RoundtableMovement {
  const settings = resolveSettings(event, options);
  const candidates = opportunities.map((o) => ({
    id: o.id,
    treated: o.treated,
    stages: o.stages,
    segment: o.segment ?? "(none)",
    currency: o.currency,
    owner: o.ownerUserId ?? "(none)",
    amount: Math.log1p(Math.max(0, o.amountMinor) / 100),
  }));
  const compared = compareOpportunityVelocity(candidates, settings.velocityOptions);
  const treatedOpps = opportunities.filter((o) => o.treated);
  return buildReport(event, treatedOpps, compared, accounts, touches, options, settings);
}

/** The report from the attending opportunities (as rows) and the velocity comparison over all of them. */
function buildReport(
  event: EventRef,
  treatedOpps: readonly OpportunityRow[],
  compared: OpportunityVelocity,
  accounts: readonly AccountRow[],
  touches: readonly TouchRow[],
  options: RoundtableOptions,
  settings: ReturnType<typeof resolveSettings>,
): RoundtableMovement {
  const { eventAtMs, asOfMs, observedDays, windowsDays, stallDays, exactKeys, nearestKeys, k, replacement } =
    settings;
  const controlsOf = new Map<string, string[]>();
  let velocity: VelocitySummary;
  // Time to next stage of each matched set, for days saved and the velocity lift.
  let sets: TimedSet[] = [];
  if (compared.status === "compared") {
    const { matches, unmeasurableTreated: _u, ...rest } = compared;
    for (const m of matches) controlsOf.set(m.treatedId, m.controlIds);
    sets = matches.map((m) => ({ treated: m.treated, controls: m.controls }));
    velocity = rest;
  } else {
    const { unmeasurableTreated: _u, ...rest } = compared;
    velocity =
      treatedOpps.length === 0
        ? { ...rest, message: "no attending account has an opportunity: nothing to compare" }
        : rest;
  }

  // Per-opportunity movement of the attending opportunities.
  const report = measureMovement(
    treatedOpps.map((o) => ({ id: o.id, stages: o.stages })),
    { eventAt: eventAtMs, asOf: asOfMs, windowsDays, terminalStages: TERMINAL_STAGES, stallDays },
  );
  const measured = new Map(report.measured.map((m) => [m.id, m]));
  const unmeasurableById = new Map(report.unmeasurable.map((u) => [u.id, u.reason]));
  const oppsByAccount = new Map<string, OpportunityRow[]>();
  for (const o of treatedOpps) {
    pushTo(oppsByAccount, o.accountId, o);
  }
  const touchesByAccount = new Map<string, TouchRow[]>();
  for (const t of touches) {
    pushTo(touchesByAccount, t.accountId, t);
  }

  const accountRows: AccountMovement[] = accounts.map((a) => {
    const opps = oppsByAccount.get(a.id) ?? [];
    const atRisk = opps.filter((o) => {
      const m = measured.get(o.id);
      return m !== undefined && !m.closedAtEvent;
    });
    const changes = atRisk.flatMap((o) => changeTimes(o.stages, eventAtMs));
    const attendees = new Set(a.people.filter((p) => p.attended).map((p) => p.id));
    const accountTouches = (touchesByAccount.get(a.id) ?? []).map((t) => ({
      personId: t.personId,
      at: t.at,
      channel: t.channel,
    }));
    const activationInput = {
      eventAtMs,
      asOfMs,
      attendeeIds: attendees,
      touches: accountTouches,
      stageChangesMs: changes,
      lookbackDays: options.lookbackDays ?? 90,
    };
    const activation = windowsDays.map((days) => ({
      days,
      complete: observedDays >= days,
      ...measureActivation(activationInput, days),
    }));
    const stall: AccountStall[] = stallDays.map((days) =>
      atRisk.length === 0
        ? {
            days,
            status: "not_applicable" as const,
            reason:
              opps.length === 0
                ? "the account has no opportunity"
                : "no opportunity of the account was open with a stage history at the event",
          }
        : stallReason(measureActivation(activationInput, days), days, observedDays),
    );
    // Attending the room counts as engaging after the event for coverage.
    const coverageTouches = [
      ...accountTouches,
      ...[...attendees].map((personId) => ({ personId, at: eventAtMs, channel: "event" })),
    ];
    return {
      accountId: a.id,
      name: a.name,
      segment: a.segment,
      owner: a.ownerUserId ? { userId: a.ownerUserId, name: a.ownerName, email: a.ownerEmail } : null,
      attendees: a.people
        .filter((p) => p.attended)
        .map((p) => ({ personId: p.id, name: p.name, role: p.role })),
      opportunities: opps.map((o) => ({
        id: o.id,
        name: o.name,
        amountMinor: o.amountMinor,
        currency: o.currency,
        movement: measured.get(o.id) ?? null,
        unmeasurable: unmeasurableById.get(o.id) ?? null,
        controlIds: controlsOf.get(o.id) ?? [],
      })),
      activation,
      stall,
      coverage: committeeCoverage(
        a.people.map((p) => ({ id: p.id, role: p.role })),
        coverageTouches,
        { eventAtMs, asOfMs, windowDays: options.lookbackDays ?? 90 },
      ),
    };
  });

  const stallShare = stallDays.map((days, j) => {
    let stalled = 0;
    let moved = 0;
    let pending = 0;
    let na = 0;
    for (const a of accountRows) {
      const s = a.stall[j]!.status;
      if (s === "stalled") stalled++;
      else if (s === "moved") moved++;
      else if (s === "pending") pending++;
      else na++;
    }
    return share(stalled, moved, pending, na, days);
  });
  const opportunityStallShare = stallDays.map((days, j) => {
    const counts = { moved: 0, stalled: 0, pending: 0, not_applicable: 0 };
    for (const o of treatedOpps) {
      const m = measured.get(o.id);
      counts[m ? m.stall[j]!.status : "not_applicable"]++;
    }
    return share(counts.stalled, counts.moved, counts.pending, counts.not_applicable, days);
  });
  const missingLinks = stallDays.map((days, j) => {
    const counts: Record<string, number> = {};
    for (const a of accountRows) {
      const s = a.stall[j]!;
      if (s.status === "stalled" && "missingLink" in s && s.missingLink)
        counts[s.missingLink] = (counts[s.missingLink] ?? 0) + 1;
    }
    return { days, counts };
  });
  // Days saved within the horizon (restricted mean time to next stage, controls minus attendees), and the velocity
  // lift among deals that moved within the lift window, both over the matched sets.
  const boot = {
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  // All of them over the same resamples, drawn once (each equals its own computation with the same seed).
  const asked = [options.daysSavedHorizon ?? 90, ...(options.daysSavedHorizons ?? [])];
  const capped = asked.map((h) => Math.min(h, observedDays));
  const measurable = capped.filter((h) => h > 0);
  const together = matchedSetOutcomes(sets, measurable, options.liftWindowDays ?? 60, boot);
  let next = 0;
  const within = capped.map((h) =>
    h > 0 ? together.daysSaved[next++]! : restrictedMeanDaysSaved([], 1, boot),
  );
  const daysSaved = within[0]!;
  const daysSavedAt = (options.daysSavedHorizons ?? []).map((h, i) => ({
    asked: h,
    daysSaved: within[i + 1]!,
  }));
  const velocityLift = together.velocityLift;

  const withPeople = accountRows.filter((a) => a.coverage.roles.some((r) => r.people > 0));
  const meanOf = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);

  const unmeasurable: RoundtableMovement["unmeasurable"] = [];
  for (const o of treatedOpps) {
    const reason = unmeasurableById.get(o.id);
    if (reason) unmeasurable.push({ opportunityId: o.id, accountId: o.accountId, reason });
    else if (measured.get(o.id)?.closedAtEvent)
      unmeasurable.push({ opportunityId: o.id, accountId: o.accountId, reason: "closed_at_event" });
  }

  return {
    event: {
      id: event.id,
      name: event.name,
      type: event.type,
      startsAt: event.startsAt.toISOString(),
      endsAt: event.endsAt.toISOString(),
    },
    asOf: iso(asOfMs),
    eventAt: iso(eventAtMs),
    observedDays,
    matching: { exact: exactKeys, nearest: nearestKeys, k, replacement, caliper: options.caliper ?? null },
    indicators: {
      attendees: accountRows.reduce((s, a) => s + a.attendees.length, 0),
      attendingAccounts: accountRows.length,
      attendingOpportunities: treatedOpps.length,
    },
    outcomes: {
      velocity,
      daysSaved,
      daysSavedAt,
      velocityLift,
      stallShare,
      opportunityStallShare,
      missingLinks,
      coverage: {
        accounts: withPeople.length,
        meanRolesBefore: meanOf(withPeople.map((a) => a.coverage.coveredBefore)),
        meanRolesAfter: meanOf(withPeople.map((a) => a.coverage.coveredAfter)),
        gained: withPeople.filter((a) => a.coverage.gained.length > 0).length,
      },
    },
    accounts: accountRows,
    unmeasurable,
    accountsWithoutOpportunities: accountRows
      .filter((a) => a.opportunities.length === 0)
      .map((a) => a.accountId),
  };
}
