// Browser test of the lead's follow-up and the continuity funnel: a rep captures two conversations, opens one lead,
// drafts a follow-up from the conversation, edits and sends it (the outbox worker delivers it to a real SMTP server),
// records the buyer's reply, an opportunity and a stage advance, and the event's funnel shows the links that moved.
import { mkdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { rows } from "../../../src/db/client.ts";
import { smtpTransport } from "../../../src/jobs/mail-transport.ts";
import { OutboxWorker } from "../../../src/jobs/outbox-worker.ts";
import { mailText, startTestSmtp, type TestSmtp } from "../../../src/jobs/test-smtp.ts";
import { addUser, type TestUser } from "../../../test/app.ts";
import { points } from "./format.ts";

const EVENT = "Northwind Customer Summit";
const NOTE =
  "Problem: invoices are matched by hand every month. Urgent. Evaluating us vs Basware. CFO Maria signs. Next step: pricing call next Tuesday.";
const PS = "P.S. I will bring the accounts payable checklist we use with other logistics teams.";

let server: SeededServer;
let browser: Browser;
let smtp: TestSmtp;
let rep: TestUser;
beforeAll(async () => {
  mkdirSync(".tmp/e2e", { recursive: true });
  [server, browser, smtp] = await Promise.all([startSeededServer(), launchBrowser(), startTestSmtp()]);
  // A rep: routing gives the event's leads to the reps, so the lead gets an owner.
  rep = await addUser(server.db, server.admin.orgId, "rep");
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

/** The number in one cell of the funnel's table. */
async function funnelCell(page: Page, step: string, column: string): Promise<number> {
  const text = await page.locator(`tr[data-step="${step}"] td[data-label="${column}"]`).innerText();
  return Number(text.trim());
}

async function funnelReached(page: Page): Promise<Record<string, number>> {
  const steps = await page
    .locator("tr[data-step]")
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-step")!));
  const out: Record<string, number> = {};
  for (const step of steps) out[step] = await funnelCell(page, step, "Leads");
  return out;
}

async function signIn(page: Page, path: string, user: TestUser) {
  await page.goto(`${server.url}${path}`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A JSON POST with the page's session (cookie and CSRF token), as the web app makes it. */
async function post<T>(page: Page, path: string, data: unknown): Promise<T> {
  const me = await page.request.get(`${server.url}/api/auth/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await page.request.post(`${server.url}${path}`, {
    data,
    headers: { "X-CSRF-Token": csrfToken },
  });
  if (!res.ok()) throw new Error(`${path} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function capture(
  page: Page,
  person: { first: string; last: string; email: string; company: string },
  note: string,
  suggest: boolean,
) {
  await page.getByRole("tab", { name: "New person" }).click();
  await page.getByLabel("First name").fill(person.first);
  await page.getByLabel("Last name").fill(person.last);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Company").fill(person.company);
  await page.getByLabel("What did they say?").fill(note);
  if (suggest) {
    await page.getByRole("button", { name: "Suggest fields from the note" }).click();
    await page.getByLabel("Buying stage").waitFor();
  }
  await page.getByRole("button", { name: "Save capture" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `${person.first} ${person.last}: tier` })
    .waitFor();
}

describe("lead follow-up", () => {
  it("drafts, edits and sends a follow-up, records a reply, an opportunity and a stage advance, and the funnel moves", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/leads/capture`);
    await page.getByLabel("Email").fill(rep.email);
    await page.getByLabel("Password").fill(rep.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: EVENT }).click();
    await page.getByRole("heading", { name: `Capture at ${EVENT}` }).waitFor();

    await capture(
      page,
      { first: "Ana", last: "Ortiz", email: "ana@ortiz-freight.test", company: "Ortiz Freight" },
      NOTE,
      true,
    );
    // A second conversation with no context: it stays at the first link.
    await capture(
      page,
      { first: "Ben", last: "Cole", email: "ben@cole.test", company: "Cole Foods" },
      "Came by for the raffle.",
      false,
    );

    // The funnel before any follow-up: both captured, only Ana's context complete, nobody followed up.
    await page.getByRole("link", { name: "leads", exact: true }).click();
    await page.getByRole("heading", { name: "Continuity funnel" }).waitFor();
    const before = await funnelReached(page);
    expect(before).toEqual({
      captured: 2,
      context_complete: 1,
      followed_up_within_sla: 0,
      followed_up_with_context: 0,
      buyer_responded: 0,
      opportunity_created: 0,
      stage_advanced: 0,
    });
    expect(await funnelCell(page, "context_complete", "Lost here")).toBe(1);
    expect(await funnelCell(page, "followed_up_within_sla", "Lost here")).toBe(1);

    // The lead: its conversation, tier with its signals, owner and SLA due time.
    await page.getByRole("link", { name: "Ana Ortiz" }).click();
    await page.getByRole("heading", { level: 1, name: "Ana Ortiz" }).waitFor();
    const facts = page.getByRole("definition");
    await expect.poll(() => facts.allInnerTexts()).toContain("Test rep");
    const lead = (
      await rows<{ id: string; tier: string; score: number; sla_due_at: Date | string }>(
        server.db.owner,
        sql`select l.id, l.tier, l.score::int as score, l.sla_due_at from leads l
            join people p on p.id = l.person_id where p.email = 'ana@ortiz-freight.test'`,
      )
    )[0]!;
    await page.getByRole("heading", { name: `Why tier ${lead.tier}` }).waitFor();
    const signalsTable = page.getByRole("table", { name: "Signals behind the score" });
    expect(await signalsTable.locator("tfoot td").innerText()).toBe(String(lead.score));
    expect(await signalsTable.locator("tbody tr").count()).toBeGreaterThan(2);
    await page.getByText("invoices are matched by hand every month").first().waitFor();
    await page.getByText("Maria (economic buyer)").waitFor();
    // The SLA due time is shown in the reader's zone (UTC here), to the minute.
    const due = new Date(lead.sla_due_at).toISOString().slice(11, 16);
    const dueText = await page.locator(".stats div", { hasText: "Follow-up due" }).innerText();
    expect(dueText).toMatch(/due, in \d+ (h|days)/);
    const [hh, mm] = due.split(":");
    expect(dueText).toContain(`${Number(hh) % 12 || 12}:${mm}`);

    // Without a configured model, asking for one falls back to the template and says why.
    await page.getByRole("button", { name: "Draft with the model" }).click();
    await page.getByText(/The model was not used: no model is configured/).waitFor();
    // Draft from the conversation: it cites the problem and the next step.
    await page.getByRole("button", { name: "Draft from the conversation" }).click();
    await page.getByText(/The model was not used/).waitFor({ state: "detached" });
    const subject = page.getByRole("textbox", { name: "Subject" });
    const body = page.getByRole("textbox", { name: "Message" });
    await expect.poll(() => body.inputValue()).toContain("invoices are matched by hand");
    const drafted = await body.inputValue();
    expect(drafted).toMatch(/pricing call/);
    await page.getByText(/it cites problem, .*next step/).waitFor();
    await page.getByText("Cites the conversation: it counts as a follow-up with context.").waitFor();
    // Edited into a generic message (subject too: it counts), the page says it will count as generic…
    const draftedSubject = await subject.inputValue();
    await subject.fill("Hello from the summit");
    await body.fill("Great to meet you at the summit!");
    await page.getByText("Cites neither the problem nor the next step", { exact: false }).waitFor();
    // …and the rep's real edit keeps the context and adds a line.
    await body.fill(`${drafted}\n\n${PS}`);
    await subject.fill(`${draftedSubject} (pricing call)`);
    await page.getByText("Cites the conversation: it counts as a follow-up with context.").waitFor();
    await page.screenshot({ path: ".tmp/e2e/lead-draft.png", fullPage: true });
    await page.getByRole("button", { name: "Send email" }).click();
    await page.getByText("Email to ana@ortiz-freight.test queued in the outbox, with context.").waitFor();

    // The editor closes once the draft is used; the earlier draft (the model's fallback) is offered, not the sent one.
    await expect.poll(() => page.getByRole("textbox", { name: "Subject" }).count()).toBe(0);
    await page.getByRole("button", { name: "Open the saved draft" }).click();
    expect(await body.inputValue()).not.toContain(PS);
    expect(await subject.inputValue()).toBe(draftedSubject);

    const outbox = await rows<{ to_address: string; subject: string; text_body: string; purpose: string }>(
      server.db.owner,
      sql`select to_address, subject, text_body, purpose from email_outbox where purpose = 'lead_follow_up'`,
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to_address: "ana@ortiz-freight.test", purpose: "lead_follow_up" });
    expect(outbox[0]!.subject).toMatch(/\(pricing call\)$/);
    expect(outbox[0]!.text_body).toContain(PS);
    // The outbox worker delivers it over SMTP.
    const worker = new OutboxWorker({
      db: server.db,
      transport: smtpTransport(smtp.url),
      from: "events@northwind.test",
    });
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(["ana@ortiz-freight.test"]);
    expect(mailText(mail!.raw)).toContain("accounts payable checklist");

    const history = page.getByRole("region", { name: "Follow-ups" });
    await history.getByText("with context").waitFor();
    await history.getByText("through the outbox", { exact: false }).waitFor();

    // What the buyer did: a reply, an opportunity, a stage advance.
    const outcomes = page.getByRole("region", { name: "What the buyer did" });
    await outcomes.getByLabel("Reply", { exact: true }).check();
    await outcomes.getByRole("button", { name: "Record reply" }).click();
    await outcomes.getByText("Reply recorded.").waitFor();
    await history.getByText("replied").waitFor();

    await outcomes.getByLabel("Meeting", { exact: true }).check();
    await outcomes.getByLabel("Meeting notes").fill("Walked through invoice matching with Maria.");
    await outcomes.getByRole("button", { name: "Record meeting" }).click();
    await outcomes.getByText("Meeting recorded", { exact: false }).waitFor();
    // A meeting is the buyer's answer, listed apart from our follow-ups, and an offline touchpoint.
    await page
      .getByRole("region", { name: "Meetings with the buyer" })
      .getByText("Walked through invoice matching with Maria.")
      .waitFor();
    const meetings = await rows<{ kind: string; online: boolean }>(
      server.db.owner,
      sql`select kind, online from touchpoints where source = 'lead_meeting' and metadata->>'leadId' = ${lead.id}`,
    );
    expect(meetings).toEqual([{ kind: "meeting", online: false }]);

    await outcomes.getByLabel("Opportunity", { exact: true }).check();
    // An opportunity id the organization does not have: the server's refusal shows beside the field.
    await outcomes.getByLabel("Link an existing one").check();
    const unknownId = "00000000-0000-4000-8000-000000000001";
    await outcomes.getByLabel("Opportunity id").fill(unknownId);
    await outcomes.getByRole("button", { name: "Record opportunity" }).click();
    const refusal = outcomes.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe(`No opportunity ${unknownId}`);
    expect(await outcomes.getByLabel("Opportunity id").getAttribute("aria-invalid")).toBe("true");
    await outcomes.getByLabel("Open one on the account").check();
    await outcomes.getByLabel("Name").fill("Ortiz Freight AP automation");
    await outcomes.getByLabel("Amount").fill("24,000");
    await outcomes.getByRole("button", { name: "Record opportunity" }).click();
    await outcomes.getByText("Opportunity linked to the lead.").waitFor();

    await outcomes.getByLabel("Stage advance").check();
    await outcomes.getByText("Ortiz Freight AP automation is in prospecting now.").waitFor();
    await outcomes.getByLabel("New stage").selectOption("discovery");
    await outcomes.getByRole("button", { name: "Record stage advance" }).click();
    await outcomes.getByText("Stage change recorded.").waitFor();
    await outcomes.getByText("Ortiz Freight AP automation is in discovery now.").waitFor();

    const opps = await rows<{ name: string; amount_minor: number; stage: string }>(
      server.db.owner,
      sql`select o.name, o.amount_minor::int as amount_minor, o.stage from opportunities o
          join leads l on l.opportunity_id = o.id where l.id = ${lead.id}`,
    );
    expect(opps).toEqual([
      { name: "Ortiz Freight AP automation", amount_minor: 2_400_000, stage: "discovery" },
    ]);
    await page.screenshot({ path: ".tmp/e2e/lead-worked.png", fullPage: true });

    // The funnel: Ana's lead moved through every link; Ben's is still lost at context.
    await page.getByRole("link", { name: `Leads at ${EVENT}` }).click();
    await page.getByRole("heading", { name: "Continuity funnel" }).waitFor();
    const after = await funnelReached(page);
    expect(after).toEqual({
      captured: 2,
      context_complete: 1,
      followed_up_within_sla: 1,
      followed_up_with_context: 1,
      buyer_responded: 1,
      opportunity_created: 1,
      stage_advanced: 1,
    });
    for (const step of Object.keys(after).slice(2)) expect(await funnelCell(page, step, "Lost here")).toBe(0);
    // Time to follow-up: Ana's within 4 hours, Ben never.
    const chart = page.getByRole("img", { name: /time to first follow-up/i });
    expect(await chart.getAttribute("aria-label")).toContain("within 4 h 1 lead");
    expect(await chart.getAttribute("aria-label")).toContain("never 1 lead");
    // Contextual against generic: one lead with context, converted; one never followed up.
    const kinds = page.getByRole("region", { name: "Contextual against generic follow-up" });
    expect(await kinds.getByRole("row", { name: /With context/ }).innerText()).toMatch(
      /1\s+1\s+1 \(100%\)\s+1 \(100%\)/,
    );
    expect(await kinds.getByRole("row", { name: /Not followed up/ }).innerText()).toMatch(
      /1\s+0\s+0 \(0%\)\s+0 \(0%\)/,
    );
    // Both leads are younger than the 90-day window: the lift is not measured yet, and the page says why.
    await page.getByText("Left out: 2 captured less than 90 days ago, 0 never followed up.").waitFor();
    await page.screenshot({ path: ".tmp/e2e/lead-funnel.png", fullPage: true });
    expect(errors).toEqual([]);

    // On a phone the lead page and the funnel fit the screen's width (tables become cards, columns stack).
    const phone = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    phone.on("pageerror", (e) => errors.push(e.message));
    await phone.goto(`${server.url}/leads/${lead.id}`);
    await phone.getByLabel("Email").fill(rep.email);
    await phone.getByLabel("Password").fill(rep.password);
    await phone.getByRole("button", { name: "Sign in" }).click();
    await phone.getByRole("heading", { level: 1, name: "Ana Ortiz" }).waitFor();
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.getByRole("button", { name: "Draft from the conversation" }).click();
    await phone.getByRole("textbox", { name: "Message" }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: ".tmp/e2e/lead-phone.png", fullPage: true });
    await phone.getByRole("link", { name: `Leads at ${EVENT}` }).click();
    await phone.getByRole("heading", { name: "Continuity funnel" }).waitFor();
    await phone.getByRole("img", { name: /time to first follow-up/i }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: ".tmp/e2e/lead-funnel-phone.png", fullPage: true });
    expect(errors).toEqual([]);
  });

  it("shows the contextual lift with the interval the API reports, once the opportunity window has closed", async () => {
    const page = await (await newContext(browser)).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, "/leads", rep);
    await page.getByRole("heading", { name: "Leads", level: 1 }).waitFor();
    const [event] = await rows<{ id: string }>(
      server.db.owner,
      sql`select id from events where name = 'CFO Roundtable: Spend Control'`,
    );
    const eventId = event!.id;
    const hour = 3_600_000;
    const capturedAt = Date.now() - 25 * 24 * hour;
    const iso = (offsetHours: number) => new Date(capturedAt + offsetHours * hour).toISOString();
    const problem = "Freight invoices are reconciled by hand";
    // Treated: first follow-up cites the conversation within 24 h. Control: generic, or with context but late.
    const plan = [
      ...Array.from({ length: 8 }, (_, i) => ({
        followUp: "contextual" as const,
        afterHours: 2,
        converts: i < 5,
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        followUp: "generic" as const,
        afterHours: 2,
        converts: i < 1,
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        followUp: "contextual" as const,
        afterHours: 30,
        converts: i < 1,
      })),
      ...Array.from({ length: 2 }, () => ({ followUp: null, afterHours: 0, converts: false })),
    ];
    for (const [i, p] of plan.entries()) {
      const { lead } = await post<{ lead: { id: string } }>(page, `/api/events/${eventId}/captures`, {
        nonce: `lift-${i}-${crypto.randomUUID()}`,
        occurredAt: iso(0),
        person: {
          firstName: "Buyer",
          lastName: `${i}`,
          email: `buyer${i}@freight${i}.test`,
          company: `Freight ${i}`,
        },
        note: `${problem}. Urgent. Evaluating vendors. Next step: pricing review call.`,
        fields: {
          problem,
          urgency: "now",
          buyingStage: "evaluating_vendors",
          nextStep: "pricing review call",
        },
      });
      if (p.followUp) {
        await post(page, `/api/leads/${lead.id}/follow-ups`, {
          channel: "call",
          action: "done",
          at: iso(p.afterHours),
          subject: p.followUp === "contextual" ? "Freight invoices" : "Hello",
          body:
            p.followUp === "contextual"
              ? "Following up on freight invoices reconciled by hand, ahead of the pricing review call."
              : "Thanks for stopping by our table.",
        });
      }
      if (p.converts)
        await post(page, `/api/leads/${lead.id}/outcomes`, { kind: "opportunity", at: iso(72) });
    }
    const group = (xs: typeof plan) => ({
      leads: xs.length,
      opportunities: xs.filter((x) => x.converts).length,
    });
    const treated = group(plan.filter((p) => p.followUp === "contextual" && p.afterHours <= 24));
    const control = group(plan.filter((p) => p.followUp === "generic" || (p.followUp && p.afterHours > 24)));
    const lift = treated.opportunities / treated.leads - control.opportunities / control.leads;

    await page.goto(`${server.url}/leads?event=${eventId}`);
    const liftPanel = page.getByRole("region", { name: "Lift of contextual follow-up" });
    // With the default 90-day window every lead is too recent to judge.
    await liftPanel
      .getByText(`Left out: ${plan.length} captured less than 90 days ago`, { exact: false })
      .waitFor();
    await liftPanel.getByText("Not measurable yet", { exact: false }).waitFor();

    await page.getByLabel("Opportunity window").selectOption("14");
    await liftPanel
      .getByText("Left out: 0 captured less than 14 days ago, 2 never followed up.", { exact: false })
      .waitFor();
    const api = await (
      await page.request.get(`${server.url}/api/events/${eventId}/lead-funnel?horizonDays=14`)
    ).json();
    const difference = api.contextualLift.difference as {
      estimate: number;
      ci: [number, number];
      level: number;
    };
    expect(difference.estimate).toBeCloseTo(lift, 10);
    expect(difference.ci[0]).toBeLessThanOrEqual(lift);
    expect(difference.ci[1]).toBeGreaterThanOrEqual(lift);
    const facts = await liftPanel.locator("dd").allInnerTexts();
    expect(facts[0]).toContain(`${treated.opportunities} of ${treated.leads}`);
    expect(facts[1]).toContain(`${control.opportunities} of ${control.leads}`);
    expect(facts[2]).toContain(points(lift));
    expect(facts[2]).toContain(`95% interval ${points(difference.ci[0])} to ${points(difference.ci[1])}`);

    // Time to first follow-up and contextual against generic, from the same plan.
    const chart = page.getByRole("img", { name: /time to first follow-up/i });
    const label = (await chart.getAttribute("aria-label"))!;
    expect(label).toContain(`within 4 h ${plan.filter((p) => p.followUp && p.afterHours <= 4).length} leads`);
    expect(label).toContain(
      `24-48 h ${plan.filter((p) => p.afterHours > 24 && p.afterHours <= 48).length} leads`,
    );
    expect(label).toContain(`never ${plan.filter((p) => !p.followUp).length} leads`);
    const kinds = page.getByRole("region", { name: "Contextual against generic follow-up" });
    const contextual = plan.filter((p) => p.followUp === "contextual");
    const converted = contextual.filter((p) => p.converts).length;
    expect(await kinds.getByRole("row", { name: /With context/ }).innerText()).toContain(
      `${converted} (${Math.round((converted / contextual.length) * 100)}%)`,
    );
    // The list puts the leads nobody followed up, now past their SLA, first.
    const people = await page
      .getByRole("region", { name: "Leads of this event, most pressing first" })
      .getByRole("rowheader")
      .allInnerTexts();
    const neverFollowed = plan.flatMap((p, i) => (p.followUp ? [] : [`Buyer ${i}`]));
    expect(
      people
        .slice(0, neverFollowed.length)
        .map((t) => t.split(" · ")[0])
        .sort(),
    ).toEqual(neverFollowed.sort());
    await page.screenshot({ path: ".tmp/e2e/lead-lift.png", fullPage: true });
    expect(errors).toEqual([]);
  });
});
