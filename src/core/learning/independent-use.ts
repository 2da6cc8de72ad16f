import { byString, mean, median, ratio } from "./stats.ts";

/** A learner trained on a product feature; `trainedAt` is when that training ended. */
export interface TrainingExposure {
  learnerId: string;
  featureId: string;
  trainedAt: Date;
}

/** A span the learner spent in a guided session: usage inside it is guided, not independent. */
export interface GuidedWindow {
  learnerId: string;
  start: Date;
  end: Date;
}

export interface UsageEvent {
  learnerId: string;
  featureId: string;
  at: Date;
}

const DAY_MS = 86_400_000;

/** Default horizons (days after training) at which independent use is reported. */
export const INDEPENDENT_USE_HORIZONS: readonly number[] = [30, 60, 90];

interface Pair {
  learnerId: string;
  featureId: string;
  trainedAt: Date;
  /** Independent uses after training, ascending. */
  uses: number[];
}

/** Trained learner × feature pairs (earliest training wins) with their independent uses after training. */
function independentPairs(
  exposures: readonly TrainingExposure[],
  usage: readonly UsageEvent[],
  guided: readonly GuidedWindow[],
): Pair[] {
  const key = (l: string, f: string) => JSON.stringify([l, f]);
  const pairs = new Map<string, Pair>();
  for (const e of exposures) {
    const k = key(e.learnerId, e.featureId);
    const prev = pairs.get(k);
    if (!prev || e.trainedAt.getTime() < prev.trainedAt.getTime()) {
      pairs.set(k, { learnerId: e.learnerId, featureId: e.featureId, trainedAt: e.trainedAt, uses: [] });
    }
  }
  const windows = new Map<string, GuidedWindow[]>();
  for (const w of guided) windows.set(w.learnerId, [...(windows.get(w.learnerId) ?? []), w]);
  for (const u of usage) {
    const p = pairs.get(key(u.learnerId, u.featureId));
    const t = u.at.getTime();
    if (!p || t <= p.trainedAt.getTime()) continue;
    const inSession = (windows.get(u.learnerId) ?? []).some(
      (w) => t >= w.start.getTime() && t <= w.end.getTime(),
    );
    if (!inSession) p.uses.push(t);
  }
  const out = [...pairs.values()];
  for (const p of out) p.uses.sort((a, b) => a - b);
  return out.sort((a, b) => byString(a.learnerId, b.learnerId) || byString(a.featureId, b.featureId));
}

export interface FirstIndependentUse {
  learnerId: string;
  featureId: string;
  trainedAt: Date;
  firstUseAt: Date | null;
  /** Days from the end of training to the first independent use; null when there was none yet. */
  days: number | null;
}

export interface TimeToFirstIndependentUse {
  rows: FirstIndependentUse[];
  trained: number;
  used: number;
  /** Among pairs with a first use only; read it beside `used / trained`. */
  medianDays: number | null;
  meanDays: number | null;
}

/** Time from training to the first use of the trained feature outside any guided session. */
export function timeToFirstIndependentUse(
  exposures: readonly TrainingExposure[],
  usage: readonly UsageEvent[],
  guided: readonly GuidedWindow[] = [],
): TimeToFirstIndependentUse {
  const rows = independentPairs(exposures, usage, guided).map((p): FirstIndependentUse => {
    const first = p.uses[0];
    return {
      learnerId: p.learnerId,
      featureId: p.featureId,
      trainedAt: p.trainedAt,
      firstUseAt: first === undefined ? null : new Date(first),
      days: first === undefined ? null : (first - p.trainedAt.getTime()) / DAY_MS,
    };
  });
  const days = rows.flatMap((r) => (r.days === null ? [] : [r.days]));
  return { rows, trained: rows.length, used: days.length, medianDays: median(days), meanDays: mean(days) };
}

export interface IndependentUseAtHorizon {
  horizonDays: number;
  /** Trained pairs whose horizon has passed by `now`: only they can be judged at this horizon. */
  eligible: number;
  /** Eligible pairs with an independent use within `horizonDays` of training. */
  usedBy: number;
  usedByShare: number | null;
  /** Eligible pairs with an independent use in the window since the previous horizon (0 for the first). */
  activeInWindow: number;
  activeShare: number | null;
}

/**
 * Share of trained learner × feature pairs using the feature on their own by each horizon (cumulative) and in
 * the window since the previous horizon (still using it). Pairs whose horizon is after `now` are left out.
 */
export function independentUseShare(
  exposures: readonly TrainingExposure[],
  usage: readonly UsageEvent[],
  guided: readonly GuidedWindow[],
  now: Date,
  horizons: readonly number[] = INDEPENDENT_USE_HORIZONS,
): IndependentUseAtHorizon[] {
  const pairs = independentPairs(exposures, usage, guided);
  const hs = [...new Set(horizons.filter((h) => h > 0))].sort((a, b) => a - b);
  return hs.map((h, i) => {
    const from = i === 0 ? 0 : (hs[i - 1] ?? 0);
    let eligible = 0;
    let usedBy = 0;
    let active = 0;
    for (const p of pairs) {
      const t0 = p.trainedAt.getTime();
      if (t0 + h * DAY_MS > now.getTime()) continue;
      eligible += 1;
      if (p.uses.some((t) => t <= t0 + h * DAY_MS)) usedBy += 1;
      if (p.uses.some((t) => t > t0 + from * DAY_MS && t <= t0 + h * DAY_MS)) active += 1;
    }
    return {
      horizonDays: h,
      eligible,
      usedBy,
      usedByShare: ratio(usedBy, eligible),
      activeInWindow: active,
      activeShare: ratio(active, eligible),
    };
  });
}
