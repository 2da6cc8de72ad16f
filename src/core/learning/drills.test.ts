import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DrillRating,
  drillCards,
  drillRating,
  dueCards,
  newDrillCard,
  scheduleReview,
  startOfUtcDay,
} from "./drills.ts";

const DAY = 86_400_000;
const now = new Date("2025-01-01T09:00:00Z");

describe("reinforcement drills", () => {
  it("makes one card per learner × objective, due today", () => {
    const cards = drillCards(["B", "A", "A"], ["o2", "o1"], now);
    expect(cards.map((c) => `${c.learnerId}:${c.objectiveId}`)).toEqual(["A:o1", "A:o2", "B:o1", "B:o2"]);
    expect(cards[0]?.fsrs.due.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("schedules in whole days, never minutes", () => {
    const card = newDrillCard("A", "o1", now);
    // FSRS-6 default weights, short-term steps off: a first "good" is due in 3 days, "again" the next day.
    const good = scheduleReview(card, "good", now);
    expect(good.fsrs.due.toISOString()).toBe("2025-01-04T00:00:00.000Z");
    expect(good.fsrs.scheduled_days).toBe(3);
    const again = scheduleReview(card, "again", now);
    expect(again.fsrs.due.toISOString()).toBe("2025-01-02T00:00:00.000Z");
    // A second "good" on the due day pushes the card further out.
    const second = scheduleReview(good, "good", new Date("2025-01-04T10:00:00Z"));
    expect(second.fsrs.due.getTime()).toBeGreaterThan(good.fsrs.due.getTime() + 3 * DAY);
  });

  it("does not change the card it is given", () => {
    const card = newDrillCard("A", "o1", now);
    const before = JSON.stringify(card);
    scheduleReview(card, "easy", now);
    expect(JSON.stringify(card)).toBe(before);
  });

  it("always moves the due date to a later whole day, whatever the ratings", () => {
    const rating = fc.constantFrom<DrillRating>("again", "hard", "good", "easy");
    fc.assert(
      fc.property(fc.array(fc.tuple(rating, fc.integer({ min: 0, max: 20 })), { maxLength: 12 }), (steps) => {
        let card = newDrillCard("A", "o1", now);
        let t = now.getTime();
        for (const [r, lateDays] of steps) {
          // Review on (or some days after) the due day, at 15:00 UTC.
          t = Math.max(t, card.fsrs.due.getTime()) + lateDays * DAY + 15 * 3_600_000;
          card = scheduleReview(card, r, new Date(t));
          const due = card.fsrs.due.getTime();
          if (due % DAY !== 0) return false;
          if (due < startOfUtcDay(new Date(t)).getTime() + DAY) return false;
        }
        return true;
      }),
      { numRuns: 100 },
    );
  });

  it("lists due cards soonest first", () => {
    const a = newDrillCard("A", "o1", now);
    const b = scheduleReview(newDrillCard("B", "o1", now), "good", now); // due 2025-01-04
    const c = newDrillCard("C", "o1", new Date("2024-12-30T12:00:00Z"));
    expect(dueCards([a, b, c], now).map((x) => x.learnerId)).toEqual(["C", "A"]);
    expect(dueCards([a, b, c], new Date("2025-01-04T00:00:00Z")).map((x) => x.learnerId)).toEqual([
      "C",
      "A",
      "B",
    ]);
    expect(dueCards([], now)).toEqual([]);
  });

  it("rates a drill answer from correctness and confidence", () => {
    expect(drillRating(false, 4)).toBe("again");
    expect(drillRating(true, 1)).toBe("hard");
    expect(drillRating(true, 2)).toBe("hard");
    expect(drillRating(true, 3)).toBe("good");
    expect(drillRating(true, 4)).toBe("easy");
    expect(drillRating(true)).toBe("good");
  });
});
