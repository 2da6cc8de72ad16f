import { AppError } from "../errors.ts";
import type { MatchedSets } from "./bootstrap.ts";
import { KdTree } from "./kd-tree.ts";

/** How treated units are matched to controls. */
export interface MatchOptions {
  /** Controls per treated unit (default 1). A treated unit that cannot get all k is left unmatched. */
  k?: number;
  /** May one control serve several treated units? (default false: each control is used at most once) */
  replacement?: boolean;
  /** Largest allowed standardized distance (Euclidean, in pooled standard deviations); default no limit. */
  caliper?: number;
  /** Fewer matched treated units than this gives an "insufficient_controls" result (default 1). */
  minMatched?: number;
}

/** Why a treated unit has no matched set. */
export type UnmatchedReason =
  | "missing_covariate"
  | "too_few_controls_in_stratum"
  | "outside_caliper"
  | "controls_exhausted";

/** The tallies every match result reports. */
export interface MatchCounts {
  treated: number;
  /** Eligible controls: not treated, with every matching key present. */
  controls: number;
  matched: number;
  unmatched: number;
  unmatchedByReason: Record<UnmatchedReason, number>;
  /** Distinct controls used in at least one matched set. */
  controlsUsed: number;
  k: number;
  minMatched: number;
}

/** Columnar matching result: matched sets reference row indices of the input columns. */
export type MatchColumnsResult =
  | {
      status: "matched";
      sets: MatchedSets;
      counts: MatchCounts;
      /** Treated rows left unmatched, with a reason code per row (index into `unmatchedReasons`). */
      unmatchedTreated: Int32Array;
      unmatchedReason: Uint8Array;
      /** Standard deviations used to standardize each numeric covariate. */
      scales: number[];
      /** Covariate balance before and after matching, one entry per numeric covariate. */
      balance: CovariateBalance[];
    }
  | { status: "insufficient_controls"; counts: MatchCounts; message: string };

/** Reason codes in `unmatchedReason`. */
export const unmatchedReasons: readonly UnmatchedReason[] = [
  "missing_covariate",
  "too_few_controls_in_stratum",
  "outside_caliper",
  "controls_exhausted",
];

/**
 * Balance of one numeric covariate. SMD = (treated mean − control mean) / √((var treated + var control)/2), both
 * variances from the eligible units before matching, so before and after are on one scale. |SMD| < 0.1 is the usual
 * bar for a well-balanced covariate.
 */
export interface CovariateBalance {
  treatedMeanBefore: number;
  controlMeanBefore: number;
  treatedMeanAfter: number;
  /** Over control slots, so a control used twice counts twice. */
  controlMeanAfter: number;
  smdBefore: number;
  smdAfter: number;
}

/** Columnar input: one entry per unit (row). */
export interface MatchColumns {
  /** 1 for treated, 0 for candidate control. */
  treated: ArrayLike<number>;
  /** Rows with 0 here take no part at all (neither side); default all eligible. */
  eligible?: ArrayLike<number>;
  /** Exact-match keys as non-negative integer codes; a negative or NaN code means missing. */
  exact: readonly ArrayLike<number>[];
  /** Nearest-match covariates; NaN means missing. */
  numeric: readonly ArrayLike<number>[];
}

function resolve(options: MatchOptions): Required<MatchOptions> {
  const k = options.k ?? 1;
  const caliper = options.caliper ?? Number.POSITIVE_INFINITY;
  const minMatched = options.minMatched ?? 1;
  if (!Number.isInteger(k) || k < 1)
    throw new AppError("validation", `k must be a positive integer, got ${k}`, "k");
  if (!(caliper > 0)) throw new AppError("validation", `caliper must be positive, got ${caliper}`, "caliper");
  if (!Number.isInteger(minMatched) || minMatched < 1) {
    throw new AppError(
      "validation",
      `minMatched must be a positive integer, got ${minMatched}`,
      "minMatched",
    );
  }
  return { k, replacement: options.replacement ?? false, caliper, minMatched };
}

/**
 * Matches treated units to controls: exact on the categorical keys (same stratum), nearest on the numeric
 * covariates by Euclidean distance after dividing each by its pooled standard deviation (over eligible treated and
 * controls), k controls per treated unit, optionally within a caliper and with or without replacement.
 *
 * Treated rows are matched greedily in ascending row order (which matters only without replacement); ties in
 * distance go to the lower row index, so the result is deterministic. When fewer than `minMatched` treated units
 * get a full set, the result is `insufficient_controls` with the counts, never an estimate built on nothing.
 */
export function matchControlsColumns(input: MatchColumns, options: MatchOptions = {}): MatchColumnsResult {
  const { k, replacement, caliper, minMatched } = resolve(options);
  const n = input.treated.length;
  for (const column of [...input.exact, ...input.numeric, ...(input.eligible ? [input.eligible] : [])]) {
    if (column.length !== n)
      throw new AppError("validation", "every matching column must have one entry per unit");
  }
  const d = input.numeric.length;
  const unmatchedByReason: Record<UnmatchedReason, number> = {
    missing_covariate: 0,
    too_few_controls_in_stratum: 0,
    outside_caliper: 0,
    controls_exhausted: 0,
  };

  // Which rows take part, and on which side; rows missing a key are excluded (treated ones reported as unmatched).
  const role = new Int8Array(n); // 0 out, 1 treated, 2 control, 3 treated with a missing key
  let nTreated = 0;
  let nControls = 0;
  for (let i = 0; i < n; i++) {
    if (input.eligible && !input.eligible[i]) continue;
    const isTreated = input.treated[i] === 1;
    let complete = true;
    for (const column of input.exact) {
      const v = column[i]!;
      if (!(v >= 0) || !Number.isInteger(v)) complete = false;
    }
    for (const column of input.numeric) if (!Number.isFinite(column[i]!)) complete = false;
    if (isTreated) {
      nTreated++;
      role[i] = complete ? 1 : 3;
      if (!complete) unmatchedByReason.missing_covariate++;
    } else if (complete) {
      nControls++;
      role[i] = 2;
    }
  }

  // Pooled standard deviation of each covariate over complete treated and control rows.
  const scales: number[] = [];
  for (const column of input.numeric) {
    let m = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (role[i] === 1 || role[i] === 2) {
        m += column[i]!;
        c++;
      }
    }
    m /= Math.max(c, 1);
    let ss = 0;
    for (let i = 0; i < n; i++) if (role[i] === 1 || role[i] === 2) ss += (column[i]! - m) ** 2;
    const sd = c > 1 ? Math.sqrt(ss / (c - 1)) : 0;
    scales.push(sd > 0 ? sd : 1);
  }

  // Strata: rows grouped by their combined exact-key code.
  const stratumOf = new Int32Array(n).fill(-1);
  const strata = new Map<number | string, number>();
  const radix = input.exact.map((column) => {
    let max = 0;
    for (let i = 0; i < n; i++) if (role[i] === 1 || role[i] === 2) max = Math.max(max, column[i]!);
    return max + 1;
  });
  const numericKeys = radix.reduce((p, r) => p * r, 1) < Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < n; i++) {
    if (role[i] !== 1 && role[i] !== 2) continue;
    let key: number | string;
    if (numericKeys) {
      key = 0;
      for (let j = 0; j < input.exact.length; j++) key = key * radix[j]! + input.exact[j]![i]!;
    } else {
      key = input.exact.map((column) => column[i]!).join(",");
    }
    let s = strata.get(key);
    if (s === undefined) {
      s = strata.size;
      strata.set(key, s);
    }
    stratumOf[i] = s;
  }
  const nStrata = strata.size;
  const controlCount = new Int32Array(nStrata + 1);
  for (let i = 0; i < n; i++) if (role[i] === 2) controlCount[stratumOf[i]! + 1]! += 1;
  for (let s = 0; s < nStrata; s++) controlCount[s + 1]! += controlCount[s]!;
  const controlRows = new Int32Array(nControls); // controls grouped by stratum, ascending row order within
  const fill = controlCount.slice(0, nStrata);
  for (let i = 0; i < n; i++) if (role[i] === 2) controlRows[fill[stratumOf[i]!]!++] = i;

  const standardized = (i: number, out: Float64Array, offset: number): void => {
    for (let a = 0; a < d; a++) out[offset + a] = input.numeric[a]![i]! / scales[a]!;
  };
  const trees = new Map<number, KdTree>();
  const treeFor = (s: number): KdTree => {
    let tree = trees.get(s);
    if (!tree) {
      const from = controlCount[s]!;
      const size = controlCount[s + 1]! - from;
      const coords = new Float64Array(size * d);
      const tie = new Int32Array(size);
      for (let p = 0; p < size; p++) {
        const row = controlRows[from + p]!;
        standardized(row, coords, p * d);
        tie[p] = row;
      }
      tree = new KdTree(coords, d, tie, k);
      trees.set(s, tree);
    }
    return tree;
  };
  // With no numeric covariates every control in a stratum is at distance 0: take them in row order.
  const nextFree = controlCount.slice(0, nStrata);

  const setTreated: number[] = [];
  const setControls: number[] = [];
  const setDistances: number[] = [];
  const unmatchedRows: number[] = [];
  const unmatchedCodes: number[] = [];
  const used = new Uint8Array(n);
  let controlsUsed = 0;
  const query = new Float64Array(d);
  const foundP = new Int32Array(k);
  const foundD = new Float64Array(k);
  const maxSquared = caliper * caliper;

  for (let i = 0; i < n; i++) {
    if (role[i] === 3) {
      unmatchedRows.push(i);
      unmatchedCodes.push(0);
      continue;
    }
    if (role[i] !== 1) continue;
    const s = stratumOf[i]!;
    const from = controlCount[s]!;
    const size = controlCount[s + 1]! - from;
    let reason: UnmatchedReason | undefined;
    let found = 0;
    if (size < k) reason = "too_few_controls_in_stratum";
    else if (d === 0) {
      const start = replacement ? from : nextFree[s]!;
      if (from + size - start < k) reason = "controls_exhausted";
      else {
        for (; found < k; found++) {
          foundP[found] = start - from + found;
          foundD[found] = 0;
        }
        if (!replacement) nextFree[s] = start + k;
      }
    } else {
      const tree = treeFor(s);
      standardized(i, query, 0);
      found = tree.nearest(query, 0, k, maxSquared, foundP, foundD);
      if (found < k) reason = tree.liveCount < k ? "controls_exhausted" : "outside_caliper";
      else if (!replacement) for (let j = 0; j < k; j++) tree.remove(foundP[j]!);
    }
    if (reason) {
      unmatchedByReason[reason]++;
      unmatchedRows.push(i);
      unmatchedCodes.push(unmatchedReasons.indexOf(reason));
      continue;
    }
    setTreated.push(i);
    for (let j = 0; j < k; j++) {
      const row = controlRows[from + foundP[j]!]!;
      setControls.push(row);
      setDistances.push(Math.sqrt(foundD[j]!));
      if (!used[row]) {
        used[row] = 1;
        controlsUsed++;
      }
    }
  }

  const matched = setTreated.length;
  const counts: MatchCounts = {
    treated: nTreated,
    controls: nControls,
    matched,
    unmatched: nTreated - matched,
    unmatchedByReason,
    controlsUsed,
    k,
    minMatched,
  };
  if (matched < minMatched) {
    return {
      status: "insufficient_controls",
      counts,
      message:
        `insufficient controls: ${matched} of ${nTreated} treated units found ${k} control${k === 1 ? "" : "s"} ` +
        `(need at least ${minMatched}); ${nControls} eligible control${nControls === 1 ? "" : "s"} available`,
    };
  }
  const treatedRows: number[] = [];
  for (let i = 0; i < n; i++) if (role[i] === 1) treatedRows.push(i);
  const balance = input.numeric.map((column): CovariateBalance => {
    const moments = (rows: ArrayLike<number>) => {
      let m = 0;
      for (let j = 0; j < rows.length; j++) m += column[rows[j]!]!;
      m /= rows.length;
      let ss = 0;
      for (let j = 0; j < rows.length; j++) ss += (column[rows[j]!]! - m) ** 2;
      return { mean: m, variance: rows.length > 1 ? ss / (rows.length - 1) : 0 };
    };
    const treatedBefore = moments(treatedRows);
    const controlBefore = moments(controlRows);
    const pooled = Math.sqrt((treatedBefore.variance + controlBefore.variance) / 2) || 1;
    const treatedAfter = moments(setTreated);
    const controlAfter = moments(setControls);
    return {
      treatedMeanBefore: treatedBefore.mean,
      controlMeanBefore: controlBefore.mean,
      treatedMeanAfter: treatedAfter.mean,
      controlMeanAfter: controlAfter.mean,
      smdBefore: (treatedBefore.mean - controlBefore.mean) / pooled,
      smdAfter: (treatedAfter.mean - controlAfter.mean) / pooled,
    };
  });
  return {
    status: "matched",
    balance,
    sets: {
      k,
      treated: Int32Array.from(setTreated),
      controls: Int32Array.from(setControls),
      distances: Float64Array.from(setDistances),
    },
    counts,
    unmatchedTreated: Int32Array.from(unmatchedRows),
    unmatchedReason: Uint8Array.from(unmatchedCodes),
    scales,
  };
}

/** A unit for `matchControls`: an id, a treated flag, and any attributes named in the options. */
export interface MatchUnit {
  id: string;
  treated: boolean;
}

/** Options of `matchControls`: which attributes match exactly, which by nearest distance, and the matching rules. */
export interface MatchUnitsOptions<T> extends MatchOptions {
  /** Attributes that must be equal (categorical: segment, stage at the event…). Null/undefined counts as missing. */
  exact?: readonly (keyof T & string)[];
  /** Attributes matched by standardized distance (amount, age…). A non-number counts as missing. */
  nearest?: readonly (keyof T & string)[];
}

/** One treated unit and its controls, closest first. */
export interface MatchedSet {
  treatedId: string;
  controlIds: string[];
  /** Standardized distances, same order as controlIds. */
  distances: number[];
}

/** Result of `matchControls`: matched sets by id, unmatched treated units with reasons, and the counts. */
export type MatchResult =
  | {
      status: "matched";
      matches: MatchedSet[];
      unmatched: { id: string; reason: UnmatchedReason }[];
      counts: MatchCounts;
      /** Covariate balance before and after matching, by nearest-match attribute name. */
      balance: Record<string, CovariateBalance>;
      /** The same sets as indices into the input array, for `bootstrapMatchedDiff` and survival comparisons. */
      sets: MatchedSets;
    }
  | { status: "insufficient_controls"; counts: MatchCounts; message: string };

/**
 * Matches treated units to controls (see `matchControlsColumns`). Units are processed in ascending id order, so
 * the result does not depend on the order of the input array.
 */
export function matchControls<T extends MatchUnit>(
  units: readonly T[],
  options: MatchUnitsOptions<T>,
): MatchResult {
  const order = units.map((_, i) => i).sort((a, b) => compareIds(units[a]!.id, units[b]!.id));
  for (let j = 1; j < order.length; j++) {
    const id = units[order[j]!]!.id;
    if (id === units[order[j - 1]!]!.id) throw new AppError("validation", `duplicate unit id ${id}`, "id");
  }
  const n = units.length;
  const treated = new Uint8Array(n);
  const exact = (options.exact ?? []).map((key) => {
    const codes = new Map<unknown, number>();
    const column = new Float64Array(n);
    order.forEach((u, row) => {
      const value = units[u]![key];
      if (value === null || value === undefined) column[row] = -1;
      else {
        let code = codes.get(value);
        if (code === undefined) {
          code = codes.size;
          codes.set(value, code);
        }
        column[row] = code;
      }
    });
    return column;
  });
  const numeric = (options.nearest ?? []).map((key) => {
    const column = new Float64Array(n);
    order.forEach((u, row) => {
      const value = units[u]![key];
      column[row] = typeof value === "number" ? value : Number.NaN;
    });
    return column;
  });
  order.forEach((u, row) => {
    treated[row] = units[u]!.treated ? 1 : 0;
  });
  const result = matchControlsColumns({ treated, exact, numeric }, options);
  if (result.status === "insufficient_controls") return result;
  const { sets } = result;
  const toInput = (row: number): number => order[row]!;
  const inputSets: MatchedSets = {
    k: sets.k,
    treated: sets.treated.map(toInput),
    controls: sets.controls.map(toInput),
    distances: sets.distances,
  };
  const matches: MatchedSet[] = [];
  for (let s = 0; s < sets.treated.length; s++) {
    const controls = Array.from(inputSets.controls.subarray(s * sets.k, (s + 1) * sets.k));
    matches.push({
      treatedId: units[inputSets.treated[s]!]!.id,
      controlIds: controls.map((c) => units[c]!.id),
      distances: Array.from(sets.distances.subarray(s * sets.k, (s + 1) * sets.k)),
    });
  }
  const unmatched = Array.from(result.unmatchedTreated, (row, j) => ({
    id: units[toInput(row)]!.id,
    reason: unmatchedReasons[result.unmatchedReason[j]!]!,
  }));
  const balance = Object.fromEntries((options.nearest ?? []).map((key, j) => [key, result.balance[j]!]));
  return { status: "matched", matches, unmatched, counts: result.counts, balance, sets: inputSets };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
