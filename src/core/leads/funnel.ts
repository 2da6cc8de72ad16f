// The continuity funnel of an event's leads: one link per step of the chain captured -> context complete ->
// followed up within SLA -> followed up with context -> buyer responded -> opportunity created -> stage advanced.
// A lead reaches a link only if it reached every link before it, so the drop-off says where continuity broke.

import { type BootstrapEstimate, bootstrapDiffProportions } from "../stats/bootstrap.ts";
import { quantile } from "../stats/descriptive.ts";
import { contextComplete } from "./merge-fields.ts";
import type { LeadFields, Tier } from "./vocabulary.ts";

/** A follow-up that happened (sent or done). */
export interface FunnelFollowUp {
  at: Date;
  contextual: boolean;
  respondedAt: Date | null;
}

/** One lead as the funnel sees it. */
export interface FunnelLead {
  id: string;
  tier: Tier | null;
  capturedAt: Date;
  slaDueAt: Date | null;
  /** Context merged over the lead's conversations. */
  fields: LeadFields;
  followUps: FunnelFollowUp[];
  /** When the buyer first responded (reply, meeting), if ever. */
  respondedAt: Date | null;
  opportunityCreatedAt: Date | null;
  /** When the opportunity first moved to a later stage, if ever. */
  stageAdvancedAt: Date | null;
}

export const funnelSteps = [
  "captured",
  "context_complete",
  "followed_up_within_sla",
  "followed_up_with_context",
  "buyer_responded",
  "opportunity_created",
  "stage_advanced",
] as const;
export type FunnelStep = (typeof funnelSteps)[number];

/** One link of the chain. */
export interface FunnelLink {
  step: FunnelStep;
  /** Leads that reached this link and every link before it. */
  reached: number;
  /** Leads that passed this step whatever happened before (e.g. responded without complete context). */
  passed: number;
  /** reached / captured. */
  shareOfCaptured: number;
  /** reached / reached at the previous link (1 for the first). */
  conversionFromPrevious: number;
  /** Leads lost at this link: reached at the previous link minus reached here. */
  dropped: number;
}

export interface TimeToFollowUp {
  followedUp: number;
  never: number;
  /** Hours from capture to the first follow-up, over leads followed up. */
  hours: { p10: number; p25: number; p50: number; p75: number; p90: number; mean: number } | null;
  /** Leads by bucket of hours to first follow-up. */
  buckets: { label: string; leads: number }[];
}

export interface GroupConversion {
  leads: number;
  followedUpWithinSla: number;
  responded: number;
  opportunities: number;
  responseRate: number;
  opportunityRate: number;
}

/** Opportunity conversion of leads whose first follow-up was contextual within 24 h, against generic or late ones. */
export interface ContextualLift {
  horizonDays: number;
  treated: { leads: number; opportunities: number; rate: number };
  control: { leads: number; opportunities: number; rate: number };
  /** Leads never followed up (in neither group). */
  neverFollowedUp: number;
  /** Leads captured less than `horizonDays` before `asOf`: their window is still open, so they are left out. */
  tooRecent: number;
  /** treated rate − control rate with a seeded percentile bootstrap interval. */
  difference: BootstrapEstimate | null;
}

export interface LeadFunnel {
  captured: number;
  links: FunnelLink[];
  timeToFollowUp: TimeToFollowUp;
  byTier: Record<Tier | "untiered", GroupConversion>;
  /** By the kind of the first follow-up. */
  byFollowUp: { contextual: GroupConversion; generic: GroupConversion; none: GroupConversion };
  contextualLift: ContextualLift;
}

export interface FunnelOptions {
  /** Window after capture in which an opportunity counts for the lift (default 90 days). */
  horizonDays?: number;
  /** Hours within which a contextual first follow-up counts as fast (default 24). */
  fastHours?: number;
  resamples?: number;
  seed?: number;
  /** The moment of the analysis: leads whose window has not closed by then are left out of the lift. */
  asOf?: Date;
}

const HOUR = 3_600_000;

function firstFollowUp(lead: FunnelLead): FunnelFollowUp | undefined {
  let first: FunnelFollowUp | undefined;
  for (const f of lead.followUps) if (!first || f.at < first.at) first = f;
  return first;
}

function respondedAt(lead: FunnelLead): Date | null {
  const times = [lead.respondedAt, ...lead.followUps.map((f) => f.respondedAt)].filter(
    (d): d is Date => d !== null,
  );
  return times.length === 0 ? null : new Date(Math.min(...times.map((d) => d.getTime())));
}

/** Which steps a lead passed, each judged on its own. */
function passedSteps(lead: FunnelLead): Record<FunnelStep, boolean> {
  const due = lead.slaDueAt;
  const inSla = lead.followUps.filter((f) => due !== null && f.at.getTime() <= due.getTime());
  return {
    captured: true,
    context_complete: contextComplete(lead.fields),
    followed_up_within_sla: inSla.length > 0,
    followed_up_with_context: inSla.some((f) => f.contextual),
    buyer_responded: respondedAt(lead) !== null,
    opportunity_created: lead.opportunityCreatedAt !== null,
    stage_advanced: lead.stageAdvancedAt !== null,
  };
}

function conversion(leads: FunnelLead[]): GroupConversion {
  let inSla = 0;
  let responded = 0;
  let opportunities = 0;
  for (const lead of leads) {
    const p = passedSteps(lead);
    if (p.followed_up_within_sla) inSla++;
    if (p.buyer_responded) responded++;
    if (p.opportunity_created) opportunities++;
  }
  const n = leads.length;
  return {
    leads: n,
    followedUpWithinSla: inSla,
    responded,
    opportunities,
    responseRate: n === 0 ? 0 : responded / n,
    opportunityRate: n === 0 ? 0 : opportunities / n,
  };
}

const BUCKETS: [string, number][] = [
  ["within 4 h", 4],
  ["4-24 h", 24],
  ["24-48 h", 48],
  ["2-5 days", 120],
  ["over 5 days", Number.POSITIVE_INFINITY],
];

function timeToFollowUp(leads: FunnelLead[]): TimeToFollowUp {
  const hours: number[] = [];
  for (const lead of leads) {
    const first = firstFollowUp(lead);
    if (first) hours.push(Math.max(0, (first.at.getTime() - lead.capturedAt.getTime()) / HOUR));
  }
  const buckets = BUCKETS.map(([label]) => ({ label, leads: 0 }));
  for (const h of hours) {
    const i = BUCKETS.findIndex(([, max]) => h <= max);
    buckets[i]!.leads++;
  }
  buckets.push({ label: "never", leads: leads.length - hours.length });
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    followedUp: hours.length,
    never: leads.length - hours.length,
    hours:
      hours.length === 0
        ? null
        : {
            p10: round(quantile(hours, 0.1)),
            p25: round(quantile(hours, 0.25)),
            p50: round(quantile(hours, 0.5)),
            p75: round(quantile(hours, 0.75)),
            p90: round(quantile(hours, 0.9)),
            mean: round(hours.reduce((a, b) => a + b, 0) / hours.length),
          },
    buckets,
  };
}

/**
 * The contextual-follow-up comparison: treated = first follow-up contextual and within `fastHours` of capture;
 * control = followed up, but generic or later. Outcome: an opportunity within `horizonDays` of capture. With
 * `asOf`, leads captured less than `horizonDays` before it are left out (their outcome is not known yet).
 */
export function contextualLift(leads: FunnelLead[], options: FunnelOptions = {}): ContextualLift {
  const horizonDays = options.horizonDays ?? 90;
  const fastMs = (options.fastHours ?? 24) * HOUR;
  const treated: number[] = [];
  const control: number[] = [];
  let never = 0;
  let tooRecent = 0;
  for (const lead of leads) {
    if (options.asOf && lead.capturedAt.getTime() + horizonDays * 24 * HOUR > options.asOf.getTime()) {
      tooRecent++;
      continue;
    }
    const first = firstFollowUp(lead);
    if (!first) {
      never++;
      continue;
    }
    const sinceCapture = lead.opportunityCreatedAt
      ? lead.opportunityCreatedAt.getTime() - lead.capturedAt.getTime()
      : Number.NaN;
    // An opportunity opened before the conversation was not created by it.
    const converted = sinceCapture >= 0 && sinceCapture <= horizonDays * 24 * HOUR;
    const fast = first.at.getTime() - lead.capturedAt.getTime() <= fastMs;
    (first.contextual && fast ? treated : control).push(converted ? 1 : 0);
  }
  const summary = (xs: number[]) => {
    const opportunities = xs.reduce((a, b) => a + b, 0);
    return { leads: xs.length, opportunities, rate: xs.length === 0 ? 0 : opportunities / xs.length };
  };
  return {
    horizonDays,
    treated: summary(treated),
    control: summary(control),
    neverFollowedUp: never,
    tooRecent,
    difference:
      treated.length > 0 && control.length > 0
        ? bootstrapDiffProportions(treated, control, {
            ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
          })
        : null,
  };
}

/** The continuity funnel, time to follow-up, conversion by tier and by kind of follow-up, and the contextual lift. */
export function computeFunnel(leads: FunnelLead[], options: FunnelOptions = {}): LeadFunnel {
  const passed = leads.map(passedSteps);
  const links: FunnelLink[] = [];
  let previous = leads.length;
  let alive = passed.map(() => true);
  for (const step of funnelSteps) {
    alive = alive.map((a, i) => a && passed[i]![step]);
    const reached = alive.filter(Boolean).length;
    links.push({
      step,
      reached,
      passed: passed.filter((p) => p[step]).length,
      shareOfCaptured: leads.length === 0 ? 0 : reached / leads.length,
      conversionFromPrevious: previous === 0 ? 0 : reached / previous,
      dropped: previous - reached,
    });
    previous = reached;
  }
  const tiers = { A: [], B: [], C: [], untiered: [] } as Record<Tier | "untiered", FunnelLead[]>;
  const kinds = { contextual: [], generic: [], none: [] } as Record<
    "contextual" | "generic" | "none",
    FunnelLead[]
  >;
  for (const lead of leads) {
    tiers[lead.tier ?? "untiered"].push(lead);
    const first = firstFollowUp(lead);
    kinds[first ? (first.contextual ? "contextual" : "generic") : "none"].push(lead);
  }
  return {
    captured: leads.length,
    links,
    timeToFollowUp: timeToFollowUp(leads),
    byTier: {
      A: conversion(tiers.A),
      B: conversion(tiers.B),
      C: conversion(tiers.C),
      untiered: conversion(tiers.untiered),
    },
    byFollowUp: {
      contextual: conversion(kinds.contextual),
      generic: conversion(kinds.generic),
      none: conversion(kinds.none),
    },
    contextualLift: contextualLift(leads, options),
  };
}
