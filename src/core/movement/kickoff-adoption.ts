import { AppError } from "../errors.ts";
import { DAY_MS } from "./measure-movement.ts";

const WEEK_MS = 7 * DAY_MS;

/**
 * Normal form used for matching: lower case, accents removed, every run of characters that are not letters or
 * digits turned into one space, padded with a space on both sides. A phrase matches when its normal form (without
 * the padding) appears between two spaces, so "ROI-led" matches "roi led" but "platform" never matches "platforms".
 */
export function normalizeText(text: string): string {
  const folded = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return ` ${folded} `;
}

/** A kickoff's phrase glossary in matching form. */
export interface Glossary {
  /** The phrases as given (deduplicated by normal form, first spelling kept). */
  phrases: string[];
  /** Normal forms, padded, same order. */
  normalized: string[];
}

/** Compiles a glossary; empty phrases (after normalizing) are refused, duplicates are kept once. */
export function compileGlossary(phrases: readonly string[]): Glossary {
  const seen = new Set<string>();
  const out: Glossary = { phrases: [], normalized: [] };
  for (const phrase of phrases) {
    const n = normalizeText(phrase);
    if (n.trim() === "")
      throw new AppError("validation", `glossary phrase "${phrase}" has no letters or digits`, "phrases");
    if (seen.has(n)) continue;
    seen.add(n);
    out.phrases.push(phrase);
    out.normalized.push(n);
  }
  if (out.phrases.length === 0) throw new AppError("validation", "the glossary has no phrases", "phrases");
  return out;
}

/** Glossary phrases found in a text (as given in the glossary, glossary order). */
export function matchPhrases(text: string, glossary: Glossary): string[] {
  const n = normalizeText(text);
  const found: string[] = [];
  glossary.normalized.forEach((p, i) => {
    if (n.includes(p)) found.push(glossary.phrases[i]!);
  });
  return found;
}

/** True when a note uses the new positioning: at least `minPhrases` distinct glossary phrases (default 1). */
export function usesPositioning(text: string, glossary: Glossary, minPhrases = 1): boolean {
  return matchPhrases(text, glossary).length >= minPhrases;
}

/** A deal note or call summary written by a rep. */
export interface RepNote {
  repId: string;
  at: number;
  text: string;
}

/** One manager observation of a rep: how many checklist items were seen, out of how many. */
export interface RepObservation {
  repId: string;
  at: number;
  checked: number;
  total: number;
}

/** Week boundaries: weeks before end at the event start, weeks after start at the event end. */
export interface AdoptionWindow {
  eventStartMs: number;
  eventEndMs: number;
  weeksBefore: number;
  weeksAfter: number;
  /** Nothing after this instant is used; a week that ends after it is incomplete. */
  asOfMs: number;
}

/** A rep's messaging adoption per week. Shares are null in weeks with nothing to measure. */
export interface RepWeeklyAdoption {
  repId: string;
  /** Week k before the event is index k − 1 (index 0 = the week just before). */
  before: WeekCell[];
  /** Week w after the event is index w − 1. */
  after: WeekCell[];
}

/** Counts and shares of one rep-week. */
export interface WeekCell {
  notes: number;
  notesUsing: number;
  /** notesUsing / notes, null without notes. */
  noteShare: number | null;
  checked: number;
  checklistItems: number;
  /** checked / checklistItems, null without observations. */
  checklistShare: number | null;
  /** The mean of the shares that exist (notes and checklist), null when neither does. */
  adoption: number | null;
  /** False when the week ends after the as-of date. */
  complete: boolean;
}

function emptyCell(complete: boolean): WeekCell {
  return {
    notes: 0,
    notesUsing: 0,
    noteShare: null,
    checked: 0,
    checklistItems: 0,
    checklistShare: null,
    adoption: null,
    complete,
  };
}

function finish(c: WeekCell): void {
  c.noteShare = c.notes > 0 ? c.notesUsing / c.notes : null;
  c.checklistShare = c.checklistItems > 0 ? c.checked / c.checklistItems : null;
  const parts = [c.noteShare, c.checklistShare].filter((v): v is number => v !== null);
  c.adoption = parts.length ? parts.reduce((s, v) => s + v, 0) / parts.length : null;
}

/** Which week a time falls in: { side, index } or null when outside the windows or after the as-of date. */
function weekOf(at: number, w: AdoptionWindow): { side: "before" | "after"; index: number } | null {
  if (!Number.isFinite(at) || at > w.asOfMs) return null;
  if (at < w.eventStartMs) {
    const k = Math.floor((w.eventStartMs - at - 1) / WEEK_MS);
    return k < w.weeksBefore ? { side: "before", index: k } : null;
  }
  if (at >= w.eventEndMs) {
    const k = Math.floor((at - w.eventEndMs) / WEEK_MS);
    return k < w.weeksAfter ? { side: "after", index: k } : null;
  }
  return null; // during the event
}

/**
 * Weekly messaging adoption per rep: the share of their deal notes and call summaries that use the new
 * positioning, and the share of manager checklist items observed, per week before and after the kickoff. Reps are
 * returned in id order; every rep in `repIds` appears even with no notes (all shares null).
 */
export function weeklyAdoption(
  repIds: readonly string[],
  notes: readonly RepNote[],
  observations: readonly RepObservation[],
  glossary: Glossary,
  window: AdoptionWindow,
  options: { minPhrases?: number } = {},
): RepWeeklyAdoption[] {
  const { weeksBefore, weeksAfter } = window;
  if (!Number.isInteger(weeksBefore) || weeksBefore < 0 || !Number.isInteger(weeksAfter) || weeksAfter < 1)
    throw new AppError("validation", "weeksBefore must be ≥ 0 and weeksAfter ≥ 1 (whole weeks)", "weeks");
  if (window.eventEndMs < window.eventStartMs)
    throw new AppError("validation", "the event ends before it starts", "eventEnd");
  const reps = new Map<string, RepWeeklyAdoption>();
  for (const id of [...new Set(repIds)].sort()) {
    reps.set(id, {
      repId: id,
      before: Array.from({ length: weeksBefore }, () => emptyCell(true)),
      after: Array.from({ length: weeksAfter }, (_, k) =>
        emptyCell(window.eventEndMs + (k + 1) * WEEK_MS <= window.asOfMs),
      ),
    });
  }
  const minPhrases = options.minPhrases ?? 1;
  for (const note of notes) {
    const rep = reps.get(note.repId);
    const wk = rep && weekOf(note.at, window);
    if (!rep || !wk) continue;
    const cell = rep[wk.side][wk.index]!;
    cell.notes++;
    if (usesPositioning(note.text, glossary, minPhrases)) cell.notesUsing++;
  }
  for (const o of observations) {
    if (!(o.total > 0) || o.checked < 0 || o.checked > o.total)
      throw new AppError(
        "validation",
        `observation of ${o.repId}: checked must be within 0…total`,
        "checked",
      );
    const rep = reps.get(o.repId);
    const wk = rep && weekOf(o.at, window);
    if (!rep || !wk) continue;
    const cell = rep[wk.side][wk.index]!;
    cell.checked += o.checked;
    cell.checklistItems += o.total;
  }
  for (const rep of reps.values()) for (const c of [...rep.before, ...rep.after]) finish(c);
  return [...reps.values()];
}

/** Pools a rep's cells: shares over the summed counts. */
export function poolCells(cells: readonly WeekCell[]): WeekCell {
  const out = emptyCell(cells.every((c) => c.complete));
  for (const c of cells) {
    out.notes += c.notes;
    out.notesUsing += c.notesUsing;
    out.checked += c.checked;
    out.checklistItems += c.checklistItems;
  }
  finish(out);
  return out;
}

/** An adoption alert: a rep whose adoption over the trailing complete weeks is below the threshold. */
export interface AdoptionAlert {
  repId: string;
  /** Weeks after the event covered (1-based, inclusive). */
  weeks: [number, number];
  adoption: number;
  threshold: number;
  notes: number;
  /** Adoption pooled over all earlier post-event weeks, for context (null when there were none). */
  earlier: number | null;
}

/**
 * Reps whose pooled adoption over the last `trailingWeeks` complete post-event weeks falls below `threshold`,
 * counting only reps with at least `minNotes` notes (or some checklist observation) in those weeks: too little
 * evidence is not an alert.
 */
export function adoptionAlerts(
  reps: readonly RepWeeklyAdoption[],
  options: { threshold: number; trailingWeeks?: number; minNotes?: number },
): AdoptionAlert[] {
  const { threshold } = options;
  const trailing = options.trailingWeeks ?? 2;
  const minNotes = options.minNotes ?? 3;
  if (!(threshold >= 0 && threshold <= 1))
    throw new AppError("validation", `threshold must be within 0…1, got ${threshold}`, "threshold");
  if (!Number.isInteger(trailing) || trailing < 1)
    throw new AppError("validation", "trailingWeeks must be a positive integer", "trailingWeeks");
  const alerts: AdoptionAlert[] = [];
  for (const rep of reps) {
    let last = -1;
    rep.after.forEach((c, i) => {
      if (c.complete) last = i;
    });
    if (last < 0) continue;
    const from = Math.max(0, last - trailing + 1);
    const pooled = poolCells(rep.after.slice(from, last + 1));
    if (pooled.adoption === null) continue;
    if (pooled.notes < minNotes && pooled.checklistItems === 0) continue;
    if (pooled.adoption >= threshold) continue;
    const earlier = from > 0 ? poolCells(rep.after.slice(0, from)).adoption : null;
    alerts.push({
      repId: rep.repId,
      weeks: [from + 1, last + 1],
      adoption: pooled.adoption,
      threshold,
      notes: pooled.notes,
      earlier,
    });
  }
  return alerts;
}
