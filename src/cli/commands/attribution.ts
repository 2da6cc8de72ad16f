import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { loadConfig } from "../../config.ts";
import {
  type AttributionOptions,
  type AttributionResult,
  type JourneyTable,
  PathsCsvReader,
  parseModelList,
  runAttribution,
} from "../../core/attribution/index.ts";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { openMigratedDatabase } from "../../db/open-from-config.ts";
import {
  attributionFromDatabase,
  type DatabaseAttribution,
} from "../../server/impact/attribution-service.ts";
import { journeyScopes } from "../../server/impact/load-deals.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";
import { resolveOrg } from "../org.ts";

/** The engine entry point, re-exported for the database mode (journeys from the database instead of a CSV). */
export { runAttribution };

const booleanFlag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

const flagsSchema = z
  .object({
    /** Aggregated-path CSV (path,conversions,value,nulls). Without it, database mode. */
    journeys: z.string().min(1).optional(),
    model: z.string().min(1),
    format: z.enum(["json", "csv", "table"]).default("json"),
    // Database mode only: period (close date), scope, the digital-only view, the credit key, the organization.
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    scope: z.enum(journeyScopes).optional(),
    onlineOnly: booleanFlag.optional(),
    by: z.enum(["channel", "event", "campaign"]).optional(),
    org: z.string().min(1).optional(),
    lookbackDays: z.coerce.number().int().min(0).max(3650).optional(),
    // Model settings.
    halfLifeDays: z.coerce.number().positive().optional(),
    weights: z.string().min(1).optional(),
    seed: z.coerce.number().int().optional(),
    samples: z.coerce.number().int().positive().optional(),
  })
  .strict();
type Flags = z.infer<typeof flagsSchema>;

/** Parses `--weights "email=2,web=0.5"` into custom-model channel weights. */
function parseWeights(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec.split(",")) {
    const eq = part.lastIndexOf("=");
    const name = part.slice(0, eq).trim();
    const weight = Number(part.slice(eq + 1).trim());
    if (eq < 0 || name === "" || !Number.isFinite(weight) || weight < 0) {
      throw new UsageError(`flag --weights: expected channel=weight pairs with weights >= 0, got "${part}"`);
    }
    out[name] = weight;
  }
  return out;
}

/** Streams an aggregated-path CSV line by line into the columnar table (the file is never held whole). */
export async function readJourneysCsv(file: string): Promise<JourneyTable> {
  const reader = new PathsCsvReader();
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  let row = 0;
  try {
    for await (const line of lines) reader.line(line, ++row);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new AppError("not_found", `journeys file not found: ${file}`, "journeys");
    throw new AppError(
      "unavailable",
      `cannot read journeys file ${file}: ${(error as Error).message}`,
      "journeys",
    );
  } finally {
    lines.close();
  }
  return reader.finish();
}

/** JSON shape: {"<model>": {"conversions": {…}, "value": {…}, "unattributed": {…}, markov/shapley extras}}. */
export function toJson(results: Record<string, AttributionResult>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of Object.entries(results)) {
    const entry: Record<string, unknown> = {
      conversions: r.conversions,
      value: r.value,
      unattributed: { conversions: r.unattributed.conversions, value: r.unattributed.value },
    };
    if (r.removalEffect) entry.removal_effect = r.removalEffect;
    if (r.pConversion !== undefined) entry.p_conversion = r.pConversion;
    if (r.method) entry.method = r.method;
    if (r.samples !== undefined) entry.samples = r.samples;
    if (r.standardError) entry.standard_error = r.standardError;
    out[name] = entry;
  }
  return out;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV: one row per model and channel; unattributed credit, when any, as channel "(unattributed)". */
export function toCsv(results: Record<string, AttributionResult>): string {
  const lines = ["model,channel,conversions,value,removal_effect"];
  for (const [name, r] of Object.entries(results)) {
    for (const key of Object.keys(r.conversions)) {
      const re = r.removalEffect?.[key];
      lines.push([name, csvField(key), r.conversions[key], r.value[key], re ?? ""].join(","));
    }
    if (r.unattributed.conversions > 0 || r.unattributed.value > 0) {
      lines.push([name, "(unattributed)", r.unattributed.conversions, r.unattributed.value, ""].join(","));
    }
  }
  return lines.join("\n");
}

const num = (n: number, digits = 2) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A readable block per model: channel, conversions, value, share, and removal effect for markov. */
export function toTable(results: Record<string, AttributionResult>): string {
  const blocks: string[] = [];
  for (const [name, r] of Object.entries(results)) {
    const extras = [
      r.pConversion !== undefined ? `p_conversion ${num(r.pConversion, 4)}` : "",
      r.method ? `${r.method}${r.samples ? `, ${r.samples} samples` : ""}` : "",
    ].filter(Boolean);
    const head = `${name}${extras.length ? ` (${extras.join("; ")})` : ""}`;
    const keys = Object.keys(r.conversions);
    const width = Math.max(12, ...keys.map((k) => k.length));
    const cols = ["conversions", "value", "share"].concat(r.removalEffect ? ["removal_effect"] : []);
    const rows = [`${"channel".padEnd(width)}  ${cols.map((c) => c.padStart(14)).join("  ")}`];
    const line = (label: string, c: number, v: number, share: string, re?: number) =>
      `${label.padEnd(width)}  ${[num(c), num(v), share, re === undefined ? "" : num(re, 4)]
        .slice(0, cols.length)
        .map((x) => x.padStart(14))
        .join("  ")}`;
    for (const key of keys) {
      const c = r.conversions[key]!;
      const share = r.total.conversions > 0 ? `${num((100 * c) / r.total.conversions, 1)}%` : "-";
      rows.push(line(key, c, r.value[key]!, share, r.removalEffect?.[key]));
    }
    rows.push(line("unattributed", r.unattributed.conversions, r.unattributed.value, ""));
    rows.push(line("total", r.total.conversions, r.total.value, ""));
    blocks.push(`${head}\n${rows.join("\n")}`);
  }
  return blocks.join("\n\n");
}

function settingsFrom(flags: Flags): AttributionOptions {
  const settings: AttributionOptions = {};
  if (flags.halfLifeDays !== undefined) settings.halfLifeDays = flags.halfLifeDays;
  if (flags.weights !== undefined) settings.customWeights = { byChannel: parseWeights(flags.weights) };
  if (flags.seed !== undefined || flags.samples !== undefined) {
    settings.shapley = { seed: flags.seed, samples: flags.samples };
  }
  return settings;
}

/** How database mode reaches the database and the clock; tests swap these. */
export const database = {
  open: (): Promise<Database> => openMigratedDatabase(loadConfig()),
  now: (): Date => new Date(),
};

const dbOnlyFlags = ["from", "to", "scope", "onlineOnly", "by", "org", "lookbackDays"] as const;
const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Swaps id keys (events) for "name (id…)" in a copy of the results, for people reading a table or CSV. */
function relabel(
  results: Record<string, AttributionResult>,
  labels: Record<string, string>,
): Record<string, AttributionResult> {
  if (Object.keys(labels).length === 0) return results;
  const name = (k: string) => (labels[k] ? `${labels[k]} (${k.slice(0, 8)})` : k);
  const map = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [name(k), v]));
  return Object.fromEntries(
    Object.entries(results).map(([m, r]) => [
      m,
      { ...r, conversions: map(r.conversions), value: map(r.value) },
    ]),
  );
}

/** Prints database-mode results: influenced (touches up to close) and sourced (up to creation) apart. */
export function printDatabaseAttribution(r: DatabaseAttribution, format: Flags["format"]): string {
  if (format === "json") {
    const { influenced, sourced, ...meta } = r;
    return JSON.stringify({ ...meta, influenced: toJson(influenced), sourced: toJson(sourced) }, null, 2);
  }
  if (format === "csv") {
    const lines = [`window,model,${r.by},conversions,value,removal_effect`];
    for (const window of ["influenced", "sourced"] as const) {
      for (const line of toCsv(r[window]).split("\n").slice(1)) lines.push(`${window},${line}`);
    }
    return lines.join("\n");
  }
  const head =
    `${r.journeys.deals} deals (${r.journeys.won} won, ${r.journeys.lost} lost, ${r.journeys.open} open), ` +
    `${r.journeys.touches} touches; scope ${r.scope}; by ${r.by}; lookback ${r.lookbackDays} days` +
    `${r.from || r.to ? `; closed ${r.from ?? "…"} to ${r.to ?? "…"}` : ""}${r.onlineOnly ? "; online touches only" : ""}` +
    "; money in minor units";
  return [
    head,
    ...r.warnings.map((w) => `warning: ${w}`),
    "",
    "INFLUENCED (touches up to each deal's close)",
    toTable(relabel(r.influenced, r.labels)),
    "",
    "SOURCED (touches up to each deal's creation)",
    toTable(relabel(r.sourced, r.labels)),
  ].join("\n");
}

async function runDatabaseMode(
  flags: Flags,
  models: string,
  io: { out: (t: string) => void },
): Promise<number> {
  const db = await database.open();
  try {
    const org = await resolveOrg(db, flags.org);
    const result = await attributionFromDatabase(db, org.id, {
      models,
      by: flags.by ?? "channel",
      scope: flags.scope ?? "account",
      from: flags.from,
      to: flags.to,
      onlineOnly: flags.onlineOnly ?? false,
      lookbackDays: flags.lookbackDays,
      settings: settingsFrom(flags),
      now: database.now(),
    });
    io.out(printDatabaseAttribution(result, flags.format));
    return 0;
  } finally {
    await db.close();
  }
}

export const command: Command = {
  name: "attribution",
  summary: "Multi-touch attribution of conversions and value to channels",
  usage:
    "throughline attribution --journeys <paths.csv> --model <name[,name…]|all> [--format json|csv|table] " +
    "[--half-life-days n] [--weights ch=w,…] [--seed n] [--samples n]\n" +
    "       throughline attribution --model <name[,name…]|all> [--from YYYY-MM-DD] [--to YYYY-MM-DD] " +
    "[--scope person|account] [--online-only] [--by channel|event|campaign] [--lookback-days n] [--org slug] " +
    "[--format json|csv|table]   (database mode: journeys of the organization's opportunities)",
  async run(args, io) {
    const { flags, positional } = parseFlags(args, flagsSchema, ["onlineOnly"]);
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    const models = parseModelList(flags.model);
    if (flags.journeys === undefined) return runDatabaseMode(flags, models.join(","), io);
    const dbOnly = dbOnlyFlags.filter((k) => flags[k] !== undefined);
    if (dbOnly.length > 0) {
      throw new UsageError(
        `${dbOnly.map(kebab).join(", ")} apply to database mode only; an aggregated-path CSV has no dates, ` +
          "scopes, online flags, events or organizations",
      );
    }
    const table = await readJourneysCsv(flags.journeys);
    const results = runAttribution(table, models, settingsFrom(flags));
    if (flags.format === "json") io.out(JSON.stringify(toJson(results), null, 2));
    else if (flags.format === "csv") io.out(toCsv(results));
    else io.out(toTable(results));
    return 0;
  },
};
