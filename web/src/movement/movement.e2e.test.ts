// Browser test of the movement pages: the roundtable report shows the stalled account with its missing link, each
// account's movement, coverage and activation as the API computed them, the unmeasurable deal with its reason, and
// the overview lists the roundtable. Runs with the e2e suite's helpers (built web app, real server, Debian's Chromium).
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { DAY, uid, World } from "../../../src/server/movement/test-world.ts";
import type { RoundtableReport } from "./types.ts";

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
  // A second attending account: its economic buyer engaged before the event, a new finance contact meets after it;
  // its deal has no stage history.
  await w.account(uid(1, 503), "enterprise");
  await w.person(uid(2, 503), { accountId: uid(1, 503), role: "executive_sponsor" });
  await w.person(uid(2, 504), { accountId: uid(1, 503), role: "economic_buyer" });
  await w.person(uid(2, 505), { accountId: uid(1, 503), role: "finance" });
  await w.attend(EVENT, uid(2, 503), t0, "import");
  await w.touch({ at: at(-20), channel: "email", personId: uid(2, 504) });
  await w.touch({ at: at(12), channel: "meeting", personId: uid(2, 505) });
  await w.opportunity(uid(3, 503), uid(1, 503), []);
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

    const r = (await (
      await page.request.get(`${server.url}/api/events/${EVENT}/movement`)
    ).json()) as RoundtableReport;
    const a1 = r.accounts.find((a) => a.accountId === uid(1, 501))!;
    const a3 = r.accounts.find((a) => a.accountId === uid(1, 503))!;
    // Per-account movement: stage at the event, moves per window and the censored time to next stage.
    const o1 = a1.opportunities[0]!;
    expect(o1.movement!.stageAtEvent).toBe("discovery");
    expect(o1.movement!.nextStage!.observed).toBe(false);
    const movement = page.getByRole("table", { name: "Account movement" });
    const m1 = await movement
      .getByRole("row", { name: new RegExp(a1.name) })
      .getByRole("cell")
      .allTextContents();
    expect(m1.slice(0, 6)).toEqual([
      o1.name,
      "discovery",
      ...o1.movement!.changesWithin.map((c) => `${c.changes}${c.complete ? "" : " so far"}`),
    ]);
    expect(m1[6]).toBe(`not yet, ${o1.movement!.nextStage!.days.toFixed(1)} d so far`);
    expect(m1[7]).toBe(String(o1.controlIds.length));
    expect(o1.controlIds).toEqual([uid(3, 502)]);
    // Committee coverage before and after, per account.
    expect(a3.coverage.gained).toEqual(["executive_sponsor", "finance"]);
    expect(a3.coverage.lost).toEqual(["economic_buyer"]);
    const cov = await page
      .getByRole("table", { name: "Buying-committee coverage by account" })
      .getByRole("row", { name: new RegExp(a3.name) })
      .getByRole("cell")
      .allTextContents();
    expect(cov).toEqual([
      "1: economic buyer",
      "2: executive sponsor, finance",
      "executive sponsor, finance",
      "economic buyer",
    ]);
    // Activation: the new finance contact's meeting within 14 days.
    const act14 = a3.activation.find((x) => x.days === 14)!;
    expect([act14.newStakeholders, act14.meetings]).toEqual([1, 1]);
    const act = await page
      .getByRole("table", { name: "Activation signals" })
      .getByRole("row", { name: new RegExp(`${a3.name} 14 days`) })
      .getByRole("cell")
      .allTextContents();
    expect(act).toEqual([
      "14 days",
      `${act14.attendeesEngaged} of ${act14.attendees}`,
      String(act14.othersEngaged),
      String(act14.newStakeholders),
      String(act14.meetings),
      String(act14.stageChanges),
    ]);
    // The deal without a stage history is listed with its reason, never dropped.
    expect(r.unmeasurable).toEqual([
      { opportunityId: uid(3, 503), accountId: uid(1, 503), reason: "no_stage_history" },
    ]);
    const missing = await page
      .getByRole("table", { name: "Not measurable" })
      .getByRole("row", { name: new RegExp(a3.name) })
      .textContent();
    expect(missing).toContain("no stage history");
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
