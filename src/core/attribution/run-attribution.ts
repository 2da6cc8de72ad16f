import { buildJourneyTable, type JourneyTable, onlineOnlyTable } from "./journey-table.ts";
import type { AttributionModel, ModelOutput } from "./model.ts";
import { createModel, type ModelSettings, parseModelList } from "./models.ts";
import type { AttributionResult, Journey, KeyBy, ModelName } from "./types.ts";

/** Options of `runAttribution`: the key credits are grouped by, the online-only filter and model settings. */
export interface AttributionOptions extends ModelSettings {
  /** Credit key: channel (default), event or campaign. Ignored when a prebuilt table is passed. */
  keyBy?: KeyBy;
  /** Drop offline touches first (a journey left without touches is reported as unattributed). */
  onlineOnly?: boolean;
}

function isTable(input: readonly Journey[] | JourneyTable): input is JourneyTable {
  return !Array.isArray(input);
}

function toRecord(names: readonly string[], values: Float64Array): Record<string, number> {
  const order = names
    .map((_, i) => i)
    .sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const out: Record<string, number> = {};
  for (const i of order) out[names[i]!] = values[i] ?? 0;
  return out;
}

/** Converts a model's indexed output into the keyed, name-sorted result callers see. */
export function toAttributionResult(
  table: JourneyTable,
  model: string,
  output: ModelOutput,
): AttributionResult {
  let conversions = 0;
  let value = 0;
  for (let j = 0; j < table.journeyCount; j++) {
    conversions += table.conversions[j]!;
    value += table.value[j]!;
  }
  const result: AttributionResult = {
    model,
    keyBy: table.keyBy,
    conversions: toRecord(table.keys, output.conversions),
    value: toRecord(table.keys, output.value),
    total: { conversions, value },
    unattributed: { ...output.unattributed },
  };
  if (output.removalEffect) result.removalEffect = toRecord(table.channels, output.removalEffect);
  if (output.pConversion !== undefined) result.pConversion = output.pConversion;
  if (output.method) result.method = output.method;
  if (output.samples !== undefined) result.samples = output.samples;
  if (output.standardError) {
    result.standardError = {
      conversions: toRecord(table.channels, output.standardError.conversions),
      value: toRecord(table.channels, output.standardError.value),
    };
  }
  return result;
}

/**
 * Runs the given models ("all", a comma list, or names / model objects) over journeys or a prebuilt table, and
 * returns one result per model, keyed by model name. The columnar table is built once and shared by the models.
 * Pure: callers (CLI, database services) do the I/O.
 */
export function runAttribution(
  journeys: readonly Journey[] | JourneyTable,
  models: string | readonly (ModelName | AttributionModel)[],
  options: AttributionOptions = {},
): Record<string, AttributionResult> {
  let table = isTable(journeys)
    ? journeys
    : buildJourneyTable(journeys, { keyBy: options.keyBy, onlineOnly: options.onlineOnly });
  if (isTable(journeys) && options.onlineOnly) table = onlineOnlyTable(table);
  const list: AttributionModel[] =
    typeof models === "string"
      ? parseModelList(models).map((name) => createModel(name, options))
      : models.flatMap((m) =>
          typeof m === "string" ? parseModelList([m]).map((n) => createModel(n, options)) : [m],
        );
  const results: Record<string, AttributionResult> = {};
  for (const model of list) results[model.name] = toAttributionResult(table, model.name, model.run(table));
  return results;
}
