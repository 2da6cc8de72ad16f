import { useMemo } from "react";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import { num } from "./format.ts";
import type { DecayResult } from "./types.ts";

/** One curve to draw: its name, colour and the API's decay result. */
export interface DecayLine {
  name: string;
  color: string;
  band: string;
  result: DecayResult;
}

type Estimated = Extract<DecayResult, { status: "estimated" }>;

/** "halves every 4.1 weeks [1.2, 9.9]", "does not decay", or why there is no fit. */
export function halfLifeText(r: DecayResult): string {
  if (r.status !== "estimated") return r.message;
  const f = r.fit;
  if (f.status === "decaying" && f.halfLife !== null) {
    const ci = r.halfLifeCi
      ? ` [${num(r.halfLifeCi[0])}, ${r.halfLifeCi[1] === null ? "not bounded" : num(r.halfLifeCi[1])}]`
      : "";
    return `starts at ${num(f.initial, 3)}, halves every ${num(f.halfLife)} weeks${ci}`;
  }
  if (f.status === "not_decaying") return `starts at ${num(f.initial, 3)} and does not decay`;
  if (f.status === "no_effect") return "no effect to decay";
  return "too few weeks to fit a decay";
}

/**
 * Weekly lift over the weeks after the event (value minus each unit's own baseline, minus the comparison group's),
 * each curve with its 95% interval drawn as a band: the interval's lower edge stacked with its width.
 */
export function DecayChart({
  lines,
  label,
  percent,
}: {
  lines: DecayLine[];
  label: string;
  percent: boolean;
}) {
  const option = useMemo<ChartOption>(() => {
    const shown = lines.filter(
      (l): l is DecayLine & { result: Estimated } => l.result.status === "estimated",
    );
    const weeks = Math.max(0, ...shown.map((l) => l.result.weeks.length));
    const scale = percent ? 100 : 1;
    const v = (x: number | null | undefined) => (x === null || x === undefined ? null : x * scale);
    const series: NonNullable<ChartOption["series"]> = [];
    for (const l of shown) {
      const at = (k: number) => l.result.weeks[k];
      series.push(
        {
          name: `${l.name} interval`,
          type: "line",
          stack: `ci-${l.name}`,
          stackStrategy: "all",
          symbol: "none",
          lineStyle: { opacity: 0 },
          tooltip: { show: false },
          data: Array.from({ length: weeks }, (_, k) => v(at(k)?.ci?.[0])),
        },
        {
          name: `${l.name} interval`,
          type: "line",
          stack: `ci-${l.name}`,
          stackStrategy: "all",
          symbol: "none",
          lineStyle: { opacity: 0 },
          areaStyle: { color: l.band },
          tooltip: { show: false },
          data: Array.from({ length: weeks }, (_, k) => {
            const ci = at(k)?.ci;
            return ci ? (ci[1] - ci[0]) * scale : null;
          }),
        },
        {
          name: l.name,
          type: "line",
          color: l.color,
          data: Array.from({ length: weeks }, (_, k) => v(at(k)?.estimate)),
          connectNulls: false,
        },
      );
    }
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, data: shown.map((l) => l.name) },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: Array.from({ length: weeks }, (_, k) => `wk ${k + 1}`) },
      yAxis: {
        type: "value",
        name: percent ? "points" : "",
        splitLine: { lineStyle: { color: chartColors.grid } },
      },
      series,
    };
  }, [lines, percent]);
  return <LazyChart option={option} label={label} />;
}

/** The same curves as numbers, one row per week: what the chart draws, readable and testable. */
export function DecayTable({ lines, label }: { lines: DecayLine[]; label: string }) {
  const weeks = Math.max(
    0,
    ...lines.map((l) => (l.result.status === "estimated" ? l.result.weeks.length : 0)),
  );
  const cell = (r: DecayResult, k: number) => {
    if (r.status !== "estimated") return "–";
    const w = r.weeks[k];
    if (!w || w.estimate === null) return "–";
    return `${num(w.estimate, 3)}${w.ci ? ` [${num(w.ci[0], 3)}, ${num(w.ci[1], 3)}]` : ""}`;
  };
  return (
    <table className="data-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Week after</th>
          {lines.map((l) => (
            <th key={l.name} scope="col" className="num">
              {l.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: weeks }, (_, k) => k + 1).map((week) => (
          <tr key={week}>
            <th scope="row">{week}</th>
            {lines.map((l) => (
              <td key={l.name} className="num">
                {cell(l.result, week - 1)}
              </td>
            ))}
          </tr>
        ))}
        <tr>
          <th scope="row">Fit</th>
          {lines.map((l) => (
            <td key={l.name} className="num small">
              {halfLifeText(l.result)}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
