/** Colours shared by every chart; indicators are muted, outcomes strong, so the two ledgers never look alike. */
export const chartColors = {
  indicator: "#8aa1b8",
  indicatorStrong: "#4f6d8a",
  outcome: "#1f7a5a",
  outcomeSoft: "#9fd3bf",
  interval: "rgba(31, 122, 90, 0.15)",
  text: "#3d4a5a",
  grid: "#e3e8ee",
} as const;
