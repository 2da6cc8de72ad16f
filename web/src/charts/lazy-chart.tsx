import { lazy, Suspense } from "react";
import type { ChartProps } from "./chart.tsx";

const Chart = lazy(() => import("./chart.tsx").then((module) => ({ default: module.Chart })));

/** The chart, with ECharts fetched only when a chart first appears (it is most of the app's weight). */
export function LazyChart(props: ChartProps) {
  const height = props.height ?? 280;
  return (
    <Suspense
      fallback={
        <div className="chart chart-loading" style={{ height }}>
          Loading chart…
        </div>
      }
    >
      <Chart {...props} />
    </Suspense>
  );
}
