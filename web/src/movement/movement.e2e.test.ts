// Browser test of the movement pages: the roundtable report shows the stalled account with its missing link, and the
// overview lists the roundtable. Runs with the e2e suite's helpers (built web app, real server, Debian's Chromium).
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { DAY, uid, World } from "../../../src/server/movement/test-world.ts";

let server: SeededServer;
let browser: Browser;
const EVENT = uid(9, 501);

beforeAll(async () => {
  mkdirSync(".tmp/e2e", { recursive: true });
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
  // A roundtable 100 days ago: one attending account whose deal never moves (only the attendee writes back), and a
  // matched account whose deal moves on day 20.
  const t0 = new Date(Math.floor(Date.now() / DAY) * DAY - 100 * DAY);
  const at = (d: number) => new Date(t0.getTime() + d * DAY);
  const w = new World(server.db, server.admin.orgId);
  await w.event(EVENT, "executive_roundtable", t0);
  await w.account(uid(1, 501), "enterprise");
  await w.account(uid(1, 502), "enterprise");
  await w.person(uid(2, 501), { accountId: uid(1, 501), role: "champion" });
  await w.attend(EVENT, uid(2, 501), t0, "checkin");
  await w.touch({ at: at(3), channel: "email", personId: uid(2, 501) });
  await w.opportunity(uid(3, 501), uid(1, 501), [["discovery", at(-30)]]);
  await w.opportunity(uid(3, 502), uid(1, 502), [
    ["discovery", at(-30)],
    ["proposal", at(20)],
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("movement pages", () => {
  it("shows the stalled account with its missing link, and lists the roundtable", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/movement/roundtables/${EVENT}`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const stalled = page.getByRole("table", { name: "Stalled accounts", exact: true });
    await stalled.waitFor();
    const row = stalled.getByRole("row").nth(1);
    expect(await row.textContent()).toContain("Not shared internally");
    expect(await row.textContent()).toContain("60 days");
    await page.getByRole("table", { name: "Velocity against matched accounts" }).waitFor();
    await page.screenshot({ path: ".tmp/e2e/movement-roundtable.png", fullPage: true });

    await page.getByRole("link", { name: "Movement" }).first().click();
    await page.getByRole("heading", { name: "Executive roundtables" }).waitFor();
    await page
      .getByRole("link", { name: /Event / })
      .first()
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
