import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { loadOpportunities, onePassHistories, readHistories } from "./roundtable-queries.ts";
import { DAY, uid, World } from "./test-world.ts";

const T0 = new Date("2025-03-01T18:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const EVENT = uid(9, 801);

let db: Database;
let orgId: string;
let w: World;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  w = new World(db, orgId);
  await w.event(EVENT, "executive_roundtable", T0);
  await w.account(uid(1, 801), "enterprise");
  await w.person(uid(2, 801), { accountId: uid(1, 801) });
  await w.attend(EVENT, uid(2, 801), T0);
  // Stage names with commas, spaces, quotes and accents.
  await w.opportunity(uid(3, 801), uid(1, 801), [
    ["Discovery, early", at(-30)],
    ['Proposal "sent" à l’étude', at(10)],
    ["Negotiation", at(12.5)],
  ]);
});
afterAll(async () => {
  await db.close();
});

const load = () => db.withOrg(orgId, (tx) => loadOpportunities(tx, orgId, EVENT, T0, at(60)));

describe("loading opportunities around an event", () => {
  it("reads each history in time order with its stage names as written, nothing after the as-of date", async () => {
    await w.opportunity(uid(3, 802), uid(1, 801), [
      ["discovery", at(-10)],
      ["proposal", at(70)],
    ]);
    const rows = await load();
    expect(rows.map((r) => [r.id, r.treated])).toEqual([
      [uid(3, 801), true],
      [uid(3, 802), true],
    ]);
    expect(rows[0]!.stages).toEqual([
      { stage: "Discovery, early", enteredAt: at(-30).getTime() },
      { stage: 'Proposal "sent" à l’étude', enteredAt: at(10).getTime() },
      { stage: "Negotiation", enteredAt: at(12.5).getTime() },
    ]);
    expect(rows[1]!.stages).toEqual([{ stage: "discovery", enteredAt: at(-10).getTime() }]);
  });

  it("refuses, naming the deal, a stage name holding a separator control character", async () => {
    await w.opportunity(uid(3, 803), uid(1, 801), [["pro\u001fposal", at(-5)]]);
    await expect(load()).rejects.toMatchObject({
      code: "validation",
      field: "stage",
      message: `opportunity ${uid(3, 803)}: a stage name holds a control character (U+001E or U+001F)`,
    });
  });
});

describe("reading a whole pipeline's histories in one pass", () => {
  it("reads them from the history index alone, already in (opportunity, time, id) order", async () => {
    // The table is tiny, so the planner is told to prefer an index; what is checked is that the index covers the
    // read: no visit to the table (INCLUDE to_stage) and no sort (id is the last key).
    const plan = await db.withOrg(orgId, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const lines = await rows<{ "QUERY PLAN": string }>(
        tx,
        sql`explain (costs off) select o.id, h.history from opportunities o
              ${onePassHistories(orgId, at(60).toISOString())} where o.org_id = ${orgId}`,
      );
      return lines.map((l) => l["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/Index Only Scan using stage_changes_history_idx on stage_changes/);
    const stageRead = plan.slice(0, plan.indexOf("stage_changes_history_idx"));
    expect(stageRead.split("\n").slice(-3).join("\n")).not.toMatch(/Sort/);
  });
});

describe("reading histories as the database writes them", () => {
  it("reads every entry's milliseconds and stage exactly as the general reading does", () => {
    // Milliseconds as the database prints them: whole (any length, signed), with a fraction, or an infinite date.
    const msText = fc.oneof(
      fc.integer({ min: -(2 ** 50), max: 2 ** 50 }).map(String),
      fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map(String),
      fc.double({ min: -1e15, max: 1e15, noNaN: true }).map((x) => x.toFixed(3)),
      fc.constantFrom("Infinity", "-Infinity", "0", "-0"),
    );
    const stage = fc
      .string({ unit: "grapheme", maxLength: 12 })
      .filter((x) => !x.includes("\u001e") && !x.includes("\u001f"));
    const history = fc.array(
      fc.tuple(msText, fc.constantFrom("discovery", "proposal", "won"), stage, fc.boolean()),
      {
        minLength: 1,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(fc.array(history, { maxLength: 6 }), (histories) => {
        const entries = histories.map((h) =>
          h.map(([ms, common, other, useCommon]) => [ms, useCommon ? common : other] as const),
        );
        const table = readHistories(
          entries.map((h, i) => ({
            id: `o${i}`,
            account_id: "a",
            name: "n",
            owner_user_id: null,
            amount_minor: 0,
            currency: "EUR",
            segment: null,
            history: h.map(([ms, name]) => `${ms}\u001f${name}`).join("\u001e"),
          })),
        );
        entries.forEach((h, i) => {
          const from = table.history.offsets[i]!;
          expect(table.history.offsets[i + 1]! - from).toBe(h.length);
          h.forEach(([ms, name], j) => {
            const want = Number(ms);
            expect(
              Object.is(table.history.enteredAtMs[from + j], Number.isFinite(want) ? want : Number.NaN),
            ).toBe(true);
            expect(table.stageNames[table.history.stage[from + j]!]).toBe(name);
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});
