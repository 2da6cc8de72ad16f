import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { roundtableRoiAcceleration, roundtableRoiAccelerations } from "./acceleration.ts";
import { loadEvent } from "./event-context.ts";
import { loadRoundtableWorld, roundtableTableOf } from "./roundtable-batch.ts";
import {
  loadOpportunityRows,
  loadOpportunityTable,
  type OpportunityTable,
  opportunityRanges,
  readHistories,
} from "./roundtable-queries.ts";
import { DAY, uid, World } from "./test-world.ts";

// A seeded world of four roundtables: accounts attending none, one or two of them (checked in or marked attended by
// an import), deals opened before and after each event, closed before it or still open, with histories running past
// every as-of date. The batch cut must give, for every event and as-of date, the table the single-event read gives.
const T0 = new Date("2025-01-10T15:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const EVENTS = [uid(9, 901), uid(9, 902), uid(9, 903), uid(9, 904)];
const STARTS = [0, 35, 80, 150];
const STAGES = ["prospecting", "qualification", "proposal", "negotiation"];

let db: Database;
let orgId: string;
let otherOrg: string;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db, "Batch roundtables");
  otherOrg = await createTestOrg(db, "Another organization");
  const w = new World(db, orgId);
  const rnd = random(42);
  for (let e = 0; e < EVENTS.length; e++) await w.event(EVENTS[e]!, "executive_roundtable", at(STARTS[e]!));
  // A field event: its attendees are not kept out of roundtable controls.
  await w.event(uid(9, 905), "field_event", at(20));
  let opp = 0;
  for (let a = 0; a < 40; a++) {
    const account = await w.account(uid(1, 900 + a), ["enterprise", "mid_market", null][a % 3]!);
    const person = await w.person(uid(2, 900 + a), { accountId: account });
    const picks = rnd();
    if (picks < 0.45) {
      const first = Math.floor(rnd() * EVENTS.length);
      await w.attend(EVENTS[first]!, person, at(STARTS[first]!), rnd() < 0.5 ? "checkin" : "import");
      if (rnd() < 0.3) {
        const second = (first + 1 + Math.floor(rnd() * 3)) % EVENTS.length;
        await w.attend(EVENTS[second]!, person, at(STARTS[second]!), "import");
      }
    } else if (picks < 0.55) {
      await w.attend(uid(9, 905), person, at(20), "checkin");
    }
    const deals = 1 + Math.floor(rnd() * 3);
    for (let d = 0; d < deals; d++) {
      let t = -120 + rnd() * 300;
      const history: [string, Date][] = [];
      let stage = Math.floor(rnd() * 2);
      while (t < 400 && history.length < 6) {
        history.push([STAGES[stage]!, at(t)]);
        t += 5 + rnd() * 60;
        if (stage === STAGES.length - 1 || rnd() < 0.15) {
          if (t < 400) history.push([rnd() < 0.5 ? "closed_won" : "closed_lost", at(t)]);
          break;
        }
        stage++;
      }
      await w.opportunity(uid(3, 900 + opp++), account, history, {
        amountMinor: Math.round(200_000 + rnd() * 5_000_000),
      });
    }
  }
  // Another organization's roundtable, attendee and deal at the same dates: never read.
  const o = new World(db, otherOrg);
  await o.event(uid(9, 990), "executive_roundtable", at(0));
  await o.account(uid(1, 990), "enterprise");
  await o.person(uid(2, 990), { accountId: uid(1, 990) });
  await o.attend(uid(9, 990), uid(2, 990), at(0));
  await o.opportunity(uid(3, 990), uid(1, 990), [
    ["prospecting", at(-10)],
    ["proposal", at(10)],
  ]);
});
afterAll(async () => {
  await db.close();
});

/** The table as rows (stage names, not codes), so tables with different stage codings compare. */
function asRows(t: OpportunityTable) {
  return t.ids.map((id, i) => {
    const stages = [];
    for (let e = t.history.offsets[i]!; e < t.history.offsets[i + 1]!; e++)
      stages.push([t.stageNames[t.history.stage[e]!], t.history.enteredAtMs[e]]);
    return {
      id,
      account: t.accountId[i],
      name: t.name[i],
      owner: t.ownerUserId[i],
      amount: t.amountMinor[i],
      currency: t.currency[i],
      segment: t.segment[i],
      treated: t.treated[i],
      stages,
    };
  });
}

describe("every roundtable compared from one read of the pipeline", () => {
  it("cuts, for each event and as-of date, the table the single-event read gives", async () => {
    const world = await db.withOrg(orgId, (tx) =>
      loadRoundtableWorld(tx, orgId, "executive_roundtable", at(400)),
    );
    expect(world.table.ids).not.toContain(uid(3, 990));
    expect([...world.events.keys()].sort()).toEqual([...EVENTS].sort());
    let compared = 0;
    let treated = 0;
    for (let e = 0; e < EVENTS.length; e++) {
      for (const days of [1, 30, 90, 200]) {
        const eventAt = at(STARTS[e]!);
        const asOf = at(STARTS[e]! + days);
        const single = await db.withOrg(orgId, (tx) =>
          loadOpportunityTable(tx, orgId, EVENTS[e]!, eventAt, asOf, "probes"),
        );
        const cut = roundtableTableOf(world, EVENTS[e]!, eventAt, asOf)!;
        expect(asRows(cut)).toEqual(asRows(single));
        compared += single.ids.length;
        treated += single.treated.reduce((s, x) => s + x, 0);
      }
    }
    // The world is not trivial: many deals compared, attending ones among them.
    expect(compared).toBeGreaterThan(200);
    expect(treated).toBeGreaterThan(20);
    expect(roundtableTableOf(world, uid(9, 905), at(20), at(50))).toBeNull();
  });

  it("gives every roundtable the ROI acceleration its own report gives, horizon by horizon", async () => {
    const now = at(420).getTime();
    const events = await db.withOrg(orgId, (tx) => Promise.all(EVENTS.map((id) => loadEvent(tx, orgId, id))));
    const horizons = [0, 30, 90, 180, 365];
    const batch = await roundtableRoiAccelerations(
      db,
      orgId,
      events.map((e) => ({ ...e, horizons })),
      now,
    );
    let measured = 0;
    for (const e of events) {
      const single = await roundtableRoiAcceleration(
        db,
        orgId,
        { id: e.id, endsAt: e.endsAt.getTime() },
        horizons,
        now,
      );
      const mine = batch.get(e.id)!;
      expect([...mine.keys()]).toEqual([...single.keys()]);
      for (const [h, a] of single) {
        const b = mine.get(h)!;
        expect(b.value).toBe(a.value);
        expect(b.counted).toBe(a.counted);
        expect(b.detail?.daysSaved).toEqual(a.detail?.daysSaved);
        expect(b.detail?.deals).toBe(a.detail?.deals);
        expect(b.detail?.dailyValueMinor).toBe(a.detail?.dailyValueMinor);
        if (a.detail?.daysSaved.estimate != null) measured++;
      }
    }
    expect(measured).toBeGreaterThan(3);
  });

  it("reads one event's table in id ranges side by side, the same table as one read", async () => {
    const whole = await db.withOrg(orgId, (tx) => opportunityRanges(tx, orgId, 3));
    expect(whole).toEqual([{}]); // a small pipeline is read in one go
    const ranges = await db.withOrg(orgId, (tx) =>
      opportunityRanges(tx, orgId, 3, { percent: 100, minRows: 1 }),
    );
    expect(ranges).toHaveLength(3);
    expect(ranges[0]!.from).toBeUndefined();
    expect(ranges[2]!.to).toBeUndefined();
    expect(ranges[1]).toEqual({ from: ranges[0]!.to, to: ranges[2]!.from });
    for (let e = 0; e < EVENTS.length; e++) {
      const eventAt = at(STARTS[e]!);
      const asOf = at(STARTS[e]! + 120);
      const single = await db.withOrg(orgId, (tx) =>
        loadOpportunityTable(tx, orgId, EVENTS[e]!, eventAt, asOf),
      );
      for (const read of ["probes", "one_pass"] as const) {
        const parts = await db.withOrgParts(
          orgId,
          ranges.map((r) => (tx) => loadOpportunityRows(tx, orgId, EVENTS[e]!, eventAt, asOf, r, read)),
        );
        // Every part holds some of the rows, and joined in order they are the single read's table.
        expect(parts.every((p) => p.length > 0)).toBe(true);
        expect(asRows(readHistories(parts.flat()))).toEqual(asRows(single));
      }
    }
  });
});
