import { describe, expect, it } from "vitest";
import { overdueDigests, renderDigest } from "./digest.ts";
import { computeFunnel, type FunnelLead } from "./funnel.ts";
import { emptyFields, type LeadFields } from "./vocabulary.ts";

const T0 = new Date("2025-05-14T12:00:00Z");
const h = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const full: LeadFields = {
  ...emptyFields(),
  problem: "p",
  urgency: "now",
  buyingStage: "selecting",
  nextStep: "demo",
};

function lead(id: string, over: Partial<FunnelLead> = {}): FunnelLead {
  return {
    id,
    tier: "A",
    capturedAt: T0,
    slaDueAt: h(24),
    fields: full,
    followUps: [],
    respondedAt: null,
    opportunityCreatedAt: null,
    stageAdvancedAt: null,
    ...over,
  };
}

describe("computeFunnel", () => {
  const leads: FunnelLead[] = [
    // all the way
    lead("a", {
      followUps: [{ at: h(2), contextual: true, respondedAt: h(5) }],
      opportunityCreatedAt: h(48),
      stageAdvancedAt: h(200),
    }),
    // contextual in SLA, responded, no opportunity
    lead("b", { followUps: [{ at: h(20), contextual: true, respondedAt: h(30) }] }),
    // generic in SLA, then responded and opportunity (drops at "with context")
    lead("c", {
      tier: "B",
      slaDueAt: h(48),
      followUps: [{ at: h(30), contextual: false, respondedAt: h(40) }],
      opportunityCreatedAt: h(100),
    }),
    // late
    lead("d", {
      tier: "C",
      slaDueAt: h(120),
      followUps: [{ at: h(130), contextual: true, respondedAt: null }],
    }),
    // incomplete context, never followed up
    lead("e", { tier: null, slaDueAt: null, fields: { ...emptyFields(), problem: "p" } }),
  ];
  const funnel = computeFunnel(leads, { resamples: 200, seed: 7 });

  it("counts each link only for leads that reached every link before it", () => {
    expect(funnel.links.map((l) => [l.step, l.reached, l.dropped])).toEqual([
      ["captured", 5, 0],
      ["context_complete", 4, 1],
      ["followed_up_within_sla", 3, 1],
      ["followed_up_with_context", 2, 1],
      ["buyer_responded", 2, 0],
      ["opportunity_created", 1, 1],
      ["stage_advanced", 1, 0],
    ]);
    const opp = funnel.links.find((l) => l.step === "opportunity_created")!;
    expect(opp.passed).toBe(2);
    expect(opp.conversionFromPrevious).toBe(0.5);
    expect(opp.shareOfCaptured).toBe(0.2);
  });

  it("summarises hours to first follow-up and the never-followed", () => {
    expect(funnel.timeToFollowUp.followedUp).toBe(4);
    expect(funnel.timeToFollowUp.never).toBe(1);
    // hours 2, 20, 30, 130
    expect(funnel.timeToFollowUp.hours).toMatchObject({ p50: 25, mean: 45.5 });
    expect(funnel.timeToFollowUp.buckets).toEqual([
      { label: "within 4 h", leads: 1 },
      { label: "4-24 h", leads: 1 },
      { label: "24-48 h", leads: 1 },
      { label: "2-5 days", leads: 0 },
      { label: "over 5 days", leads: 1 },
      { label: "never", leads: 1 },
    ]);
  });

  it("converts by tier and by kind of first follow-up", () => {
    expect(funnel.byTier.A).toMatchObject({
      leads: 2,
      followedUpWithinSla: 2,
      responded: 2,
      opportunities: 1,
    });
    expect(funnel.byTier.B.opportunityRate).toBe(1);
    expect(funnel.byTier.untiered.leads).toBe(1);
    expect(funnel.byFollowUp.contextual).toMatchObject({ leads: 3, opportunities: 1 });
    expect(funnel.byFollowUp.generic).toMatchObject({ leads: 1, opportunities: 1 });
    expect(funnel.byFollowUp.none.leads).toBe(1);
  });

  it("compares contextual-within-24h with generic-or-late follow-ups", () => {
    const lift = funnel.contextualLift;
    expect(lift.treated).toEqual({ leads: 2, opportunities: 1, rate: 0.5 });
    expect(lift.control).toEqual({ leads: 2, opportunities: 1, rate: 0.5 });
    expect(lift.neverFollowedUp).toBe(1);
    expect(lift.tooRecent).toBe(0);
    expect(lift.difference?.estimate).toBe(0);
    expect(lift.difference?.seed).toBe(7);
  });

  it("leaves out of the lift the leads whose window has not closed", () => {
    const lift = computeFunnel(leads, { asOf: h(24 * 89) }).contextualLift;
    expect(lift.tooRecent).toBe(5);
    expect(lift.treated.leads + lift.control.leads).toBe(0);
    expect(computeFunnel(leads, { asOf: h(24 * 90) }).contextualLift.tooRecent).toBe(0);
  });

  it("handles an event with no leads", () => {
    const empty = computeFunnel([]);
    expect(empty.captured).toBe(0);
    expect(empty.links.every((l) => l.reached === 0)).toBe(true);
    expect(empty.timeToFollowUp.hours).toBeNull();
    expect(empty.contextualLift.difference).toBeNull();
  });
});

describe("overdueDigests", () => {
  const now = h(50);
  const base = {
    personName: "Dana",
    eventName: "Summit",
    tier: "A" as const,
    nextStep: null,
    followedUp: false,
  };
  it("lists each owner's leads past SLA without follow-up, most overdue first", () => {
    const digests = overdueDigests(
      [
        { ...base, id: "1", ownerUserId: "u2", slaDueAt: h(24) },
        { ...base, id: "2", ownerUserId: "u1", slaDueAt: h(48) },
        { ...base, id: "3", ownerUserId: "u1", slaDueAt: h(2) },
        { ...base, id: "4", ownerUserId: "u1", slaDueAt: h(2), followedUp: true },
        { ...base, id: "5", ownerUserId: "u1", slaDueAt: h(60) },
        { ...base, id: "6", ownerUserId: null, slaDueAt: h(10) },
      ],
      now,
    );
    expect(digests.map((d) => [d.ownerUserId, d.leads.map((l) => [l.id, l.hoursOverdue])])).toEqual([
      [
        "u1",
        [
          ["3", 48],
          ["2", 2],
        ],
      ],
      ["u2", [["1", 26]]],
      [null, [["6", 40]]],
    ]);
    const mail = renderDigest(digests[0]!, "Ann");
    expect(mail.subject).toBe("2 leads past the follow-up SLA");
    expect(mail.text).toContain("- Dana (Summit, tier A): 2 days overdue");
  });
});
