// Small text helpers shared by the extractor, the follow-up citation check and the evaluation.

/** A piece of a note with its offset in the note. */
export interface Span {
  text: string;
  start: number;
}

const ABBREVIATIONS = new Set([
  "dr",
  "mr",
  "mrs",
  "ms",
  "vs",
  "approx",
  "incl",
  "e.g",
  "i.e",
  "st",
  "jr",
  "sr",
  "etc",
]);

/** Splits a note into sentences at . ! ? and line breaks, keeping "Dr. Kim", "vs. X", "$1.2M" and "5/22." whole. */
export function sentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) out.push({ text: trimmed, start: start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") {
      push(i);
      start = i + 1;
      continue;
    }
    if (ch !== "." && ch !== "!" && ch !== "?") continue;
    const next = text[i + 1];
    if (next !== undefined && !/\s/.test(next)) continue;
    if (ch === ".") {
      const word = /([A-Za-z.]+)$/.exec(text.slice(start, i))?.[1]?.toLowerCase();
      if (word && ABBREVIATIONS.has(word)) continue;
    }
    push(i + 1);
    start = i + 1;
  }
  push(text.length);
  return out;
}

/** Splits a sentence into clauses at commas, semicolons, colons and dashes used as separators. */
export function clauses(sentence: Span): Span[] {
  const out: Span[] = [];
  const re = /\s*(?:[,;:]\s+|\s[-–—]\s|\s*[–—]\s*)/g;
  let last = 0;
  for (let m = re.exec(sentence.text); m; m = re.exec(sentence.text)) {
    const piece = sentence.text.slice(last, m.index);
    if (piece.trim()) out.push({ text: piece.trim(), start: sentence.start + last });
    last = m.index + m[0].length;
  }
  const tail = sentence.text.slice(last);
  if (tail.trim()) out.push({ text: tail.trim(), start: sentence.start + last });
  return out;
}

const STOPWORDS = new Set(
  (
    "a an the their they them theirs is are was were be been being of to for with and or in on at by this that " +
    "these those it its his her him he she we us our you your i my me be will would has have had do does did " +
    "from as so but all any some also just then than there here who which what when where why how into about " +
    "up out over via per x w/ not no yet very really rn can could should must need needs want wants"
  ).split(" "),
);

/** Content words of a text: lower case, stop words dropped, a plural "s" trimmed. */
export function contentTokens(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9$%€£]+(?:[.'][a-z0-9]+)*/g) ?? [];
  return words
    .filter((w) => !STOPWORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w));
}

/** Token F1 between two texts over content words (0 when either has none). */
export function tokenF1(a: string, b: string): number {
  const ta = contentTokens(a);
  const tb = contentTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of tb) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of ta) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      overlap++;
      counts.set(t, c - 1);
    }
  }
  if (overlap === 0) return 0;
  const p = overlap / ta.length;
  const r = overlap / tb.length;
  return (2 * p * r) / (p + r);
}

/** Trims a span of trailing punctuation and surrounding blanks. */
export function tidy(text: string): string {
  return text
    .trim()
    .replace(/^[\s,;:–—-]+/, "")
    .replace(/[\s,;:.!–—-]+$/, "")
    .replace(/\s{2,}/g, " ");
}

/** Amounts in a budget text, in units ("$25-40k" -> 25000, 40000). */
export function budgetAmounts(text: string): number[] {
  const out: number[] = [];
  const re = /(\d[\d,]*(?:\.\d+)?)(?:\s?-\s?(\d[\d,]*(?:\.\d+)?))?\s?(k|m|mm|million|thousand)?\b/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const unit = (m[3] ?? "").toLowerCase();
    const mult = unit === "k" || unit === "thousand" ? 1e3 : unit ? 1e6 : 1;
    for (const raw of [m[1], m[2]]) {
      if (!raw) continue;
      const n = Number(raw.replace(/,/g, "")) * mult;
      if (n >= 100) out.push(n);
    }
  }
  return out.sort((a, b) => a - b);
}
