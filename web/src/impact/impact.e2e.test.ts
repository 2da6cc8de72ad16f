// Browser test of the impact pages: the portfolio ranks the event, its report shows the two ledgers apart, the ROI
// curve with a future horizon not yet known, the model switcher, and the offline-vs-online chart. It runs with the
// e2e suite's helpers (built web app, real server, Debian's Chromium); the e2e config must include
// web/src/**/*.e2e.test.ts for `npm run test:e2e` to pick it up.
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { insertRoundtableRoiWorld } from "../../../src/server/impact/roundtable-roi-world.ts";
import { insertTinyWorld } from "../../../src/server/impact/tiny-world-db.ts";

const DAY = 86_400_000;
let server: SeededServer;
let browser: Browser;
let eventId: string;
beforeAll(async () => {
  mkdirSync(".tmp/e2e", { recursive: true });
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
  // The tiny world of docs/roi.md, ending 250 days before today: horizons up to 180 days are known, 365 is not.
  const t0 = Math.floor(Date.now() / DAY) * DAY - 250 * DAY;
  ({ eventId } = await insertTinyWorld(server.db, server.admin.orgId, undefined, t0));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("impact pages", () => {
  it("ranks events and shows an event's ledgers, ROI curve, models and offline view", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // The report is computed on request; on a busy machine it can take longer than the 30 s default.
    page.setDefaultTimeout(90_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/impact?horizon=90`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const ranked = page.getByRole("table", { name: "Events ranked by ROI" });
    await ranked.waitFor();
    const first = ranked.getByRole("row").nth(1);
    expect(await first.textContent()).toContain("Field dinner");
    expect(await first.textContent()).toContain("+60%");

    await ranked.getByRole("link", { name: "Field dinner" }).click();
    await page.getByRole("heading", { name: "Indicators" }).waitFor();
    await page.getByRole("heading", { name: "Outcomes" }).waitFor();
    const roi = page.getByRole("table", { name: "ROI by horizon" });
    expect(await roi.getByRole("row").nth(5).textContent()).toContain("not yet known");
    expect(await roi.getByRole("row").nth(3).textContent()).toContain("+60%");
    await page.getByRole("heading", { name: "Offline vs online" }).waitFor();
    // Nothing is won by day 90; at 180 days D1 is, and its revenue shows by channel on both views.
    await page.getByText("No won revenue among the deals this event touched yet.").waitFor();
    await page.getByLabel("Outcomes at").selectOption("180");
    await page.getByRole("img", { name: /Won revenue by channel/ }).waitFor();

    await page.getByLabel("Attribution model", { exact: true }).selectOption("first_touch");
    await page.getByText(/the part First touch credits to the event/).waitFor();
    expect(page.url()).toContain(`/impact/events/${eventId}?horizon=180&model=first_touch`);
    await page.screenshot({ path: ".tmp/e2e/impact-event.png", fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a roundtable's movement outcomes and values its ROI on pipeline acceleration", async () => {
    // The worked example of roundtable-roi-world.ts, 120 days ago: 40 days saved × 2,000 minor × 6 deals at 90 days.
    const t0 = new Date(Math.floor(Date.now() / DAY) * DAY - 120 * DAY);
    const id = await insertRoundtableRoiWorld(server.db, server.admin.orgId, t0);
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    await page.goto(`${server.url}/impact/events/${id}?horizon=90`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const movement = page.getByRole("table", { name: "Movement outcomes" });
    const value = movement.getByRole("row", { name: /Pipeline acceleration value/ });
    await value.waitFor();
    expect(await value.textContent()).toContain("+$4,800.00");
    const days = movement.getByRole("row", { name: /Days saved to next stage/ });
    expect(await days.textContent()).toContain("+40.0 days");
    await page.getByText("Deals won sooner (not in ROI)").waitFor();
    await page.screenshot({ path: ".tmp/e2e/impact-roundtable.png", fullPage: true });
    await context.close();
  });
});
