import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as db from "../../db/schema/vocabulary.ts";
import { evaluateExtractions, type FieldScore } from "./evaluate-extractor.ts";
import { extractNote } from "./extract-note.ts";
import { buyingRoles, buyingStages, type LeadFields, urgencies } from "./vocabulary.ts";

interface Fixture {
  id: number;
  set: "in_sample" | "blind";
  now: string;
  timeZone: string;
  note: string;
  expected: LeadFields;
}
const fixtures = (
  JSON.parse(readFileSync(new URL("./fixtures/notes.json", import.meta.url), "utf8")) as { notes: Fixture[] }
).notes;

function score(set: Fixture["set"]): FieldScore[] {
  return evaluateExtractions(
    fixtures
      .filter((f) => f.set === set)
      .map((f) => ({
        predicted: extractNote(f.note, { now: new Date(f.now), timeZone: f.timeZone }).fields,
        expected: f.expected,
      })),
  );
}

function print(title: string, scores: FieldScore[]): void {
  const rows = scores.map(
    (s) =>
      `${s.field.padEnd(13)} precision ${s.precision.toFixed(2)}  recall ${s.recall.toFixed(2)}  (${s.truePositives} right of ${s.predicted} proposed, ${s.expected} expected)`,
  );
  console.log(`${title}\n${rows.join("\n")}`);
}

// Floors a little under what was measured (docs/leads.md has the figures); a regression below them fails.
const IN_SAMPLE_FLOOR: Record<string, [number, number]> = {
  problem: [0.95, 0.9],
  useCase: [0.95, 0.95],
  urgency: [0.95, 0.95],
  buyingStage: [0.95, 0.95],
  budget: [0.92, 0.95],
  timeline: [0.9, 0.9],
  stakeholders: [0.95, 0.9],
  nextStep: [0.95, 0.9],
  nextStepDate: [0.95, 0.93],
};
const BLIND_FLOOR: Record<string, [number, number]> = {
  problem: [0.85, 0.5],
  useCase: [0.9, 0.75],
  urgency: [0.8, 0.75],
  buyingStage: [0.85, 0.55],
  budget: [0.95, 0.95],
  timeline: [0.9, 0.9],
  stakeholders: [0.75, 0.5],
  nextStep: [0.95, 0.85],
  nextStepDate: [0.95, 0.75],
};

describe("built-in extractor on the annotated notes", () => {
  it("has at least 50 notes, each with every field annotated", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    for (const f of fixtures) {
      expect(Object.keys(f.expected).sort()).toEqual(
        [
          "budget",
          "buyingStage",
          "nextStep",
          "nextStepDate",
          "problem",
          "stakeholders",
          "timeline",
          "urgency",
          "useCase",
        ].sort(),
      );
    }
  });

  it("keeps precision and recall per field above the floors (in-sample notes 1-84)", () => {
    const scores = score("in_sample");
    print("in-sample notes (lexicon designed with them in view)", scores);
    for (const s of scores) {
      const [p, r] = IN_SAMPLE_FLOOR[s.field]!;
      expect(s.precision, `${s.field} precision`).toBeGreaterThanOrEqual(p);
      expect(s.recall, `${s.field} recall`).toBeGreaterThanOrEqual(r);
    }
  });

  it("keeps precision and recall per field above the floors (blind notes 85-104)", () => {
    const scores = score("blind");
    print("blind notes (written after the extractor was last frozen)", scores);
    for (const s of scores) {
      const [p, r] = BLIND_FLOOR[s.field]!;
      expect(s.precision, `${s.field} precision`).toBeGreaterThanOrEqual(p);
      expect(s.recall, `${s.field} recall`).toBeGreaterThanOrEqual(r);
    }
  });
});

describe("extractNote", () => {
  const ctx = { now: new Date("2025-05-14T19:00:00Z"), timeZone: "America/New_York" };

  it("fills every field of a complete note and says where each came from", () => {
    const note =
      "Problem: forecasting lives in spreadsheets. Wants pipeline forecasting across regions. Urgent. Evaluating us vs Clari. Budget approx $60k. Mark (CRO) is the economic buyer. Next step: demo for Mark next Tuesday.";
    const { fields, evidence, rawNote } = extractNote(note, ctx);
    expect(rawNote).toBe(note);
    expect(fields).toMatchObject({
      problem: "forecasting lives in spreadsheets",
      useCase: "pipeline forecasting across regions",
      urgency: "now",
      buyingStage: "evaluating_vendors",
      budget: "Budget approx $60k",
      stakeholders: [{ name: "Mark", role: "economic_buyer" }],
      nextStep: "demo for Mark",
      nextStepDate: "2025-05-20",
    });
    expect(evidence.nextStepDate).toBe("next Tuesday");
  });

  it("proposes nothing for an empty or content-free note", () => {
    expect(extractNote("", ctx).fields.stakeholders).toEqual([]);
    expect(extractNote("Walked by, took brochure.", ctx).fields).toMatchObject({
      problem: null,
      nextStep: null,
      urgency: null,
    });
  });

  it("never loses or alters the raw note, whatever it contains", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (note) => {
        const out = extractNote(note, ctx);
        expect(out.rawNote).toBe(note);
        for (const v of [out.fields.urgency]) if (v !== null) expect(urgencies).toContain(v);
        if (out.fields.buyingStage !== null) expect(buyingStages).toContain(out.fields.buyingStage);
        for (const s of out.fields.stakeholders) expect(buyingRoles).toContain(s.role);
        if (out.fields.nextStepDate !== null) expect(out.fields.nextStepDate).toMatch(/^\d{4}-\d\d-\d\d$/);
      }),
      { numRuns: 300 },
    );
  });

  it("uses the same vocabularies as the database", () => {
    expect([...urgencies]).toEqual([...db.urgencies]);
    expect([...buyingStages]).toEqual([...db.buyingStages]);
    expect([...buyingRoles]).toEqual([...db.buyingRoles]);
  });
});
