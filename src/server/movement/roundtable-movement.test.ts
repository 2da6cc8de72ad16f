import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { eventAccelerationValue } from "./acceleration.ts";
import { roundtableMovement } from "./roundtable-movement.ts";
import { roundtablePortfolio } from "./roundtable-portfolio.ts";
import { DAY, uid, World } from "./test-world.ts";

// Worked example (docs/movement.md): three attending opportunities, each with one exact twin among the controls.
const T0 = new Date("2025-03-01T18:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const asOf = at(120);

const acc = (n: number) => uid(1, n);
const per = (n: number) => uid(2, n);
const opp = (n: number) => uid(3, n);
const EVENT = uid(9, 1);
const OWNER = uid(8, 1);

let db: Database;
let orgId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  const w = new World(db, orgId);
  await w.user(OWNER, "rep");
  await w.event(EVENT, "executive_roundtable", T0);
  for (const n of [1, 2, 5, 11, 12, 13, 14]) await w.account(acc(n), n === 14 ? "mid" : "enterprise", OWNER);
  for (const n of [3, 4]) await w.account(acc(n), "mid", OWNER);
  // A1: economic buyer attends (door check-in); its deal moves on day 10.
  await w.person(per(11), { accountId: acc(1), role: "economic_buyer" });
  await w.person(per(12), { accountId: acc(1), role: "champion" });
  await w.attend(EVENT, per(11), T0, "checkin");
  await w.opportunity(
    opp(1),
    acc(1),
    [
      ["prospecting", at(-60)],
      ["discovery", at(-20)],
      ["evaluation", at(10)],
    ],
    { amountMinor: 10_000_000 },
  );
  // A2: only the attendee engages afterwards; the deal never moves.
  await w.person(per(21), { accountId: acc(2), role: "champion" });
  await w.person(per(22), { accountId: acc(2), role: "technical_evaluator" });
  await w.attend(EVENT, per(21), T0);
  await w.opportunity(opp(2), acc(2), [["discovery", at(-40)]], { amountMinor: 5_000_000 });
  await w.touch({ at: at(5), channel: "email", personId: per(21) });
  await w.touch({ at: at(1), channel: "conversation", personId: per(22), eventId: EVENT }); // the room itself
  // A3: an opportunity with no stage history (unmeasurable); A4: no opportunity.
  await w.person(per(31), { accountId: acc(3), role: "user" });
  await w.attend(EVENT, per(31), T0);
  await w.opportunity(opp(3), acc(3), []);
  await w.person(per(41), { accountId: acc(4), role: "other" });
  await w.attend(EVENT, per(41), T0);
  // A5: silent for two weeks, a meeting with a new technical evaluator on day 20, a stage change on day 45.
  await w.person(per(51), { accountId: acc(5), role: "executive_sponsor" });
  await w.person(per(52), { accountId: acc(5), role: "operational_leader" });
  await w.person(per(53), { accountId: acc(5), role: "technical_evaluator" });
  await w.attend(EVENT, per(51), T0);
  await w.touch({ at: at(-30), channel: "email", personId: per(52) });
  await w.touch({ at: at(20), channel: "meeting", personId: per(53), accountId: acc(5) });
  await w.opportunity(
    opp(5),
    acc(5),
    [
      ["discovery", at(-30)],
      ["proposal", at(45)],
    ],
    { amountMinor: 20_000_000 },
  );
  // Controls: exact twins of O1, O2, O5 (segment, stage, amount, age), plus ones that cannot be used.
  await w.opportunity(
    opp(11),
    acc(11),
    [
      ["prospecting", at(-60)],
      ["discovery", at(-20)],
      ["evaluation", at(30)],
    ],
    { amountMinor: 10_000_000 },
  );
  await w.opportunity(
    opp(12),
    acc(12),
    [
      ["discovery", at(-40)],
      ["evaluation", at(20)],
    ],
    { amountMinor: 5_000_000 },
  );
  await w.opportunity(opp(13), acc(13), [["discovery", at(-30)]], { amountMinor: 20_000_000 });
  await w.opportunity(opp(14), acc(14), [["discovery", at(-30)]], { amountMinor: 20_000_000 }); // other segment
  // A16 attended another roundtable: its deal is no control (its own lift would leak in).
  await w.account(acc(16), "enterprise", OWNER);
  await w.person(per(161), { accountId: acc(16) });
  await w.event(uid(9, 99), "executive_roundtable", at(-7));
  await w.attend(uid(9, 99), per(161), at(-7), "checkin");
  await w.opportunity(opp(16), acc(16), [["discovery", at(-30)]], { amountMinor: 20_000_000 });
  await w.opportunity(opp(15), acc(13), [
    ["discovery", at(-90)],
    ["closed_lost", at(-10)],
  ]); // closed before
});

afterAll(async () => {
  await db.close();
});

describe("roundtable movement (worked example)", () => {
  it("compares time to next stage with each attending deal's matched twin", async () => {
    const r = await roundtableMovement(db, orgId, EVENT, { asOf, resamples: 500, seed: 7 });
    expect(r.indicators).toEqual({ attendees: 5, attendingAccounts: 5, attendingOpportunities: 4 });
    const v = r.outcomes.velocity;
    if (v.status !== "compared") throw new Error(v.message);
    expect(v.match.matched).toBe(3);
    expect(r.accounts.find((a) => a.accountId === acc(1))!.opportunities[0]!.controlIds).toEqual([opp(11)]);
    expect(r.accounts.find((a) => a.accountId === acc(2))!.opportunities[0]!.controlIds).toEqual([opp(12)]);
    expect(r.accounts.find((a) => a.accountId === acc(5))!.opportunities[0]!.controlIds).toEqual([opp(13)]);
    // Treated: moved on days 10 and 45, one censored at 120 → median 45. Controls: 20, 30, censored → 30.
    expect(v.survival.treated.median).toBe(45);
    expect(v.survival.control.median).toBe(30);
    expect(v.survival.medianDifference.estimate).toBe(15);
    const p = v.survival.probabilityByDifference.map((d) => d.estimate);
    expect(p[0]).toBeCloseTo(1 / 3, 12);
    expect(p[1]).toBeCloseTo(-1 / 3, 12);
    expect(p[2]).toBeCloseTo(0, 12);
    expect(p[3]).toBeCloseTo(0, 12);
    for (const d of v.survival.probabilityByDifference) {
      expect(d.ci![0]).toBeLessThanOrEqual(d.estimate!);
      expect(d.ci![1]).toBeGreaterThanOrEqual(d.estimate!);
    }
  });

  it("reports days saved within 90 days and the acceleration value ROI uses", async () => {
    const r = await roundtableMovement(db, orgId, EVENT, { asOf, resamples: 300 });
    // Restricted mean time to next stage up to day 90: attendees 10 + ⅔·35 + ⅓·45 = 48⅓; controls 20 + ⅔·10 + ⅓·60 = 46⅔.
    const d = r.outcomes.daysSaved;
    expect(d.treatedMean).toBeCloseTo(145 / 3, 12);
    expect(d.controlMean).toBeCloseTo(140 / 3, 12);
    expect(d.estimate).toBeCloseTo(-5 / 3, 12);
    expect(d.sets).toBe(3);
    // Velocity lift among deals that moved within 60 days: 1 − mean(10, 45) / mean(30, 20) = 1 − 27.5/25 = −0.1.
    expect(r.outcomes.velocityLift.estimate).toBeCloseTo(-0.1, 12);
    expect([r.outcomes.velocityLift.treatedMovers, r.outcomes.velocityLift.controlMovers]).toEqual([2, 2]);
    expect(d.ci![0]).toBeLessThanOrEqual(d.estimate!);
    expect(d.ci![1]).toBeGreaterThanOrEqual(d.estimate!);
    const value = await eventAccelerationValue(db, orgId, EVENT, { asOf, resamples: 300 });
    // Default daily value: mean of amount × 0.2 (discovery) / 365 over 10M, 5M, 20M minor → 7,000,000/365 for the three.
    expect(value.deals).toBe(3);
    expect(value.dailyValueMinor).toBeCloseTo(7_000_000 / 3 / 365, 9);
    expect(value.valueMinor).toBeCloseTo((-5 / 3) * (7_000_000 / 365), 6);
    expect(value.dailyValueBasis).toBe("weighted_amount_per_day");
    const given = await eventAccelerationValue(db, orgId, EVENT, {
      asOf,
      resamples: 300,
      dailyValueMinor: 1000,
    });
    expect(given.valueMinor).toBeCloseTo(-5000, 6);
    expect(given.dailyValueBasis).toBe("given");
  });

  it("flags stalls per horizon and names the missing link", async () => {
    const r = await roundtableMovement(db, orgId, EVENT, { asOf, resamples: 200 });
    const stall = (n: number) =>
      r.accounts
        .find((a) => a.accountId === acc(n))!
        .stall.map((s) => [s.days, s.status, "missingLink" in s ? s.missingLink : null]);
    expect(stall(1)).toEqual([
      [14, "moved", null],
      [30, "moved", null],
      [60, "moved", null],
    ]);
    expect(stall(2)).toEqual([
      [14, "stalled", "not_shared_internally"],
      [30, "stalled", "not_shared_internally"],
      [60, "stalled", "not_shared_internally"],
    ]);
    expect(stall(5)).toEqual([
      [14, "stalled", "insight_stays_individual"],
      [30, "stalled", "no_urgency"],
      [60, "moved", null],
    ]);
    expect(stall(3).map((s) => s[1])).toEqual(["not_applicable", "not_applicable", "not_applicable"]);
    expect(r.outcomes.stallShare.map((s) => [s.days, s.stalled, s.moved, s.notApplicable, s.share])).toEqual([
      [14, 2, 1, 2, 2 / 3],
      [30, 2, 1, 2, 2 / 3],
      [60, 1, 2, 2, 1 / 3],
    ]);
    expect(r.outcomes.opportunityStallShare.map((s) => s.share)).toEqual([2 / 3, 2 / 3, 1 / 3]);
    expect(r.outcomes.missingLinks).toEqual([
      { days: 14, counts: { not_shared_internally: 1, insight_stays_individual: 1 } },
      { days: 30, counts: { not_shared_internally: 1, no_urgency: 1 } },
      { days: 60, counts: { not_shared_internally: 1 } },
    ]);
    // Wilson 95% interval of 2/3: [0.2077, 0.9385]
    expect(r.outcomes.stallShare[0]!.ci![0]).toBeCloseTo(0.2077, 4);
    expect(r.outcomes.stallShare[0]!.ci![1]).toBeCloseTo(0.9385, 4);
  });

  it("measures activation and buying-committee coverage before and after", async () => {
    const r = await roundtableMovement(db, orgId, EVENT, { asOf, resamples: 200 });
    const a5 = r.accounts.find((a) => a.accountId === acc(5))!;
    expect(a5.activation.find((x) => x.days === 30)).toEqual({
      days: 30,
      complete: true,
      attendees: 1,
      attendeesEngaged: 0,
      othersEngaged: 1,
      newStakeholders: 1,
      meetings: 1,
      stageChanges: 0,
    });
    expect(a5.coverage.coveredBefore).toBe(1);
    expect(a5.coverage.coveredAfter).toBe(2);
    expect(a5.coverage.gained).toEqual(["technical_evaluator", "executive_sponsor"]);
    expect(a5.coverage.lost).toEqual(["operational_leader"]);
    expect(r.outcomes.coverage).toEqual({
      accounts: 3,
      meanRolesBefore: 1 / 3,
      meanRolesAfter: 4 / 3,
      gained: 3,
    });
  });

  it("lists the unmeasurable deal and the account without any", async () => {
    const r = await roundtableMovement(db, orgId, EVENT, { asOf, resamples: 200 });
    expect(r.unmeasurable).toEqual([
      { opportunityId: opp(3), accountId: acc(3), reason: "no_stage_history" },
    ]);
    expect(r.accountsWithoutOpportunities).toEqual([acc(4)]);
    expect(r.accounts.find((a) => a.accountId === acc(3))!.opportunities[0]!.unmeasurable).toBe(
      "no_stage_history",
    );
  });

  it("pools every roundtable, each attending deal matched at its own event date", async () => {
    const r = await roundtablePortfolio(db, orgId, { asOf, resamples: 300, k: 1, replacement: false });
    // The other roundtable (day −7): O16 is matched to its exact twin O13 there; neither ever moves.
    expect(r.events.map((e) => [e.id, e.matched])).toEqual([
      [uid(9, 99), 1],
      [EVENT, 3],
    ]);
    expect(r.velocityLift.estimate).toBeCloseTo(-0.1, 12);
    // Stalled at 60 days: O2 and O16 of O1, O2, O5, O16.
    expect(r.stallShare.at(-1)).toMatchObject({ days: 60, stalled: 2, moved: 2, share: 0.5 });
  });

  it("says so, with the counts, when there are too few controls", async () => {
    const r = await roundtableMovement(db, orgId, EVENT, { asOf, k: 4, resamples: 200 });
    const v = r.outcomes.velocity;
    expect(v.status).toBe("insufficient_controls");
    if (v.status !== "insufficient_controls") return;
    expect(v.message).toMatch(
      /^insufficient controls: 0 of 3 treated units found 4 controls .*4 eligible controls available/,
    );
    expect(v.match.treated).toBe(3);
    expect(v.control.total).toBe(4); // O11–O14; not the closed O15, not O16 of an account at another roundtable
  });

  it("refuses an as-of date before the event, and another organization's event is not found", async () => {
    await expect(roundtableMovement(db, orgId, EVENT, { asOf: at(-1) })).rejects.toThrow(
      /before the event starts/,
    );
    const other = await createTestOrg(db);
    await expect(roundtableMovement(db, other, EVENT, { asOf })).rejects.toThrow(/not found/);
  });
});
