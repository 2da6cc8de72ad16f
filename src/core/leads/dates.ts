// Calendar dates written in a rep's note ("next Tuesday", "in two weeks", "by end of Q3") resolved against the
// moment of capture in the capture's time zone. Dates are plain calendar days (YYYY-MM-DD), counted internally
// as days since 1970-01-01 so arithmetic never meets a daylight-saving gap.

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date. */
export function dayNumber(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** The calendar date of a day number, as YYYY-MM-DD. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Parses YYYY-MM-DD into a day number. */
export function parseIsoDay(text: string): number {
  const [y, m, d] = text.split("-").map(Number);
  return dayNumber(y!, m!, d!);
}

function parts(day: number): { y: number; m: number; d: number; weekday: number } {
  const date = new Date(day * DAY_MS);
  // weekday: 1 = Monday … 7 = Sunday (ISO)
  return {
    y: date.getUTCFullYear(),
    m: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    weekday: ((date.getUTCDay() + 6) % 7) + 1,
  };
}

/** The calendar day of `now` in `timeZone` (an IANA zone). */
export function localDay(now: Date, timeZone: string): number {
  const fmt = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const p = Object.fromEntries(fmt.formatToParts(now).map((x) => [x.type, x.value]));
  return dayNumber(Number(p.year), Number(p.month), Number(p.day));
}

function lastDayOfMonth(y: number, m: number): number {
  return dayNumber(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
}

function addMonths(day: number, n: number): number {
  const { y, m, d } = parts(day);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = parts(lastDayOfMonth(ny, nm)).d;
  return dayNumber(ny, nm, Math.min(d, last));
}

/** First day of the quarter (1-4) of year y. */
function quarterStart(y: number, q: number): number {
  return dayNumber(y, (q - 1) * 3 + 1, 1);
}
function quarterEnd(y: number, q: number): number {
  return lastDayOfMonth(y, q * 3);
}
/** The quarter (1-4) of a day. */
export function quarterOf(day: number): number {
  return Math.floor((parts(day).m - 1) / 3) + 1;
}
/** Last day of the quarter that contains `day`. */
export function endOfQuarter(day: number): number {
  return quarterEnd(parts(day).y, quarterOf(day));
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const WEEKDAYS: Record<string, number> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};
const NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  "a couple of": 2,
  "a couple": 2,
  couple: 2,
  "a few": 3,
  few: 3,
  several: 3,
};

const MONTH_RE =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const WEEKDAY_RE =
  "(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|saturday|sunday)";
const COUNT_RE =
  "(\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple(?: of)?|a few|several)";
const ORD = "(?:st|nd|rd|th)?";

/** How sharp a resolved date is: a day, or only a month, quarter, half or year (then the date is its start or end). */
export type DatePrecision = "day" | "week" | "month" | "quarter" | "half" | "year";

/** A date phrase found in a text and the calendar day it means. */
export interface DateMention {
  start: number;
  end: number;
  text: string;
  /** YYYY-MM-DD */
  date: string;
  precision: DatePrecision;
}

interface Rule {
  re: RegExp;
  resolve: (m: RegExpExecArray, today: number) => { day: number; precision: DatePrecision } | null;
}

/** A month/day that has passed this year means next year's. */
function upcoming(today: number, m: number, d: number): number {
  const y = parts(today).y;
  const thisYear = dayNumber(y, m, d);
  return thisYear >= today ? thisYear : dayNumber(y + 1, m, d);
}
function upcomingMonth(today: number, m: number, at: "start" | "mid" | "late" | "end"): number {
  const { y, m: cm } = parts(today);
  const year = m >= cm ? y : y + 1;
  if (at === "start") return dayNumber(year, m, 1);
  if (at === "mid") return dayNumber(year, m, 15);
  if (at === "late") return dayNumber(year, m, 25);
  return lastDayOfMonth(year, m);
}
/** Monday of the ISO week of `day`. */
function mondayOf(day: number): number {
  return day - (parts(day).weekday - 1);
}
function count(word: string): number {
  const w = word.toLowerCase();
  return /^\d+$/.test(w) ? Number(w) : (NUMBERS[w] ?? 1);
}
function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= parts(lastDayOfMonth(y, m)).d;
}

// Ordered: the first rule that matches at a position wins, so longer phrases come first.
const RULES: Rule[] = [
  {
    // 2025-06-03
    re: /\b(20\d\d)-(\d\d)-(\d\d)\b/y,
    resolve: (m) =>
      validDay(+m[1]!, +m[2]!, +m[3]!) ? { day: dayNumber(+m[1]!, +m[2]!, +m[3]!), precision: "day" } : null,
  },
  {
    // (Thursday) 22 May, 3rd June
    re: new RegExp(
      `\\b(?:(?:on|by)\\s+)?(?:${WEEKDAY_RE},?\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH_RE}\\b\\.?`,
      "iy",
    ),
    resolve: (m, today) => {
      const month = MONTHS[m[3]!.toLowerCase()]!;
      const d = +m[2]!;
      return validDay(parts(today).y, month, d) ? { day: upcoming(today, month, d), precision: "day" } : null;
    },
  },
  {
    // (Monday) May 19, June 3rd
    re: new RegExp(
      `\\b(?:(?:on|by)\\s+)?(?:${WEEKDAY_RE},?\\s+)?${MONTH_RE}\\.?\\s+(\\d{1,2})${ORD}\\b(?!\\s*(?:k|%|people|employees))`,
      "iy",
    ),
    resolve: (m, today) => {
      const month = MONTHS[m[2]!.toLowerCase()]!;
      const d = +m[3]!;
      return validDay(parts(today).y, month, d) ? { day: upcoming(today, month, d), precision: "day" } : null;
    },
  },
  {
    // 5/22 (month/day, US order)
    re: /\b(\d{1,2})\/(\d{1,2})\b(?!\/|\s*(?:days|day))/y,
    resolve: (m, today) => {
      const month = +m[1]!;
      const d = +m[2]!;
      return validDay(parts(today).y, month, d) ? { day: upcoming(today, month, d), precision: "day" } : null;
    },
  },
  { re: /\bday after tomorrow\b/iy, resolve: (_m, today) => ({ day: today + 2, precision: "day" }) },
  { re: /\btomorrow\b/iy, resolve: (_m, today) => ({ day: today + 1, precision: "day" }) },
  {
    re: /\b(?:today|tonight|(?:by\s+)?(?:the\s+)?end of (?:the\s+)?day|eod)\b/iy,
    resolve: (_m, today) => ({ day: today, precision: "day" }),
  },
  {
    // end of next week
    re: /\b(?:the\s+)?end of next week\b/iy,
    resolve: (_m, today) => ({ day: mondayOf(today) + 7 + 4, precision: "day" }),
  },
  {
    // end of (the/this) week, EOW
    re: /\b(?:(?:the\s+)?end of (?:the\s+|this\s+)?week|eow)\b/iy,
    resolve: (_m, today) => {
      const friday = mondayOf(today) + 4;
      return { day: friday >= today ? friday : friday + 7, precision: "day" };
    },
  },
  {
    // (early) next week: its Monday
    re: /\b(?:early\s+)?next week\b/iy,
    resolve: (_m, today) => ({ day: mondayOf(today) + 7, precision: "week" }),
  },
  {
    // this week: its Friday (the end of the working week)
    re: /\bthis week\b/iy,
    resolve: (_m, today) => ({ day: Math.max(today, mondayOf(today) + 4), precision: "week" }),
  },
  {
    // next Tuesday: the Tuesday of next week
    re: new RegExp(`\\bnext\\s+${WEEKDAY_RE}\\b`, "iy"),
    resolve: (m, today) => ({
      day: mondayOf(today) + 7 + WEEKDAYS[m[1]!.toLowerCase()]! - 1,
      precision: "day",
    }),
  },
  {
    // (this/on/by/coming) Tuesday: the next one after today
    re: new RegExp(`\\b(?:(?:this|coming|on|by)\\s+)?${WEEKDAY_RE}\\b`, "iy"),
    resolve: (m, today) => {
      const target = WEEKDAYS[m[1]!.toLowerCase()]!;
      const diff = (target - parts(today).weekday + 7) % 7;
      return { day: today + (diff === 0 ? 7 : diff), precision: "day" };
    },
  },
  {
    // in two weeks, within 3 days, in a month, the next 30 days
    re: new RegExp(`\\b(?:in|within|the next|next)\\s+${COUNT_RE}\\s+(day|week|month|year)s?\\b`, "iy"),
    resolve: (m, today) => {
      const n = count(m[1]!);
      const unit = m[2]!.toLowerCase();
      if (unit === "day") return { day: today + n, precision: "day" };
      if (unit === "week") return { day: today + 7 * n, precision: "day" };
      if (unit === "month") return { day: addMonths(today, n), precision: "day" };
      return { day: addMonths(today, 12 * n), precision: "day" };
    },
  },
  {
    // end of next month
    re: /\b(?:the\s+)?end of next month\b/iy,
    resolve: (_m, today) => {
      const { y, m } = parts(addMonths(dayNumber(parts(today).y, parts(today).m, 1), 1));
      return { day: lastDayOfMonth(y, m), precision: "day" };
    },
  },
  {
    // end of (the/this) month, EOM
    re: /\b(?:(?:the\s+)?end of (?:the\s+|this\s+)?month|eom)\b/iy,
    resolve: (_m, today) => ({ day: lastDayOfMonth(parts(today).y, parts(today).m), precision: "day" }),
  },
  {
    // (early) next month: its first day
    re: /\b(?:early\s+)?next month\b/iy,
    resolve: (_m, today) => ({
      day: addMonths(dayNumber(parts(today).y, parts(today).m, 1), 1),
      precision: "month",
    }),
  },
  {
    // this month: its last day
    re: /\bthis month\b/iy,
    resolve: (_m, today) => ({ day: lastDayOfMonth(parts(today).y, parts(today).m), precision: "month" }),
  },
  {
    // end of Q3 (2026), by Q3 end, EOQ, end of (the/this) quarter
    re: /\b(?:(?:the\s+)?end of (?:q([1-4])(?:\s+(20\d\d))?|(?:the\s+|this\s+)?quarter)|q([1-4]) end|eoq)\b/iy,
    resolve: (m, today) => {
      const { y } = parts(today);
      const q = m[1] ?? m[3];
      if (!q) return { day: endOfQuarter(today), precision: "day" };
      let year = m[2] ? +m[2] : y;
      if (!m[2] && quarterEnd(year, +q) < today) year += 1;
      return { day: quarterEnd(year, +q), precision: "day" };
    },
  },
  {
    // end of (the/this) year, EOY, year end
    re: /\b(?:(?:the\s+)?end of (?:the\s+|this\s+)?year|eoy|year[- ]end)\b/iy,
    resolve: (_m, today) => ({ day: dayNumber(parts(today).y, 12, 31), precision: "day" }),
  },
  {
    // end of June, mid-June, early June, late June
    re: new RegExp(`\\b(end of|mid-?|early|late)\\s*${MONTH_RE}\\b`, "iy"),
    resolve: (m, today) => {
      const word = m[1]!.toLowerCase();
      const at = word.startsWith("end")
        ? "end"
        : word.startsWith("mid")
          ? "mid"
          : word === "late"
            ? "late"
            : "start";
      return { day: upcomingMonth(today, MONTHS[m[2]!.toLowerCase()]!, at), precision: "month" };
    },
  },
  {
    // next quarter: its first day
    re: /\bnext quarter\b/iy,
    resolve: (_m, today) => {
      const { y } = parts(today);
      const q = quarterOf(today);
      return { day: q === 4 ? quarterStart(y + 1, 1) : quarterStart(y, q + 1), precision: "quarter" };
    },
  },
  {
    // this quarter: its last day
    re: /\bthis quarter\b/iy,
    resolve: (_m, today) => ({ day: endOfQuarter(today), precision: "quarter" }),
  },
  {
    // Q3, Q1 2026: the quarter's first day
    re: /\bq([1-4])(?:\s+(20\d\d))?\b/iy,
    resolve: (m, today) => {
      const { y } = parts(today);
      let year = m[2] ? +m[2] : y;
      if (!m[2] && quarterEnd(year, +m[1]!) < today) year += 1;
      return { day: quarterStart(year, +m[1]!), precision: "quarter" };
    },
  },
  {
    // H1 / H2
    re: /\bh([12])\b/iy,
    resolve: (m, today) => {
      const { y } = parts(today);
      let year = y;
      const start = dayNumber(year, m[1] === "1" ? 1 : 7, 1);
      if (m[1] === "1" && dayNumber(y, 6, 30) < today) year += 1;
      return { day: year === y ? start : dayNumber(year, 1, 1), precision: "half" };
    },
  },
  {
    // next (fiscal) year, next FY
    re: /\bnext (?:fiscal year|fy|year)\b/iy,
    resolve: (_m, today) => ({ day: dayNumber(parts(today).y + 1, 1, 1), precision: "year" }),
  },
  {
    // later this year / this year: its last day
    re: /\b(?:later )?this year\b/iy,
    resolve: (_m, today) => ({ day: dayNumber(parts(today).y, 12, 31), precision: "year" }),
  },
  {
    // in the fall / autumn
    re: /\b(?:in\s+)?the\s+(?:fall|autumn)\b/iy,
    resolve: (_m, today) => ({ day: upcomingMonth(today, 9, "start"), precision: "month" }),
  },
  {
    // (in) June: the month's first day
    re: new RegExp(`\\b${MONTH_RE}\\b(?!\\s+\\d)`, "iy"),
    resolve: (m, today) => {
      // "may" is usually the verb; only "in May" / "May" capitalised mid-sentence count.
      if (m[1]!.toLowerCase() === "may" && m[1] !== "May") return null;
      return { day: upcomingMonth(today, MONTHS[m[1]!.toLowerCase()]!, "start"), precision: "month" };
    },
  },
  {
    // 2026: that year's first day (only a current or future year)
    re: /\b(20\d\d)\b/y,
    resolve: (m, today) =>
      +m[1]! >= parts(today).y ? { day: dayNumber(+m[1]!, 1, 1), precision: "year" } : null,
  },
];

/** Every date phrase in `text`, left to right, none overlapping, resolved against the calendar day `today`. */
export function findDates(text: string, today: number): DateMention[] {
  const found: DateMention[] = [];
  let i = 0;
  while (i < text.length) {
    // Only try at word starts.
    if (i > 0 && /[A-Za-z0-9]/.test(text[i - 1]!) && /[A-Za-z0-9]/.test(text[i]!)) {
      i++;
      continue;
    }
    // The longest phrase starting here wins ("on Thursday 22 May" over "on Thursday"); ties go to the earlier rule.
    let best: DateMention | undefined;
    for (const rule of RULES) {
      rule.re.lastIndex = i;
      const m = rule.re.exec(text);
      if (!m || (best && m[0].length <= best.text.length)) continue;
      const resolved = rule.resolve(m, today);
      if (!resolved) continue;
      best = {
        start: i,
        end: i + m[0].length,
        text: m[0],
        date: isoDay(resolved.day),
        precision: resolved.precision,
      };
    }
    if (best) {
      found.push(best);
      i = best.end;
    } else i++;
  }
  return found;
}

/** Resolves one date phrase ("next Tuesday", "by end of Q3") to YYYY-MM-DD, or null when it is not one. */
export function resolveDate(phrase: string, now: Date, timeZone: string): string | null {
  const [first] = findDates(phrase, localDay(now, timeZone));
  return first?.date ?? null;
}
