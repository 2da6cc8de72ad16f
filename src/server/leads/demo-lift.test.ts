import { existsSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signedIn, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import { computeFunnel, contextualLift, type FunnelLead, type LeadFunnel } from "../../core/leads/funnel.ts";
import { type Database, rows } from "../../db/client.ts";
import { loadFunnelLeads } from "./lead-funnel.ts";

// The demo organization plants `contextual_followup_lift`: P(lead -> opportunity within 90 days | first follow-up
// contextual and sent within 24 h) minus the same for generic or late follow-ups. The funnel must find it.
// The demo loader belongs to another part of the tree; it is imported by path at run time so this file still
// compiles and skips (saying so) where the demo has not landed.
const demoDir = new URL("../../demo/", import.meta.url);
const hasDemo = existsSync(new URL("load-demo.ts", demoDir));
/** Overrides of the planted effects for this world (none: the lift checked is the demo's default). */
const EFFECTS: Record<string, number> = {};
const planted = hasDemo
  ? (
      {
        ...(JSON.parse(readFileSync(new URL("effects.json", demoDir), "utf8")) as Record<string, number>),
        ...EFFECTS,
      } as { contextual_followup_lift: number }
    ).contextual_followup_lift
  : Number.NaN;

/**
 * A world made of leads: 200 accounts giving 60 leads a year each (times the segment's size factor, at most one per
 * person and slot) over 24 lead slots, and little else, so that about 7,000 leads have both a follow-up and a closed
 * 90-day window. The binomial standard error of the lift is then about 0.01: a funnel that found no lift, or twice
 * the planted one, would be some 12 standard errors off, and fails the check below (within 4 of them).
 */
const LEAD_WORLD = {
  accounts: 200,
  leadsPerAccountYear: 60,
  leadSlots: 24,
  onlineTouchesPerPersonYear: 2,
  coreUsesPerUserYear: 1,
  ticketsPerTopicYear: 0.5,
  cmeLearners: 20,
  partners: 10,
  webinarsPerPersonYear: 0.2,
  offlineTouchesPerFieldAccountYear: 1,
  trainings: 1,
  cmeActivities: 1,
};

const NOW = new Date("2030-06-01T00:00:00Z");
let db: Database;
let orgId: string;
let leads: FunnelLead[] = [];
let events: { id: string }[] = [];

describe.skipIf(!hasDemo)("contextual follow-up lift on the demo organization", () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    const { loadDemo } = (await import(new URL("load-demo.ts", demoDir).href)) as {
      loadDemo: (db: Database, o: Record<string, unknown>) => Promise<{ orgId: string }>;
    };
    const demo = await loadDemo(db, {
      seed: 7,
      scale: "small",
      now: NOW,
      orgSlug: "leads-lift",
      effects: EFFECTS,
      sizes: LEAD_WORLD,
    });
    orgId = demo.orgId;
    events = await rows<{ id: string }>(
      db.owner,
      sql`select distinct event_id as id from leads where org_id = ${orgId} order by 1`,
    );
    // The same loader the funnel endpoint uses, over every event of the year.
    leads = await db.withOrg(orgId, async (tx) => {
      const all: FunnelLead[] = [];
      for (const e of events) all.push(...(await loadFunnelLeads(tx, orgId, e.id, NOW)));
      return all;
    });
  }, 240_000);
  afterAll(async () => {
    await db?.close();
  });

  // A sound check for one world: the estimate lies within 4 of its standard errors of the planted value (a correct
  // analytic fails it about once in 15,000 worlds), and the standard error is small enough that 4 of them stay within
  // half the planted lift, so a funnel that found no lift, or twice the planted one, would fail.
  it("recovers the planted lift within 4 standard errors, with a narrow bootstrap interval that covers it and excludes no effect", () => {
    const lift = contextualLift(leads, { asOf: NOW, seed: 1 });
    const d = lift.difference!;
    const { treated: t, control: c } = lift;
    const se = Math.sqrt((t.rate * (1 - t.rate)) / t.leads + (c.rate * (1 - c.rate)) / c.leads);
    console.log(
      `planted ${planted}; measured ${d.estimate.toFixed(3)} ± ${se.toFixed(3)} ` +
        `(${((d.estimate - planted) / se).toFixed(2)} SE from planted), bootstrap ` +
        `[${d.ci.map((x) => x.toFixed(3)).join(", ")}] width ${(d.ci[1] - d.ci[0]).toFixed(3)} ` +
        `(contextual ≤ 24 h: ${t.opportunities}/${t.leads}, generic or late: ${c.opportunities}/${c.leads}, ` +
        `never followed up: ${lift.neverFollowedUp}, window still open: ${lift.tooRecent})`,
    );
    expect(d.estimate).toBeCloseTo(t.rate - c.rate, 12);
    expect(se, "too few leads to tell the planted lift from none or from twice it").toBeLessThan(planted / 8);
    expect(Math.abs(d.estimate - planted)).toBeLessThanOrEqual(4 * se);
    // The bootstrap agrees with the binomial standard error.
    expect(d.se / se).toBeGreaterThan(0.85);
    expect(d.se / se).toBeLessThan(1.15);
    expect(d.ci[0]).toBeLessThan(d.estimate);
    expect(d.ci[1]).toBeGreaterThan(d.estimate);
    // The 95% interval covers the planted lift (on this seed; a correct analytic misses it in 1 world of 20), and
    // excludes no effect.
    expect(d.ci[0]).toBeLessThanOrEqual(planted);
    expect(d.ci[1]).toBeGreaterThanOrEqual(planted);
    expect(d.ci[0]).toBeGreaterThan(0);
    // Narrow: about 2 × 1.96 standard errors, and under half the planted lift, so that covering it says something.
    const width = d.ci[1] - d.ci[0];
    expect(width).toBeGreaterThan(2 * 1.96 * se * 0.85);
    expect(width).toBeLessThan(2 * 1.96 * se * 1.15);
    expect(width).toBeLessThan(planted / 2);
  });

  it("reads the same lift through each event's funnel route, pooled", async () => {
    const app = testApp(db, () => NOW);
    const headers = await signedIn(app, await addUser(db, orgId, "viewer"));
    const pooled = { captured: 0, t: 0, tOpp: 0, c: 0, cOpp: 0, never: 0, tooRecent: 0 };
    for (const e of events) {
      const res = await app.request(`/api/events/${e.id}/lead-funnel?seed=3`, { headers });
      expect(res.status).toBe(200);
      const f = (await res.json()) as LeadFunnel;
      pooled.captured += f.captured;
      pooled.t += f.contextualLift.treated.leads;
      pooled.tOpp += f.contextualLift.treated.opportunities;
      pooled.c += f.contextualLift.control.leads;
      pooled.cOpp += f.contextualLift.control.opportunities;
      pooled.never += f.contextualLift.neverFollowedUp;
      pooled.tooRecent += f.contextualLift.tooRecent;
    }
    const lift = contextualLift(leads, { asOf: NOW, resamples: 10 });
    expect(pooled).toEqual({
      captured: leads.length,
      t: lift.treated.leads,
      tOpp: lift.treated.opportunities,
      c: lift.control.leads,
      cOpp: lift.control.opportunities,
      never: lift.neverFollowedUp,
      tooRecent: lift.tooRecent,
    });
    const estimate = pooled.tOpp / pooled.t - pooled.cOpp / pooled.c;
    expect(Math.abs(estimate - planted)).toBeLessThan(planted / 2);
    expect(estimate).toBeCloseTo(lift.difference!.estimate, 12);
  });

  it("agrees with the demo's own SQL measurement on this world, whose leads often have a second follow-up", async () => {
    const path = new URL("measure-effects.ts", demoDir);
    expect(existsSync(path), "src/demo/measure-effects.ts").toBe(true);
    const { measureEffects } = (await import(path.href)) as {
      measureEffects: (
        db: Database,
        orgId: string,
        now: Date,
      ) => Promise<{ contextual_followup_lift: { value: number } }>;
    };
    // The first follow-up is what the lift is about; a world where no lead had a second one could not tell.
    const [second] = await rows<{ n: number }>(
      db.owner,
      sql`select count(*)::int as n from leads l where l.org_id = ${orgId} and (select count(*) from follow_ups f
            where f.org_id = l.org_id and f.lead_id = l.id and f.sent_at is not null) >= 2`,
    );
    expect(Number(second!.n)).toBeGreaterThan(500);
    const realised = (await measureEffects(db, orgId, NOW)).contextual_followup_lift.value;
    expect(contextualLift(leads, { asOf: NOW, resamples: 10 }).difference!.estimate).toBeCloseTo(realised, 9);
  });

  it("judges a lead by its first follow-up: a contextual one after a generic first leaves it in the comparison", async () => {
    const before = contextualLift(leads, { asOf: NOW, resamples: 10 });
    // Leads whose first follow-up is generic and early get a contextual one 30 minutes later, still within 24 h.
    // Judged by any follow-up they would move to the treated group; judged by the first, they stay where they are.
    const added = await rows<{ id: string }>(
      db.owner,
      sql`insert into follow_ups (org_id, purpose, lead_id, person_id, event_id, owner_user_id, channel, contextual,
            subject, body, status, sent_at)
          select f.org_id, 'lead', f.lead_id, f.person_id, f.event_id, f.owner_user_id, 'email', true,
            'Re: what you told us', 'As agreed at the booth', 'sent', f.sent_at + interval '30 minutes'
          from leads l
          join lateral (select * from follow_ups f where f.org_id = l.org_id and f.lead_id = l.id
                          and f.status in ('sent', 'done') and f.sent_at is not null
                        order by f.sent_at, f.id limit 1) f on true
          where l.org_id = ${orgId} and not f.contextual
            and f.sent_at + interval '30 minutes' <= l.captured_at + interval '24 hours'
          returning id`,
    );
    expect(added.length).toBeGreaterThan(300);
    const reloaded = await db.withOrg(orgId, async (tx) => {
      const all: FunnelLead[] = [];
      for (const e of events) all.push(...(await loadFunnelLeads(tx, orgId, e.id, NOW)));
      return all;
    });
    const after = contextualLift(reloaded, { asOf: NOW, resamples: 10 });
    expect([after.treated, after.control]).toEqual([before.treated, before.control]);
    // The same definitions written in SQL: the first follow-up's agrees with the funnel, any follow-up's does not.
    const bySql = async (first: boolean) => {
      const contextualFast = first
        ? sql`(select f.contextual and f.sent_at <= l.captured_at + interval '24 hours' from follow_ups f
              where f.org_id = l.org_id and f.lead_id = l.id and f.status in ('sent', 'done') and f.sent_at is not null
              order by f.sent_at, f.id limit 1)`
        : sql`case when not exists (select 1 from follow_ups f where f.org_id = l.org_id and f.lead_id = l.id
                and f.status in ('sent', 'done') and f.sent_at is not null) then null
              else exists (select 1 from follow_ups f where f.org_id = l.org_id and f.lead_id = l.id
                and f.status in ('sent', 'done') and f.contextual and f.sent_at <= l.captured_at + interval '24 hours') end`;
      const groups = await rows<{ treated: boolean; n: number; converted: number }>(
        db.owner,
        sql`with g as (
              select ${contextualFast} as treated,
                exists (select 1 from opportunities o where o.org_id = l.org_id and o.id = l.opportunity_id
                  and o.opened_at >= l.captured_at and o.opened_at <= l.captured_at + interval '90 days') as converted
              from leads l
              where l.org_id = ${orgId} and l.captured_at + interval '90 days' <= ${NOW.toISOString()}::timestamptz)
            select treated, count(*)::int as n, (count(*) filter (where converted))::int as converted
            from g where treated is not null group by treated`,
      );
      const rate = (t: boolean) => {
        const g = groups.find((x) => x.treated === t)!;
        return Number(g.converted) / Number(g.n);
      };
      return rate(true) - rate(false);
    };
    const [first, any] = [await bySql(true), await bySql(false)];
    console.log(
      `${added.length} leads given a contextual follow-up after a generic first: lift by the first follow-up ` +
        `${first.toFixed(3)} (funnel ${after.difference!.estimate.toFixed(3)}), by any follow-up ${any.toFixed(3)}`,
    );
    expect(after.difference!.estimate).toBeCloseTo(first, 12);
    expect(Math.abs(after.difference!.estimate - any)).toBeGreaterThan(0.01);
  });

  it("shows contextual follow-ups converting better in the funnel's own breakdown", () => {
    const funnel = computeFunnel(leads, { asOf: NOW, resamples: 100 });
    expect(funnel.byFollowUp.contextual.opportunityRate).toBeGreaterThan(
      funnel.byFollowUp.generic.opportunityRate,
    );
    expect(funnel.links[0]!.reached).toBe(leads.length);
  });
});
