import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { resampleTally, startResampleThreads, stopResampleThreads } from "../compute/resample-threads.ts";
import { uid, World } from "../movement/test-world.ts";
import { attributionFromDatabase } from "./attribution-service.ts";
import { eventImpact } from "./event-impact.ts";
import { loadDeals, touchGroupsSql } from "./load-deals.ts";
import { offlineWonRevenueShare } from "./offline-share.ts";
import { portfolio } from "./portfolio.ts";
import { day, insertTinyWorld } from "./tiny-world-db.ts";

let db: Database;
let orgId: string;
let eventId: string;
let freeOrg: string;
let freeEvent: string;
const close = (n: number) => expect.closeTo(n, 4);
const accel = (30 * 100_000) / 365;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db, "Impact");
  ({ eventId } = await insertTinyWorld(db, orgId));
  freeOrg = await createTestOrg(db, "Free");
  ({ eventId: freeEvent } = await insertTinyWorld(db, freeOrg, []));
});
afterAll(async () => {
  await db.close();
});

describe("deals from the database", () => {
  it("builds journeys from one ordered scan per table, cut at each deal's window", async () => {
    const { deals, info } = await db.withOrg(orgId, (tx) => loadDeals(tx, orgId, { scope: "account" }));
    expect(info.deals).toBe(4);
    expect(info.touches).toBe(8);
    expect(deals.count).toBe(4);
    const person = await db.withOrg(orgId, (tx) => loadDeals(tx, orgId, { scope: "person" }));
    expect(person.info.touches).toBe(8); // every deal's contact is its account's champion
  });

  it("reads the same deals and journeys when its reads run side by side", async () => {
    // Six accounts met at one event, each with a deal, touched on the account and through a person: the touches
    // are read in chunks of the accounts.
    const org = await createTestOrg(db, "Side by side");
    const w = new World(db, org);
    const event = await w.event(uid(9, 700), "conference", new Date(day(100)));
    for (let a = 0; a < 6; a++) {
      const account = await w.account(uid(1, 700 + a), "enterprise");
      const person = await w.person(uid(2, 700 + a), { accountId: account });
      await w.touch({ at: new Date(day(100)), channel: "conference", eventId: event, personId: person });
      await w.touch({ at: new Date(day(60 + a)), channel: "email", accountId: account });
      await w.touch({ at: new Date(day(120 + a)), channel: "webinar", personId: person });
      await w.opportunity(uid(3, 700 + a), account, [
        ["prospecting", new Date(day(90 + a))],
        ["closed_won", new Date(day(150 + a))],
      ]);
    }
    const options = { scope: "account" as const, focusEventId: event };
    const one = await db.withOrg(org, (tx) => loadDeals(tx, org, options));
    expect(one.info.deals).toBe(6);
    expect(one.info.touches).toBe(18);
    // On a server the parts run on connections of their own, with no transaction of the caller's open; embedded, in
    // another order in one transaction, so the result cannot depend on which part comes back first.
    // The touches come in chunks of accounts (two, or here one account each: three per connection), parsed and built
    // as they come.
    for (const chunkAccounts of [undefined, 1]) {
      const split = db.withOrgEach
        ? await loadDeals(null, org, {
            ...options,
            chunkAccounts,
            parallel: (parts) => db.withOrgEach!(org, parts),
          })
        : await db.withOrg(org, (tx) =>
            loadDeals(tx, org, {
              ...options,
              chunkAccounts,
              parallel: async (parts) => {
                // The last part first (the second connection's chunks), then the others in order: histories
                // arrive between the chunks of one connection and the other's.
                const out = new Array(parts.length);
                const order = [parts.length - 1, ...parts.keys()].slice(0, parts.length);
                for (const k of order) out[k] = await parts[k]!(tx);
                return out;
              },
            }),
          );
      expect(split.info.touches).toBe(one.info.touches);
      expect(split.deals).toEqual(one.deals);
    }
  });
});

describe("an account's journey", () => {
  it("holds its own touches and its people's account-less ones, merged by time, its own first at the same instant", async () => {
    const org = await createTestOrg(db, "Merged journeys");
    const w = new World(db, org);
    const event = await w.event(uid(9, 800), "conference", new Date(day(100)));
    const account = await w.account(uid(1, 800), "enterprise");
    const person = await w.person(uid(2, 800), { accountId: account });
    const stranger = await w.person(uid(2, 801), {});
    await w.touch({ at: new Date(day(100)), channel: "conference", eventId: event, personId: person });
    await w.touch({ at: new Date(day(60)), channel: "email", accountId: account });
    await w.touch({ at: new Date(day(80)), channel: "webinar", personId: person });
    await w.touch({ at: new Date(day(80)), channel: "ads", accountId: account, personId: person });
    await w.touch({ at: new Date(day(90)), channel: "web", personId: stranger });
    await w.touch({ at: new Date(day(110)), channel: "call", accountId: account });
    await w.opportunity(uid(3, 800), account, [
      ["prospecting", new Date(day(95))],
      ["closed_won", new Date(day(150))],
    ]);
    const journey = (deals: import("../../core/roi/index.ts").DealSet) => {
      const i = deals.ids.indexOf(uid(3, 800));
      const out: [number, string][] = [];
      for (let t = deals.touchOffsets[i]!; t < deals.touchOffsets[i + 1]!; t++)
        out.push([deals.touchAt[t]!, deals.channels[deals.touchChannel[t]!]!]);
      return out;
    };
    const expected = [
      [day(60), "email"],
      [day(80), "ads"],
      [day(80), "webinar"],
      [day(100), "conference"],
      [day(110), "call"],
    ];
    const all = await db.withOrg(org, (tx) => loadDeals(tx, org, { scope: "account" }));
    expect(journey(all.deals)).toEqual(expected);
    const focused = await db.withOrg(org, (tx) =>
      loadDeals(tx, org, { scope: "account", focusEventId: event }),
    );
    expect(journey(focused.deals)).toEqual(expected);
  });

  it("reads each account's touches over its deals' windows only, cut to the millisecond as a whole read cuts them", async () => {
    const org = await createTestOrg(db, "Account windows");
    const w = new World(db, org);
    const event = await w.event(uid(9, 900), "conference", new Date(day(100)));
    const account = await w.account(uid(1, 900), "enterprise");
    const other = await w.account(uid(1, 901), "smb");
    const idle = await w.account(uid(1, 902), "smb"); // met the event, has no deal
    const person = await w.person(uid(2, 900), { accountId: account });
    // Instants to the microsecond: stored as given, read as whole milliseconds (halves away from zero).
    const touchAt = async (
      at: string,
      channel: string,
      fields: { accountId?: string; personId?: string },
    ) => {
      await w.touch({ at: new Date(day(0)), channel, ...fields });
      await db.owner.execute(
        sql`update touchpoints set occurred_at = ${at}::timestamptz where org_id = ${org} and channel = ${channel}`,
      );
    };
    const iso = (d: number, plusUs = 0) => {
      const ms = day(d) + Math.floor(plusUs / 1000);
      const us = ((plusUs % 1000) + 1000) % 1000;
      return `${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, "0")}Z`;
    };
    await w.touch({ at: new Date(day(100)), channel: "conference", eventId: event, accountId: account });
    await w.touch({ at: new Date(day(100)), channel: "conference", eventId: event, accountId: other });
    await w.touch({ at: new Date(day(100)), channel: "conference", eventId: event, accountId: idle });
    // The account's deals' windows: day 60 (opened day 90, lookback 30) to day 150, and day 90 to day 140. Touches
    // just outside a window by less than half a millisecond round onto its edge.
    await touchAt(iso(60, -400), "edge-before", { accountId: account });
    await touchAt(iso(60, -600), "outside-before", { accountId: account });
    await touchAt(iso(70, 500), "half", { personId: person });
    await touchAt(iso(150, 400), "edge-after", { accountId: account });
    await touchAt(iso(150, 600), "outside-after", { accountId: account });
    await touchAt(iso(160), "between", { accountId: account });
    await touchAt(iso(300), "late", { accountId: account });
    await touchAt(iso(20), "early", { accountId: other });
    await touchAt(iso(140), "after-lost", { accountId: other });
    await w.opportunity(uid(3, 900), account, [
      ["prospecting", new Date(day(90))],
      ["closed_won", new Date(day(150))],
    ]);
    await w.opportunity(uid(3, 901), account, [
      ["prospecting", new Date(day(120))],
      ["closed_lost", new Date(day(140))],
    ]);
    await w.opportunity(uid(3, 902), other, [
      ["prospecting", new Date(day(95))],
      ["closed_lost", new Date(day(130))],
    ]);
    const journeys = (deals: import("../../core/roi/index.ts").DealSet) =>
      deals.ids.map((id, i) => {
        const out: [string, number, string][] = [];
        for (let t = deals.touchOffsets[i]!; t < deals.touchOffsets[i + 1]!; t++)
          out.push([id, deals.touchAt[t]!, deals.channels[deals.touchChannel[t]!]!]);
        return out;
      });
    // Instants of deals keep their fraction of a millisecond.
    await db.owner.execute(
      sql`update opportunities set opened_at = ${iso(95, 123)}::timestamptz where org_id = ${org} and id = ${uid(3, 902)}`,
    );
    const options = { scope: "account" as const, lookbackDays: 30 };
    const all = await db.withOrg(org, (tx) => loadDeals(tx, org, options));
    expect(all.deals.openedAt[all.deals.ids.indexOf(uid(3, 902))]).toBe((day(95) * 1000 + 123) / 1000);
    const [first, second, lost] = journeys(all.deals);
    expect(first).toEqual([
      [uid(3, 900), day(60), "edge-before"],
      [uid(3, 900), day(70) + 1, "half"],
      [uid(3, 900), day(100), "conference"],
      [uid(3, 900), day(150), "edge-after"],
    ]);
    expect(second!.map((t) => t[2])).toEqual(["conference"]);
    expect(lost!.map((t) => t[2])).toEqual(["conference"]);
    const focused = { ...options, focusEventId: event };
    const one = await db.withOrg(org, (tx) => loadDeals(tx, org, focused));
    expect(journeys(one.deals)).toEqual([first, second, lost]);
    if (db.withOrgEach) {
      const split = await loadDeals(null, org, {
        ...focused,
        chunkAccounts: 1,
        parallel: (parts) => db.withOrgEach!(org, parts),
      });
      expect(journeys(split.deals)).toEqual([first, second, lost]);
    }
  });
});

describe("reading journeys", () => {
  /** The plan of a query, with the planner told to prefer indexes (the test tables are tiny). */
  const plan = (org: string, query: import("drizzle-orm").SQL) =>
    db.withOrg(org, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const lines = await rows<{ "QUERY PLAN": string }>(tx, sql`explain (costs off) ${query}`);
      return lines.map((l) => l["QUERY PLAN"]).join("\n");
    });

  it("reads an account's touches from the journey indexes alone, already in order", async () => {
    const whole = await plan(orgId, touchGroupsSql(orgId, "account", day(-400), null));
    expect(whole).toMatch(/Index Only Scan using touchpoints_account_idx on touchpoints/);
    expect(whole).toMatch(/Index Only Scan using touchpoints_accountless_idx on touchpoints/);
    // The touches carrying an account need no sort: (account, time, id) is the index's order.
    const carrying = whole.slice(0, whole.indexOf("touchpoints_account_idx"));
    expect(carrying).not.toMatch(/Sort/);
    const focus = sql`${sql.param([uid(1, 1), uid(1, 2)])}::uuid[]`;
    const focused = await plan(orgId, touchGroupsSql(orgId, "account", day(-400), focus));
    expect(focused).toMatch(/Index Only Scan using touchpoints_account_idx on touchpoints/);
    expect(focused).toMatch(/Index Only Scan using touchpoints_accountless_idx on touchpoints/);
    // Chosen accounts are read one at a time, each an index range in index order (on a large table an `= any` over
    // thousands of accounts is one pass that loses the order): no sort of their touches either.
    const probes = /Index Cond: \(\(org_id = [^)]*\) AND \(account_id = [a-z_0-9]+\.id\)/;
    expect(focused).toMatch(probes);
    expect(focused.slice(0, focused.indexOf("touchpoints_account_idx"))).not.toMatch(/Sort/);
    const windows = { ids: [uid(1, 1), uid(1, 2)], from: [day(-400), day(-300)], to: [day(0), Infinity] };
    const windowed = await plan(orgId, touchGroupsSql(orgId, "account", day(-400), null, windows));
    expect(windowed).toMatch(probes);
    expect(windowed.slice(0, windowed.indexOf("touchpoints_account_idx"))).not.toMatch(/Sort/);
    expect(windowed).toMatch(/Index Only Scan using touchpoints_accountless_idx on touchpoints/);
  });
});

describe("event impact report", () => {
  it("gives the ROI curve known on each day, with exact numbers (see the core worked example)", async () => {
    const r = await eventImpact(db, orgId, eventId, { now: new Date(day(250)) });
    expect(r.headlineHorizon).toBe(90);
    expect(r.roi.map((p) => [p.horizon, p.known])).toEqual([
      [0, true],
      [30, true],
      [90, true],
      [180, true],
      [365, false],
    ]);
    const [h0, h30, h90, h180, h365] = r.roi;
    expect(h0).toMatchObject({ value: close(10_000), cost: 20_000, roi: close(-0.5) });
    expect(h30).toMatchObject({ value: close(15_333.3333), roi: close(-0.2333333) });
    // The deal won on day 120 is pipeline at h=90 and won revenue at h=180.
    expect(h90).toMatchObject({ wonRevenue: 0, weightedPipeline: close(32_000), roi: close(0.6) });
    expect(h180).toMatchObject({ wonRevenue: close(33_333.3333), weightedPipeline: close(10_000) });
    expect(h180!.acceleration).toBeCloseTo(accel, 6);
    expect(h180!.roi).toBeCloseTo((43_333.333333 + accel - 20_000) / 20_000, 6);
    expect(h365).toMatchObject({ known: false, value: null, roi: null });
    expect(h365!.reason).toMatch(/not yet known/);
  });

  it("gives the same report when a worker thread computes its ROI curve, offline comparison and acceleration", async () => {
    const here = await eventImpact(db, orgId, eventId, { now: new Date(day(250)) });
    await startResampleThreads({ threads: 1 });
    try {
      const shared = await eventImpact(db, orgId, eventId, { now: new Date(day(250)) });
      expect(resampleTally().tasks).toBe(1);
      const { computed: a, ...rest } = shared;
      const { computed: b, ...restHere } = here;
      expect(rest).toEqual(restHere);
      expect(a.deals).toBe(b.deals);
    } finally {
      await stopResampleThreads();
    }
  });

  it("keeps indicators and outcomes as two ledgers", async () => {
    const r = await eventImpact(db, orgId, eventId, { now: new Date(day(400)), horizon: 365 });
    expect(r.indicators).toMatchObject({
      registrations: 3,
      attended: 2,
      attendanceRate: close(2 / 3),
      satisfaction: { responses: 2, averageRating: 4.5 },
      leads: { captured: 1, tierA: 1, converted: 1 },
    });
    expect(r.outcomes.asOf).toBe(new Date(day(365)).toISOString());
    expect(r.outcomes.sourcedPipeline).toEqual({
      opportunities: 1,
      amount: 40_000,
      attributed: close(20_000),
    });
    expect(r.outcomes.influencedPipeline).toMatchObject({ opportunities: 3, amount: 190_000 });
    expect(r.outcomes.wonRevenue).toMatchObject({
      opportunities: 1,
      amount: 100_000,
      attributed: close(33_333.3333),
    });
    expect(r.outcomes.acceleration).toMatchObject({ status: "compared", matched: 1, daysSavedMean: 30 });
    expect(Object.keys(r.outcomes.byModel)).not.toContain("markov");
    expect(Object.keys(r.outcomes.byModel)).toContain("w_shaped");
    expect(r.offlineVsOnline.event.onlineOnly.wonRevenue).toBe(0);
    expect(r.offlineVsOnline.event.difference.wonRevenue).toBeCloseTo(33_333.3333, 3);
    expect(r).not.toHaveProperty("score");
  });

  it("gives the same numbers from the focused read as from reading everything", async () => {
    const now = new Date(day(400));
    const focused = await eventImpact(db, orgId, eventId, { now, models: "linear,time_decay" });
    const full = await eventImpact(db, orgId, eventId, { now, models: "linear,time_decay,markov" });
    expect(focused.computed.deals).toBe(4); // D1, D2, D4 with their touches; D3 as an acceleration control
    expect(focused.computed.touches).toBe(7);
    expect(full.computed.touches).toBe(8);
    expect(focused.roi).toEqual(full.roi);
    expect(focused.outcomes.byModel.time_decay).toEqual(full.outcomes.byModel.time_decay);
    expect(focused.outcomes.acceleration).toEqual(full.outcomes.acceleration);
    expect(full.outcomes.byModel.markov!.weightedPipeline).toBeGreaterThan(0); // as of day 90: nothing won yet
  });

  it("reports ROI as null when the event has no cost", async () => {
    const r = await eventImpact(db, freeOrg, freeEvent, { now: new Date(day(400)) });
    expect(r.roi.every((p) => p.roi === null && p.cost === 0)).toBe(true);
    expect(r.roi[0]!.reason).toMatch(/no cost/);
  });

  it("does not find another organization's event", async () => {
    await expect(eventImpact(db, freeOrg, eventId, { now: new Date(day(400)) })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("attribution from the database", () => {
  it("credits won revenue by channel and by event, influenced and sourced apart", async () => {
    const r = await attributionFromDatabase(db, orgId, {
      models: "linear",
      by: "event",
      scope: "account",
      onlineOnly: false,
      now: new Date(day(400)),
    });
    expect(r.journeys).toMatchObject({ deals: 4, won: 2, lost: 1, open: 1 });
    // Won: D1 (web, E, email) and D3 (web). Linear: E gets 100,000/3 of D1.
    expect(r.influenced.linear!.value[eventId]).toBeCloseTo(33_333.3333, 3);
    expect(r.influenced.linear!.value["(none)"]).toBeCloseTo(166_666.6667, 3);
    expect(r.labels[eventId]).toBe("Field dinner");
    // Sourced: touches up to creation: D1 web only (E on day −1 is after D1 opened on day −30); D3 web.
    expect(r.sourced.linear!.value[eventId] ?? 0).toBe(0);
    const online = await attributionFromDatabase(db, orgId, {
      models: "linear",
      by: "channel",
      scope: "person",
      onlineOnly: true,
      now: new Date(day(400)),
    });
    expect(online.influenced.linear!.value).toEqual({ email: close(50_000), web: close(150_000) });
  });

  it("filters deals on their close date", async () => {
    const r = await attributionFromDatabase(db, orgId, {
      models: "all",
      by: "channel",
      scope: "account",
      from: "2025-07-01",
      to: "2025-12-31",
      onlineOnly: false,
      now: new Date(day(400)),
    });
    // D1 closed on day 120 (2025-06-29) is out, D3 (day 150, 2025-07-29) is in; open D2 is out.
    expect(r.journeys).toMatchObject({ deals: 1, won: 1 });
    expect(r.influenced.markov!.value.web).toBeCloseTo(100_000, 6);
  });
});

describe("offline share of won revenue", () => {
  it("counts won revenue whose account journey holds an offline touch", async () => {
    const r = await offlineWonRevenueShare(db, orgId, { now: new Date(day(400)) });
    expect(r).toMatchObject({ wonRevenue: 200_000, withOffline: 100_000, share: 0.5 });
  });
});

describe("portfolio", () => {
  it("ranks events at a horizon and leaves future ones unranked", async () => {
    const at90 = await portfolio(db, orgId, { now: new Date(day(400)), horizon: 90 });
    expect(at90.events).toHaveLength(1);
    expect(at90.events[0]).toMatchObject({ rank: 1, eventId, roi: close(0.6), known: true });
    const early = await portfolio(db, orgId, { now: new Date(day(50)), horizon: 90 });
    expect(early.events[0]).toMatchObject({ rank: null, known: false, roi: null });
  });
});
