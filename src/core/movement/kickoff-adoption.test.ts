import { describe, expect, it } from "vitest";
import {
  adoptionAlerts,
  compileGlossary,
  matchPhrases,
  normalizeText,
  poolCells,
  usesPositioning,
  weeklyAdoption,
} from "./kickoff-adoption.ts";
import { DAY_MS } from "./measure-movement.ts";

const glossary = compileGlossary([
  "time to value",
  "ROI-led discovery",
  "Platform consolidation",
  "time-to-value",
]);

describe("glossary matching", () => {
  it("normalizes case, accents and punctuation", () => {
    expect(normalizeText("  Café—ROI-led!  ")).toBe(" cafe roi led ");
  });

  it("keeps one spelling per normal form", () => {
    expect(glossary.phrases).toEqual(["time to value", "ROI-led discovery", "Platform consolidation"]);
  });

  it.each([
    [
      "We ran an roi led discovery; next: platform consolidation.",
      ["ROI-led discovery", "Platform consolidation"],
    ],
    ["Their TIME-TO-VALUE concern", ["time to value"]],
    ["platforms consolidation and time to values", []],
    ["", []],
  ])("finds the phrases in %j", (text, found) => {
    expect(matchPhrases(text, glossary)).toEqual(found);
  });

  it("can ask for more than one phrase per note", () => {
    expect(usesPositioning("time to value", glossary, 2)).toBe(false);
    expect(usesPositioning("time to value via platform consolidation", glossary, 2)).toBe(true);
  });

  it("refuses an empty glossary or a phrase without letters", () => {
    expect(() => compileGlossary([])).toThrow(/no phrases/);
    expect(() => compileGlossary(["--"])).toThrow(/no letters/);
  });
});

describe("weeklyAdoption", () => {
  const start = Date.UTC(2025, 1, 3);
  const end = start + 2 * DAY_MS;
  const window = {
    eventStartMs: start,
    eventEndMs: end,
    weeksBefore: 2,
    weeksAfter: 4,
    asOfMs: end + 21 * DAY_MS,
  };
  const notes = [
    { repId: "r1", at: start - 1, text: "pricing call" }, // week 1 before
    { repId: "r1", at: start - 8 * DAY_MS, text: "time to value" }, // week 2 before
    { repId: "r1", at: start - 15 * DAY_MS, text: "time to value" }, // outside the 2 weeks
    { repId: "r1", at: start + DAY_MS, text: "time to value" }, // during the event: ignored
    { repId: "r1", at: end, text: "ROI-led discovery done" }, // week 1 after
    { repId: "r1", at: end + 6 * DAY_MS, text: "status update" }, // week 1 after
    { repId: "r1", at: end + 7 * DAY_MS, text: "platform consolidation" }, // week 2 after
    { repId: "r2", at: end + 15 * DAY_MS, text: "nothing new" }, // week 3 after
    { repId: "r1", at: end + 22 * DAY_MS, text: "time to value" }, // after the as-of date
    { repId: "zz", at: end, text: "time to value" }, // not a rep we asked for
  ];
  const observations = [
    { repId: "r2", at: end + 16 * DAY_MS, checked: 3, total: 4 },
    { repId: "r1", at: end + 2 * DAY_MS, checked: 1, total: 4 },
  ];
  const reps = weeklyAdoption(["r2", "r1", "r3"], notes, observations, glossary, window);

  it("puts every note and observation in its week", () => {
    expect(reps.map((r) => r.repId)).toEqual(["r1", "r2", "r3"]);
    const r1 = reps[0]!;
    expect(r1.before.map((c) => [c.notes, c.notesUsing])).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(r1.after.map((c) => [c.notes, c.notesUsing])).toEqual([
      [2, 1],
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    // week 1: notes 1/2, checklist 1/4 → adoption mean(0.5, 0.25)
    expect(r1.after[0]!.noteShare).toBe(0.5);
    expect(r1.after[0]!.checklistShare).toBe(0.25);
    expect(r1.after[0]!.adoption).toBe(0.375);
    expect(r1.after[2]!.adoption).toBeNull();
    const r2 = reps[1]!;
    expect(r2.after[2]).toMatchObject({
      notes: 1,
      notesUsing: 0,
      noteShare: 0,
      checklistShare: 0.75,
      adoption: 0.375,
    });
    expect(reps[2]!.after.every((c) => c.adoption === null)).toBe(true);
  });

  it("marks weeks that end after the as-of date incomplete", () => {
    expect(reps[0]!.after.map((c) => c.complete)).toEqual([true, true, true, false]);
  });

  it("pools cells over summed counts", () => {
    const p = poolCells(reps[0]!.after);
    expect([p.notes, p.notesUsing, p.noteShare]).toEqual([3, 2, 2 / 3]);
  });

  it("alerts on reps below the threshold over the trailing complete weeks, with enough evidence", () => {
    const many = weeklyAdoption(
      ["a", "b", "c"],
      [
        ...[0, 1, 2].map((i) => ({ repId: "a", at: end + i * DAY_MS, text: "time to value" })),
        ...[0, 1, 2, 3].map((i) => ({
          repId: "a",
          at: end + 14 * DAY_MS + i,
          text: i === 0 ? "time to value" : "x",
        })),
        ...[0, 1, 2, 3].map((i) => ({ repId: "b", at: end + 15 * DAY_MS + i, text: "time to value" })),
        { repId: "c", at: end + 15 * DAY_MS, text: "x" },
      ],
      [],
      glossary,
      window,
    );
    const alerts = adoptionAlerts(many, { threshold: 0.5, trailingWeeks: 2 });
    expect(alerts).toEqual([
      { repId: "a", weeks: [2, 3], adoption: 0.25, threshold: 0.5, notes: 4, earlier: 1 },
    ]);
  });
});
