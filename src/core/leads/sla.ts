import type { Tier } from "./vocabulary.ts";

/** Hours allowed between capture and the first follow-up, per tier. */
export type SlaHours = Record<Tier, number>;

/** A within 24 h, B within 48 h, C within 5 days. */
export const DEFAULT_SLA_HOURS: SlaHours = { A: 24, B: 48, C: 120 };

/** When the first follow-up of a lead is due: capture time plus its tier's hours (calendar hours). */
export function slaDueAt(capturedAt: Date, tier: Tier, hours: SlaHours = DEFAULT_SLA_HOURS): Date {
  return new Date(capturedAt.getTime() + hours[tier] * 3_600_000);
}

/** Parses "A=24,B=48,C=120" (any subset) over the defaults; throws on anything else. */
export function parseSlaHours(text: string, base: SlaHours = DEFAULT_SLA_HOURS): SlaHours {
  const out = { ...base };
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([ABC])\s*=\s*(\d+(?:\.\d+)?)$/i.exec(part);
    if (!m || Number(m[2]) <= 0) throw new Error(`SLA hours must look like A=24,B=48,C=120; got "${part}"`);
    out[m[1]!.toUpperCase() as Tier] = Number(m[2]);
  }
  return out;
}
