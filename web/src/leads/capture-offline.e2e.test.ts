// Browser test of the phone capture page: offline capture, back online, the first answer lost after the server
// recorded the capture, the replay recognised, and the lead appears once. It runs with the e2e suite's helpers
// (built web app, real server, Debian's Chromium).
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
  it("captures a lead offline, replays it after a lost answer, and the lead appears once with its fields", async () => {
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
    expect(await page.getByLabel("Buying stage").inputValue()).toBe("evaluating_vendors");
    const shownProblem = await page.getByLabel("Problem").inputValue();
    await page.getByLabel("Urgency").selectOption("this_quarter"); // the rep corrects a field
    await page.getByRole("button", { name: "Save capture" }).click();
    await page.getByText(/saved on this phone/).waitFor();
    await page.getByRole("heading", { name: /Waiting on this phone \(1\)/ }).waitFor();
    await page.screenshot({ path: ".tmp/e2e/leads-offline.png" });

    // The first send reaches the server, which records the capture, but its answer is lost on the way back (the
    // connection drops after forwarding). The phone must keep the capture and replay the same nonce.
    const statuses: number[] = [];
    let lostAnswers = 0;
    await page.route("**/api/events/*/captures", async (route) => {
      if (lostAnswers === 0) {
        const answer = await route.fetch();
        statuses.push(answer.status());
        lostAnswers++;
        await route.abort("connectionreset");
        return;
      }
      const answer = await route.fetch();
      statuses.push(answer.status());
      await route.fulfill({ response: answer });
    });
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await expect.poll(() => lostAnswers, { timeout: 15_000 }).toBe(1);
    // The lost answer leaves the capture waiting on the phone.
    await page.getByRole("heading", { name: /Waiting on this phone \(1\)/ }).waitFor();
    expect(statuses).toEqual([201]);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.getByText(/1 capture sent from the queue/).waitFor({ timeout: 15_000 });
    // The replay was recognised as one: the server answered 200, not 201.
    expect(statuses).toEqual([201, 200]);
    await page.getByRole("heading", { name: /Waiting on this phone/ }).waitFor({ state: "detached" });
    // A further "online" (a flaky connection) sends nothing: the queue is empty.
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.waitForTimeout(1000);
    expect(statuses).toHaveLength(2);
    const leads = await rows<{ person_id: string }>(server.db.owner, sql`select person_id from leads`);
    const convs = await rows<{
      person_id: string;
      capture_nonce: string;
      problem: string | null;
      buying_stage: string | null;
      urgency: string;
      next_step: string;
      raw_note: string;
    }>(
      server.db.owner,
      sql`select person_id, capture_nonce, problem, buying_stage, urgency, next_step, raw_note from conversations`,
    );
    expect(leads).toHaveLength(1);
    expect(convs).toHaveLength(1);
    expect(convs[0]).toMatchObject({
      problem: shownProblem,
      buying_stage: "evaluating_vendors",
      urgency: "this_quarter",
      next_step: "demo",
    });
    expect(convs[0]!.problem).toContain("spreadsheets");
    expect(convs[0]!.raw_note).toContain("forecasts live in spreadsheets");
    // The conversation and the lead are on the same person, the one typed on the phone.
    expect(convs[0]!.person_id).toBe(leads[0]!.person_id);
    const person = await rows<{ first_name: string; last_name: string; company: string | null }>(
      server.db.owner,
      sql`select p.first_name, p.last_name, a.name as company from people p
          left join accounts a on a.id = p.account_id where p.id = ${leads[0]!.person_id}`,
    );
    expect(person).toEqual([{ first_name: "Dana", last_name: "Reyes", company: "Reyes Logistics" }]);

    await page.goto(`${server.url}/leads`);
    await page.getByLabel("Event").selectOption({ label: "Northwind Customer Summit" });
    await page.getByRole("rowheader", { name: /Dana Reyes/ }).waitFor();
    await page.screenshot({ path: ".tmp/e2e/leads-list.png", fullPage: true });
    expect(errors).toEqual([]);
  });
});
