import type { Change, Interval } from "./types.ts";

/** A number with a fixed number of digits, or a dash. */
export const num = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);

/** A share as a percentage, or a dash. */
export const pct = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? "–" : `${(100 * x).toFixed(digits)}%`;

/** "1.2 [0.4, 2.0]" or the reason there is no number. */
export function withCi(i: Interval, digits = 2, scale = 1): string {
  if (i.estimate === null) return i.note ?? "no number";
  const e = (i.estimate * scale).toFixed(digits);
  return i.ci ? `${e} [${(i.ci[0] * scale).toFixed(digits)}, ${(i.ci[1] * scale).toFixed(digits)}]` : e;
}

/** A change with its interval and design, or why there is none. */
export function changeText(c: Change, digits = 2, scale = 1): string {
  if (c.status !== "estimated") return c.message;
  return `${withCi({ estimate: c.estimate, ci: c.ci }, digits, scale)} (${c.design.replace(/_/g, " ")})`;
}

/** The chain link in words. */
export const linkLabel = (link: string | null | undefined) =>
  link ? link.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()) : "–";
