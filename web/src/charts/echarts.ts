// The one place ECharts is assembled: only the charts, components and renderer the app uses, from echarts/core, so
// the bundle carries none of the rest. Add a chart type here when a page needs it.
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from "echarts/charts";
import {
  AriaComponent,
  type AriaComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  SVGRenderer,
]);

/** The option type for the registered parts only: a series ECharts cannot draw here does not type-check. */
export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | AriaComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

// Colours live in ./colors.ts so pages can use them without pulling ECharts into the main bundle.
export { chartColors } from "./colors.ts";
export { echarts };
