import { formatMoney } from "../events/format.ts";

/** Money from minor units, or a dash for "not known". */
export const money = (minor: number | null | undefined, currency = "USD") =>
  minor === null || minor === undefined ? "–" : formatMoney(Math.round(minor), currency);

/** A ratio as a percentage ("59.3%"), or a dash. */
export const percent = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? "–" : `${(100 * x).toFixed(digits)}%`;

/** ROI as a signed percentage ("+120%"), or what stands in for it. */
export const roiText = (roi: number | null, known: boolean) =>
  !known ? "not yet known" : roi === null ? "no cost" : `${roi >= 0 ? "+" : ""}${(100 * roi).toFixed(0)}%`;

export const day = (iso: string) => iso.slice(0, 10);
