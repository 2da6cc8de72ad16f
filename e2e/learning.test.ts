import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accounts,
  checkIns,
  eventSessions,
  events,
  people,
  productUsageEvents,
  supportTickets,
} from "../src/db/schema/index.ts";
import { issueLinks } from "../src/server/learning/attempts.ts";
import { createAssessment } from "../src/server/learning/create-assessment.ts";
import { saveAnswers, submitAttempt } from "../src/server/learning/take-assessment.ts";
import { launchBrowser, newContext } from "./helpers/browser.ts";
import { type SeededServer, startSeededServer } from "./helpers/test-server.ts";

const shots = join(process.cwd(), ".tmp", "e2e");
const DAY = 86_400_000;

let server: SeededServer;
let browser: Browser;
let upcomingToken: string;
let closedToken: string;
let pastEventId: string;
let trainingEventId: string;

function watchErrors(page: Page, allowed: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (!allowed.some((p) => p.test(message.text()))) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

const item = (objective: string, prompt: string) => ({
  kind: "single" as const,
  prompt,
  options: ["The right one", "A wrong one"],
  correct: [0],
  objective,
  outcomeLevel: "3A" as const,
});

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
  const { db } = server;
  const orgId = server.admin.orgId;
  const now = Date.now();
  const [upcoming, past] = await db.withOrg(orgId, async (tx) => {
    const make = (name: string, slug: string, start: number) =>
      tx
        .insert(events)
        .values({
          orgId,
          name,
          slug,
          type: "cme_activity",
          format: "tactical",
          startsAt: new Date(start),
          endsAt: new Date(start + 4 * 3_600_000),
          timeZone: "UTC",
        })
        .returning({ id: events.id });
    const [u] = await make("Heart Failure Update", "hf-update", now + 2 * DAY);
    const [p] = await make("Sepsis Bundle Course", "sepsis", now - 60 * DAY);
    return [u!.id, p!.id];
  });
  pastEventId = past;
  const learners = await db.withOrg(orgId, (tx) =>
    tx
      .insert(people)
      .values(
        [1, 2, 3, 4].map((i) => ({
          orgId,
          email: `clinician${i}@example.test`,
          firstName: "Clin",
          lastName: `${i}`,
          degree: "MD",
        })),
      )
      .returning({ id: people.id }),
  );
  const ids = learners.map((l) => l.id);

  const a = await createAssessment(
    db,
    orgId,
    upcoming,
    {
      title: "Heart failure check",
      items: [item("GDMT", "First-line therapy?"), item("Diuretics", "Dose when congested?")],
    },
    new Date(now),
  );
  upcomingToken = (await issueLinks(db, orgId, a.id, { personIds: [ids[0]!], phase: "pre" }, undefined))
    .links[0]!.token;

  // The past activity: the worked example of the learning report test (pre 37.5, post 87.5, gain 0.8).
  const start = now - 60 * DAY;
  const end = start + 4 * 3_600_000;
  const b = await createAssessment(
    db,
    orgId,
    past,
    {
      title: "Sepsis check",
      items: [item("Lactate", "When to re-measure lactate?"), item("Fluids", "Initial fluid volume?")],
    },
    new Date(start - 7 * DAY),
  );
  const itemIds = b.items.map((i) => i.id);
  const marks: Record<"pre" | "post", boolean[][]> = {
    pre: [
      [false, false],
      [true, false],
      [false, false],
      [true, true],
    ],
    post: [
      [true, true],
      [true, true],
      [true, false],
      [true, true],
    ],
  };
  for (const [phase, at] of [
    ["pre", start - DAY],
    ["post", end + 3_600_000],
  ] as const) {
    const { links } = await issueLinks(db, orgId, b.id, { personIds: ids, phase }, undefined);
    for (const [n, link] of links.entries()) {
      const m = marks[phase][ids.indexOf(link.personId)]!;
      await saveAnswers(
        db,
        link.token,
        {
          answers: m.map((right, j) => ({
            itemId: itemIds[j]!,
            answer: [right ? 0 : 1],
            confidence: right ? 4 : n === 2 ? 3 : 1,
          })),
        },
        new Date(at),
      );
      await submitAttempt(db, link.token, new Date(at));
    }
  }
  // The 30-day check (open from 30 to 16 days ago), answered by three learners while it was open (the second
  // learner never answered it). Marks are [right, confidence]; option 0 is right.
  const delayed: Record<number, [boolean, 1 | 2 | 3 | 4][]> = {
    0: [
      [true, 4],
      [false, 4], // confident and wrong on Fluids
    ],
    2: [
      [false, 1],
      [false, 1],
    ],
    3: [
      [true, 3],
      [true, 3],
    ],
  };
  const thirty = await issueLinks(
    db,
    orgId,
    b.id,
    { personIds: [ids[0]!, ids[2]!, ids[3]!], phase: "delayed", delayDays: 30 },
    undefined,
  );
  for (const link of thirty.links) {
    const m = delayed[ids.indexOf(link.personId)]!;
    const at = new Date(end + 31 * DAY);
    await saveAnswers(
      db,
      link.token,
      {
        answers: m.map(([right, confidence], j) => ({
          itemId: itemIds[j]!,
          answer: [right ? 0 : 1],
          confidence,
        })),
      },
      at,
    );
    await submitAttempt(db, link.token, at);
  }
  // The 30-day check closed 16 days ago and this learner never answered it.
  const closed = await issueLinks(
    db,
    orgId,
    b.id,
    { personIds: [ids[1]!], phase: "delayed", delayDays: 30 },
    undefined,
  );
  closedToken = closed.links[0]!.token;
  trainingEventId = await seedTraining(server, now);
}, 240_000);

/**
 * A customer training 200 days ago: the worked example of the adoption test (two trained accounts; untrained
 * controls that use the product like its one control; tickets on the trained topics) shifted in time by whole days,
 * plus a scenario check.
 */
async function seedTraining({ db, admin }: SeededServer, now: number): Promise<string> {
  const orgId = admin.orgId;
  const base = Date.parse("2025-03-10T09:00:00Z");
  const shift = Math.floor((now - 200 * DAY - base) / DAY) * DAY;
  const at = (iso: string) => new Date(Date.parse(iso) + shift);
  const eventId = await db.withOrg(orgId, async (tx) => {
    const [e] = await tx
      .insert(events)
      .values({
        orgId,
        name: "Product Onboarding",
        slug: "product-onboarding",
        type: "customer_training",
        format: "tactical",
        startsAt: at("2025-03-10T09:00:00Z"),
        endsAt: at("2025-03-10T12:00:00Z"),
        timeZone: "UTC",
      })
      .returning({ id: events.id });
    const sessions = await tx
      .insert(eventSessions)
      .values([
        {
          orgId,
          eventId: e!.id,
          title: "Reports",
          startsAt: at("2025-03-10T09:00:00Z"),
          endsAt: at("2025-03-10T10:00:00Z"),
          features: ["reports"],
          topics: ["Reports", "Exports"],
        },
        {
          orgId,
          eventId: e!.id,
          title: "Everything else",
          startsAt: at("2025-03-10T10:00:00Z"),
          endsAt: at("2025-03-10T12:00:00Z"),
          features: ["dashboards"],
          topics: ["Dashboards", "Filters", "Sharing", "Alerts", "Roles", "Billing", "SSO", "API", "Audit"],
        },
      ])
      .returning({ id: eventSessions.id });
    const accs = await tx
      .insert(accounts)
      .values([
        { orgId, name: "Trained One", segment: "smb", employees: 50 },
        { orgId, name: "Trained Two", segment: "smb", employees: 100 },
        { orgId, name: "Control One", segment: "smb", employees: 50 },
        { orgId, name: "Control Two", segment: "smb", employees: 60 },
        { orgId, name: "Control Three", segment: "smb", employees: 90 },
      ])
      .returning({ id: accounts.id });
    const users = await tx
      .insert(people)
      .values(accs.map((a, i) => ({ orgId, accountId: a.id, email: `user${i}@customer.test` })))
      .returning({ id: people.id });
    // The report matches 3 controls per trained account: three untrained accounts that behave alike.
    const [T1, T2, ...controls] = accs.map((a, i) => ({ accountId: a.id, personId: users[i]!.id }));
    let n = 0;
    const scan = (personId: string, sessionId: string, direction: "entry" | "exit", when: string) => ({
      orgId,
      eventId: e!.id,
      sessionId,
      personId,
      direction,
      method: "qr" as const,
      scanNonce: `onboarding-${n++}`,
      occurredAt: at(when),
    });
    await tx
      .insert(checkIns)
      .values(
        [T1!, T2!].flatMap((t) => [
          scan(t.personId, sessions[0]!.id, "entry", "2025-03-10T09:00:00Z"),
          scan(t.personId, sessions[0]!.id, "exit", "2025-03-10T10:00:00Z"),
          scan(t.personId, sessions[1]!.id, "entry", "2025-03-10T10:00:00Z"),
          scan(t.personId, sessions[1]!.id, "exit", "2025-03-10T12:00:00Z"),
        ]),
      );
    const use = (acc: typeof T1, feature: string, when: string, guided = false) => ({
      orgId,
      externalId: `use-${n++}`,
      accountId: acc!.accountId,
      personId: acc!.personId,
      feature,
      occurredAt: at(when),
      guided,
    });
    await tx
      .insert(productUsageEvents)
      .values([
        use(T1, "reports", "2025-02-01T10:00:00Z"),
        ...controls.map((c) => use(c, "reports", "2025-02-02T10:00:00Z")),
        use(T1, "reports", "2025-03-10T09:30:00Z"),
        use(T2, "dashboards", "2025-03-12T10:00:00Z", true),
        use(T1, "reports", "2025-03-15T10:00:00Z"),
        use(T1, "dashboards", "2025-04-20T12:00:00Z"),
        use(T2, "reports", "2025-05-01T10:00:00Z"),
        ...controls.map((c) => use(c, "reports", "2025-03-20T10:00:00Z")),
      ]);
    const ticket = (acc: typeof T1, topic: string, when: string) => ({
      orgId,
      externalId: `ticket-${n++}`,
      accountId: acc!.accountId,
      topic,
      openedAt: at(when),
    });
    await tx
      .insert(supportTickets)
      .values([
        ticket(T1, "Reports", "2025-01-10T00:00:00Z"),
        ticket(T1, "reports ", "2025-02-10T00:00:00Z"),
        ticket(T2, "Exports", "2025-02-20T00:00:00Z"),
        ticket(T2, "Dashboards", "2025-04-01T00:00:00Z"),
        ticket(T1, "Password", "2025-04-02T00:00:00Z"),
        ...controls.flatMap((c) => [
          ticket(c, "reports", "2025-03-01T00:00:00Z"),
          ticket(c, "Reports", "2025-03-20T00:00:00Z"),
          ticket(c, "Reports", "2025-05-20T00:00:00Z"),
        ]),
      ]);
    return { eventId: e!.id, trained: [T1!.personId, T2!.personId] };
  });
  const scenario = (k: number) => ({
    kind: "scenario" as const,
    prompt: `A colleague asks for report ${k}. What would you do?`,
    options: ["The right step", "A wrong step"],
    correct: [0],
    objective: `Report ${k}`,
    outcomeLevel: "4" as const,
  });
  const a = await createAssessment(
    db,
    orgId,
    eventId.eventId,
    { title: "Onboarding scenarios", items: [scenario(1), scenario(2)] },
    at("2025-03-01T00:00:00Z"),
  );
  const { links } = await issueLinks(
    db,
    orgId,
    a.id,
    { personIds: eventId.trained, phase: "post" },
    undefined,
  );
  // Trained One: right and certain, right but unsure; Trained Two: wrong yet fairly sure, right and fairly sure.
  const sheets: [number, 1 | 2 | 3 | 4][][] = [
    [
      [0, 4],
      [0, 2],
    ],
    [
      [1, 3],
      [0, 3],
    ],
  ];
  for (const link of links) {
    const sheet = sheets[eventId.trained.indexOf(link.personId)]!;
    const when = at("2025-03-10T13:00:00Z");
    await saveAnswers(
      db,
      link.token,
      {
        answers: sheet.map(([answer, confidence], j) => ({
          itemId: a.items[j]!.id,
          answer: [answer],
          confidence,
        })),
      },
      when,
    );
    await submitAttempt(db, link.token, when);
  }
  return eventId.eventId;
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("learning in the browser", () => {
  it("takes an assessment on a phone: confidence per answer, resumes on reload, submits once", async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/learn/${upcomingToken}`);
    await page.getByRole("heading", { level: 1, name: "Heart failure check" }).waitFor();
    await page.getByText("0 of 2 answered").waitFor();
    const first = page.locator("li.learner-item").nth(0);
    await first.getByLabel("The right one").check();
    await first.getByText("fairly sure").click();
    await first.getByText("Saved").waitFor();
    await page.getByText("1 of 2 answered").waitFor();

    // The same link again resumes where it stopped.
    await page.reload();
    await page.getByText("1 of 2 answered").waitFor();
    expect(await page.locator("li.learner-item").nth(0).getByLabel("The right one").isChecked()).toBe(true);
    const second = page.locator("li.learner-item").nth(1);
    await second.getByLabel("A wrong one").check();
    await second.getByText("certain").click();
    await page.getByText("2 of 2 answered").waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(shots, "learning-assessment-phone.png"), fullPage: true });
    await page.getByRole("button", { name: "Submit answers" }).click();
    await page.getByRole("heading", { name: "Thank you, your answers are in" }).waitFor();
    await page.reload();
    await page.getByText(/submitted on/).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells the learner plainly when the check has closed", async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${server.url}/learn/${closedToken}`);
    await page.getByText(/this assessment closed on .* answers are no longer accepted/).waitFor();
    expect(await page.getByRole("button", { name: "Submit answers" }).count()).toBe(0);
    await context.close();
  });

  it("reads the educator report: gain, retention at 30 days, calibration, items, misconceptions and the Moore levels", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page, [/status of 401/]);
    await page.goto(`${server.url}/learning`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signing in at /learning lands on /learning.
    await page.getByRole("heading", { level: 1, name: "Learning" }).waitFor();
    await page
      .locator("tr", { hasText: "Sepsis Bundle Course" })
      .getByRole("link", { name: "Learning report" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Sepsis Bundle Course" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/learning/events/${pastEventId}`);
    const gain = page.getByTestId("gain");
    await expect.poll(() => gain.textContent()).toContain("0.80");
    expect(await gain.textContent()).toContain("pre 37.5% → post 87.5%");
    // Both charts load their ECharts chunk on demand and draw SVG.
    await expect.poll(() => page.locator(".chart svg").count()).toBe(2);
    const rows = page.getByRole("table", { name: "Item analysis" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole("list", { name: /Outcome levels reached/ }).waitFor();
    // The 30-day check: delayed mean (50 + 0 + 100) / 3 = 50 of the post mean 87.5 = 57%; the three who answered
    // it scored 100, 50, 100 after the activity (83.3), so 50 / 83.3 = 60% for matched learners.
    const retention = page.locator(".metric", { hasText: "Retention at 30 days" });
    expect(await retention.locator(".metric-value").textContent()).toBe("57%");
    expect(await retention.textContent()).toContain("matched learners 60% (n=3)");
    // Confident-and-wrong answers (step ≥ 3) over pre, post and the 30-day check, 11 rated answers per objective:
    // Fluids 3 (pre and post of the third learner at step 3, the first learner's 30-day answer at step 4),
    // Lactate 1 (the third learner's pre answer). Highest share first.
    const misconceptions = page.locator(".panel", { hasText: "Misconceptions by objective" }).locator("li");
    expect(await misconceptions.allTextContents()).toEqual([
      "Fluids: 3 of 11 answers confident and wrong (27%)",
      "Lactate: 1 of 11 answers confident and wrong (9%)",
    ]);
    await page.screenshot({ path: join(shots, "learning-report.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reads the customer adoption report: lift by horizon, tickets DiD, first use, clarity and session load", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page, [/status of 401/]);
    await page.goto(`${server.url}/learning`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Learning" }).waitFor();
    await page
      .locator("tr", { hasText: "Product Onboarding" })
      .getByRole("link", { name: "Adoption report" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Product Onboarding" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/learning/events/${trainingEventId}/adoption`);
    await page.getByText("Trained features: dashboards, reports").waitFor();
    const metric = (label: string) => page.locator(".metric", { hasText: label });
    // Trained 1 of 4 pairs by 30 days against the control's 2 of 4; 3 of 4 by 60 and 90 days.
    for (const [days, lift] of [
      [30, "-25.0%"],
      [60, "25.0%"],
      [90, "25.0%"],
    ] as const) {
      const m = metric(`Independent use lift at ${days} days`);
      await m.waitFor();
      expect(await m.textContent()).toContain(`${days} days${lift}`);
      expect(await m.textContent()).toMatch(/95% interval .* \(2 matched accounts\)/);
    }
    // Tickets per account: trained (2, 1) → (0, 1), every control 1 → 2: DiD −2. Control residuals are 0, the
    // trained clusters score ∓0.5: Σ = 0.5; 5 clusters (each control once, though matched twice), 16 rows:
    // SE = √((5/4)(15/12) × 0.5) = 0.8839; t(0.975, 4 df) = 2.7764: −2 ± 2.454.
    const tickets = metric("Tickets on trained topics");
    expect(await tickets.locator(".metric-value").textContent()).toBe("-2.00");
    expect(await tickets.textContent()).toContain("95% interval -4.45 to 0.45, 90 days before vs after");
    expect(await metric("Time to first independent use").locator(".metric-value").textContent()).toBe("41 d");
    expect(await metric("Time to first independent use").textContent()).toContain("median among 3 of 4");
    // Clarity: 2 of the 4 scenario answers right and sure.
    expect(await metric("Clarity").locator(".metric-value").textContent()).toBe("50");
    expect(await metric("Clarity").textContent()).toContain("right and sure, of 4 answers");
    const sessions = page.getByRole("table", { name: "Sessions" }).locator("tbody tr");
    // Reports: 2 topics in 1 h; both trained users used reports on their own by 90 days. Everything else: 9 topics
    // in 2 h (overloaded above 4 per hour); dashboards used on their own by one of the two (the other was guided).
    expect(await sessions.allTextContents()).toEqual([
      "Reports2.0 –100% by 90 d",
      "Everything else4.5 overloaded–50% by 90 d",
    ]);
    await expect.poll(() => page.locator(".chart svg").count()).toBe(1);
    await page
      .getByText("2 people trained from 2 accounts; 3 untrained customer accounts to compare with.")
      .waitFor();
    await page.screenshot({ path: join(shots, "adoption-report.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
