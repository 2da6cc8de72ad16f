/** CSV and time formatting for COPY: plain string building, quoting only the text that needs it. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

const TWO = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
const dayPrefix = new Map<number, string>();

function dayString(day: number): string {
  let s = dayPrefix.get(day);
  if (s === undefined) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    dayPrefix.set(day, s);
  }
  return s;
}

/** A timestamptz literal in UTC, to the second: "2025-03-04 12:34:56+00". */
export function ts(ms: number): string {
  const secs = Math.floor(ms / SECOND);
  const day = Math.floor(secs / 86400);
  let r = secs - day * 86400;
  const h = Math.floor(r / 3600);
  r -= h * 3600;
  const m = Math.floor(r / 60);
  return `${dayString(day)} ${TWO[h]}:${TWO[m]}:${TWO[r - m * 60]}+00`;
}

/** A date literal "2025-03-04" (UTC). */
export function isoDate(ms: number): string {
  return dayString(Math.floor(ms / DAY));
}

const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV text field; quoted only when it holds a comma, quote or line break. An empty string stays distinct from NULL. */
export function q(text: string): string {
  if (text === "") return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A jsonb CSV field. */
export function qj(value: unknown): string {
  return `"${JSON.stringify(value).replaceAll('"', '""')}"`;
}

/** Midnight UTC of the day holding `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}
