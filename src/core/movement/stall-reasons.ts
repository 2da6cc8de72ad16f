import { AppError } from "../errors.ts";
import { DAY_MS } from "./measure-movement.ts";

/**
 * The chain that breaks when a deal stalls after an executive event, in order. Each link has evidence in the data:
 * 1. `insight_stays_individual`: nobody of the account engaged after the event, not even the attendees.
 * 2. `not_shared_internally`: only attendees engaged; no one else of the account did.
 * 3. `no_formal_evaluation`: others engaged, but no new stakeholder joined and no follow-up meeting took place.
 * 4. `no_urgency`: an evaluation started (new stakeholder or meeting), yet no stage changed.
 */
export const stallLinks = [
  "insight_stays_individual",
  "not_shared_internally",
  "no_formal_evaluation",
  "no_urgency",
] as const;
export type StallLink = (typeof stallLinks)[number];

/** Buying-committee roles whose coverage is reported (people.buying_role). */
export const committeeRoles = [
  "economic_buyer",
  "technical_evaluator",
  "champion",
  "executive_sponsor",
  "operational_leader",
  "finance",
] as const;
export type CommitteeRole = (typeof committeeRoles)[number];

/** What the data shows about one account in the N days after the event. */
export interface AccountActivation {
  /** Attendees of the account who engaged (any touchpoint not tied to the event itself) within the window. */
  attendeesEngaged: number;
  attendees: number;
  /** People of the account other than attendees who engaged within the window. */
  othersEngaged: number;
  /** Of those, people with no engagement in the look-back before the event: new stakeholders. */
  newStakeholders: number;
  /** Follow-up meetings (touchpoints on the "meeting" channel) within the window. */
  meetings: number;
  /** Stage changes on the account's opportunities within the window. */
  stageChanges: number;
}

/** One link of the chain: whether the data shows it held, and the counts behind that. */
export interface LinkCheck {
  link: StallLink;
  held: boolean;
  evidence: string;
}

/**
 * Stall status at N days with the missing link: `moved` (a stage changed within N days), `stalled` (nothing moved and
 * N days have passed), `pending` (nothing moved yet, fewer than N days observed). For stalled and pending accounts
 * `missingLink` is the first link of the chain that did not hold.
 */
export interface StallReason {
  days: number;
  status: "moved" | "stalled" | "pending";
  missingLink: StallLink | null;
  chain: LinkCheck[];
  explanation: string;
}

const EXPLANATION: Record<StallLink, string> = {
  insight_stays_individual:
    "the insight stayed with the attendees: nobody of the account engaged after the event",
  not_shared_internally:
    "not shared internally: only the attendees engaged after the event, no one else of the account",
  no_formal_evaluation:
    "no formal evaluation: no new stakeholder engaged and no follow-up meeting took place after the event",
  no_urgency: "no urgency: the account engaged and met, but no stage changed",
};

function checkCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0)
    throw new AppError("validation", `${name} must be a non-negative integer, got ${value}`, name);
}

/**
 * Names the missing link of the stall chain for one account from its activation counts within `days` after the
 * event. `observedDays` is how much of the window has passed (as-of date minus the event), so a window not yet over
 * is `pending`, never `stalled`.
 */
export function stallReason(a: AccountActivation, days: number, observedDays: number): StallReason {
  for (const key of Object.keys(a) as (keyof AccountActivation)[]) checkCount(a[key], key);
  if (!(days > 0)) throw new AppError("validation", `days must be positive, got ${days}`, "days");
  const anyone = a.attendeesEngaged + a.othersEngaged;
  const chain: LinkCheck[] = [
    {
      link: "insight_stays_individual",
      held: anyone > 0,
      evidence: `${a.attendeesEngaged} of ${a.attendees} attendees and ${a.othersEngaged} other people engaged`,
    },
    {
      link: "not_shared_internally",
      held: a.othersEngaged > 0,
      evidence: `${a.othersEngaged} people besides the attendees engaged`,
    },
    {
      link: "no_formal_evaluation",
      held: a.newStakeholders > 0 || a.meetings > 0,
      evidence: `${a.newStakeholders} new stakeholders, ${a.meetings} follow-up meetings`,
    },
    { link: "no_urgency", held: a.stageChanges > 0, evidence: `${a.stageChanges} stage changes` },
  ];
  if (a.stageChanges > 0) return { days, status: "moved", missingLink: null, chain, explanation: "moved" };
  const missing = chain.find((c) => !c.held)!.link;
  const status = observedDays >= days ? "stalled" : "pending";
  const prefix =
    status === "stalled" ? `stalled at ${days} days` : `nothing moved yet (${days}-day window open)`;
  return { days, status, missingLink: missing, chain, explanation: `${prefix}: ${EXPLANATION[missing]}` };
}

/** A touchpoint of a person of the account, as the activation measures need it. */
export interface ActivationTouch {
  personId: string | null;
  at: number;
  channel: string;
}

/** Input of `measureActivation`: everything about one account around one event. */
export interface ActivationInput {
  eventAtMs: number;
  asOfMs: number;
  /** People of the account who attended. */
  attendeeIds: ReadonlySet<string>;
  /** The account's touchpoints (not those tied to the event itself), any order. */
  touches: readonly ActivationTouch[];
  /** Times of stage changes on the account's opportunities open at the event. */
  stageChangesMs: readonly number[];
  /** Look-back before the event that defines "already engaged" for new stakeholders (default 90 days). */
  lookbackDays?: number;
}

/** Activation counts within `days` after the event (bounded by the as-of date); see `AccountActivation`. */
export function measureActivation(input: ActivationInput, days: number): AccountActivation {
  const { eventAtMs, asOfMs } = input;
  const lookbackMs = (input.lookbackDays ?? 90) * DAY_MS;
  const end = Math.min(eventAtMs + days * DAY_MS, asOfMs);
  const before = new Set<string>();
  const after = new Set<string>();
  let meetings = 0;
  for (const t of input.touches) {
    if (t.at < eventAtMs && t.at >= eventAtMs - lookbackMs) {
      if (t.personId) before.add(t.personId);
    } else if (t.at > eventAtMs && t.at <= end) {
      if (t.personId) after.add(t.personId);
      if (t.channel === "meeting") meetings++;
    }
  }
  let attendeesEngaged = 0;
  let othersEngaged = 0;
  let newStakeholders = 0;
  for (const p of after) {
    if (input.attendeeIds.has(p)) attendeesEngaged++;
    else {
      othersEngaged++;
      if (!before.has(p)) newStakeholders++;
    }
  }
  let stageChanges = 0;
  for (const t of input.stageChangesMs) if (t > eventAtMs && t <= end) stageChanges++;
  return {
    attendeesEngaged,
    attendees: input.attendeeIds.size,
    othersEngaged,
    newStakeholders,
    meetings,
    stageChanges,
  };
}

/** One role's coverage: people of the account in that role, and how many engaged before and after the event. */
export interface RoleCoverage {
  role: CommitteeRole;
  people: number;
  engagedBefore: number;
  engagedAfter: number;
  coveredBefore: boolean;
  coveredAfter: boolean;
}

/** Buying-committee coverage: per role, and the count of roles covered before and after. */
export interface CommitteeCoverage {
  roles: RoleCoverage[];
  coveredBefore: number;
  coveredAfter: number;
  /** Roles covered after but not before. */
  gained: CommitteeRole[];
  /** Roles covered before but not after. */
  lost: CommitteeRole[];
}

/**
 * Buying-committee coverage of an account: a role is covered in a window when at least one person of the account
 * holding it engaged (any touchpoint) in that window: `windowDays` before the event, and after it up to
 * `windowDays` or the as-of date. Attending the event itself counts as engaging after it when the caller passes
 * attendance as a touch.
 */
export function committeeCoverage(
  people: readonly { id: string; role: string | null }[],
  touches: readonly ActivationTouch[],
  options: { eventAtMs: number; asOfMs: number; windowDays?: number },
): CommitteeCoverage {
  const windowMs = (options.windowDays ?? 90) * DAY_MS;
  const end = Math.min(options.eventAtMs + windowMs, options.asOfMs);
  const before = new Set<string>();
  const after = new Set<string>();
  for (const t of touches) {
    if (!t.personId) continue;
    if (t.at < options.eventAtMs && t.at >= options.eventAtMs - windowMs) before.add(t.personId);
    else if (t.at >= options.eventAtMs && t.at <= end) after.add(t.personId);
  }
  const roles: RoleCoverage[] = committeeRoles.map((role) => {
    const holders = people.filter((p) => p.role === role);
    const engagedBefore = holders.filter((p) => before.has(p.id)).length;
    const engagedAfter = holders.filter((p) => after.has(p.id)).length;
    return {
      role,
      people: holders.length,
      engagedBefore,
      engagedAfter,
      coveredBefore: engagedBefore > 0,
      coveredAfter: engagedAfter > 0,
    };
  });
  return {
    roles,
    coveredBefore: roles.filter((r) => r.coveredBefore).length,
    coveredAfter: roles.filter((r) => r.coveredAfter).length,
    gained: roles.filter((r) => r.coveredAfter && !r.coveredBefore).map((r) => r.role),
    lost: roles.filter((r) => r.coveredBefore && !r.coveredAfter).map((r) => r.role),
  };
}
