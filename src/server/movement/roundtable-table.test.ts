import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { createRng } from "../../core/stats/prng.ts";
import type { Database } from "../../db/client.ts";
import { loadEvent } from "./event-context.ts";
import { analyzeRoundtable, type RoundtableOptions, roundtableMovement } from "./roundtable-movement.ts";
import {
  loadAccountTouches,
  loadAttendingAccounts,
  loadOpportunities,
  loadOpportunityTable,
} from "./roundtable-queries.ts";
import { DAY, uid, World } from "./test-world.ts";

// The product path reads opportunities in columns (no object per stage entry or per control); the straightforward
// path reads rows with their histories and compares them as objects. On the same world they must agree exactly.
const T0 = new Date("2025-03-01T18:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const asOf = at(100);
const EVENT = uid(9, 901);
const OTHER = uid(9, 902);
const STAGES = ["prospecting", "discovery", "evaluation", "proposal", "negotiation"];

let db: Database;
let orgId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  const w = new World(db, orgId);
  const rng = createRng(11);
  const owners = [await w.user(uid(8, 901), "rep"), await w.user(uid(8, 902), "rep"), null];
  await w.event(EVENT, "executive_roundtable", T0);
  await w.event(OTHER, "executive_roundtable", at(-20));
  const segments = ["enterprise", "mid", null];
  let o = 0;
  for (let a = 0; a < 60; a++) {
    const account = uid(1, 900 + a);
    await w.account(account, segments[a % 3]!, owners[a % 3]!);
    // Every fifth account attends this roundtable; account 7 attended the other one (no control).
    if (a % 5 === 0 || a === 7) {
      const person = uid(2, 900 + a);
      await w.person(person, { accountId: account, role: "champion" });
      await w.attend(a === 7 ? OTHER : EVENT, person, a === 7 ? at(-20) : T0, a % 2 ? "checkin" : "import");
    }
    const deals = 1 + rng.int(3);
    for (let d = 0; d < deals; d++) {
      o += 1;
      const kind = rng.int(10);
      const history: [string, Date][] = [];
      if (kind > 0) {
        let t = kind === 1 ? 5 + rng.next() * 20 : -10 - rng.next() * 150; // kind 1: opened after the event
        let s = rng.int(3);
        const entries = 1 + rng.int(6);
        for (let e = 0; e < entries; e++) {
          history.push([STAGES[s]!, at(t)]);
          // Some entries tie in time; some re-enter the same stage; kind 2 closes before the event.
          if (rng.next() >= 0.15) t += rng.next() * 40;
          if (rng.next() >= 0.2) s = Math.min(s + 1, STAGES.length - 1);
        }
        if (kind === 2) history.push([rng.next() < 0.5 ? "closed_won" : "closed_lost", at(-5)]);
        history.sort((x, y) => x[1].getTime() - y[1].getTime());
      }
      await w.opportunity(uid(3, 900 + o), account, history, {
        amountMinor: Math.round(Math.exp(9 + rng.normal())) * 100,
        ownerUserId: owners[(a + d) % 3]!,
      });
    }
  }
});
afterAll(async () => {
  await db.close();
});

const straightforward = (options: RoundtableOptions) =>
  db.withOrg(orgId, async (tx) => {
    const event = await loadEvent(tx, orgId, EVENT);
    const opportunities = await loadOpportunities(tx, orgId, EVENT, event.startsAt, options.asOf);
    const accounts = await loadAttendingAccounts(tx, orgId, EVENT);
    const touches = await loadAccountTouches(tx, orgId, EVENT, at(-90), options.asOf);
    return analyzeRoundtable(event, opportunities, accounts, touches, options);
  });

describe("the roundtable report from opportunities in columns", () => {
  it("reads the same opportunities and histories as the row loader", async () => {
    const [rowsRead, table, byPass] = await db.withOrg(orgId, async (tx) => [
      await loadOpportunities(tx, orgId, EVENT, T0, asOf, "probes"),
      await loadOpportunityTable(tx, orgId, EVENT, T0, asOf, "probes"),
      await loadOpportunities(tx, orgId, EVENT, T0, asOf, "one_pass"),
    ]);
    // Histories read by a probe per deal or in one pass over the organization's stage changes are the same.
    expect(byPass).toEqual(rowsRead);
    expect(table.ids).toEqual(rowsRead.map((r) => r.id));
    const { offsets, stage, enteredAtMs } = table.history;
    const histories = table.ids.map((_, i) =>
      Array.from({ length: offsets[i + 1]! - offsets[i]! }, (_, j) => ({
        stage: table.stageNames[stage[offsets[i]! + j]!],
        enteredAt: enteredAtMs[offsets[i]! + j],
      })),
    );
    expect(histories).toEqual(rowsRead.map((r) => r.stages));
    expect(Array.from(table.treated)).toEqual(rowsRead.map((r) => (r.treated ? 1 : 0)));
    // The world holds ties, re-entries, deals closed or opened after the event and deals with no history.
    expect(histories.some((h) => h.length === 0)).toBe(true);
    expect(histories.some((h) => h.some((e, j) => j > 0 && e.enteredAt === h[j - 1]!.enteredAt))).toBe(true);
  });

  const cases: [string, RoundtableOptions][] = [
    ["the defaults", { asOf }],
    [
      "k = 2 on segment, currency and owner",
      { asOf, k: 2, exact: ["segment", "currency", "owner"], seed: 5 },
    ],
    [
      "k = 3 with replacement, amount only, more horizons",
      { asOf, k: 3, replacement: true, nearest: ["amount"], daysSavedHorizons: [30, 60], resamples: 500 },
    ],
    ["a caliper and exact only", { asOf, exact: [], nearest: [], caliper: 0.5, seed: 9 }],
  ];
  for (const [name, options] of cases) {
    it(`gives the same report as the straightforward path: ${name}`, async () => {
      const fast = await roundtableMovement(db, orgId, EVENT, options);
      const slow = await straightforward(options);
      expect(fast).toEqual(slow);
      expect(fast.indicators.attendingOpportunities).toBeGreaterThan(10);
    });
  }

  it("compares, and leaves out the account of the other roundtable as a control", async () => {
    const report = await roundtableMovement(db, orgId, EVENT, { asOf });
    expect(report.outcomes.velocity.status).toBe("compared");
    const controlIds = report.accounts.flatMap((a) => a.opportunities.flatMap((o) => o.controlIds));
    expect(controlIds.length).toBeGreaterThan(0);
    const table = await db.withOrg(orgId, (tx) => loadOpportunityTable(tx, orgId, EVENT, T0, asOf));
    expect(table.accountId).not.toContain(uid(1, 907));
  });
});
