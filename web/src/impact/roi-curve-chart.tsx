import { useMemo } from "react";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import type { RoiPoint } from "./types.ts";

/** Value (stacked: won revenue, weighted pipeline, acceleration) against cost at each horizon; unknown days are gaps. */
export function RoiCurveChart({ points, headline }: { points: RoiPoint[]; headline: number }) {
  const option = useMemo<ChartOption>(() => {
    const major = (v: number | null) => (v === null ? null : Math.round(v) / 100);
    return {
      color: [chartColors.outcome, chartColors.outcomeSoft, "#5aa4c8", chartColors.indicatorStrong],
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: { trigger: "axis" },
      xAxis: {
        type: "category",
        data: points.map(
          (p) => `${p.horizon} d${p.horizon === headline ? " ★" : ""}${p.known ? "" : " (not yet)"}`,
        ),
      },
      yAxis: { type: "value", splitLine: { lineStyle: { color: chartColors.grid } } },
      series: [
        { name: "Won revenue", type: "bar", stack: "value", data: points.map((p) => major(p.wonRevenue)) },
        {
          name: "Weighted pipeline",
          type: "bar",
          stack: "value",
          data: points.map((p) => major(p.weightedPipeline)),
        },
        { name: "Acceleration", type: "bar", stack: "value", data: points.map((p) => major(p.acceleration)) },
        { name: "Cost", type: "line", data: points.map((p) => major(p.cost)), lineStyle: { type: "dashed" } },
      ],
    };
  }, [points, headline]);
  return (
    <LazyChart
      option={option}
      label={`ROI curve: attributed value against cost at ${points.length} horizons after the event`}
      height={300}
    />
  );
}
