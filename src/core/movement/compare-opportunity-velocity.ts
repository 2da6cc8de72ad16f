import { AppError } from "../errors.ts";
import type { SurvivalComparison } from "../stats/compare-survival.ts";
import {
  type CovariateBalance,
  type MatchCounts,
  type UnmatchedReason,
  unmatchedReasons,
} from "../stats/match-controls.ts";
import { compareVelocity, type VelocityEligibility, type VelocityOptions } from "./compare-velocity.ts";
import {
  encodeAndMeasure,
  type MovementOptions,
  movementStatuses,
  type OpportunityHistory,
  type UnmeasurableReason,
} from "./measure-movement.ts";

/** An opportunity for the velocity comparison: its history, whether the event touched it, and matching attributes. */
export interface VelocityOpportunity extends OpportunityHistory {
  treated: boolean;
}

/** Options: the movement dates, which attributes to match on, and the matching / comparison settings. */
export interface OpportunityVelocityOptions<T> extends MovementOptions, VelocityOptions {
  /** Attributes matched exactly (e.g. "segment"); the stage at the event is always matched exactly. */
  exact?: readonly (keyof T & string)[];
  /** Attributes matched by nearest standardized distance (e.g. "amount"). */
  nearest?: readonly (keyof T & string)[];
  /** Also match on the opportunity's age at the event, by nearest distance (default true). */
  matchAgeAtEvent?: boolean;
}

/** The velocity comparison by opportunity id. */
export type OpportunityVelocity =
  | {
      status: "compared";
      treated: VelocityEligibility;
      control: VelocityEligibility;
      match: MatchCounts;
      /** By covariate name; "age_at_event_days" when matched on age. */
      balance: Record<string, CovariateBalance>;
      survival: SurvivalComparison;
      /** Matched sets by id, with each member's time to next stage (days; moved false = censored at the as-of date). */
      matches: {
        treatedId: string;
        controlIds: string[];
        treated: { days: number; moved: boolean };
        controls: { days: number; moved: boolean }[];
      }[];
      unmeasurableTreated: { id: string; reason: UnmeasurableReason | "closed_at_event" }[];
      unmatchedTreated: { id: string; reason: UnmatchedReason }[];
    }
  | {
      status: "insufficient_controls";
      treated: VelocityEligibility;
      control: VelocityEligibility;
      match: MatchCounts;
      message: string;
      unmeasurableTreated: { id: string; reason: UnmeasurableReason | "closed_at_event" }[];
    };

/**
 * Stage velocity after an event for attendees' opportunities against matched non-attendee opportunities, on plain
 * objects: measures movement, matches exactly on the stage at the event plus `exact`, nearest on `nearest` plus age
 * at the event, then compares time to next stage (see `compareVelocity`). Opportunities are processed in id order,
 * so the result does not depend on the input order.
 */
export function compareOpportunityVelocity<T extends VelocityOpportunity>(
  opportunities: readonly T[],
  options: OpportunityVelocityOptions<T>,
): OpportunityVelocity {
  // Loaders usually return rows in id order: check before sorting a copy.
  let inOrder = true;
  for (let i = 1; i < opportunities.length && inOrder; i++)
    inOrder = opportunities[i - 1]!.id <= opportunities[i]!.id;
  const sorted = inOrder
    ? opportunities
    : [...opportunities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.id === sorted[i - 1]!.id)
      throw new AppError("validation", `duplicate opportunity id ${sorted[i]!.id}`, "id");
  }
  const { movement } = encodeAndMeasure(sorted, options);
  const treated = Uint8Array.from(sorted, (o) => (o.treated ? 1 : 0));
  const exact: ArrayLike<number>[] = [movement.stageAtEvent];
  for (const key of options.exact ?? []) {
    const codes = new Map<unknown, number>();
    exact.push(
      Float64Array.from(sorted, (o) => {
        const v = o[key];
        if (v === null || v === undefined) return -1;
        let c = codes.get(v);
        if (c === undefined) {
          c = codes.size;
          codes.set(v, c);
        }
        return c;
      }),
    );
  }
  const names = [...(options.nearest ?? [])] as string[];
  const numeric: ArrayLike<number>[] = (options.nearest ?? []).map((key) =>
    Float64Array.from(sorted, (o) => (typeof o[key] === "number" ? (o[key] as number) : Number.NaN)),
  );
  if (options.matchAgeAtEvent !== false) {
    numeric.push(movement.ageAtEventDays);
    names.push("age_at_event_days");
  }
  const r = compareVelocity({ movement, treated, exact, numeric }, options);
  const unmeasurableTreated = Array.from(r.unmeasurableTreated, (i) => ({
    id: sorted[i]!.id,
    reason: movementStatuses[movement.status[i]!] as UnmeasurableReason | "closed_at_event",
  }));
  if (r.status === "insufficient_controls") {
    return { ...r, unmeasurableTreated };
  }
  const k = r.sets.k;
  const timing = (i: number) => ({ days: movement.timeToNextDays[i]!, moved: movement.moved[i] === 1 });
  const matches = Array.from(r.sets.treated, (t, s) => {
    const controls = r.sets.controls.subarray(s * k, s * k + k);
    return {
      treatedId: sorted[t]!.id,
      controlIds: Array.from(controls, (c) => sorted[c]!.id),
      treated: timing(t),
      controls: Array.from(controls, timing),
    };
  });
  return {
    status: "compared",
    treated: r.treated,
    control: r.control,
    match: r.match,
    balance: Object.fromEntries(names.map((name, j) => [name, r.balance[j]!])),
    survival: r.survival,
    matches,
    unmeasurableTreated,
    unmatchedTreated: Array.from(r.unmatchedTreated, (i, j) => ({
      id: sorted[i]!.id,
      reason: unmatchedReasons[r.unmatchedReason[j]!]!,
    })),
  };
}
