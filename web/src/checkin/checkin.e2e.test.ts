// Browser proof of issue 4: register on the public page, receive the ticket by email over a real SMTP exchange,
// check in at the kiosk; then go offline, scan a ticket twice, come back online, and the server holds exactly one
// check-in for that person. Runs in Debian's Chromium against the real server and its outbox worker.
import { mkdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { ensureWebBuilt } from "../../../e2e/helpers/test-server.ts";
import { loadConfig } from "../../../src/config.ts";
import { type Database, openDatabase, rows } from "../../../src/db/client.ts";
import { migrate } from "../../../src/db/migrate.ts";
import { startWorkers, type Workers } from "../../../src/jobs/start-workers.ts";
import { mailText, startTestSmtp, type TestSmtp } from "../../../src/jobs/test-smtp.ts";
import { type RunningServer, startServer } from "../../../src/server/start.ts";
import { addUser, type TestUser } from "../../../test/app.ts";
import { createTestOrg } from "../../../test/db.ts";

let db: Database;
let server: RunningServer;
let workers: Workers;
let smtp: TestSmtp;
let browser: Browser;
let admin: TestUser;
let orgId: string;
let orgSlug: string;
let eventId: string;

beforeAll(async () => {
  mkdirSync(".tmp/e2e", { recursive: true });
  ensureWebBuilt();
  smtp = await startTestSmtp();
  db = await openDatabase({ dataDir: "memory://" });
  await migrate(db);
  orgId = await createTestOrg(db, "Northwind Events");
  admin = await addUser(db, orgId, "admin");
  const [org] = await rows<{ slug: string }>(
    db.owner,
    sql`select slug from organizations where id = ${orgId}`,
  );
  orgSlug = org!.slug;
  const start = new Date(Date.now() - 3_600_000);
  const [event] = await db.withOrg(orgId, (tx) =>
    rows<{ id: string }>(
      tx,
      sql`insert into events (org_id, name, slug, type, format, status, starts_at, ends_at, time_zone, venue, capacity)
          values (${orgId}, 'Northwind Customer Summit', 'summit', 'conference', 'tactical', 'published',
                  ${start.toISOString()}::timestamptz, ${new Date(start.getTime() + 2 * 86_400_000).toISOString()}::timestamptz,
                  'Europe/Berlin', 'Messe Berlin', 100)
          returning id`,
    ),
  );
  eventId = event!.id;
  const config = loadConfig({ THROUGHLINE_SMTP_URL: smtp.url });
  server = await startServer(db, config, 0);
  workers = await startWorkers(db, config, () => {});
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await workers?.stop();
  await server?.close();
  await db?.close();
  await smtp?.close();
});

async function registerInBrowser(first: string, last: string, email: string): Promise<string> {
  const context = await newContext(browser, { width: 390, height: 844 });
  const page = await context.newPage();
  await page.goto(`${server.url}/r/${orgSlug}/summit`);
  await page.getByRole("heading", { name: "Northwind Customer Summit" }).waitFor();
  await page.getByLabel("First name").fill(first);
  await page.getByLabel("Last name").fill(last);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/I agree/).check();
  await page.getByRole("button", { name: "Register" }).click();
  await page
    .getByRole("status")
    .getByText(/You are registered/)
    .waitFor();
  await context.close();
  const deadline = Date.now() + 20_000;
  let mail = smtp.received.find((m) => m.to.includes(email));
  while (!mail && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    mail = smtp.received.find((m) => m.to.includes(email));
  }
  if (!mail) throw new Error(`no email reached ${email}`);
  const text = mailText(mail.raw);
  const code = /TL1\.[A-Za-z0-9_-]{156}/.exec(text)?.[0];
  if (!code) throw new Error("no ticket code in the email");
  return code;
}

describe("registration to check-in", () => {
  it("registers on the public page, emails the ticket, and checks in at the kiosk, also offline", async () => {
    const ada = await registerInBrowser("Ada", "Lovelace", "ada@example.test");
    const bo = await registerInBrowser("Bo", "Jensen", "bo@example.test");
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(["ada@example.test", "bo@example.test"]);

    // The ticket page from the email shows the QR code and the code itself.
    const ticketPage = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    await ticketPage.goto(`${server.url}/t/${encodeURIComponent(ada)}`);
    await ticketPage.getByRole("img", { name: "Ticket QR code" }).waitFor();
    expect(await ticketPage.getByTestId("ticket-code").textContent()).toBe(ada);
    await ticketPage.screenshot({ path: ".tmp/e2e/ticket.png" });

    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/" && url.pathname !== "/sign-in");
    await page.goto(`${server.url}/kiosk/${eventId}`);
    await page.getByRole("heading", { name: "Check-in: Northwind Customer Summit" }).waitFor();

    const code = page.getByLabel("Scan or type a ticket code");
    await code.fill(ada);
    await code.press("Enter"); // what a keyboard-wedge scanner does
    await page
      .getByRole("status")
      .getByText(/Welcome, Ada Lovelace: checked in at \d\d:\d\d/)
      .waitFor();

    await code.fill("TL1.not-a-real-ticket");
    await code.press("Enter");
    await page.getByRole("status").getByText("Refused: this is not a Throughline ticket").waitFor();

    await context.setOffline(true);
    await code.fill(bo);
    await code.press("Enter");
    await page.getByRole("heading", { name: "Waiting on this kiosk (1)" }).waitFor();
    await code.fill(bo);
    await code.press("Enter");
    await page.getByRole("heading", { name: "Waiting on this kiosk (2)" }).waitFor();
    await page
      .getByRole("status")
      .getByText(/Bo Jensen is already checked in at \d\d:\d\d/)
      .waitFor();
    await page.screenshot({ path: ".tmp/e2e/kiosk-offline.png" });

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.getByRole("heading", { name: "Waiting on this kiosk (0)" }).waitFor({ timeout: 15_000 });
    await page
      .getByRole("status")
      .getByText(/already checked in at \d\d:\d\d/)
      .waitFor();
    await page.evaluate(() => window.dispatchEvent(new Event("online"))); // a flaky connection replays nothing
    await page.waitForTimeout(500);

    const counts = await db.withOrg(orgId, (tx) =>
      rows<{ name: string; n: number }>(
        tx,
        sql`select p.first_name as name, count(*)::int as n from check_ins c join people p on p.id = c.person_id
            where c.event_id = ${eventId} group by p.first_name order by p.first_name`,
      ),
    );
    expect(counts).toEqual([
      { name: "Ada", n: 1 },
      { name: "Bo", n: 1 },
    ]);
    expect(errors).toEqual([]);

    // The attendee page from the ticket email's link: ask a question and rate the event.
    const attendee = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    await attendee.goto(`${server.url}/e/${orgSlug}/summit?t=${encodeURIComponent(ada)}`);
    await attendee.getByText("Signed in with your ticket as Ada Lovelace").waitFor();
    await attendee.getByLabel("Ask a question").fill("Will the slides be shared?");
    await attendee.getByRole("button", { name: "Ask" }).click();
    await attendee.getByRole("button", { name: "Upvote: Will the slides be shared?" }).waitFor();
    await attendee.getByLabel("Rating (1–5)").selectOption("4");
    await attendee.getByRole("button", { name: "Send feedback" }).click();
    await attendee.getByRole("status").getByText("Thank you for your feedback.").waitFor();
    const [fb] = await db.withOrg(orgId, (tx) =>
      rows<{ rating: number }>(tx, sql`select rating from feedback where event_id = ${eventId}`),
    );
    expect(fb).toEqual({ rating: 4 });
  });
});
