import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { fitKickoffLiftHalfLife, type LiftDeals } from "../../core/movement/kickoff-lift-half-life.ts";
import { createRng } from "../../core/stats/index.ts";
import { type Database, rows } from "../../db/client.ts";
import {
  assessmentAttempts,
  assessmentItems,
  assessments,
  kickoffPhrases,
  managerObservations,
  responses,
} from "../../db/schema/index.ts";
import { loadEvent, toMs } from "./event-context.ts";
import { kickoffImpact } from "./kickoff-impact.ts";
import { loadClosedDeals, loadReps, type RepClosedDeals } from "./kickoff-queries.ts";
import { type DecayDeal, fitLiftHalfLife } from "./lift-half-life.ts";
import { DAY, uid, World } from "./test-world.ts";

// Worked example (docs/movement.md): three attending reps (one reinforced), one who stayed away; four weeks
// before and four complete weeks after.
const T0 = new Date("2025-02-03T09:00:00Z");
const END = new Date(T0.getTime() + 2 * DAY);
const asOf = new Date(END.getTime() + 28 * DAY);
const before = (days: number) => new Date(T0.getTime() - days * DAY);
const after = (days: number) => new Date(END.getTime() + days * DAY);
const EVENT = uid(9, 3);
const R = (n: number) => uid(8, n);
const ACC = uid(1, 200);
const options = { asOf, beforeDays: 28, afterDays: 28, resamples: 400, seed: 3 };

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (const [i, v] of expected.entries()) expect(actual[i]).toBeCloseTo(v, 12);
}

let db: Database;
let orgId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  const w = new World(db, orgId);
  await w.event(EVENT, "sales_kickoff", T0, END);
  await w.account(ACC, "enterprise");
  const teams: Record<number, string> = { 1: "East", 2: "East", 3: "West", 4: "West" };
  for (const n of [1, 2, 3, 4]) {
    await w.user(R(n), "rep", teams[n]!);
    await w.person(uid(2, n), { email: `${R(n)}@example.test` });
    if (n !== 4) await w.attend(EVENT, uid(2, n), T0, n === 1 ? "checkin" : "import");
  }
  await w.touch({
    at: after(3),
    channel: "email",
    kind: "reinforcement",
    personId: uid(2, 1),
    eventId: EVENT,
  });

  // Closed deals: [rep, won, closed, cycle days, amount].
  let n = 0;
  const deal = async (rep: number, won: boolean, closed: Date, cycle = 30, amountMinor = 1_000_000) => {
    n++;
    await w.opportunity(
      uid(3, n),
      ACC,
      [
        ["discovery", new Date(closed.getTime() - cycle * DAY)],
        [won ? "closed_won" : "closed_lost", closed],
      ],
      { ownerUserId: R(rep), amountMinor },
    );
  };
  for (const [rep, wins] of [
    [1, [true, false]],
    [2, [false, false]],
    [3, [true, false]],
    [4, [true, false]],
  ] as const) {
    await deal(rep, wins[0], before(3));
    await deal(rep, wins[1], before(10));
  }
  await deal(1, true, after(3), 20, 2_000_000);
  await deal(1, true, after(10), 20, 2_000_000);
  for (const rep of [2, 3, 4]) {
    await deal(rep, true, after(3));
    await deal(rep, false, after(10));
  }

  // Notes: one per rep and week, on an open deal the rep owns (rep 3 signs with metadata.author_user_id).
  const noteOpp = (rep: number) => uid(5, rep);
  for (const rep of [1, 2, 3, 4])
    await w.opportunity(noteOpp(rep), ACC, [["discovery", before(60)]], { ownerUserId: R(rep) });
  const note = (rep: number, at: Date, uses: boolean) =>
    w.touch({
      at,
      channel: "note",
      kind: rep === 2 ? "call_summary" : "deal_note",
      ...(rep === 3 ? {} : { opportunityId: noteOpp(rep) }),
      metadata: {
        text: uses ? "Framed the Time-to-Value story; next step agreed" : "Sent pricing, waiting on legal",
        ...(rep === 3 ? { author_user_id: R(3) } : {}),
      },
    });
  const usesAfter: Record<number, boolean[]> = {
    1: [true, true, true, true],
    2: [true, true, false, false],
    3: [true, false, false, false],
  };
  for (const rep of [1, 2, 3]) {
    for (let k = 0; k < 4; k++) {
      await note(rep, before(k * 7 + 3.5), rep === 3 && k === 0);
      await note(rep, after(k * 7 + 3.5), usesAfter[rep]![k]!);
    }
  }
  await note(1, after(29), true); // after the as-of date: ignored
  await db.owner.insert(kickoffPhrases).values([
    { orgId, eventId: EVENT, phrase: "time to value" },
    { orgId, eventId: EVENT, phrase: "platform consolidation" },
  ]);
  await db.owner.insert(managerObservations).values({
    orgId,
    eventId: EVENT,
    repUserId: R(2),
    observedAt: after(24),
    items: { a: true, b: true, c: false, d: false },
  });

  // Certification: a post-kickoff check; rep 1 gets 1 of 2, rep 2 gets 2 of 2.
  const A = uid(6, 1);
  await db.owner.insert(assessments).values({ orgId, id: A, eventId: EVENT, title: "Certification" });
  const items = [uid(6, 11), uid(6, 12)];
  await db.owner.insert(assessmentItems).values(
    items.map((id, i) => ({
      orgId,
      id,
      assessmentId: A,
      position: i,
      kind: "single" as const,
      prompt: `Q${i}`,
      options: ["a", "b"],
      correct: [0],
      objective: "positioning",
      outcomeLevel: "3A" as const,
    })),
  );
  for (const [rep, correct] of [
    [1, [true, false]],
    [2, [true, true]],
  ] as const) {
    const attempt = uid(7, rep);
    await db.owner.insert(assessmentAttempts).values({
      orgId,
      id: attempt,
      assessmentId: A,
      personId: uid(2, rep),
      phase: "post",
      submittedAt: after(1),
    });
    await db.owner.insert(responses).values(
      items.map((itemId, i) => ({
        orgId,
        attemptId: attempt,
        itemId,
        personId: uid(2, rep),
        answer: [correct[i] ? 0 : 1],
        correct: correct[i]!,
        confidence: 3,
      })),
    );
  }
});

afterAll(async () => {
  await db.close();
});

describe("sales kickoff impact (worked example)", () => {
  it("measures win rate, cycle and deal size against the rep who stayed away", async () => {
    const r = await kickoffImpact(db, orgId, EVENT, options);
    expect(r.indicators).toEqual({
      reps: 4,
      attendingReps: 3,
      reinforcedReps: 1,
      certifiedReps: 2,
      meanCertificationScore: 0.75,
    });
    expect(r.windows).toEqual({ beforeDays: 28, afterDays: 28, weeksBefore: 4, weeksAfter: 4 });
    const win = r.outcomes.winRate;
    expect(win.before).toBeCloseTo(2 / 6, 12);
    expect(win.after).toBeCloseTo(4 / 6, 12);
    if (win.change.status !== "estimated") throw new Error(win.change.message);
    expect(win.change.design).toBe("difference_in_differences");
    expect(win.change.estimate).toBeCloseTo(1 / 3, 12); // (4/6 − 2/6) − (1/2 − 1/2)
    // The reinforced rep (R1: 1/2 → 2/2) against the absent one (1/2 → 1/2).
    const kept = win.reinforcedVsAbsent;
    expect(kept.status === "estimated" && kept.estimate).toBeCloseTo(0.5, 12);
    const cycle = r.outcomes.cycleDays;
    expect(cycle.before).toBe(30);
    expect(cycle.after).toBeCloseTo(160 / 6, 12);
    expect(cycle.change.status === "estimated" && cycle.change.estimate).toBeCloseTo(-10 / 3, 12);
    const size = r.outcomes.dealSizeMinor;
    expect([size.before, size.after]).toEqual([1_000_000, 1_500_000]);
    expect(size.change.status === "estimated" && size.change.estimate).toBeCloseTo(500_000, 6);
    const east = r.teams.find((t) => t.team === "East")!;
    expect([east.reps, east.before.winRate, east.after.winRate]).toEqual([2, 1 / 4, 3 / 4]);
  });

  it("measures messaging adoption from the glossary and the manager checklist, week by week", async () => {
    const r = await kickoffImpact(db, orgId, EVENT, options);
    const a = r.outcomes.adoption;
    if (a.status !== "measured") throw new Error(a.message);
    expect(a.before).toBeCloseTo(1 / 12, 12);
    // notes 7 of 12 use the positioning; checklist 2 of 4 items seen → mean(7/12, 1/2)
    expect(a.after).toBeCloseTo(13 / 24, 12);
    expectClose(
      a.weekly.map((x) => x.adoption!),
      [1, 2 / 3, 1 / 3, 5 / 12],
    );
    if (a.decay.status !== "estimated") throw new Error(a.decay.message);
    // The rep who stayed away wrote no notes, so the curve is against the reps' own baselines.
    expect(a.decay.comparedWith).toBe("own_baseline");
    expectClose(
      a.decay.weeks.map((x) => x.estimate!),
      [11 / 12, 7 / 12, 1 / 4, 1 / 3],
    );
    if (a.reinforcedVsRest.status !== "estimated") throw new Error(a.reinforcedVsRest.message);
    expectClose(
      a.reinforcedVsRest.weeks.map((x) => x.estimate!),
      [0.125, 0.625, 1.125, 1],
    );
    const r3 = r.reps.find((x) => x.userId === R(3))!;
    expect(r3.adoption).toMatchObject({ before: 0.25, after: 0.25, notesBefore: 4, notesAfter: 4 });
  });

  it("alerts when a rep's adoption falls below the threshold", async () => {
    const r = await kickoffImpact(db, orgId, EVENT, { ...options, adoptionThreshold: 0.5, alertMinNotes: 2 });
    expect(r.alerts.map((x) => [x.repId, x.weeks, x.adoption, x.earlier, x.team])).toEqual([
      [R(2), [3, 4], 0.25, 1, "East"],
      [R(3), [3, 4], 0, 0.5, "West"],
    ]);
  });

  it("says when there is no glossary instead of reporting zero adoption", async () => {
    const other = await createTestOrg(db);
    const w = new World(db, other);
    await w.event(uid(9, 4), "sales_kickoff", T0, END);
    const r = await kickoffImpact(db, other, uid(9, 4), options);
    expect(r.outcomes.adoption.status).toBe("no_glossary");
    expect(r.outcomes.winRate.change).toEqual({
      status: "insufficient",
      message: "no rep attended the kickoff",
    });
  });
});

describe("kickoff lift half-life from sufficient statistics", () => {
  const GROUPS = ["absent", "reinforced", "unreinforced"] as const;
  const world = (
    n: number,
    seed: number,
    halfLife: number,
    lift: number,
    wholeDays: boolean,
  ): DecayDeal[] => {
    const rng = createRng(seed);
    return Array.from({ length: n }, () => {
      const group = GROUPS[rng.int(3)]!;
      const raw = -182 + 364 * rng.next();
      const days = wholeDays ? Math.round(raw) : raw;
      const x = days < 0 || group === "absent" ? 0 : group === "reinforced" ? 1 : 2 ** (-days / 7 / halfLife);
      return { won: rng.next() < 0.3 + (0.05 * days) / 365 + lift * x, days, group };
    });
  };
  const columns = (deals: readonly DecayDeal[]): LiftDeals => ({
    won: Uint8Array.from(deals, (d) => (d.won ? 1 : 0)),
    days: Float64Array.from(deals, (d) => d.days),
    group: Uint8Array.from(deals, (d) => GROUPS.indexOf(d.group)),
  });

  it("gives exactly the row-by-row profile's lift, half-life and intervals", () => {
    for (const [n, seed, halfLife, lift, wholeDays] of [
      [40, 1, 3, 0.3, false],
      [400, 2, 0.5, 0.2, false],
      [3000, 3, 6, 0.15, true],
      [5000, 4, 60, 0.1, false],
      [5000, 5, 4, 0, false],
    ] as const) {
      const deals = world(n, seed, halfLife, lift, wholeDays);
      expect(fitKickoffLiftHalfLife(columns(deals))).toEqual(fitLiftHalfLife(deals));
    }
  });

  it("gives the same answer without reinforced reps and when there is nothing to fit", () => {
    const noReinforced = world(2000, 6, 5, 0.2, false).map((d) =>
      d.group === "reinforced" ? { ...d, group: "unreinforced" as const } : d,
    );
    expect(fitKickoffLiftHalfLife(columns(noReinforced))).toEqual(fitLiftHalfLife(noReinforced));
    const beforeOnly = world(300, 7, 5, 0.2, false).filter((d) => d.days < 0);
    expect(fitKickoffLiftHalfLife(columns(beforeOnly))).toEqual(fitLiftHalfLife(beforeOnly));
  });
});

describe("kickoff loaders", () => {
  it("read the same reps and deals as a row-by-row reading joined on people by email", async () => {
    const U = (n: number) => uid(10, n);
    const org = await createTestOrg(db);
    const w = new World(db, org);
    const E = uid(9, 5);
    await w.event(E, "sales_kickoff", T0, END);
    await w.account(ACC, "enterprise");
    // Reps: 1 attends (person email in other case) and is reinforced, 2 has a person and nothing else, 3 has no
    // person; 4 is an admin who attended and owns deals; person 5 attended and is no user.
    for (const n of [1, 2, 3]) await w.user(U(n), "rep", n === 3 ? null : "East");
    await w.user(U(4), "admin", "East");
    await w.person(uid(2, 1), { email: `${U(1)}@EXAMPLE.test` });
    await w.person(uid(2, 2), { email: `${U(2)}@example.test` });
    await w.person(uid(2, 4), { email: `${U(4)}@example.test` });
    await w.person(uid(2, 5), { email: "someone@example.test" });
    for (const n of [1, 4, 5]) await w.attend(E, uid(2, n), T0, n === 1 ? "checkin" : "import");
    // Two drills after the kickoff count, one before it does not.
    for (const days of [3, 5, -3])
      await w.touch({
        at: new Date((days > 0 ? END : T0).getTime() + days * DAY),
        channel: "email",
        kind: "drill",
        personId: uid(2, 1),
        eventId: E,
      });
    let n = 0;
    const deal = (owner: string, state: "won" | "lost" | "open", closed: Date, amountMinor: number) =>
      w.opportunity(
        uid(4, ((++n * 7) % 23) + 1), // ids out of insertion order: the loader puts them in id order
        ACC,
        [
          ["discovery", new Date(closed.getTime() - 17.25 * DAY - 123)],
          ...(state === "open"
            ? []
            : [[state === "won" ? "closed_won" : "closed_lost", closed] as [string, Date]]),
        ],
        { ownerUserId: owner, amountMinor },
      );
    for (const [k, owner] of [U(1), U(2), U(3), U(4), U(1), U(2)].entries()) {
      await deal(
        owner,
        k % 2 === 0 ? "won" : "lost",
        new Date(T0.getTime() - (40 - k) * DAY + 987),
        2 ** 40 + k,
      );
      await deal(owner, "won", new Date(END.getTime() + (k + 1) * DAY + 1), 1_000 * k);
      await deal(owner, "open", new Date(END.getTime() + (k + 2) * DAY), 5);
    }
    await deal(U(1), "won", new Date(T0.getTime() - 400 * DAY), 7); // before the window
    await deal(U(1), "won", new Date(asOf.getTime() + 1), 7); // after the as-of date

    const from = new Date(T0.getTime() - 182 * DAY);
    const { reps, reference, deals, referenceDeals } = await db.withOrg(org, async (tx) => {
      const event = await loadEvent(tx, org, E);
      const reference = await rows<Record<string, unknown>>(
        tx,
        sql`select distinct on (u.id) u.id as "userId", u.name, u.email, coalesce(u.territory, '(no team)') as team,
              exists (select 1 from check_ins c where c.org_id = p.org_id and c.event_id = ${E} and c.person_id = p.id
                        and c.direction = 'entry')
                or exists (select 1 from registrations r where r.org_id = p.org_id and r.event_id = ${E}
                             and r.person_id = p.id and r.attended and r.status <> 'cancelled') as attended,
              (select count(*)::int from touchpoints t where t.org_id = p.org_id and t.event_id = ${E}
                 and t.person_id = p.id and t.kind in ('reinforcement', 'drill', 'coaching')
                 and t.occurred_at >= ${END.toISOString()}::timestamptz) as reinforcements,
              null::float8 as "certificationScore"
            from users u left join people p on p.org_id = u.org_id and lower(p.email) = lower(u.email)
            where u.org_id = ${org} and u.role = 'rep' order by u.id, p.id`,
      );
      const referenceDeals = await rows<{
        owner_user_id: string;
        amount_minor: number | string;
        opened_at: unknown;
        closed_at: unknown;
        is_won: boolean;
      }>(
        tx,
        sql`select o.owner_user_id, o.amount_minor, o.opened_at, o.closed_at, o.is_won from opportunities o
            join users u on u.org_id = o.org_id and u.id = o.owner_user_id and u.role = 'rep'
            where o.org_id = ${org} and o.is_won is not null
              and o.closed_at >= ${from.toISOString()}::timestamptz and o.closed_at <= ${asOf.toISOString()}::timestamptz
            order by o.id`,
      );
      return {
        reps: await loadReps(tx, org, event),
        reference,
        deals: await loadClosedDeals(tx, org, from, asOf),
        referenceDeals,
      };
    });
    expect(reps).toEqual(reference);
    expect(reps.map((r) => [r.attended, r.reinforcements])).toEqual([
      [true, 2],
      [false, 0],
      [false, 0],
    ]);
    const expected = new Map<
      string,
      { openedAt: number[]; closedAt: number[]; amountMinor: number[]; won: number[] }
    >();
    for (const d of referenceDeals) {
      const mine = expected.get(d.owner_user_id) ?? { openedAt: [], closedAt: [], amountMinor: [], won: [] };
      mine.openedAt.push(toMs(d.opened_at));
      mine.closedAt.push(toMs(d.closed_at));
      mine.amountMinor.push(Number(d.amount_minor));
      mine.won.push(d.is_won ? 1 : 0);
      expected.set(d.owner_user_id, mine);
    }
    const plain = (c: RepClosedDeals) => ({
      openedAt: [...c.openedAt],
      closedAt: [...c.closedAt],
      amountMinor: [...c.amountMinor],
      won: [...c.won],
    });
    expect(new Map([...deals].map(([k, v]) => [k, plain(v)]))).toEqual(expected);
    expect([...expected.keys()].sort()).toEqual([U(1), U(2), U(3)]);
    expect(expected.get(U(1))!.closedAt).toHaveLength(4);
  });
});
