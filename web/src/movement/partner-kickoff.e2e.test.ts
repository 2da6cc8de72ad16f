// Browser test of the partner scorecard and the sales kickoff page: each figure on the page is the one the API
// computed for the same event (read through the signed-in browser), and the decay charts render.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newContext } from "../../../e2e/helpers/browser.ts";
import { type SeededServer, startSeededServer } from "../../../e2e/helpers/test-server.ts";
import { kickoffPhrases } from "../../../src/db/schema/index.ts";
import { MONTH_MS } from "../../../src/server/movement/partner-impact.ts";
import { DAY, uid, World } from "../../../src/server/movement/test-world.ts";
import { chartColors } from "../charts/colors.ts";
import type { DecayResult, KickoffReport, PartnerReport } from "./types.ts";

let server: SeededServer;
let browser: Browser;
const PARTNER_EVENT = uid(9, 601);
const KICKOFF = uid(9, 602);
const P = (n: number) => uid(4, 600 + n);
const R = (n: number) => uid(8, 600 + n);
const ACC = uid(1, 601);
const today = Math.floor(Date.now() / DAY) * DAY;

async function partnerWorld(w: World): Promise<void> {
  // A partner event three months ago: partners 1 and 2 attend, 3 and 4 stay away; registrations per month
  // [before month 2, before month 1] → [after month 1, after month 2].
  const t0 = new Date(today - 3 * MONTH_MS - 5 * DAY);
  await w.event(PARTNER_EVENT, "partner_event", t0);
  await w.account(ACC, "enterprise");
  const counts: Record<number, { before: number[]; after: number[] }> = {
    1: { before: [1, 1], after: [3, 2] },
    2: { before: [0, 2], after: [2, 3] },
    3: { before: [1, 1], after: [1, 2] },
    4: { before: [2, 0], after: [1, 0] },
  };
  for (const n of [1, 2, 3, 4]) {
    await w.partner(P(n), `Partner ${n}`);
    await w.person(uid(2, 600 + n), { partnerId: P(n) });
    if (n <= 2) await w.attend(PARTNER_EVENT, uid(2, 600 + n), t0, n === 1 ? "checkin" : "import");
    const c = counts[n]!;
    for (const [k, count] of c.before.entries())
      for (let j = 0; j < count; j++)
        await w.registration(P(n), new Date(t0.getTime() - (k + (j + 1) / (count + 1)) * MONTH_MS));
    for (const [k, count] of c.after.entries())
      for (let j = 0; j < count; j++)
        await w.registration(P(n), new Date(t0.getTime() + (k + (j + 1) / (count + 1)) * MONTH_MS));
  }
  const at = (d: number) => new Date(t0.getTime() + d * DAY);
  // Deals through partner 1: one won and one lost before the event, one won after.
  await w.opportunity(
    uid(3, 601),
    ACC,
    [
      ["discovery", at(-100)],
      ["closed_won", at(-40)],
    ],
    { partnerId: P(1), source: "partner_influenced", discountPct: 10 },
  );
  await w.opportunity(
    uid(3, 602),
    ACC,
    [
      ["discovery", at(-90)],
      ["closed_lost", at(-30)],
    ],
    { partnerId: P(1), source: "partner_influenced" },
  );
  await w.opportunity(
    uid(3, 603),
    ACC,
    [
      ["discovery", at(-20)],
      ["closed_won", at(25)],
    ],
    { partnerId: P(1), source: "partner_sourced", discountPct: 5, amountMinor: 2_000_000 },
  );
}

async function kickoffWorld(w: World): Promise<void> {
  // A two-day kickoff that ended 38 days ago (five complete weeks after it): reps 1 and 5 (reinforced), 2 and 3
  // attend, reps 4 and 6 stay away; 1, 2 and 5 sell in the East, the others in the West. Each rep writes one note a
  // week, before and after.
  const t0 = new Date(today - 40 * DAY + 9 * 3_600_000);
  const end = new Date(t0.getTime() + 2 * DAY);
  const before = (d: number) => new Date(t0.getTime() - d * DAY);
  const after = (d: number) => new Date(end.getTime() + d * DAY);
  await w.event(KICKOFF, "sales_kickoff", t0, end);
  const reps = [1, 2, 3, 4, 5, 6];
  for (const n of reps) {
    await w.user(R(n), "rep", [1, 2, 5].includes(n) ? "East" : "West");
    await w.person(uid(2, 610 + n), { email: `${R(n)}@example.test` });
    if (n !== 4 && n !== 6) await w.attend(KICKOFF, uid(2, 610 + n), t0, "checkin");
    await w.opportunity(uid(5, 610 + n), ACC, [["discovery", before(200)]], { ownerUserId: R(n) });
  }
  for (const n of [1, 5])
    await w.touch({
      at: after(2),
      channel: "email",
      kind: "reinforcement",
      personId: uid(2, 610 + n),
      eventId: KICKOFF,
    });
  await w.db.owner.insert(kickoffPhrases).values([
    { orgId: w.orgId, eventId: KICKOFF, phrase: "time to value" },
    { orgId: w.orgId, eventId: KICKOFF, phrase: "platform consolidation" },
  ]);
  // Notes using the positioning after the kickoff, week by week.
  const usesAfter: Record<number, boolean[]> = {
    1: [true, true, true, true, true],
    2: [true, true, false, true, false],
    3: [true, false, false, false, false],
    4: [false, false, true, false, false],
    5: [true, true, false, true, true],
    6: [false, true, false, false, false],
  };
  for (const n of reps) {
    for (let k = 0; k < 5; k++) {
      for (const [at, uses] of [
        [before(k * 7 + 3.5), n === 3 && k === 0],
        [after(k * 7 + 3.5), usesAfter[n]![k]!],
      ] as const) {
        await w.touch({
          at,
          channel: "note",
          kind: "deal_note",
          opportunityId: uid(5, 610 + n),
          metadata: { text: uses ? "Framed the time-to-value story" : "Sent pricing, waiting on legal" },
        });
      }
    }
  }
  // Closed deals: each rep closes two a week before (one won) and after (reps 1 and 2 win both in the first weeks).
  let d = 0;
  const deal = async (rep: number, won: boolean, closed: Date) => {
    d++;
    await w.opportunity(
      uid(3, 700 + d),
      ACC,
      [
        ["discovery", new Date(closed.getTime() - 30 * DAY)],
        [won ? "closed_won" : "closed_lost", closed],
      ],
      { ownerUserId: R(rep) },
    );
  };
  for (const n of reps) {
    for (let k = 0; k < 5; k++) {
      await deal(n, true, before(k * 7 + 2));
      await deal(n, false, before(k * 7 + 4));
      await deal(n, (n <= 2 || n === 5) && k < 3 ? true : (k + n) % 2 === 0, after(k * 7 + 2));
      await deal(n, n === 1 || (n === 5 && k !== 2), after(k * 7 + 4));
    }
  }
}

beforeAll(async () => {
  mkdirSync(".tmp/e2e", { recursive: true });
  [server, browser] = await Promise.all([startSeededServer(), launchBrowser()]);
  const w = new World(server.db, server.admin.orgId);
  await partnerWorld(w);
  await kickoffWorld(w);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.getByLabel("Email").fill(server.admin.email);
  await page.getByLabel("Password").fill(server.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The API's answer, fetched by the signed-in page (same session, same defaults as the page's own request). */
async function api<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`${server.url}${path}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as T;
}

const f = (x: number, d: number) => x.toFixed(d);
const interval = (e: number, ci: [number, number] | null, d: number) =>
  ci ? `${f(e, d)} [${f(ci[0], d)}, ${f(ci[1], d)}]` : f(e, d);
const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(0)}%`);

describe("partner scorecard and kickoff pages", () => {
  it("shows the partner lift and scorecard the API computed", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, `/movement/partners/${PARTNER_EVENT}`);
    const lift = page.getByRole("table", { name: "Partner lift" });
    await lift.waitFor();
    const r = await api<PartnerReport>(page, `/api/events/${PARTNER_EVENT}/partners`);
    const reg = r.outcomes.registrations;
    expect(reg.status).toBe("estimated");
    if (reg.status !== "estimated") return;
    // Attending partners went from 1/month to 2.5, the others from 1 to 1: the lift is positive.
    expect(reg.estimate).toBeGreaterThan(0);
    expect(await lift.getByRole("row").nth(0).textContent()).toContain(interval(reg.estimate, reg.ci, 2));

    const card = page.getByRole("table", { name: "Partner scorecard" });
    const p1 = r.partners.find((p) => p.partnerId === P(1))!;
    const row = card.getByRole("row", { name: /Partner 1/ });
    const text = (await row.textContent()) ?? "";
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(text).toContain(`${f(mean(p1.registrationsBefore), 1)} → ${f(mean(p1.registrationsAfter), 1)}`);
    expect(text).toContain(`${pct(p1.friction.before.winRate)} → ${pct(p1.friction.after.winRate)}`);
    expect(p1.friction.before.winRate).toBe(0.5);
    expect(text).toContain("attended");
    // Partner 4 neither attended nor closed a deal through us: not on the scorecard.
    expect(await card.getByRole("row", { name: /Partner 4/ }).count()).toBe(0);
    await page.screenshot({ path: ".tmp/e2e/movement-partners.png", fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the kickoff's weekly decay, reinforced reps against the rest, and the teams the API computed", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, `/movement/kickoffs/${KICKOFF}`);
    const adoptionTable = page.getByRole("table", { name: "Adoption lift by week" });
    await adoptionTable.waitFor();
    const r = await api<KickoffReport>(page, `/api/events/${KICKOFF}/kickoff`);
    expect(r.windows.weeksAfter).toBe(5);
    const a = r.outcomes.adoption;
    expect(a.status).toBe("measured");
    if (a.status !== "measured") return;

    const cellText = (d: DecayResult, week: number) => {
      if (d.status !== "estimated") throw new Error(d.message);
      const w = d.weeks[week - 1]!;
      return w.estimate === null ? "–" : interval(w.estimate, w.ci, 3);
    };
    // Attending reps are compared with reps 4 and 6, who wrote notes before and after; two units a side give
    // every week an interval.
    expect(a.decay.status === "estimated" && a.decay.comparedWith).toBe("controls");
    expect(a.decay.status === "estimated" && a.decay.weeks.every((w) => w.ci !== null)).toBe(true);
    for (const week of [1, 3, 5]) {
      const row = adoptionTable.getByRole("row", { name: new RegExp(`^${week} `) });
      const cells = await row.getByRole("cell").allTextContents();
      expect(cells[0]).toBe(cellText(a.decay, week));
      expect(cells[1]).toBe(cellText(a.reinforcedVsRest, week));
    }
    // Reps 1 and 5 (reinforced) kept the positioning; the others fell off: reinforced lead by week 3.
    const rv = a.reinforcedVsRest;
    expect(rv.status === "estimated" && (rv.weeks[2]!.estimate ?? 0) > 0).toBe(true);

    const winTable = page.getByRole("table", { name: "Win-rate lift by week" });
    const week1 = await winTable.getByRole("row", { name: /^1 / }).getByRole("cell").allTextContents();
    expect(week1[0]).toBe(cellText(r.outcomes.winRateDecay, 1));
    expect(week1[1]).toBe(cellText(r.outcomes.winRateReinforcedVsRest, 1));

    for (const label of ["Messaging adoption lift", "Win-rate lift"]) {
      const chart = page.getByRole("img", { name: new RegExp(`^${label} over the weeks`) });
      // The attending reps' curve is drawn in the outcome colour.
      await chart.locator(`svg path[stroke="${chartColors.outcome}"]`).first().waitFor({ state: "attached" });
    }

    const teams = page.getByRole("table", { name: "Teams" });
    expect(r.teams.map((t) => t.team)).toEqual(["East", "West"]);
    for (const t of r.teams) {
      const text = (await teams.getByRole("row", { name: new RegExp(`^${t.team}`) }).textContent()) ?? "";
      expect(text).toContain(
        `${pct(t.before.winRate)} (${t.before.closed}) → ${pct(t.after.winRate)} (${t.after.closed})`,
      );
      expect(text).toContain(`${pct(t.adoptionBefore)} → ${pct(t.adoptionAfter)}`);
    }
    // East (reps 1, 2 and 5) won more after the kickoff than before.
    expect(r.teams[0]!.after.winRate!).toBeGreaterThan(r.teams[0]!.before.winRate!);
    await page.screenshot({ path: ".tmp/e2e/movement-kickoff.png", fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
