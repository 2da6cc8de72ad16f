import { useMemo } from "react";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import type { EventImpact } from "./types.ts";

/** Won revenue of the event's deals by channel, with every touch and with online touches only. */
export function OfflineOnlineChart({ comparison }: { comparison: EventImpact["offlineVsOnline"] }) {
  // Channels that got some won revenue on either view (journeys that did not convert list their channels at 0).
  const channels = Object.keys(comparison.byChannel.all).filter(
    (c) => (comparison.byChannel.all[c] ?? 0) > 0 || (comparison.byChannel.onlineOnly[c] ?? 0) > 0,
  );
  const option = useMemo<ChartOption>(
    () => ({
      color: [chartColors.outcome, chartColors.indicator],
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", splitLine: { lineStyle: { color: chartColors.grid } } },
      yAxis: { type: "category", data: channels },
      series: [
        {
          name: "All touches",
          type: "bar",
          data: channels.map((c) => Math.round(comparison.byChannel.all[c] ?? 0) / 100),
        },
        {
          name: "Online only",
          type: "bar",
          data: channels.map((c) => Math.round(comparison.byChannel.onlineOnly[c] ?? 0) / 100),
        },
      ],
    }),
    [comparison, channels],
  );
  if (channels.length === 0)
    return <p className="muted">No won revenue among the deals this event touched yet.</p>;
  return (
    <LazyChart
      option={option}
      label={`Won revenue by channel with all touches and with online touches only, ${channels.length} channels`}
      height={Math.max(160, 48 + channels.length * 34)}
    />
  );
}
