import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "./helpers/browser.ts";
import { type SeededServer, seededEvents, startSeededServer } from "./helpers/test-server.ts";

// Screenshots go under .tmp/ (ignored by git) for a person to look at; nothing compares pixels.
const shots = join(process.cwd(), ".tmp", "e2e");

let server: SeededServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Fails the test on any uncaught error in the page or a console error the test did not expect. */
function watchErrors(page: Page, allowed: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (!allowed.some((pattern) => pattern.test(text))) errors.push(`console: ${text}`);
  });
  return errors;
}

// Before sign-in the app asks /api/auth/me and gets 401: the browser logs that failed request as an error.
const expected401 = [/status of 401/];

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

function eventRow(page: Page, name: string) {
  return page.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: new RegExp(name) }) });
}

describe("web shell", () => {
  it("signs in, lists the organization's events, moves between areas and back, and signs out", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page, expected401);

    await page.goto(`${server.url}/`);
    await signIn(page, server.admin.email, server.admin.password);

    await page.getByRole("heading", { level: 1, name: "Events" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/events");
    await page.getByText("3 events").waitFor();
    await expect.poll(() => page.locator("tbody tr").count()).toBe(seededEvents.length);
    expect(await page.locator("header.topbar").textContent()).toContain(server.orgName);

    // Each event in its own zone (the browser runs in UTC), with money from minor units.
    const berlin = await eventRow(page, "Northwind Customer Summit").textContent();
    expect(berlin).toContain("Conference");
    expect(berlin).toContain("Mar 10, 2026, 9:00 AM");
    expect(berlin).toContain("Europe/Berlin");
    expect(berlin).toContain("$42,500.00");
    const newYork = await eventRow(page, "CFO Roundtable").textContent();
    expect(newYork).toContain("Executive roundtable");
    expect(newYork).toContain("Strategic");
    expect(newYork).toContain("Feb 18, 2026");
    expect(newYork).toContain("6:30");
    expect(newYork).toContain("$12,800.50");
    const tokyo = await eventRow(page, "Reporting Essentials Webinar").textContent();
    expect(tokyo).toContain("Jan 22, 2026");
    expect(tokyo).toContain("10:00");
    expect(tokyo).toContain("$0.00");
    for (const seed of seededEvents) {
      const cells = eventRow(page, seed.name).locator("td.num");
      expect(await cells.nth(0).textContent()).toBe(String(seed.registered));
      expect(await cells.nth(1).textContent()).toBe(String(seed.attended));
    }

    // The indicator chart loads its ECharts chunk on demand and draws SVG.
    await page.locator(".chart svg").first().waitFor();
    await page.screenshot({ path: join(shots, "events.png"), fullPage: true });

    // Filter by type: the URL carries it, the list narrows.
    await page.getByLabel("Type").selectOption("webinar");
    await page.getByText("1 webinar event").waitFor();
    expect(new URL(page.url()).search).toBe("?type=webinar");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await page.getByLabel("Type").selectOption("trade_show");
    await page.getByRole("heading", { name: "No trade show events" }).waitFor();
    await page.getByLabel("Type").selectOption("");
    await page.getByText("3 events").waitFor();

    // Another area, then back with the browser's Back button and through the navigation.
    const nav = page.getByRole("navigation", { name: "Product areas" });
    await nav.getByRole("link", { name: /Impact/ }).click();
    await page.getByRole("heading", { level: 1, name: "Impact" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/impact");
    // The portfolio ranks the organization's events.
    await page.getByText("CFO Roundtable: Spend Control").first().waitFor();
    expect(await page.getByText("Not built yet").count()).toBe(0);
    expect(await nav.getByRole("link", { name: /Impact/ }).getAttribute("aria-current")).toBe("page");
    await page.screenshot({ path: join(shots, "impact.png"), fullPage: true });
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Events" }).waitFor();
    await nav.getByRole("link", { name: /Movement/ }).click();
    await page.getByRole("heading", { level: 1, name: "Movement" }).waitFor();
    await nav.getByRole("link", { name: /Events/ }).click();
    await page.getByText("3 events").waitFor();

    // A deep link survives a reload (the server falls back to index.html; the session cookie persists).
    await page.goto(`${server.url}/learning`);
    await page.getByRole("heading", { level: 1, name: "Learning" }).waitFor();

    // Settings: create an API key; the secret shows once and the key is listed by name.
    await nav.getByRole("link", { name: /Settings/ }).click();
    await page.getByRole("heading", { level: 2, name: "API keys" }).waitFor();
    await page.getByLabel("Key name").fill("CRM sync");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByLabel("API key secret").inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole("rowheader", { name: "CRM sync" }).waitFor();
    await page.screenshot({ path: join(shots, "settings.png"), fullPage: true });
    const withKey = await page.request.get(`${server.url}/api/events`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(withKey.status()).toBe(200);
    // Revoking takes a second click; afterwards the key no longer opens the API.
    await page.getByRole("button", { name: "Revoke CRM sync" }).click();
    await page.getByRole("button", { name: "Revoke “CRM sync”" }).click();
    await page.getByText("No active keys.").waitFor();
    const revoked = await page.request.get(`${server.url}/api/events`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(revoked.status()).toBe(401);

    // Sign out: back to the sign-in page, and the session is gone on the server too.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    const me = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
    expect(me).toBe(401);
    await page.goto(`${server.url}/events`);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells the reader when the email or password is wrong, and lets them try again", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page, expected401);

    await page.goto(`${server.url}/events`);
    await signIn(page, server.admin.email, "not the password");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("The email or password is wrong. Check both and try again.");
    expect(await page.getByRole("button", { name: "Sign in" }).isEnabled()).toBe(true);
    await page.screenshot({ path: join(shots, "sign-in-error.png") });

    // The right password from the same form lands on the page that was asked for.
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Events" }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${server.url}/events`);
    await signIn(page, server.admin.email, server.admin.password);
    await page.getByText("3 events").waitFor();
    await page.locator(".chart svg").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, "events-phone.png"), fullPage: true });
    await context.close();
  });
});
