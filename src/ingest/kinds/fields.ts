import { z } from "zod";

/**
 * Cell parsers shared by the row schemas. Every cell arrives as text; surrounding whitespace is trimmed. A required
 * cell that is empty is "required"; an optional empty cell is null (it clears the value on update); an optional
 * column missing from the header is undefined (an update leaves that value as it is).
 */

/** A cell that does not parse, and why (the reason names the value, e.g. `not a date/time with a zone ("x")`). */
export class Invalid {
  constructor(readonly reason: string) {}
}

export type CellParser<T> = (value: string) => T | Invalid;

/** The value as the user wrote it, shortened, for a reason. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** A column the header must have and every row must fill. */
export function required<T>(parse: CellParser<T>) {
  return z.string().transform((raw, ctx): T => {
    const value = raw.trim();
    if (value === "") {
      ctx.addIssue({ code: "custom", message: "required" });
      return z.NEVER;
    }
    const out = parse(value);
    if (out instanceof Invalid) {
      ctx.addIssue({ code: "custom", message: out.reason });
      return z.NEVER;
    }
    return out;
  });
}

/** A column that may be missing from the header (undefined) or left empty (null). */
export function optional<T>(parse: CellParser<T>) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | null | undefined => {
      if (raw === undefined) return undefined;
      const value = raw.trim();
      if (value === "") return null;
      const out = parse(value);
      if (out instanceof Invalid) {
        ctx.addIssue({ code: "custom", message: out.reason });
        return z.NEVER;
      }
      return out;
    });
}

export const text: CellParser<string> = (v) => v;

/**
 * A short name (a touch's kind or campaign): at most `max` characters, and none of the control characters 30 and 31
 * (journeys travel as text with those two between touches and fields).
 */
export function name(max: number): CellParser<string> {
  return (v) => {
    if (v.length > max && [...v].length > max)
      return new Invalid(`longer than ${max} characters (${shown(v)})`);
    if (v.includes("\u001e") || v.includes("\u001f"))
      return new Invalid(`holds a control character (record or unit separator) (${shown(v)})`);
    return v;
  };
}

/** Two or four ASCII digits at `i` as a number, or -1. */
function digitsAt(v: string, i: number, count: 2 | 4): number {
  let n = 0;
  for (let k = i; k < i + count; k++) {
    const c = v.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1; // NaN past the end fails too
    n = n * 10 + c;
  }
  return n;
}

/**
 * An ISO 8601 date and time with a zone: `2024-03-01T09:30:00Z`, `2024-03-01 09:30:00.5+01:00`, `...+0100`,
 * `...+01`. A date alone, or a time without a zone, is refused: the same wall-clock time is a different instant in
 * every zone. Returned as written (PostgreSQL parses it again, keeping microseconds). Checked by hand rather than
 * with a regular expression: it runs once per cell of million-row files.
 */
export const timestamp: CellParser<string> = (v) => (isTimestamp(v) ? v : badTimestamp(v));

function badTimestamp(v: string): Invalid {
  return new Invalid(`not a date/time with a zone (${shown(v)}); write e.g. 2024-03-01T09:30:00Z`);
}

function isTimestamp(v: string): boolean {
  const n = v.length;
  if (n < 17) return false;
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  const sep = v.charCodeAt(10);
  if (year < 1 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  const hour = digitsAt(v, 11, 2);
  const minute = digitsAt(v, 14, 2);
  if (hour < 0 || hour > 23 || v.charCodeAt(13) !== 58 || minute < 0 || minute > 59) return false;
  let i = 16;
  if (v.charCodeAt(i) === 58) {
    const second = digitsAt(v, i + 1, 2);
    if (second < 0 || second > 59) return false;
    i += 3;
    const dot = v.charCodeAt(i);
    if (dot === 46 || dot === 44) {
      const from = ++i;
      while (i < n && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
      if (i === from || i - from > 9) return false;
    }
  }
  if (v.charCodeAt(i) === 32) i++;
  const zone = v.charCodeAt(i);
  if (zone === 90 || zone === 122) return i + 1 === n;
  if (zone !== 43 && zone !== 45) return false;
  const zh = digitsAt(v, i + 1, 2);
  if (zh < 0 || zh > 15) return false;
  i += 3;
  if (i === n) return true;
  if (v.charCodeAt(i) === 58) i++;
  const zm = digitsAt(v, i, 2);
  return zm >= 0 && zm <= 59 && i + 2 === n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const TRUE = new Set(["true", "t", "yes", "y", "1"]);
const FALSE = new Set(["false", "f", "no", "n", "0"]);

/** true/false (also t/f, yes/no, y/n, 1/0, any case). */
export const boolean: CellParser<boolean> = (v) => {
  const lower = v.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return new Invalid(`not true or false (${shown(v)})`);
};

/** A whole number within [min, max]. */
export function integer(min: number, max: number): CellParser<number> {
  return (v) => {
    if (!/^[+-]?\d+$/.test(v)) return new Invalid(`not a whole number (${shown(v)})`);
    const n = Number(v);
    if (n < min || n > max) return new Invalid(`out of range ${min}..${max} (${shown(v)})`);
    return n;
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const email: CellParser<string> = (v) =>
  EMAIL.test(v) ? v : new Invalid(`not an email address (${shown(v)})`);

/** One of a closed vocabulary (compared as written, after trimming). */
export function oneOf<const T extends string>(values: readonly T[]): CellParser<T> {
  const set = new Set<string>(values);
  return (v) => (set.has(v) ? (v as T) : new Invalid(`not one of ${values.join(", ")} (${shown(v)})`));
}

/** A JSON object, returned as its text (PostgreSQL stores it as jsonb). */
export const jsonObject: CellParser<string> = (v) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return new Invalid(`not valid JSON (${shown(v)})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return new Invalid(`not a JSON object {…} (${shown(v)})`);
  }
  return v;
};

/** A decimal amount in major units ("1234.50"), kept as text until the currency says how many decimals it has. */
export const decimal: CellParser<string> = (v) =>
  /^\d+(\.\d+)?$/.test(v)
    ? v
    : new Invalid(`not an amount like 1234.50 (no sign, no thousands separators) (${shown(v)})`);

const currencies = new Set(Intl.supportedValuesOf("currency"));

/** An ISO 4217 currency code, upper-cased. */
export const currency: CellParser<string> = (v) => {
  const code = v.toUpperCase();
  return currencies.has(code) ? code : new Invalid(`not an ISO 4217 currency code (${shown(v)})`);
};

const minorDigitsCache = new Map<string, number>();

/** Decimals of a currency's minor unit: USD 2, JPY 0, KWD 3. */
export function minorDigits(code: string): number {
  let digits = minorDigitsCache.get(code);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
      .maximumFractionDigits as number;
    minorDigitsCache.set(code, digits);
  }
  return digits;
}

/** "1234.50" in USD -> 123450. Exact (string arithmetic, never floating point). */
export function toMinorUnits(amount: string, code: string): number | Invalid {
  const digits = minorDigits(code);
  const [whole = "0", fraction = ""] = amount.split(".");
  if (fraction.length > digits) {
    return new Invalid(
      `more than ${digits} decimal place${digits === 1 ? "" : "s"} for ${code} (${shown(amount)})`,
    );
  }
  const minor = Number(whole + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return new Invalid(`too large (${shown(amount)})`);
  return minor;
}

/** 123450 in USD -> "1234.50". */
export function fromMinorUnits(minor: number, code: string): string {
  const digits = minorDigits(code);
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  const out = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${out}` : out;
}
