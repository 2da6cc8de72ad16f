import { useMemo } from "react";
import type { EventSummary } from "../api/types.ts";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";

const MAX_EVENTS = 12;

/** Registered against attended for the latest events: an indicator chart, labelled as one. */
export function AttendanceChart({ events }: { events: EventSummary[] }) {
  const shown = useMemo(() => events.slice(0, MAX_EVENTS), [events]);
  const option = useMemo<ChartOption>(() => {
    // ECharts draws the first category at the bottom; reverse so the chart reads top-down like the table.
    const rows = [...shown].reverse();
    return {
      color: [chartColors.indicator, chartColors.indicatorStrong],
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, data: ["Registered", "Attended"] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: chartColors.grid } } },
      yAxis: {
        type: "category",
        data: rows.map((e) => e.name),
        axisLabel: { width: 180, overflow: "truncate" },
      },
      series: [
        { name: "Registered", type: "bar", data: rows.map((e) => e.registrations), barGap: "10%" },
        { name: "Attended", type: "bar", data: rows.map((e) => e.attended) },
      ],
    };
  }, [shown]);

  if (shown.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="attendance-chart-title">
      <h2 id="attendance-chart-title">Registered and attended</h2>
      <p className="muted small">
        Indicators only: showing up is not an outcome.{" "}
        {shown.length < events.length && `Latest ${MAX_EVENTS} events.`}
      </p>
      <LazyChart
        option={option}
        label={`Bar chart of registrations and attendance for the latest ${shown.length} events`}
        height={Math.max(160, 48 + shown.length * 36)}
      />
    </section>
  );
}
