import { AppError } from "../errors.ts";
import { type BootstrapEstimate, type BootstrapOptions, bootstrap } from "./bootstrap.ts";
import { tQuantile } from "./distributions.ts";

/** One observation of a difference-in-differences panel. A unit keeps the same `treated` in all its rows. */
export interface PanelRow {
  unit: string | number;
  treated: boolean | 0 | 1;
  post: boolean | 0 | 1;
  outcome: number;
}

/** Count and mean of one of the four cells (treated × post). */
export interface PanelCell {
  n: number;
  mean: number;
}

/** The 2×2 difference-in-differences estimate with a unit-clustered standard error. */
export interface DidEstimate {
  /** (treated post − treated pre) − (control post − control pre), the OLS interaction coefficient. */
  estimate: number;
  /** Cluster-robust (by unit) standard error with the CR1 small-sample factor G/(G−1)·(N−1)/(N−K). */
  stdError: number;
  /** Interval at `level` using Student t with G − 1 degrees of freedom. */
  ci: [number, number];
  level: number;
  nUnits: number;
  nTreatedUnits: number;
  nControlUnits: number;
  nObs: number;
  df: number;
  cells: { treatedPre: PanelCell; treatedPost: PanelCell; controlPre: PanelCell; controlPost: PanelCell };
}

/** The panel compiled to columns: unit index per row, cell per row (bit 1 = treated, bit 0 = post), outcomes. */
interface CompiledPanel {
  unitOf: Int32Array;
  cellOf: Uint8Array;
  outcome: Float64Array;
  unitTreated: Uint8Array;
  nUnits: number;
  nTreatedUnits: number;
}

const K = 4; // intercept, treated, post, treated × post

const CELL_NAMES = ["control pre-period", "control post-period", "treated pre-period", "treated post-period"];

function flag(value: boolean | 0 | 1, field: string, index: number): 0 | 1 {
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  throw new AppError("validation", `row ${index + 1}: ${field} must be 0 or 1`, field);
}

function compile(rows: readonly PanelRow[]): CompiledPanel {
  const n = rows.length;
  const unitIds = new Map<string | number, number>();
  const unitTreatedList: number[] = [];
  const unitOf = new Int32Array(n);
  const cellOf = new Uint8Array(n);
  const outcome = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const treated = flag(row.treated, "treated", i);
    const post = flag(row.post, "post", i);
    if (!Number.isFinite(row.outcome)) {
      throw new AppError("validation", `row ${i + 1}: outcome must be a finite number`, "outcome");
    }
    let u = unitIds.get(row.unit);
    if (u === undefined) {
      u = unitTreatedList.length;
      unitIds.set(row.unit, u);
      unitTreatedList.push(treated);
    } else if (unitTreatedList[u] !== treated) {
      throw new AppError(
        "validation",
        `row ${i + 1}: treated is ${treated} but earlier rows of unit ${String(row.unit)} have ${unitTreatedList[u]}`,
        "treated",
      );
    }
    unitOf[i] = u;
    cellOf[i] = (treated << 1) | post;
    outcome[i] = row.outcome;
  }
  const unitTreated = Uint8Array.from(unitTreatedList);
  let nTreatedUnits = 0;
  for (const t of unitTreated) nTreatedUnits += t;
  if (nTreatedUnits === 0) throw new AppError("validation", "panel has no treated units", "treated");
  if (nTreatedUnits === unitTreated.length)
    throw new AppError("validation", "panel has no control units", "treated");
  return { unitOf, cellOf, outcome, unitTreated, nUnits: unitTreated.length, nTreatedUnits };
}

function cellMeans(panel: CompiledPanel): { n: Float64Array; mean: Float64Array } {
  const n = new Float64Array(4);
  const s = new Float64Array(4);
  for (let i = 0; i < panel.outcome.length; i++) {
    const c = panel.cellOf[i]!;
    n[c]! += 1;
    s[c]! += panel.outcome[i]!;
  }
  for (let c = 0; c < 4; c++) {
    if (n[c] === 0)
      throw new AppError("validation", `panel has no rows in the ${CELL_NAMES[c]} cell`, "post");
  }
  return { n, mean: s.map((v, c) => v / n[c]!) };
}

// Sign of each cell in the DiD: control pre +, control post −, treated pre −, treated post +.
const SIGN = [1, -1, -1, 1] as const;

/**
 * 2×2 difference-in-differences by OLS of y = a + b·treated + c·post + d·treated·post, with the standard error of d
 * clustered by unit (CR1) and a t interval with G − 1 degrees of freedom.
 *
 * The model is saturated, so d̂ is the difference of the four cell means, and row i's weight in d̂ (the d-row of
 * (X'X)⁻¹X') is sign(cell)/n(cell). The sandwich variance of d̂ is therefore Σ_g (Σ_{i∈g} w_i·u_i)² with u_i the
 * residual from the cell mean, scaled by G/(G−1)·(N−1)/(N−K): one pass over the rows, no matrices.
 */
export function didRegression(rows: readonly PanelRow[], options: { level?: number } = {}): DidEstimate {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1))
    throw new AppError("validation", `level must be in (0, 1), got ${level}`, "level");
  const panel = compile(rows);
  const N = panel.outcome.length;
  if (N <= K)
    throw new AppError("validation", `panel needs more than ${K} rows for a standard error, got ${N}`);
  const { n, mean } = cellMeans(panel);
  const estimate = mean[3]! - mean[2]! - (mean[1]! - mean[0]!);
  const psi = new Float64Array(panel.nUnits);
  for (let i = 0; i < N; i++) {
    const c = panel.cellOf[i]!;
    psi[panel.unitOf[i]!]! += (SIGN[c as 0 | 1 | 2 | 3] / n[c]!) * (panel.outcome[i]! - mean[c]!);
  }
  let meat = 0;
  for (const p of psi) meat += p * p;
  const G = panel.nUnits;
  const correction = (G / (G - 1)) * ((N - 1) / (N - K));
  const stdError = Math.sqrt(correction * meat);
  const df = G - 1;
  const t = tQuantile(1 - (1 - level) / 2, df);
  const cell = (c: number): PanelCell => ({ n: n[c]!, mean: mean[c]! });
  return {
    estimate,
    stdError,
    ci: [estimate - t * stdError, estimate + t * stdError],
    level,
    nUnits: G,
    nTreatedUnits: panel.nTreatedUnits,
    nControlUnits: G - panel.nTreatedUnits,
    nObs: N,
    df,
    cells: { controlPre: cell(0), controlPost: cell(1), treatedPre: cell(2), treatedPost: cell(3) },
  };
}

/**
 * Difference-in-differences of cell means with a seeded cluster bootstrap: each resample draws units with
 * replacement, separately within treated and control units (so both groups keep their size), and recomputes the
 * DiD over all rows of the drawn units. Resamples in which a cell ends up empty are counted as invalid.
 */
export function didBootstrap(rows: readonly PanelRow[], options: BootstrapOptions = {}): BootstrapEstimate {
  const panel = compile(rows);
  const { mean } = cellMeans(panel);
  const estimate = mean[3]! - mean[2]! - (mean[1]! - mean[0]!);
  // Per-unit sums and counts in its pre and post cell: a resample only needs to add these up.
  const G = panel.nUnits;
  const sums = new Float64Array(G * 2);
  const counts = new Float64Array(G * 2);
  for (let i = 0; i < panel.outcome.length; i++) {
    const slot = panel.unitOf[i]! * 2 + (panel.cellOf[i]! & 1);
    sums[slot]! += panel.outcome[i]!;
    counts[slot]! += 1;
  }
  const treatedUnits: number[] = [];
  const controlUnits: number[] = [];
  for (let u = 0; u < G; u++) (panel.unitTreated[u] ? treatedUnits : controlUnits).push(u);
  const s = new Float64Array(4);
  const c = new Float64Array(4);
  const draw = (units: number[], treatedBit: number, rng: { int(n: number): number }): void => {
    for (let j = 0; j < units.length; j++) {
      const u = units[rng.int(units.length)]!;
      s[treatedBit]! += sums[u * 2]!;
      c[treatedBit]! += counts[u * 2]!;
      s[treatedBit + 1]! += sums[u * 2 + 1]!;
      c[treatedBit + 1]! += counts[u * 2 + 1]!;
    }
  };
  return bootstrap(
    estimate,
    (rng) => {
      s.fill(0);
      c.fill(0);
      draw(treatedUnits, 2, rng);
      draw(controlUnits, 0, rng);
      if (c[0] === 0 || c[1] === 0 || c[2] === 0 || c[3] === 0) return Number.NaN;
      return s[3]! / c[3]! - s[2]! / c[2]! - (s[1]! / c[1]! - s[0]! / c[0]!);
    },
    options,
  );
}
