import {
  CONTEXTUAL_SHARE,
  FAST_SHARE,
  IN_PERSON_LEAD_SHARE,
  LEAD_BASE_CONVERSION,
  NO_FOLLOW_UP_SHARE,
  OPPS_PER_ACCOUNT_YEAR,
  PARTNER_INFLUENCED_SHARE,
  REGISTRATIONS_PER_MONTH,
  SIZE_FACTOR,
} from "./constants.ts";
import { DAY, HOUR, startOfDay } from "./format.ts";
import { drawOpportunity, type OpportunityDraw } from "./opportunity.ts";
import { Rng } from "./rng.ts";
import type { World } from "./world.ts";

/*
 * Every opportunity of the world comes from one of three streams, each drawn from seeded streams of its own and
 * never from a draw that depends on the account's class (field or digital): an account's direct and inbound deals,
 * an account's leads (and the deals they become), and a partner's deal registrations (and the partner-sourced deals
 * they become). The plan walks all three once to add up every account's won revenue before it decides which
 * accounts are field accounts; the sections walk them again, with the same functions, when they write the rows.
 */

/** A direct, inbound or partner-influenced opportunity of an account. */
export interface DirectDeal {
  source: "direct" | "inbound" | "partner_influenced";
  /** The influencing partner (index), or −1. */
  partner: number;
  /** The contact: index of a person of the account. */
  contact: number;
  deal: OpportunityDraw;
}

/** The account's direct and inbound opportunities: a Poisson stream over the year. */
export function forEachDirectDeal(w: World, a: number, visit: (d: DirectDeal) => void): void {
  const rng = Rng.of(w.seed, "account-deals", a);
  const seg = w.accounts.segment[a]!;
  const people = w.accounts.people[a]!;
  const gap = (365 * DAY) / (OPPS_PER_ACCOUNT_YEAR[seg]! * w.spec.oppRateScale);
  for (let t = w.h0 + rng.exp(gap); t < w.now; t += rng.exp(gap)) {
    const influenced = rng.chance(PARTNER_INFLUENCED_SHARE);
    const partner = influenced ? rng.int(w.partners.n) : -1;
    const source = influenced ? "partner_influenced" : rng.chance(0.6) ? "direct" : "inbound";
    const contact = rng.int(Math.min(2, people));
    visit({ source, partner, contact, deal: drawOpportunity(w, rng, a, t) });
  }
}

/**
 * One lead of an account: where and when it was captured, its first follow-up and whether it converted (with the
 * planted `contextual_followup_lift`). What the conversation held is drawn by the writer.
 */
export interface LeadDraw {
  /** Index into `w.slots`. */
  slot: number;
  /** Met at the slot's in-person event rather than its webinar; applies to field accounts only. */
  inPerson: boolean;
  /** Index of the person of the account. */
  person: number;
  captured: number;
  followed: boolean;
  contextual: boolean;
  fast: boolean;
  /** When the first follow-up is (or would be) sent. */
  sent: number;
  /** The opportunity the lead became (opened within 90 days of capture and by `now`), or null. */
  deal: OpportunityDraw | null;
}

/**
 * The account's leads (Poisson, mean `leadsPerAccountYear` × size factor). A person gives at most one lead per slot.
 * Every lead event of a slot runs at 15:00–16:00 UTC on the slot's day, and so is every capture, whether in person
 * or at the webinar: the timing of leads (and of the deals they become) does not depend on the class. The lead
 * becomes an opportunity with probability LEAD_BASE_CONVERSION, plus `contextual_followup_lift` when the first
 * follow-up is contextual and sent within 24 hours of the capture.
 */
export function forEachLead(w: World, a: number, visit: (lead: LeadDraw) => void): void {
  const rng = Rng.of(w.seed, "account-leads", a);
  const seg = w.accounts.segment[a]!;
  const n = w.accounts.people[a]!;
  const taken = new Set<number>();
  const nLeads = rng.poisson(w.spec.leadsPerAccountYear * SIZE_FACTOR[seg]!);
  for (let i = 0; i < nLeads; i++) {
    const slot = rng.int(w.slots.length);
    const inPerson = rng.chance(IN_PERSON_LEAD_SHARE);
    let j = rng.int(n);
    let tries = 0;
    while (taken.has(slot * 64 + j) && tries < n) {
      j = (j + 1) % n;
      tries++;
    }
    if (tries === n) continue;
    taken.add(slot * 64 + j);
    const day = startOfDay(w.events[w.slots[slot]!.webinar]!.start);
    const captured = day + 15 * HOUR + rng.range(0, 1) * HOUR;
    const followed = !rng.chance(NO_FOLLOW_UP_SHARE);
    const contextual = rng.chance(CONTEXTUAL_SHARE);
    const fast = rng.chance(FAST_SHARE);
    const delay = fast ? rng.range(1, 23.5) * HOUR : rng.range(25, 240) * HOUR;
    const sent = captured + delay;
    const planted = followed && contextual && fast;
    const converts = rng.chance(LEAD_BASE_CONVERSION + (planted ? w.effects.contextual_followup_lift : 0));
    const base = followed ? sent : captured;
    const opened = base + rng.range(1, Math.max(1.01, (captured + 89 * DAY - base) / DAY)) * DAY;
    const deal = converts && opened <= w.now ? drawOpportunity(w, rng, a, opened) : null;
    visit({ slot, inPerson, person: j, captured, followed, contextual, fast, sent, deal });
  }
}

export const REGISTRATION_STATUSES = ["submitted", "approved", "rejected", "converted", "expired"] as const;
const STATUS_WEIGHTS = [0.1, 0.45, 0.15, 0.2, 0.1];

/** One deal registration of a partner: a random account; a converted one opens a partner-sourced opportunity. */
export interface RegistrationDraw {
  at: number;
  account: number;
  status: (typeof REGISTRATION_STATUSES)[number];
  amount: number;
  /** Contact of a converted registration: index of a person of the account. */
  contact: number;
  deal: OpportunityDraw | null;
}

/**
 * The partner's deal registrations: a Poisson stream at the tier's rate per 30 days, plus `partner_registration_lift`
 * per 30 days from the start of the partner event it attended. A converted registration opens its opportunity 1–14
 * days later (if that is after `now`, the registration is still only approved).
 */
export function forEachRegistration(w: World, p: number, visit: (r: RegistrationDraw) => void): void {
  const rng = Rng.of(w.seed, "partner-deals", p);
  const base = REGISTRATIONS_PER_MONTH[w.partners.tier[p]!]!;
  const evIndex = w.partners.event[p]!;
  const change = evIndex >= 0 ? w.events[evIndex]!.start : w.now;
  const register = (t: number) => {
    const a = rng.int(w.accounts.n);
    let status = REGISTRATION_STATUSES[rng.weighted(STATUS_WEIGHTS)]!;
    const amount = Math.round(rng.range(5_000, 150_000) / 100) * 10_000;
    let contact = 0;
    let deal: OpportunityDraw | null = null;
    if (status === "converted") {
      const opened = t + rng.range(1, 14) * DAY;
      contact = rng.int(Math.min(2, w.accounts.people[a]!));
      if (opened <= w.now) deal = drawOpportunity(w, rng, a, opened);
      else status = "approved";
    }
    visit({ at: t, account: a, status, amount, contact, deal });
  };
  const before = (30 * DAY) / base;
  for (let t = w.h0 + rng.exp(before); t < change; t += rng.exp(before)) register(t);
  if (change < w.now) {
    const after = (30 * DAY) / Math.max(1e-9, base + w.effects.partner_registration_lift);
    for (let t = change + rng.exp(after); t < w.now; t += rng.exp(after)) register(t);
  }
}

/** Won revenue (minor units) per account over the whole world: its own deals, its leads' and partners' deals. */
export function wonRevenueByAccount(w: World): Float64Array {
  const won = new Float64Array(w.accounts.n);
  const add = (a: number, deal: OpportunityDraw | null) => {
    if (deal?.won) won[a]! += deal.amountMinor;
  };
  for (let a = 0; a < w.accounts.n; a++) {
    forEachDirectDeal(w, a, (d) => add(a, d.deal));
    forEachLead(w, a, (l) => add(a, l.deal));
  }
  for (let p = 0; p < w.partners.n; p++) forEachRegistration(w, p, (r) => add(r.account, r.deal));
  return won;
}

/** How much farther from the target (as a share of all won revenue) the randomly chosen way may land than the other. */
const CLOSE_ENOUGH = 0.001;

/**
 * Decides which accounts are field accounts so that they hold `offline_won_revenue_share` of the world's won revenue.
 * Each account has a uniform draw `u`. Accounts without won revenue are field when u < share (they do not weigh in
 * the share). Accounts with won revenue are ranked by u, and the first of them are field: u < τ, with the threshold
 * τ where their won revenue crosses the target share × total. The account at the crossing is field with probability
 * (what the target lacks without it) / (its won revenue), so the prefix holds the target in expectation. What is left
 * over or under is made up by the accounts nearest τ: under the target, walking up from τ, accounts that still fit
 * join; over it, walking down, accounts that fit in the excess leave; then the smallest remaining account that
 * brings the sum closer flips. (If that walk lands more than 0.1 % of the revenue farther than the other way would,
 * the other way is taken.) The share lands on the target within half the smallest won revenue beyond τ, and which
 * accounts are field depends on nothing but u and how much they won: small accounts are added as often as removed.
 */
export function assignFieldAccounts(w: World, u: Float64Array, won: Float64Array): void {
  const share = w.effects.offline_won_revenue_share;
  const field = w.accounts.field;
  let total = 0;
  const earners: number[] = [];
  for (let a = 0; a < w.accounts.n; a++) {
    if (won[a]! > 0) {
      total += won[a]!;
      earners.push(a);
    } else field[a] = u[a]! < share ? 1 : 0;
  }
  earners.sort((x, y) => u[x]! - u[y]! || x - y);
  const m = earners.length;
  const amount = (i: number) => won[earners[i]!]!;
  const target = share * total;
  let under = 0;
  let cut = 0;
  while (cut < m && under + amount(cut) <= target) under += amount(cut++);

  // One way of making up the rest: from a prefix of `prefix` accounts with sum `sum`, walk away from τ flipping
  // accounts that fit in what is left, then the smallest other one if that brings the sum closer.
  const makeUp = (prefix: number, sum: number): { chosen: Uint8Array; error: number } => {
    const chosen = new Uint8Array(m);
    chosen.fill(1, 0, prefix);
    let gap = target - sum;
    const up = gap >= 0;
    let smallest = -1;
    for (let i = up ? prefix : prefix - 1; up ? i < m : i >= 0; i += up ? 1 : -1) {
      if (amount(i) <= Math.abs(gap)) {
        chosen[i] = up ? 1 : 0;
        gap += up ? -amount(i) : amount(i);
      } else if (smallest < 0 || amount(i) < amount(smallest)) smallest = i;
    }
    if (smallest >= 0 && amount(smallest) < 2 * Math.abs(gap)) {
      chosen[smallest] = up ? 1 : 0;
      gap += up ? -amount(smallest) : amount(smallest);
    }
    return { chosen, error: Math.abs(gap) };
  };
  // Under or over: the crossing account is field with probability (target − under) / its revenue, so the prefix
  // holds the target in expectation and small accounts are added (walking up) as often as removed (walking down).
  // The other way is taken only when it lands much closer (a walk that found too few accounts that fit).
  let best = makeUp(cut, under);
  if (cut < m) {
    const over = makeUp(cut + 1, under + amount(cut));
    const pickOver = Rng.of(w.seed, "field-threshold").next() < (target - under) / amount(cut);
    const [chosen, other] = pickOver ? [over, best] : [best, over];
    best = chosen.error <= other.error + CLOSE_ENOUGH * total ? chosen : other;
  }
  for (let i = 0; i < m; i++) field[earners[i]!] = best.chosen[i]!;
}
