import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, people } from "../src/db/schema/index.ts";
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
  // The 30-day check closed 16 days ago and this learner never answered it.
  const closed = await issueLinks(
    db,
    orgId,
    b.id,
    { personIds: [ids[1]!], phase: "delayed", delayDays: 30 },
    undefined,
  );
  closedToken = closed.links[0]!.token;
}, 240_000);

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

  it("reads the educator report: gain, retention, calibration, items and the Moore levels", async () => {
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
    await page.screenshot({ path: join(shots, "learning-report.png"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
