// Browser test of the staff side of running an event: create an invite-only roundtable whose dates straddle a
// daylight-saving change (a refused save keeps what was typed and names the field), add a session and a cost line,
// edit the event, nominate and approve a guest and send the invitation, see the emails' delivery status and retry a
// failed one, import a Zoom report with one bad row and read its row number, and open the check-in kiosk. Runs with
// the e2e helpers (built web app, real server over an in-memory database, Debian's Chromium).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { rows } from "../../../src/db/client.ts";
import { addUser } from "../../../test/app.ts";
import { moneyInputValue, parseMoneyInput } from "./money-input.ts";
import { fromZonedInput, toZonedInput } from "./zoned-time.ts";

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

// Berlin leaves CET (+01:00) for CEST (+02:00) at 02:00 on Sunday 28 March 2027: the event starts before the change
// and ends after it, so one fixed offset would get one of its two times wrong by an hour.
const START = "2027-03-27T18:00";
const END = "2027-03-28T17:00";

/** A Zoom attendee report: one good attendee (row 7) and one whose join time is not a time (row 8). */
const zoomReport = [
  "Attendee Report",
  'Report Generated:,"Mar 28, 2027 18:00:00"',
  "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registrants,Unique Viewers,Total Users,Max Concurrent Views",
  'Partner Roundtable livestream,811 2222 3333,"Mar 28, 2027 09:00:00",60,2,1,1,1',
  "Attendee Details,,,,,,,,,",
  "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Join Time,Leave Time,Time in Session (minutes),Is Guest",
  'Yes,Lena Fischer,Lena,Fischer,lena.fischer@acme.test,"Mar 20, 2027 10:00:00","Mar 28, 2027 09:01:00","Mar 28, 2027 09:55:00",54,Yes',
  'Yes,Broken Time,Bad,Time,bad.time@acme.test,"Mar 20, 2027 10:00:00",yesterday-ish,"Mar 28, 2027 09:55:00",10,Yes',
].join("\n");

describe("times on the event's clock", () => {
  it("reads and writes wall-clock times in the event's zone on both sides of a daylight-saving change", () => {
    expect(fromZonedInput(START, "Europe/Berlin")).toBe("2027-03-27T17:00:00.000Z");
    expect(fromZonedInput(END, "Europe/Berlin")).toBe("2027-03-28T15:00:00.000Z");
    expect(toZonedInput("2027-03-28T15:00:00.000Z", "Europe/Berlin")).toBe(END);
    // New York changes on another date (14 March 2027): the same wall clock is another instant.
    expect(fromZonedInput("2027-03-28T17:00", "America/New_York")).toBe("2027-03-28T21:00:00.000Z");
    // The hour skipped in spring is read with the offset from before the change: 02:30 is 03:30 CEST.
    expect(fromZonedInput("2027-03-28T02:30", "Europe/Berlin")).toBe("2027-03-28T01:30:00.000Z");
    // The hour repeated in autumn (31 October 2027) is read as its first occurrence, still CEST.
    expect(fromZonedInput("2027-10-31T02:30", "Europe/Berlin")).toBe("2027-10-31T00:30:00.000Z");
    expect(fromZonedInput("2027-03-28T10:00", "+01:00")).toBeUndefined();
  });
});

describe("amounts in minor units", () => {
  it("reads typed amounts in the currency's own decimals and writes them back", () => {
    expect(parseMoneyInput("1,250.50", "USD")).toEqual({ minor: 125_050 });
    expect(parseMoneyInput("1250,5", "EUR")).toEqual({ minor: 125_050 });
    expect(parseMoneyInput("1 250", "JPY")).toEqual({ minor: 1250 });
    expect(parseMoneyInput("12.5", "JPY")).toEqual({ reason: "JPY has no decimal places" });
    expect(parseMoneyInput("1.2345", "BHD")).toEqual({ reason: "BHD has 3 decimal places at most" });
    expect(parseMoneyInput("$12", "USD")).toHaveProperty("reason");
    expect(parseMoneyInput("12", "XX")).toEqual({ reason: "choose a currency first" });
    expect(moneyInputValue(125_050, "USD")).toBe("1250.50");
    expect(moneyInputValue(5, "EUR")).toBe("0.05");
    expect(moneyInputValue(1250, "JPY")).toBe("1250");
  });
});

describe("running an event from the browser", () => {
  it("creates an event, adds agenda and costs, edits it, invites, emails, imports and opens the kiosk", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.goto(`${server.url}/events`);
    await page.getByLabel("Email").fill(server.admin.email);
    await page.getByLabel("Password").fill(server.admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "New event" }).click();
    await page.getByRole("heading", { level: 1, name: "New event" }).waitFor();

    // An executive roundtable is strategic and invite-only by default.
    await page.getByLabel("Name", { exact: true }).fill("Partner Roundtable Berlin");
    await page.getByLabel("Type").selectOption("executive_roundtable");
    expect(await page.getByLabel("Format").inputValue()).toBe("strategic");
    expect(await page.getByLabel(/^Invite-only/).isChecked()).toBe(true);
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    await page.getByLabel(/^Starts/).fill(START);
    await page.getByLabel(/^Ends/).fill("2027-03-27T17:00");
    await page.getByLabel("Venue").fill("Hotel Adlon, Berlin");
    await page.getByText(/Sat,? 27 Mar 2027, 18:00 CET \(Europe\/Berlin\)/).waitFor();

    // The server refuses an end before the start: the message sits beside Ends and nothing typed is lost.
    await page.getByRole("button", { name: "Create event" }).click();
    await page.getByText("The end must not be before the start").waitFor();
    expect(await page.getByLabel(/^Ends/).getAttribute("aria-invalid")).toBe("true");
    await page.screenshot({ path: join(shots, "event-new-refused.png"), fullPage: true });
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Partner Roundtable Berlin");
    await page.getByLabel(/^Ends/).fill(END);
    await page.getByText(/Sun,? 28 Mar 2027, 17:00 CEST \(Europe\/Berlin\)/).waitFor();
    await page.getByRole("button", { name: "Create event" }).click();

    // Created: the agenda comes next.
    await page.getByRole("heading", { level: 1, name: "Partner Roundtable Berlin" }).waitFor();
    const eventId = /\/events\/([0-9a-f-]{36})\/agenda$/.exec(page.url())?.[1];
    expect(eventId).toBeDefined();
    const stored = await page.evaluate(
      async (id) => (await (await fetch(`/api/events/${id}`)).json()) as { startsAt: string; endsAt: string },
      eventId!,
    );
    expect([stored.startsAt, stored.endsAt]).toEqual([
      "2027-03-27T17:00:00.000Z",
      "2027-03-28T15:00:00.000Z",
    ]);

    await page.getByRole("button", { name: "Add session" }).click();
    const sessionForm = page.getByRole("form", { name: "New session" });
    await sessionForm.getByLabel("Title").fill("Spend control in practice");
    await sessionForm.getByLabel("Room").fill("Salon Pariser Platz");
    await sessionForm.getByLabel(/^Starts/).fill("2027-03-28T09:00");
    await sessionForm.getByLabel(/^Ends/).fill("2027-03-28T10:30");
    await sessionForm.getByLabel("Speakers").fill("Grace Hopper\nAda Lovelace");
    await sessionForm.getByLabel("Learning objectives").fill("Name three levers of spend control");
    await sessionForm.getByLabel("Credit hours").fill("1.5");
    await sessionForm.getByRole("button", { name: "Add session" }).click();
    const agenda = page.getByRole("table", { name: /Sessions of/ });
    const sessionRow = agenda.getByRole("row", { name: /Spend control in practice/ });
    await sessionRow.waitFor();
    expect(await sessionRow.textContent()).toContain("Grace Hopper, Ada Lovelace");
    expect(await sessionRow.textContent()).toMatch(/9:00\s*[–-]\s*10:30/);

    const tabs = page.getByRole("navigation", { name: "Event sections" });
    await tabs.getByRole("link", { name: "Costs" }).click();
    await page.getByRole("button", { name: "Add cost line" }).click();
    const costForm = page.getByRole("form", { name: "New cost line" });
    await costForm.getByLabel("Category").selectOption("catering");
    await costForm.getByLabel("Description").fill("Dinner for 12");
    await costForm.getByLabel("Currency").fill("EUR");
    await costForm.getByLabel(/^Amount/).fill("1,250.50");
    await costForm.getByRole("button", { name: "Add cost line" }).click();
    await page.getByTestId("cost-total-EUR").getByText("€1,250.50").waitFor();

    await tabs.getByRole("link", { name: "Details" }).click();
    expect(await page.getByLabel(/^Starts/).inputValue()).toBe(START);
    expect(await page.getByLabel(/^Ends/).inputValue()).toBe(END);
    // The creator owns a new event; ownership passes to a colleague chosen by name.
    expect(await page.getByLabel("Owner").inputValue()).toBe(server.admin.userId);
    const colleague = await addUser(server.db, server.admin.orgId, "marketer");
    await page.reload();
    await page.getByLabel("Owner").selectOption({ label: `Test marketer (${colleague.email})` });
    await page.getByLabel("Name", { exact: true }).fill("Partner Roundtable Berlin 2027");
    await page.getByLabel("Capacity").fill("12");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    const [owned] = await rows<{ owner: string }>(
      server.db.owner,
      sql`select owner_user_id as owner from events where name = 'Partner Roundtable Berlin 2027'`,
    );
    expect(owned?.owner).toBe(colleague.userId);
    await page.getByRole("heading", { level: 1, name: "Partner Roundtable Berlin 2027" }).waitFor();
    await page.screenshot({ path: join(shots, "event-details.png"), fullPage: true });

    await tabs.getByRole("link", { name: "Invitations" }).click();
    const nominate = page.getByRole("form", { name: "Nominate a guest" });
    await nominate.getByLabel("Guest's email").fill("dana.whitfield@acme.test");
    await nominate.getByLabel("First name").fill("Dana");
    await nominate.getByLabel("Last name").fill("Whitfield");
    await nominate.getByLabel("Why this guest").fill("CFO, evaluating spend tools");
    await nominate.getByRole("button", { name: "Nominate" }).click();
    const guests = page.getByRole("table", { name: /Invitations to/ });
    await guests
      .getByRole("row", { name: /Dana Whitfield/ })
      .getByText("Nominated", { exact: true })
      .waitFor();
    await page.getByRole("button", { name: "Approve Dana Whitfield" }).click();
    await guests
      .getByRole("row", { name: /Dana Whitfield/ })
      .getByText("Approved", { exact: true })
      .waitFor();
    await page.getByRole("button", { name: "Send approved invitations (1)" }).click();
    await guests
      .getByRole("row", { name: /Dana Whitfield/ })
      .getByText("Invitation sent", { exact: true })
      .waitFor();

    // No mail server in this test: the invitation waits in the outbox. A failed email beside it can be retried.
    const [invitation] = await rows<{ id: string }>(
      server.db.owner,
      sql`select id from invitations where event_id = ${eventId!}`,
    );
    await server.db.owner.execute(
      sql`insert into email_outbox (org_id, to_address, subject, text_body, purpose, ref_id, status, attempts, last_error)
          values (${server.admin.orgId}, 'old.address@acme.test', 'Invitation: Partner Roundtable Berlin', 'Hello',
                  'invitation', ${invitation!.id}, 'failed', 6, '550 mailbox unavailable')`,
    );
    await tabs.getByRole("link", { name: "Emails" }).click();
    const emails = page.getByRole("table", { name: /Emails of/ });
    await emails
      .getByRole("row", { name: /dana\.whitfield@acme\.test/ })
      .getByText("Queued", { exact: true })
      .waitFor();
    const failed = emails.getByRole("row", { name: /old\.address@acme\.test/ });
    await failed.getByText("550 mailbox unavailable").waitFor();
    await page.getByRole("button", { name: "Retry email to old.address@acme.test" }).click();
    await page.getByRole("status").getByText("The email to old.address@acme.test is queued again.").waitFor();
    await failed.getByText("Queued", { exact: true }).waitFor();
    await page.screenshot({ path: join(shots, "event-emails.png"), fullPage: true });

    // Engagement: a poll is a draft until a host opens it.
    await tabs.getByRole("link", { name: "Engagement" }).click();
    const pollForm = page.getByRole("form", { name: "New poll" });
    await pollForm.getByLabel("Question").fill("Which lever matters most?");
    await pollForm.getByLabel("Options").fill("Approval workflows\nCard controls\nVendor consolidation");
    await pollForm.getByLabel("Session").selectOption({ label: "Spend control in practice" });
    await pollForm.getByRole("button", { name: "Create poll" }).click();
    await page.getByRole("button", { name: "Open poll Which lever matters most?" }).click();
    await page.getByRole("button", { name: "Close poll Which lever matters most?" }).waitFor();
    await page.screenshot({ path: join(shots, "event-engagement.png"), fullPage: true });

    await tabs.getByRole("link", { name: "Imports" }).click();
    const csvPath = join(shots, "zoom-attendees.csv");
    writeFileSync(csvPath, zoomReport);
    await page.getByLabel("What the file is").selectOption("zoom");
    await page.getByLabel("CSV file").setInputFiles(csvPath);
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByRole("heading", { name: "Imported zoom-attendees.csv" }).waitFor();
    const skipped = page.getByRole("table", { name: "Rows skipped in zoom-attendees.csv" });
    const bad = skipped.getByRole("row", { name: /^8/ });
    expect(await bad.textContent()).toContain("Join Time");
    expect(await bad.textContent()).toContain("yesterday-ish");
    await page.screenshot({ path: join(shots, "event-import.png"), fullPage: true });

    await tabs.getByRole("link", { name: "Registrations" }).click();
    await page
      .getByRole("table", { name: /Registrations of/ })
      .getByText("lena.fischer@acme.test")
      .waitFor();
    const publicLink = page.getByRole("link", { name: "Public registration page" });
    expect(await publicLink.getAttribute("href")).toMatch(/^\/r\/[^/]+\/partner-roundtable-berlin$/);
    await page.getByRole("link", { name: "Open check-in kiosk" }).click();
    await page.getByRole("heading", { name: "Check-in: Partner Roundtable Berlin 2027" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/kiosk/${eventId}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a viewer the event without the actions their role cannot take, on a phone", async () => {
    const viewer = await addUser(server.db, server.admin.orgId, "viewer");
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/events`);
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Password").fill(viewer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Northwind Customer Summit" }).waitFor();
    expect(await page.getByRole("link", { name: "New event" }).count()).toBe(0);
    await page.getByRole("link", { name: "Northwind Customer Summit" }).click();
    await page.getByRole("heading", { level: 1, name: "Northwind Customer Summit" }).waitFor();
    expect(await page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save changes" }).count()).toBe(0);
    const tabs = page.getByRole("navigation", { name: "Event sections" });
    expect(await tabs.getByRole("link").allTextContents()).toEqual([
      "Details",
      "Agenda",
      "Costs",
      "Registrations",
      "Invitations",
      "Engagement",
    ]);
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await tabs.getByRole("link", { name: "Registrations" }).click();
    await page.getByRole("table", { name: /Registrations of/ }).waitFor();
    expect(await page.getByRole("link", { name: "Public registration page" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Open check-in kiosk" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Cancel/ }).count()).toBe(0);
    expect(await sideways()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, "event-registrations-phone.png"), fullPage: true });
    await context.close();
  });
});
