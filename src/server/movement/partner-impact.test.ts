import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { registrations as registrationsTable } from "../../db/schema/index.ts";
import { MONTH_MS, partnerImpact } from "./partner-impact.ts";
import { DAY, uid, World } from "./test-world.ts";

// Worked example (docs/movement.md): two attending partners, two that stayed away, 2 months before and after.
const T0 = new Date("2025-06-01T09:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const asOf = new Date(T0.getTime() + 3 * MONTH_MS);
const EVENT = uid(9, 2);
const P = (n: number) => uid(4, n);
const ACC = uid(1, 100);

// Registrations per month: [before month 2, before month 1] and [after month 1, after month 2].
const counts: Record<number, { before: [number, number]; after: [number, number] }> = {
  1: { before: [1, 1], after: [3, 2] },
  2: { before: [0, 2], after: [2, 2] },
  3: { before: [1, 1], after: [1, 2] },
  4: { before: [2, 0], after: [1, 0] },
};

let db: Database;
let orgId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  const w = new World(db, orgId);
  await w.event(EVENT, "partner_event", T0);
  await w.account(ACC, "enterprise");
  for (const n of [1, 2, 3, 4]) await w.partner(P(n));
  await w.person(uid(2, 1), { partnerId: P(1) });
  await w.attend(EVENT, uid(2, 1), T0);
  await w.person(uid(2, 2), { partnerId: P(2) });
  await w.attend(EVENT, uid(2, 2), T0, "checkin");
  await w.person(uid(2, 3), { partnerId: P(3) }); // registered, did not come
  await w.partner(P(5)); // at another partner event: no control
  await w.person(uid(2, 5), { partnerId: P(5) });
  await w.event(uid(9, 98), "partner_event", at(-20));
  await w.attend(uid(9, 98), uid(2, 5), at(-20), "checkin");
  await w.registration(P(5), at(10));
  await db.owner.insert(registrationsTable).values({
    orgId,
    eventId: EVENT,
    personId: uid(2, 3),
    status: "registered",
    source: "test",
    attended: false,
  });
  for (const [n, c] of Object.entries(counts)) {
    const partner = P(Number(n));
    // Month index k before: registrations spread evenly inside [T0 − (k+1)·M, T0 − k·M).
    for (const [k, count] of c.before.entries())
      for (let j = 0; j < count; j++)
        await w.registration(partner, new Date(T0.getTime() - (k + (j + 1) / (count + 1)) * MONTH_MS));
    for (const [k, count] of c.after.entries())
      for (let j = 0; j < count; j++)
        await w.registration(partner, new Date(T0.getTime() + (k + (j + 1) / (count + 1)) * MONTH_MS));
  }
  // Deals through partner 1: two closed before the event, two after, one open; one direct deal.
  const deal = (n: number, h: [string, Date][], f: Parameters<World["opportunity"]>[3]) =>
    w.opportunity(uid(3, n), ACC, h, f);
  await deal(
    1,
    [
      ["discovery", at(-100)],
      ["closed_won", at(-40)],
    ],
    { partnerId: P(1), source: "partner_influenced", discountPct: 10 },
  );
  await deal(
    2,
    [
      ["discovery", at(-90)],
      ["closed_lost", at(-30)],
    ],
    { partnerId: P(1), source: "partner_influenced" },
  );
  await deal(
    3,
    [
      ["discovery", at(-20)],
      ["closed_won", at(25)],
    ],
    { partnerId: P(1), source: "partner_sourced", discountPct: 5, amountMinor: 2_000_000 },
  );
  await deal(
    4,
    [
      ["discovery", at(5)],
      ["closed_won", at(45)],
    ],
    { partnerId: P(1), source: "partner_sourced", discountPct: 15, amountMinor: 3_000_000 },
  );
  await deal(5, [["discovery", at(40)]], {
    partnerId: P(1),
    source: "partner_sourced",
    amountMinor: 4_000_000,
  });
  await deal(
    6,
    [
      ["discovery", at(-50)],
      ["closed_won", at(-20)],
    ],
    { source: "direct" },
  );
});

afterAll(async () => {
  await db.close();
});

describe("partner event impact (worked example)", () => {
  it("estimates the registration lift by difference-in-differences with partner-clustered errors", async () => {
    const r = await partnerImpact(db, orgId, EVENT, {
      asOf,
      monthsBefore: 2,
      monthsAfter: 2,
      resamples: 500,
    });
    expect(r.indicators).toEqual({
      attendingPartners: 2,
      partnerAttendees: 2,
      partners: 4,
      excludedControls: 1,
    });
    expect(r.months).toEqual({ before: 2, after: 2, monthDays: 30 });
    const p1 = r.partners.find((p) => p.partnerId === P(1))!;
    expect([p1.registrationsBefore, p1.registrationsAfter]).toEqual([
      [1, 1],
      [3, 2],
    ]);
    const d = r.outcomes.registrations;
    if (d.status !== "estimated") throw new Error(d.message);
    // cells: treated 1 → 2.25, controls 1 → 1; DiD 1.25. CR1: 4/3·15/12·Σ(0.125², 0.125², 0.25², 0.25²) = 0.2604
    expect(d.estimate).toBeCloseTo(1.25, 12);
    expect(d.stdError).toBeCloseTo(Math.sqrt((5 / 3) * 0.15625), 12);
    expect(d.df).toBe(3);
    expect(d.ci[0]).toBeCloseTo(-0.374035, 5);
    expect(d.ci[1]).toBeCloseTo(2.874035, 5);
    expect(d.relativeLift).toBeCloseTo(1.25, 12); // counterfactual 1 + (1 − 1) = 1
    const pipe = r.outcomes.sourcedPipeline;
    if (pipe.status !== "estimated") throw new Error(pipe.message);
    // Partner 1's sourced deals: 2,000,000 opened in the month before; 3,000,000 and 4,000,000 after.
    expect(p1.sourcedPipelineBeforeMinor).toEqual([2_000_000, 0]);
    expect(p1.sourcedPipelineAfterMinor).toEqual([3_000_000, 4_000_000]);
    expect(pipe.estimate).toBeCloseTo(1_250_000, 6);
  });

  it("compares time to first registration after the event", async () => {
    const r = await partnerImpact(db, orgId, EVENT, {
      asOf,
      monthsBefore: 2,
      monthsAfter: 2,
      resamples: 500,
    });
    const days = r.partners.map((p) => p.daysToFirstRegistration);
    const M = MONTH_MS / DAY;
    expect(days[0]).toBeCloseTo(M / 4, 9);
    expect(days[1]).toBeCloseTo(M / 3, 9);
    expect(days[2]).toBeCloseTo(M / 2, 9);
    const t = r.outcomes.timeToFirstRegistration;
    if (t.status !== "compared") throw new Error(t.message);
    expect(t.treated.median).toBeCloseTo(M / 4, 9);
    expect(t.control.median).toBeCloseTo(M / 2, 9);
    expect(t.medianDifference.estimate).toBeCloseTo(-M / 4, 9);
  });

  it("scores the friction of deals through a partner against its own baseline and overall", async () => {
    const r = await partnerImpact(db, orgId, EVENT, {
      asOf,
      monthsBefore: 2,
      monthsAfter: 2,
      resamples: 200,
    });
    const f = r.partners.find((p) => p.partnerId === P(1))!.friction;
    expect(f.before).toEqual({ closed: 2, won: 1, winRate: 0.5, meanCycleDays: 60, meanDiscountPct: 10 });
    expect(f.after).toEqual({ closed: 2, won: 2, winRate: 1, meanCycleDays: 42.5, meanDiscountPct: 10 });
    expect(f.change).toEqual({ winRate: 0.5, cycleDays: -17.5, discountPct: 0 });
    expect(f.allTime).toEqual({
      closed: 4,
      won: 3,
      winRate: 0.75,
      meanCycleDays: 51.25,
      meanDiscountPct: 10,
    });
    expect(r.overall.directDeals).toEqual({
      closed: 1,
      won: 1,
      winRate: 1,
      meanCycleDays: 30,
      meanDiscountPct: null,
    });
  });

  it("refuses a negative horizon, and the report still reads afterwards", async () => {
    await expect(
      partnerImpact(db, orgId, EVENT, { asOf, monthsBefore: 2, horizons: [-1], resamples: 50 }),
    ).rejects.toMatchObject({ code: "validation" });
    const r = await partnerImpact(db, orgId, EVENT, { asOf, monthsBefore: 2, monthsAfter: 2, resamples: 50 });
    expect(r.indicators.partners).toBe(4);
  });

  it("says there is nothing to compare before a whole month has passed", async () => {
    const r = await partnerImpact(db, orgId, EVENT, {
      asOf: new Date(T0.getTime() + 10 * DAY),
      monthsBefore: 2,
      resamples: 200,
    });
    expect(r.outcomes.registrations).toMatchObject({ status: "insufficient", message: /no complete month/ });
  });
});

describe("partner event impact (month boundaries and what counts)", () => {
  // Event at E, as-of 2.5 months later: 2 months before, 2 complete months after (6 asked).
  const E = new Date("2025-03-01T00:00:00Z");
  const t = (months: number, days = 0, ms = 0) => new Date(E.getTime() + months * MONTH_MS + days * DAY + ms);
  const A = P(11);
  const B = P(12);
  let org: string;

  beforeAll(async () => {
    org = await createTestOrg(db);
    const w = new World(db, org);
    await w.event(EVENT, "partner_event", E);
    await w.account(ACC, "enterprise");
    await w.partner(A);
    await w.partner(B);
    await w.person(uid(2, 11), { partnerId: A });
    await w.attend(EVENT, uid(2, 11), E, "checkin");
    // A: one registration on each month boundary (a boundary opens the later month), one before the panel, one
    // after the last complete month.
    for (const at of [t(-2, 0, -1), t(-2), t(-1), E, t(1), t(2, 1)]) await w.registration(A, at);
    // B: none in the panel, a first one 65 days after the event.
    await w.registration(B, t(2, 5));
    await w.registration(B, t(2, 6));
    const deal = (n: number, h: [string, Date][], f: Parameters<World["opportunity"]>[3]) =>
      w.opportunity(uid(3, n), ACC, h, f);
    const sourced = { partnerId: A, source: "partner_sourced" } as const;
    // Partner-sourced pipeline by opening month: on the boundaries, before the panel, after it.
    await deal(1, [["discovery", t(-1)]], { ...sourced, amountMinor: 100 });
    await deal(2, [["discovery", E]], { ...sourced, amountMinor: 200 });
    await deal(3, [["discovery", t(-2, -1)]], { ...sourced, amountMinor: 400 });
    await deal(4, [["discovery", t(2, 1)]], { ...sourced, amountMinor: 800 });
    await deal(5, [["discovery", t(1, 3)]], {
      partnerId: A,
      source: "partner_influenced",
      amountMinor: 1600,
    });
    // Friction: closed the instant the event starts counts after it; closed after the as-of date counts as open.
    await deal(
      6,
      [
        ["discovery", t(-1)],
        ["closed_won", E],
      ],
      { partnerId: A, source: "partner_influenced", discountPct: 12.35 },
    );
    await deal(
      7,
      [
        ["discovery", t(-2)],
        ["closed_won", t(-2, 3)],
      ],
      { partnerId: B, source: "partner_influenced", discountPct: 7.5 },
    );
    await deal(
      8,
      [
        ["discovery", t(-1)],
        ["closed_lost", t(-1, 1)],
      ],
      { partnerId: B, source: "partner_influenced" },
    );
    await deal(
      9,
      [
        ["discovery", t(1)],
        ["closed_won", t(4)],
      ],
      { partnerId: B, source: "partner_influenced" },
    );
    await deal(
      10,
      [
        ["discovery", t(-1)],
        ["closed_lost", t(-1, 2)],
      ],
      { source: "direct" },
    );
  });

  it("puts registrations and sourced deals on a month boundary in the later month", async () => {
    const r = await partnerImpact(db, org, EVENT, { asOf: t(2, 15), monthsBefore: 2, resamples: 200 });
    expect(r.months).toEqual({ before: 2, after: 2, monthDays: 30 });
    const a = r.partners.find((p) => p.partnerId === A)!;
    const b = r.partners.find((p) => p.partnerId === B)!;
    expect([a.registrationsBefore, a.registrationsAfter]).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect([b.registrationsBefore, b.registrationsAfter]).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(a.daysToFirstRegistration).toBe(0);
    expect(b.daysToFirstRegistration).toBe(65);
    expect([a.sourcedPipelineBeforeMinor, a.sourcedPipelineAfterMinor]).toEqual([
      [100, 0],
      [200, 0],
    ]);
    expect([b.sourcedPipelineBeforeMinor, b.sourcedPipelineAfterMinor]).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it("scores only deals closed by the as-of date, each on its side of the event start", async () => {
    const r = await partnerImpact(db, org, EVENT, { asOf: t(2, 15), monthsBefore: 2, resamples: 200 });
    const a = r.partners.find((p) => p.partnerId === A)!.friction;
    const b = r.partners.find((p) => p.partnerId === B)!.friction;
    expect(a.before).toEqual({
      closed: 0,
      won: 0,
      winRate: null,
      meanCycleDays: null,
      meanDiscountPct: null,
    });
    expect(a.after).toEqual({ closed: 1, won: 1, winRate: 1, meanCycleDays: 30, meanDiscountPct: 12.35 });
    expect(b.before).toEqual({ closed: 2, won: 1, winRate: 0.5, meanCycleDays: 2, meanDiscountPct: 7.5 });
    expect(b.after.closed).toBe(0);
    expect(b.allTime).toEqual(b.before);
    expect(r.overall.partnerDeals).toMatchObject({
      closed: 3,
      won: 2,
      winRate: 2 / 3,
      meanCycleDays: 34 / 3,
    });
    expect(r.overall.partnerDeals.meanDiscountPct).toBeCloseTo(9.925, 12);
    expect(r.overall.directDeals).toEqual({
      closed: 1,
      won: 0,
      winRate: 0,
      meanCycleDays: 2,
      meanDiscountPct: null,
    });
  });
});
