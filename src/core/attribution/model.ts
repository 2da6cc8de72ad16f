import type { JourneyTable } from "./journey-table.ts";
import type { Unattributed } from "./types.ts";

/** What a model returns: credits indexed like `table.keys`, plus what it could not attribute. */
export interface ModelOutput {
  conversions: Float64Array;
  value: Float64Array;
  unattributed: Unattributed;
  /** Markov: removal effect indexed like `table.channels`. */
  removalEffect?: Float64Array;
  pConversion?: number;
  method?: "exact" | "sampled";
  samples?: number;
  /** Shapley sampled: standard error indexed like `table.channels`. */
  standardError?: { conversions: Float64Array; value: Float64Array };
}

/**
 * The one interface every model implements: journeys (in columnar form) in, credits out. `run` is pure and
 * deterministic; sums of credits plus `unattributed` equal the table's totals.
 */
export interface AttributionModel {
  readonly name: string;
  run(table: JourneyTable): ModelOutput;
}

/** Fresh zeroed credit arrays for a table. */
export function emptyOutput(table: JourneyTable): ModelOutput {
  return {
    conversions: new Float64Array(table.keys.length),
    value: new Float64Array(table.keys.length),
    unattributed: { conversions: 0, value: 0, journeys: 0 },
  };
}

/** Records journey j as unattributed (it had no touch, or no touch could take credit). */
export function markUnattributed(out: ModelOutput, table: JourneyTable, j: number): void {
  const c = table.conversions[j]!;
  const v = table.value[j]!;
  if (c === 0 && v === 0) return;
  out.unattributed.conversions += c;
  out.unattributed.value += v;
  out.unattributed.journeys++;
}
