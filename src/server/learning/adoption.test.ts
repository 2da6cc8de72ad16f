import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { createRng } from "../../core/stats/index.ts";
import type { Database } from "../../db/client.ts";
import { accounts, checkIns, people, productUsageEvents, supportTickets } from "../../db/schema/index.ts";
import { adoptionReport } from "./adoption.ts";
import { issueLinks } from "./attempts.ts";
import { createAssessment } from "./create-assessment.ts";
import { saveAnswers, submitAttempt } from "./take-assessment.ts";
import { addEvent, addPeople } from "./test-world.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db.close());

async function insertAccounts(orgId: string, rows: { name: string; segment: string; employees: number }[]) {
  return db.withOrg(orgId, async (tx) => {
    const out = await tx
      .insert(accounts)
      .values(rows.map((r) => ({ orgId, ...r })))
      .returning({ id: accounts.id });
    const ppl = await tx
      .insert(people)
      .values(out.map((a, i) => ({ orgId, accountId: a.id, email: `p${i}-${a.id.slice(0, 6)}@x.test` })))
      .returning({ id: people.id });
    return out.map((a, i) => ({ accountId: a.id, personId: ppl[i]!.id }));
  });
}

const at = (s: string) => new Date(s);

describe("customer training adoption (worked example)", () => {
  it("measures independent use vs matched controls, tickets DiD, time to first use and overload by hand", async () => {
    const orgId = await createTestOrg(db);
    const { eventId, sessionIds } = await addEvent(db, orgId, {
      type: "customer_training",
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T12:00:00Z",
      sessions: [
        {
          title: "Reports",
          startsAt: "2025-03-10T09:00:00Z",
          endsAt: "2025-03-10T10:00:00Z",
          features: ["reports"],
          topics: ["Reports", "Exports"],
        },
        {
          title: "Everything else",
          startsAt: "2025-03-10T10:00:00Z",
          endsAt: "2025-03-10T12:00:00Z",
          features: ["dashboards"],
          topics: ["Dashboards", "Filters", "Sharing", "Alerts", "Roles", "Billing", "SSO", "API", "Audit"],
        },
      ],
    });
    const [T1, T2, C1] = await insertAccounts(orgId, [
      { name: "T1", segment: "smb", employees: 50 },
      { name: "T2", segment: "smb", employees: 100 },
      { name: "C1", segment: "smb", employees: 50 },
      { name: "C2", segment: "smb", employees: 100 },
      { name: "C3", segment: "ent", employees: 5000 },
    ]);
    await db.withOrg(orgId, async (tx) => {
      let n = 0;
      const scan = (personId: string, sessionId: string, direction: "entry" | "exit", when: string) => ({
        orgId,
        eventId,
        sessionId,
        personId,
        direction,
        method: "qr" as const,
        scanNonce: `s${n++}`,
        occurredAt: at(when),
      });
      await tx
        .insert(checkIns)
        .values(
          [T1!, T2!].flatMap((t) => [
            scan(t.personId, sessionIds[0]!, "entry", "2025-03-10T09:00:00Z"),
            scan(t.personId, sessionIds[0]!, "exit", "2025-03-10T10:00:00Z"),
            scan(t.personId, sessionIds[1]!, "entry", "2025-03-10T10:00:00Z"),
            scan(t.personId, sessionIds[1]!, "exit", "2025-03-10T12:00:00Z"),
          ]),
        );
      const use = (
        acc: { accountId: string; personId: string },
        feature: string,
        when: string,
        guided = false,
      ) => ({
        orgId,
        externalId: `u-${n++}`,
        accountId: acc.accountId,
        personId: acc.personId,
        feature,
        occurredAt: at(when),
        guided,
      });
      await tx.insert(productUsageEvents).values([
        use(T1!, "reports", "2025-02-01T10:00:00Z"), // prior use (matching covariate)
        use(C1!, "reports", "2025-02-02T10:00:00Z"),
        use(T1!, "reports", "2025-03-10T09:30:00Z"), // inside the session: guided, not independent
        use(T2!, "dashboards", "2025-03-12T10:00:00Z", true), // flagged guided
        use(T1!, "reports", "2025-03-15T10:00:00Z"), // 5 days after training
        use(T1!, "dashboards", "2025-04-20T12:00:00Z"), // 41 days
        use(T2!, "reports", "2025-05-01T10:00:00Z"), // 52 days
        use(C1!, "reports", "2025-03-20T10:00:00Z"),
      ]);
      const ticket = (acc: { accountId: string }, topic: string, when: string) => ({
        orgId,
        externalId: `t-${n++}`,
        accountId: acc.accountId,
        topic,
        openedAt: at(when),
      });
      await tx.insert(supportTickets).values([
        ticket(T1!, "Reports", "2025-01-10T00:00:00Z"),
        ticket(T1!, "reports ", "2025-02-10T00:00:00Z"),
        ticket(T2!, "Exports", "2025-02-20T00:00:00Z"),
        ticket(T2!, "Dashboards", "2025-04-01T00:00:00Z"),
        ticket(T1!, "Password", "2025-04-02T00:00:00Z"), // not a trained topic
        ticket(C1!, "reports", "2025-03-01T00:00:00Z"),
        ticket(C1!, "Reports", "2025-03-20T00:00:00Z"),
        ticket(C1!, "Reports", "2025-05-20T00:00:00Z"),
      ]);
    });

    const r = await adoptionReport(db, orgId, eventId, at("2025-07-01T00:00:00Z"), { resamples: 500, k: 1 });
    expect(r.trainedFeatures).toEqual(["dashboards", "reports"]);
    // Controls are untrained customers with product users before the event: only C1 (C2, C3 never used the product).
    expect(r.indicators).toEqual({ trainedPeople: 2, trainedAccounts: 2, candidateControlAccounts: 1 });
    const use = Object.fromEntries(r.outcomes.independentUse.map((u) => [u.horizonDays, u]));
    // Pairs: T1 and T2 have (person, reports) and (person, dashboards); C1 (matched to both) has c1 x 2 features.
    // 30 d: trained 1 of 4 (t1 reports), control 2 of 4 (c1 reports, counted in both sets) -> -0.25.
    // 60 and 90 d: trained 3 of 4 (+ t1 dashboards at 41 d, t2 reports at 52 d), control 2 of 4 -> 0.25.
    expect(use[30]).toMatchObject({
      status: "measured",
      trainedShare: 0.25,
      controlShare: 0.5,
      lift: { estimate: -0.25 },
    });
    expect(use[60]).toMatchObject({ trainedShare: 0.75, controlShare: 0.5, lift: { estimate: 0.25 } });
    expect(use[90]).toMatchObject({
      lift: { estimate: 0.25 },
      matchedSets: 2,
      trainedPairs: 4,
      controlPairs: 4,
    });
    // Tickets on trained topics per account: treated (2, 1) -> (0, 1); control C1 in both sets 1 -> 2. DiD = -1 - 1 = -2.
    expect(r.outcomes.supportTickets).toMatchObject({
      status: "measured",
      estimate: -2,
      cells: {
        treatedPre: { mean: 1.5 },
        treatedPost: { mean: 0.5 },
        controlPre: { mean: 1 },
        controlPost: { mean: 2 },
      },
      relativeChange: { trained: 1 / 3 - 1, control: 1 },
      trainedAccounts: 2,
      // C1, matched to both T1 and T2, is one cluster: 3 clusters, not 4.
      controlAccounts: 1,
      controlMatches: 2,
    });
    // Cluster-robust SE by hand. Residuals from the cell means: T1 (+0.5 pre, −0.5 post), T2 (−0.5, +0.5), C1 0.
    // Row weights ±1/2, so the cluster scores are T1 −0.5, T2 +0.5, C1 0: Σ = 0.5. CR1 factor with G = 3 clusters,
    // N = 8 rows, K = 4: (3/2)(7/4) = 21/8. SE = √(21/8 × 0.5) = √(21/16). The t quantile with G − 1 = 2 degrees of
    // freedom has the closed form (2p − 1)/√(2p(1 − p)) at p = 0.975. Counting C1's two copies as 2 clusters would
    // give G = 4: SE √(7/6) and t(3) = 3.18, a narrower interval.
    const tickets = r.outcomes.supportTickets;
    if (tickets.status !== "measured") throw new Error(`tickets: ${tickets.status}`);
    const se = Math.sqrt(21 / 16);
    const t2 = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
    expect(tickets.stdError).toBeCloseTo(se, 12);
    expect(tickets.ci![0]).toBeCloseTo(-2 - t2 * se, 9);
    expect(tickets.ci![1]).toBeCloseTo(-2 + t2 * se, 9);
    expect(tickets.level).toBe(0.95);
    // Person level: 4 trained pairs; first independent uses after 5, 41 and 52 days.
    expect(r.outcomes.learners.timeToFirstIndependentUse).toEqual({
      trained: 4,
      used: 3,
      medianDays: 41,
      meanDays: 98 / 3,
    });
    expect(r.outcomes.learners.independentUse.map((x) => x.usedByShare)).toEqual([0.25, 0.75, 0.75]);
    expect(r.sessions.map((s) => [s.topicsPerHour, s.overloaded])).toEqual([
      [2, false],
      [4.5, true],
    ]);
    expect(r.outcomes.clarity.score).toBeNull();
  });

  it("scores clarity from the scenario items answered after the training", async () => {
    const orgId = await createTestOrg(db);
    const { eventId } = await addEvent(db, orgId, {
      type: "customer_training",
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T10:00:00Z",
    });
    const scenario = (n: number) => ({
      kind: "scenario" as const,
      prompt: `A customer asks for case ${n}. What would you do?`,
      options: ["the right step", "a wrong step", "another wrong step"],
      correct: [0],
      objective: `Case ${n}`,
      outcomeLevel: "4" as const,
    });
    const a = await createAssessment(
      db,
      orgId,
      eventId,
      {
        title: "Clarity",
        // A single-choice item in the same check is not a scenario and stays out of the clarity score.
        items: [scenario(1), scenario(2), { ...scenario(3), kind: "single" as const }],
      },
      at("2025-03-01T00:00:00Z"),
    );
    const [s1, s2, plain] = a.items.map((i) => i.id) as [string, string, string];
    const L = await addPeople(db, orgId, 3);
    const { links } = await issueLinks(db, orgId, a.id, { personIds: L, phase: "post" }, undefined);
    const token = (p: string) => links.find((l) => l.personId === p)!.token;
    const when = at("2025-03-10T11:00:00Z");
    // [scenario 1, scenario 2, plain]: option 0 is right; confidence 3 and 4 are confident.
    const sheets: [string, [number, 1 | 2 | 3 | 4][]][] = [
      [
        L[0]!,
        [
          [0, 4],
          [0, 2],
          [1, 4],
        ],
      ], // right and sure; right but unsure
      [
        L[1]!,
        [
          [1, 3],
          [0, 3],
          [0, 4],
        ],
      ], // wrong yet sure (a confident error); right and sure
      [
        L[2]!,
        [
          [0, 4],
          [0, 4],
          [0, 4],
        ],
      ], // saved but never submitted: not counted
    ];
    for (const [person, marks] of sheets) {
      await saveAnswers(
        db,
        token(person),
        {
          answers: [s1, s2, plain].map((itemId, j) => ({
            itemId,
            answer: [marks[j]![0]],
            confidence: marks[j]![1],
          })),
        },
        when,
      );
      if (person !== L[2]) await submitAttempt(db, token(person), when);
    }
    const r = await adoptionReport(db, orgId, eventId, at("2025-07-01T00:00:00Z"), { resamples: 200 });
    // 4 scenario answers submitted: right 3; right and confident 2 (L0 s1, L1 s2); wrong and confident 1 (L1 s1).
    expect(r.outcomes.clarity).toEqual({
      n: 4,
      correctShare: 0.75,
      confidentCorrectShare: 0.5,
      confidentWrongShare: 0.25,
      score: 50,
    });
  });

  it("recovers a planted independent-use lift inside the reported 95% interval", async () => {
    const orgId = await createTestOrg(db);
    const { eventId, sessionIds } = await addEvent(db, orgId, {
      type: "customer_training",
      startsAt: "2025-01-15T15:00:00Z",
      endsAt: "2025-01-15T16:00:00Z",
      sessions: [
        {
          title: "Workflows",
          startsAt: "2025-01-15T15:00:00Z",
          endsAt: "2025-01-15T16:00:00Z",
          features: ["workflows"],
        },
      ],
    });
    const rng = createRng(42);
    const rows = Array.from({ length: 240 }, (_, i) => ({
      name: `A${i}`,
      segment: i % 2 === 0 ? "smb" : "mid",
      employees: 20 + Math.floor(rng.next() * 500),
    }));
    const accs = await insertAccounts(orgId, rows);
    const trained = accs.slice(0, 80);
    const planted = 0.3;
    await db.withOrg(orgId, async (tx) => {
      await tx.insert(checkIns).values(
        trained.map((t, i) => ({
          orgId,
          eventId,
          sessionId: sessionIds[0]!,
          personId: t.personId,
          direction: "entry" as const,
          method: "qr" as const,
          scanNonce: `e${i}`,
          occurredAt: at("2025-01-15T15:00:00Z"),
        })),
      );
      // Everyone used the product before (a login), so untrained accounts count as customers with product users.
      const logins = accs.map((a, i) => ({
        orgId,
        externalId: `l${i}`,
        accountId: a.accountId,
        personId: a.personId,
        feature: "login",
        occurredAt: at("2024-12-01T10:00:00Z"),
      }));
      await tx.insert(productUsageEvents).values(logins);
      const usage = accs.flatMap((a, i) => {
        const p = i < 80 ? 0.3 + planted : 0.3;
        if (rng.next() >= p) return [];
        const day = 1 + Math.floor(rng.next() * 28);
        return [
          {
            orgId,
            externalId: `w${i}`,
            accountId: a.accountId,
            personId: a.personId,
            feature: "workflows",
            occurredAt: new Date(Date.UTC(2025, 0, 15, 16) + day * 86_400_000),
          },
        ];
      });
      await tx.insert(productUsageEvents).values(usage);
    });
    const r = await adoptionReport(db, orgId, eventId, at("2025-06-01T00:00:00Z"), { resamples: 1000 });
    const h30 = r.outcomes.independentUse.find((u) => u.horizonDays === 30)!;
    expect(h30.status).toBe("measured");
    if (h30.status !== "measured") return;
    expect(h30.matchedSets).toBe(80);
    expect(h30.lift.ci[0]).toBeLessThan(planted);
    expect(h30.lift.ci[1]).toBeGreaterThan(planted);
    expect(h30.lift.ci[0]).toBeGreaterThan(0);
  });
});
