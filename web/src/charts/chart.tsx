import { useEffect, useRef } from "react";
import { type ChartOption, chartColors, echarts } from "./echarts.ts";

export interface ChartProps {
  option: ChartOption;
  /** What the chart shows, read by screen readers (the chart itself is an image to them). */
  label: string;
  height?: number;
}

/** An ECharts chart that follows its option and the width of its container. Load it through LazyChart. */
export function Chart({ option, label, height = 280 }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const font = useRef("sans-serif");

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // ECharts measures text itself (for layout and truncation) and cannot resolve "inherit": give it the real font.
    font.current = getComputedStyle(element).fontFamily || "sans-serif";
    const instance = echarts.init(element, null, { renderer: "svg" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        textStyle: { fontFamily: font.current, color: chartColors.text },
        animation: false,
        ...option,
        // ECharts writes its own aria-label on the container when aria is on; give it ours so the chart keeps the
        // name the page chose rather than a generated "This is a chart about…".
        aria: { enabled: true, label: { description: label } },
      },
      { notMerge: true },
    );
  }, [option, label]);

  return <div ref={container} className="chart" role="img" aria-label={label} style={{ height }} />;
}
