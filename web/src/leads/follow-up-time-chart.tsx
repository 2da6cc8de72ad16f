import { useMemo } from "react";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import type { Funnel } from "./types.ts";

const plural = (n: number) => `${n} lead${n === 1 ? "" : "s"}`;

/** How long after capture the first follow-up came: leads per bucket, "never" drawn apart as the loss it is. */
export function FollowUpTimeChart({ time }: { time: Funnel["timeToFollowUp"] }) {
  const option = useMemo<ChartOption>(() => {
    // Bars across, buckets down (fastest first): the labels stay readable on a phone's width.
    const rows = [...time.buckets].reverse();
    return {
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: chartColors.grid } } },
      yAxis: { type: "category", data: rows.map((b) => b.label), axisLabel: { interval: 0 } },
      series: [
        {
          name: "Leads",
          type: "bar",
          data: rows.map((b) => ({
            value: b.leads,
            itemStyle: { color: b.label === "never" ? chartColors.indicator : chartColors.outcome },
          })),
          label: { show: true, position: "right" },
        },
      ],
    };
  }, [time]);
  // The chart is an image to a screen reader: its name carries every number it draws.
  const label = `Bar chart of time to first follow-up: ${time.buckets.map((b) => `${b.label} ${plural(b.leads)}`).join(", ")}`;
  return <LazyChart option={option} label={label} height={240} />;
}
