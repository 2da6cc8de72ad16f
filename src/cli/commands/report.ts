import { z } from "zod";
import { loadConfig } from "../../config.ts";
import { modelNames } from "../../core/attribution/types.ts";
import { ROI_HORIZONS, type RoiHorizon } from "../../core/roi/index.ts";
import type { Database } from "../../db/client.ts";
import { openMigratedDatabase } from "../../db/open-from-config.ts";
import { type EventImpact, eventImpact } from "../../server/impact/event-impact.ts";
import { journeyScopes } from "../../server/impact/load-deals.ts";
import { resolveEventId } from "../../server/impact/resolve.ts";
import { type Command, parseFlags, UsageError } from "../command.ts";
import { resolveOrg } from "../org.ts";

const flagsSchema = z
  .object({
    horizon: z.enum(ROI_HORIZONS.map(String) as [string, ...string[]]).optional(),
    format: z.enum(["json", "table"]).default("json"),
    model: z.enum(modelNames).optional(),
    models: z.string().min(1).optional(),
    scope: z.enum(journeyScopes).optional(),
    lookbackDays: z.coerce.number().int().min(0).max(3650).optional(),
    org: z.string().min(1).optional(),
  })
  .strict();

/** How the command reaches the database and the clock; tests swap these. */
export const database = {
  open: (): Promise<Database> => openMigratedDatabase(loadConfig()),
  now: (): Date => new Date(),
};

/** Minor units as major units with two decimals and thousands separators ("12,345.67"). */
const money = (minor: number | null) =>
  minor === null
    ? "-"
    : (minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
const date = (iso: string) => iso.slice(0, 10);

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "),
    )
    .join("\n");
}

/** The report as text: the two ledgers side by side (never summed), the ROI curve, and offline vs online. */
export function reportTable(r: EventImpact): string {
  const i = r.indicators;
  const o = r.outcomes;
  const indicators = [
    ["registrations", String(i.registrations)],
    ["attended", String(i.attended)],
    ["attendance rate", pct(i.attendanceRate)],
    ["engaged people", `${i.engagement.engagedPeople} (${pct(i.engagement.engagedShare)} of attendees)`],
    ["poll answers / questions", `${i.engagement.pollAnswers} / ${i.engagement.questions}`],
    ["leads (A/B/C)", `${i.leads.captured} (${i.leads.tierA}/${i.leads.tierB}/${i.leads.tierC})`],
    ["leads to opportunity", String(i.leads.converted)],
    [
      "satisfaction",
      i.satisfaction.averageRating === null
        ? "-"
        : `${i.satisfaction.averageRating.toFixed(2)} / 5 (${i.satisfaction.responses})`,
    ],
  ];
  const line = (label: string, l: { opportunities: number; amount: number; attributed: number }) => [
    label,
    String(l.opportunities),
    money(l.amount),
    money(l.attributed),
  ];
  const outcomes = [
    ["", "deals", "amount", `attributed (${r.model})`],
    line("sourced pipeline", o.sourcedPipeline),
    line("influenced pipeline", o.influencedPipeline),
    line("won revenue", o.wonRevenue),
    line("open pipeline (weighted)", o.weightedPipeline),
    [
      "acceleration",
      String(o.acceleration.matched),
      o.acceleration.daysSavedMean === null ? "-" : `${o.acceleration.daysSavedMean.toFixed(1)} d saved`,
      money(o.acceleration.value),
    ],
  ];
  const roi = [
    ["horizon", "as of", "won revenue", "weighted pipeline", "acceleration", "value", "cost", "ROI"],
    ...r.roi.map((p) =>
      p.known
        ? [
            `${p.horizon} d${p.horizon === r.headlineHorizon ? " *" : ""}`,
            date(p.asOf),
            money(p.wonRevenue),
            money(p.weightedPipeline),
            money(p.acceleration),
            money(p.value),
            money(p.cost),
            p.roi === null ? "n/a (no cost)" : pct(p.roi),
          ]
        : [
            `${p.horizon} d${p.horizon === r.headlineHorizon ? " *" : ""}`,
            date(p.asOf),
            "not yet known",
            "",
            "",
            "",
            money(p.cost),
            "",
          ],
    ),
  ];
  const ov = r.offlineVsOnline;
  const channels = Object.keys(ov.byChannel.all);
  const offline = [
    ["", "all touches", "online only", "difference"],
    [
      "event: won revenue",
      money(ov.event.all.wonRevenue),
      money(ov.event.onlineOnly.wonRevenue),
      money(ov.event.difference.wonRevenue),
    ],
    [
      "event: weighted pipeline",
      money(ov.event.all.weightedPipeline),
      money(ov.event.onlineOnly.weightedPipeline),
      money(ov.event.difference.weightedPipeline),
    ],
    ...channels.map((c) => [
      `channel ${c}`,
      money(ov.byChannel.all[c]!),
      money(ov.byChannel.onlineOnly[c] ?? 0),
      money(ov.byChannel.difference[c]!),
    ]),
    ["unplaceable online-only", "", money(ov.byChannel.unattributedOnlineOnly), ""],
  ];
  return [
    `${r.event.name} (${r.event.type}, ${r.event.format}), ${date(r.event.startsAt)} to ${date(r.event.endsAt)}`,
    `model ${r.model}, scope ${r.scope}, lookback ${r.lookbackDays} d; money in ${r.currency}`,
    ...r.warnings.map((w) => `warning: ${w}`),
    "",
    "INDICATORS (activity)",
    columns(indicators),
    "",
    `OUTCOMES as of ${date(o.asOf)} (${r.horizon} days after the event)`,
    columns(outcomes),
    "",
    `ROI BY HORIZON (* headline horizon for ${r.event.format} events: ${r.headlineHorizon} days)`,
    columns(roi),
    "",
    `OFFLINE VS ONLINE (${ov.model}, as of ${date(ov.asOf)}): what a digital-only model cannot see`,
    columns(offline),
  ].join("\n");
}

export const command: Command = {
  name: "report",
  summary: "Impact report of one event: indicators and outcomes, ROI by horizon, offline vs online",
  usage:
    "throughline report <event-id|slug> [--horizon 0|30|90|180|365] [--format json|table] [--model name] " +
    "[--models list|all] [--scope person|account] [--lookback-days n] [--org slug]",
  async run(args, io) {
    const { flags, positional } = parseFlags(args, flagsSchema);
    if (positional.length !== 1) {
      throw new UsageError(
        positional.length === 0 ? "give the event id or slug" : `unexpected argument "${positional[1]}"`,
      );
    }
    const db = await database.open();
    try {
      const org = await resolveOrg(db, flags.org);
      const eventId = await resolveEventId(db, org.id, positional[0]!);
      const report = await eventImpact(db, org.id, eventId, {
        now: database.now(),
        horizon: flags.horizon === undefined ? undefined : (Number(flags.horizon) as RoiHorizon),
        model: flags.model,
        models: flags.models,
        scope: flags.scope,
        lookbackDays: flags.lookbackDays,
      });
      io.out(flags.format === "json" ? JSON.stringify(report, null, 2) : reportTable(report));
      return 0;
    } finally {
      await db.close();
    }
  },
};
