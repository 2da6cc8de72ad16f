// Precision and recall of an extractor per field, against notes annotated by hand.

import { budgetAmounts, contentTokens, tokenF1 } from "./text.ts";
import { type LeadFieldName, type LeadFields, leadFieldNames, type Stakeholder } from "./vocabulary.ts";

/** Counts behind one field's precision and recall. */
export interface FieldScore {
  field: LeadFieldName;
  /** Predicted and correct. */
  truePositives: number;
  /** Predicted (non-empty). */
  predicted: number;
  /** Expected (non-empty). */
  expected: number;
  /** truePositives / predicted (1 when nothing was predicted). */
  precision: number;
  /** truePositives / expected (1 when nothing was expected). */
  recall: number;
}

/** Minimum content-word F1 for a free-text field to count as the same span. */
export const TEXT_MATCH_F1 = 0.5;

const TEXT_FIELDS = new Set<LeadFieldName>(["problem", "useCase", "timeline", "nextStep"]);

function sameBudget(a: string, b: string): boolean {
  const x = budgetAmounts(a);
  const y = budgetAmounts(b);
  if (x.length > 0 && y.length > 0)
    return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]!) < 1);
  if (x.length === 0 && y.length === 0) return tokenF1(a, b) >= TEXT_MATCH_F1;
  return false;
}

function sameName(a: string, b: string): boolean {
  const ta = new Set(contentTokens(a.replace(/\bdr\.?\s*/i, "")));
  return contentTokens(b.replace(/\bdr\.?\s*/i, "")).some((t) => ta.has(t));
}

/** Stakeholders match on role and on a shared name word (case-insensitive). */
export function matchStakeholders(predicted: Stakeholder[], expected: Stakeholder[]): number {
  const used = new Set<number>();
  let hits = 0;
  for (const p of predicted) {
    const i = expected.findIndex((e, k) => !used.has(k) && e.role === p.role && sameName(p.name, e.name));
    if (i >= 0) {
      used.add(i);
      hits++;
    }
  }
  return hits;
}

/** Whether one predicted field value counts as the expected one. */
export function fieldMatches(field: LeadFieldName, predicted: unknown, expected: unknown): boolean {
  if (predicted === null || expected === null) return false;
  if (field === "budget") return sameBudget(String(predicted), String(expected));
  if (TEXT_FIELDS.has(field)) return tokenF1(String(predicted), String(expected)) >= TEXT_MATCH_F1;
  return predicted === expected;
}

/** Scores predictions against annotations, field by field. Stakeholders count per person, other fields per note. */
export function evaluateExtractions(pairs: { predicted: LeadFields; expected: LeadFields }[]): FieldScore[] {
  return leadFieldNames.map((field) => {
    let tp = 0;
    let predicted = 0;
    let expected = 0;
    for (const pair of pairs) {
      if (field === "stakeholders") {
        predicted += pair.predicted.stakeholders.length;
        expected += pair.expected.stakeholders.length;
        tp += matchStakeholders(pair.predicted.stakeholders, pair.expected.stakeholders);
        continue;
      }
      const p = pair.predicted[field];
      const e = pair.expected[field];
      if (p !== null && p !== "") predicted++;
      if (e !== null && e !== "") expected++;
      if (fieldMatches(field, p, e)) tp++;
    }
    return {
      field,
      truePositives: tp,
      predicted,
      expected,
      precision: predicted === 0 ? 1 : tp / predicted,
      recall: expected === 0 ? 1 : tp / expected,
    };
  });
}
