// Browser test of the phone capture page (the proof): offline capture, back online, the lead appears once.
// It runs with the e2e suite's helpers (built web app, real server, Debian's Chromium); the e2e config must include
// web/src/**/*.e2e.test.ts for \`npm run test:e2e\` to pick it up.
import { mkdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { rows } from "../../../src/db/client.ts";

let server: SeededServer;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(".tmp/e2e", { recursive: true });
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("phone capture", () => {
  it("captures a lead offline, sends it when back online, and the lead appears once with its fields", async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/leads/capture`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Northwind Customer Summit" }).click();
    await page.getByRole("heading", { name: /Capture at Northwind Customer Summit/ }).waitFor();

    await context.setOffline(true);
    await page.getByRole("tab", { name: "New person" }).click();
    await page.getByLabel("First name").fill("Dana");
    await page.getByLabel("Last name").fill("Reyes");
    await page.getByLabel("Company").fill("Reyes Logistics");
    await page
      .getByLabel("What did they say?")
      .fill(
        "Problem: forecasts live in spreadsheets. Urgent. Evaluating us vs Clari. Next step: demo next Tuesday.",
      );
    await page.getByRole("button", { name: "Suggest fields from the note" }).click();
    await page.getByText("suggested on this phone (offline)").waitFor();
    expect(await page.getByLabel("Next step", { exact: true }).inputValue()).toBe("demo");
    await page.getByLabel("Urgency").selectOption("this_quarter"); // the rep corrects a field
    await page.getByRole("button", { name: "Save capture" }).click();
    await page.getByText(/saved on this phone/).waitFor();
    await page.getByRole("heading", { name: /Waiting on this phone \(1\)/ }).waitFor();
    await page.screenshot({ path: ".tmp/e2e/leads-offline.png" });

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.getByText(/1 capture sent from the queue/).waitFor({ timeout: 15_000 });
    // A second "online" (a flaky connection) replays nothing.
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.waitForTimeout(1000);
    const leads = await rows<{ n: number }>(server.db.owner, sql`select count(*)::int as n from leads`);
    const convs = await rows<{ urgency: string; next_step: string; raw_note: string }>(
      server.db.owner,
      sql`select urgency, next_step, raw_note from conversations`,
    );
    expect(leads[0]!.n).toBe(1);
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({ urgency: "this_quarter", next_step: "demo" });
    expect(convs[0]!.raw_note).toContain("forecasts live in spreadsheets");

    await page.goto(`${server.url}/leads`);
    await page.getByLabel("Event").selectOption({ label: "Northwind Customer Summit" });
    await page.getByRole("rowheader", { name: /Dana Reyes/ }).waitFor();
    await page.screenshot({ path: ".tmp/e2e/leads-list.png", fullPage: true });
    expect(errors).toEqual([]);
  });
});
