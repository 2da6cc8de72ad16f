import { attend } from "../attendance.ts";
import {
  CORE_FEATURES,
  FEATURES,
  SEGMENTS,
  SESSION_ATTENDANCE,
  SIZE_FACTOR,
  TICKET_TOPICS,
  TRAINEE_SHARE,
  USAGE_BASE_SHARE_90,
} from "../constants.ts";
import { forEachDirectDeal, forEachLead, type LeadDraw } from "../deals.ts";
import { DAY, HOUR, isoDate, MINUTE, q, qj, ts } from "../format.ts";
import { writeOpportunity } from "../opportunity.ts";
import { Rng } from "../rng.ts";
import { CAMPAIGNS, INDUSTRIES, NEXT_STEPS, PROBLEMS, TITLES_BY_ROLE, USE_CASES } from "../vocabulary.ts";
import {
  accountDomain,
  accountName,
  accountPersonEmail,
  accountPersonId,
  type EventPlan,
  hash32,
  personName,
  type World,
} from "../world.ts";
import type { UnitWriter } from "../writer.ts";
import type { SectionPlan } from "./section.ts";

/** Buying-committee role by position in the account: the first people are the committee, the rest mostly users. */
export const ROLE_BY_POSITION = [
  "economic_buyer",
  "champion",
  "technical_evaluator",
  "user",
  "executive_sponsor",
  "operational_leader",
  "finance",
  "user",
  "user",
  "other",
  "user",
  "technical_evaluator",
  "user",
  "user",
  "other",
  "user",
] as const;
/** Roles that use the product hands-on (product users of customer accounts). */
export const PRODUCT_ROLES = new Set(["champion", "technical_evaluator", "user", "operational_leader"]);

const ONLINE_CHANNELS: readonly [string, string, number][] = [
  ["email", "email_open", 0.25],
  ["email", "email_click", 0.15],
  ["web", "page_view", 0.22],
  ["web", "pricing_page", 0.05],
  ["ads", "ad_click", 0.1],
  ["content", "content_download", 0.1],
  ["social", "social_engagement", 0.08],
  ["direct", "direct_visit", 0.05],
];
const ONLINE_WEIGHTS = ONLINE_CHANNELS.map((c) => c[2]);

/** The accounts table itself (one row per account), loaded before any person. */
export function accountListSection(w: World): SectionPlan {
  return {
    name: "accounts",
    section: "setup",
    shift: 0,
    units: w.accounts.n,
    run(out, a) {
      const acc = w.accounts;
      out.row(
        "accounts",
        `${w.gen.accounts.id(a)},A${100000 + a},${q(accountName(a))},${accountDomain(a)},${SEGMENTS[acc.segment[a]!]},${INDUSTRIES[acc.industry[a]!]},${acc.employees[a]},${q(w.territories[acc.territory[a]!]!)},${w.reps[acc.owner[a]!]!.id},${ts(w.h0)}`,
      );
    },
  };
}

/**
 * Everything that happens to one account over the year: its people, opportunities, roundtable, leads and their
 * follow-ups, event attendance, customer training, product usage and tickets, and its online and offline touches.
 */
export function accountSection(w: World): SectionPlan {
  return {
    name: "account activity",
    section: "account",
    shift: 20,
    units: w.accounts.n,
    run: (out, a) => runAccount(w, out, a),
  };
}

function runAccount(w: World, out: UnitWriter, a: number): void {
  const rng = Rng.of(w.seed, "account", a);
  const acc = w.accounts;
  const seg = acc.segment[a]!;
  const field = acc.field[a] === 1;
  const n = acc.people[a]!;
  const accountId = w.gen.accounts.id(a);
  const people: string[] = [];
  for (let j = 0; j < n; j++) {
    const id = accountPersonId(w, a, j);
    people.push(id);
    const [first, last] = personName(w.seed, 1, a, j);
    const role = ROLE_BY_POSITION[j % ROLE_BY_POSITION.length]!;
    const titles = TITLES_BY_ROLE[role]!;
    const title = titles[hash32(w.seed, a, j + 7) % titles.length]!;
    out.row(
      "people",
      `${id},,${accountId},,${accountPersonEmail(a, j, first, last)},${first},${last},${q(title)},${role},,,${ts(w.h0)}`,
    );
  }
  const registered = new Set<number>();
  const key = (ev: number, j: number) => ev * 64 + j;

  // Direct and inbound opportunities: a Poisson stream over the year (drawn apart, see deals.ts).
  forEachDirectDeal(w, a, (d) => {
    const partner = d.partner >= 0 ? w.gen.partners.id(d.partner) : null;
    writeOpportunity(out, a, d.deal, d.source, partner, people[d.contact]!);
  });

  // Executive roundtable: invited executives of attending accounts; some others are invited and regret.
  const rt = acc.roundtable[a]!;
  if (rt >= 0) {
    const ev = w.events[rt]!;
    const invitees = [0];
    if (n > 4 && rng.chance(0.6)) invitees.push(4);
    if (rng.chance(0.3)) invitees.push(1);
    invitees.forEach((j, i) => {
      invite(w, out, rng, ev, people[j]!, accountId, a, "accepted");
      attend(out, rng, ev, people[j]!, accountId, {
        attend: i === 0 ? true : rng.chance(0.85),
        source: "invitation",
        sessions: [0],
      });
      registered.add(key(rt, j));
    });
    // What the evening led to: a meeting in person for field accounts, an email thread for digital ones.
    const at = ev.start + rng.range(3, 20) * DAY;
    if (field) out.touch(at, "meeting", "roundtable_follow_up", false, people[0]!, accountId, ev.id);
    else out.touch(at, "email", "roundtable_follow_up", true, people[0]!, accountId, ev.id);
  } else if (seg > 0 && rng.chance(0.15)) {
    // Invited, but did not come: roundtables alternate dinner (field accounts) and online briefing (digital ones).
    const pair = rng.int(w.roundtables.length / 2);
    const ev = w.events[w.roundtables[2 * pair + (field ? 0 : 1)]!]!;
    invite(w, out, rng, ev, people[0]!, accountId, a, rng.chance(0.7) ? "regretted" : "declined");
  }

  // Leads: captured in person (field accounts) or at the same day's webinar (drawn apart, see deals.ts).
  forEachLead(w, a, (lead) => {
    const slot = w.slots[lead.slot]!;
    const evIndex = field && lead.inPerson ? slot.inPerson : slot.webinar;
    registered.add(key(evIndex, lead.person));
    writeLead(w, out, rng, w.events[evIndex]!, a, lead, people, accountId);
  });

  // Ordinary attendance: webinars for everyone, in-person events for field accounts, a few upcoming registrations.
  for (let j = 0; j < n; j++) {
    const nw = rng.poisson(w.spec.webinarsPerPersonYear);
    for (let i = 0; i < nw; i++) {
      const e = w.webinars[rng.int(w.webinars.length)]!;
      if (registered.has(key(e, j))) continue;
      registered.add(key(e, j));
      attend(out, rng, w.events[e]!, people[j]!, accountId);
    }
    if (field) {
      const ni = rng.poisson(w.spec.inPersonPerPersonYear);
      for (let i = 0; i < ni; i++) {
        const e = w.inPersonLeadEvents[rng.int(w.inPersonLeadEvents.length)]!;
        if (registered.has(key(e, j))) continue;
        registered.add(key(e, j));
        attend(out, rng, w.events[e]!, people[j]!, accountId);
      }
    }
    for (const e of w.upcoming) {
      const ev = w.events[e]!;
      if ((ev.inPerson && !field) || !rng.chance(0.04)) continue;
      attend(out, rng, ev, people[j]!, accountId);
    }
  }

  if (acc.customer[a] === 1) customerActivity(w, out, rng, a, people, accountId);

  // Online marketing touches per person, and offline meetings and calls for field accounts only.
  for (let j = 0; j < n; j++) {
    const engagement = Math.exp(0.8 * rng.normal() - 0.32);
    const mean = (365 * DAY) / (w.spec.onlineTouchesPerPersonYear * engagement);
    const pid = people[j]!;
    for (let t = w.h0 + rng.exp(mean); t < w.now; t += rng.exp(mean)) {
      const c = ONLINE_CHANNELS[rng.weighted(ONLINE_WEIGHTS)]!;
      const campaign =
        c[0] === "email" || c[0] === "ads" || c[0] === "social"
          ? CAMPAIGNS[(Math.floor((t - w.h0) / (91 * DAY)) + c[0].length) % CAMPAIGNS.length]!
          : null;
      out.touch(t, c[0], c[1], true, pid, accountId, null, null, null, campaign);
    }
  }
  if (field) {
    const mean = (365 * DAY) / (w.spec.offlineTouchesPerFieldAccountYear * SIZE_FACTOR[seg]!);
    for (let t = w.h0 + rng.exp(mean); t < w.now; t += rng.exp(mean)) {
      const meeting = rng.chance(0.6);
      out.touch(
        t,
        meeting ? "meeting" : "call",
        meeting ? "onsite_meeting" : "phone_call",
        false,
        people[rng.int(n)]!,
        accountId,
      );
    }
  }
}

function invite(
  w: World,
  out: UnitWriter,
  rng: Rng,
  ev: EventPlan,
  personId: string,
  accountId: string,
  a: number,
  status: "accepted" | "regretted" | "declined",
): void {
  const created = Math.max(w.h0, ev.start - 35 * DAY);
  const decided = created + rng.range(1, 5) * DAY;
  const responded = status === "declined" ? "" : ts(decided + rng.range(1, 10) * DAY);
  const rep = w.reps[w.accounts.owner[a]!]!;
  out.row(
    "invitations",
    `${out.id("invitations")},${ev.id},${personId},${rep.id},${status},${q("Strategic account, open opportunity")},${ev.owner},${ts(decided)},${responded},${ts(created)}`,
  );
  if (status !== "declined")
    out.touch(decided, "email", "invitation", true, personId, accountId, ev.id, null, null, ev.campaign);
}

const URGENCY = ["now", "this_quarter", "later", "none"] as const;
const STAGES = ["learning", "problem_defined", "evaluating_vendors", "selecting", "purchasing"] as const;

/**
 * One lead with its conversation (in person), qualification, follow-ups and the opportunity it became, if it did
 * (drawn with the planted `contextual_followup_lift` in deals.ts).
 */
function writeLead(
  w: World,
  out: UnitWriter,
  rng: Rng,
  ev: EventPlan,
  a: number,
  lead: LeadDraw,
  people: string[],
  accountId: string,
): void {
  const j = lead.person;
  const pid = people[j]!;
  attend(out, rng, ev, pid, accountId, { attend: true });
  const { captured, followed, contextual, sent } = lead;
  const owner = w.reps[w.accounts.owner[a]!]!;
  const urgency = URGENCY[rng.weighted([0.15, 0.35, 0.35, 0.15])]!;
  const stage = STAGES[rng.weighted([0.3, 0.25, 0.25, 0.12, 0.08])]!;
  const stageRank = STAGES.indexOf(stage);
  const tier =
    (urgency === "now" || urgency === "this_quarter") && stageRank >= 2
      ? "A"
      : urgency !== "none"
        ? "B"
        : "C";
  const score = tier === "A" ? rng.range(70, 95) : tier === "B" ? rng.range(40, 70) : rng.range(10, 40);
  const signals = [
    { signal: `urgency:${urgency}`, points: urgency === "now" ? 30 : urgency === "this_quarter" ? 20 : 5 },
    { signal: `buying_stage:${stage}`, points: 8 * stageRank },
  ];
  const problem = rng.pick(PROBLEMS);
  const useCase = rng.pick(USE_CASES);
  const nextStep = rng.pick(NEXT_STEPS);
  let captor = "";
  if (ev.inPerson) {
    captor = rng.chance(0.7) ? owner.id : w.reps[rng.int(w.reps.length)]!.id;
    const tp = out.touch(
      captured,
      "conversation",
      "badge_scan",
      false,
      pid,
      accountId,
      ev.id,
      null,
      null,
      ev.campaign,
    );
    const stakeholders = [1, 2]
      .filter((k) => j + k < people.length && rng.chance(0.5))
      .map((k) => {
        const [f, l] = personName(w.seed, 1, a, j + k);
        return { name: `${f} ${l}`, role: ROLE_BY_POSITION[(j + k) % ROLE_BY_POSITION.length]! };
      });
    const conversationId = out.id("conversations");
    out.row(
      "conversations",
      `${conversationId},${ev.id},${pid},${accountId},${captor},${tp},${conversationId},${ts(captured)},${q(`Talked about ${problem}; wants ${useCase}. Next: ${nextStep}.`)},${q(problem)},${q(useCase)},${urgency},${stage},${rng.pick(["<50k", "50-200k", ">200k", "unknown"])},${rng.pick(["Q1", "Q2", "H2", "next year"])},${qj(stakeholders)},${q(nextStep)},${isoDate(captured + rng.range(3, 21) * DAY)},${ts(captured)}`,
    );
  }

  const oppId = lead.deal ? writeOpportunity(out, a, lead.deal, "event", null, pid) : "";
  const responded = followed && (oppId !== "" || rng.chance(0.2)) ? sent + rng.range(2, 96) * HOUR : null;
  const status =
    oppId !== ""
      ? "opportunity"
      : !followed
        ? "routed"
        : sent > w.now
          ? "routed"
          : responded !== null && responded <= w.now
            ? "responded"
            : tier === "C" && rng.chance(0.3)
              ? "disqualified"
              : "followed_up";
  const leadId = out.id("leads");
  out.row(
    "leads",
    `${leadId},${ev.id},${pid},${accountId},${captor},${owner.id},${tier},${score.toFixed(2)},${qj(signals)},${status},${ts(captured)},${ts(captured + 24 * HOUR)},${oppId},${ts(captured)}`,
  );
  if (followed) {
    const isSent = sent <= w.now;
    const subject = contextual ? `Re: ${problem} — ${nextStep}` : `Great to meet you at ${ev.name}`;
    const body = contextual
      ? `You mentioned ${problem} and wanted ${useCase}. As agreed: ${nextStep}.`
      : "Thanks for stopping by. Here is our brochure.";
    out.row(
      "follow_ups",
      `${out.id("follow_ups")},lead,${leadId},${pid},${ev.id},${owner.id},email,${contextual ? "t" : "f"},${q(subject)},${q(body)},${isSent ? "sent" : "scheduled"},${ts(captured + 24 * HOUR)},${isSent ? ts(sent) : ""},${responded !== null && responded <= w.now && isSent ? ts(responded) : ""},${ts(captured)}`,
    );
    if (isSent) out.touch(sent, "email", "follow_up", true, pid, accountId, ev.id, null, null, ev.campaign);
    if (rng.chance(0.4)) {
      const reminder = captured + rng.range(7, 14) * DAY;
      const done = reminder <= w.now;
      out.row(
        "follow_ups",
        `${out.id("follow_ups")},lead,${leadId},${pid},${ev.id},${owner.id},email,f,${q("Checking in")},${q("Any questions since we last spoke?")},${done ? "sent" : "scheduled"},${ts(reminder)},${done ? ts(reminder) : ""},,${ts(captured)}`,
      );
      if (done)
        out.touch(reminder, "email", "follow_up", true, pid, accountId, ev.id, null, null, ev.campaign);
    }
  }
}

/**
 * Customer accounts: training (with guided use in the sessions), independent product use per (user, feature) and
 * support tickets per topic. Untrained use is a Poisson stream with P(≥ 1 use in any 90 days) = USAGE_BASE_SHARE_90;
 * a trained pair instead has at least one use in the 90 days after training with probability base + lift. Tickets
 * on the topics the account was trained on run at (1 + training_ticket_change) × the base rate after the training.
 */
function customerActivity(
  w: World,
  out: UnitWriter,
  rng: Rng,
  a: number,
  people: string[],
  accountId: string,
): void {
  const seg = w.accounts.segment[a]!;
  const users: number[] = [];
  for (let j = 0; j < people.length; j++)
    if (PRODUCT_ROLES.has(ROLE_BY_POSITION[j % ROLE_BY_POSITION.length]!)) users.push(j);
  if (users.length === 0) users.push(0);
  const trainedAt = new Map<number, number>(); // j·16 + feature index → training end
  const trainedTopics = new Set<string>();
  let trainingEnd = 0;
  const te = w.accounts.training[a]!;
  if (te >= 0) {
    const ev = w.events[te]!;
    trainingEnd = ev.end;
    let trainees = users.filter(() => rng.chance(TRAINEE_SHARE));
    if (trainees.length === 0) trainees = [users[0]!];
    for (const j of trainees) {
      let sessions = ev.sessions.map((_, i) => i).filter(() => rng.chance(SESSION_ATTENDANCE));
      if (sessions.length === 0) sessions = [rng.int(ev.sessions.length)];
      attend(out, rng, ev, people[j]!, accountId, { attend: true, sessions, source: "import" });
      for (const si of sessions) {
        const s = ev.sessions[si]!;
        const feature = s.features[0]!;
        trainedTopics.add(feature);
        trainedAt.set(j * 16 + FEATURES.indexOf(feature as (typeof FEATURES)[number]), ev.end);
        for (let g = 0; g < 2; g++) {
          out.row(
            "product_usage_events",
            `${out.id("product_usage_events")},,${accountId},${people[j]!},${feature},${ts(s.start + rng.range(10, 45) * MINUTE)},t`,
          );
        }
      }
      // Scenario check after the training (post only), and the role's learning journey.
      const assessment = ev.assessment!;
      const attemptId = out.id("assessment_attempts");
      const submitted = ev.end + rng.range(0.2, 24) * HOUR;
      out.row(
        "assessment_attempts",
        `${attemptId},${assessment.id},${people[j]!},post,0,${ts(ev.end)},${ts(submitted - 10 * MINUTE)},${ts(submitted)}`,
      );
      for (const item of assessment.items) {
        const trainedOn = sessions.includes(item.position);
        const correct = rng.chance(trainedOn ? 0.7 : 0.45);
        const confidence = correct ? 2 + rng.int(3) : 1 + rng.int(4);
        out.row(
          "responses",
          `${out.id("responses")},${attemptId},${item.id},${people[j]!},${qj(correct ? item.correct : item.wrong)},${correct ? "t" : "f"},${confidence},${ts(submitted - rng.range(1, 9) * MINUTE)}`,
        );
      }
      const role = ROLE_BY_POSITION[j % ROLE_BY_POSITION.length];
      const journey = role === "technical_evaluator" ? w.journeys.admin : w.journeys.user;
      const enrolled = ev.start - 7 * DAY;
      const progress = journey.steps
        .filter((s) => ev.start + s.offsetDays * DAY <= w.now && rng.chance(0.75))
        .map((s) => ({
          stepId: s.id,
          at: new Date(ev.start + (s.offsetDays + rng.range(0, 3)) * DAY).toISOString(),
          evidence: s.kind === "task" ? "usage_event" : s.kind === "session" ? "check_in" : "completed",
        }));
      out.row(
        "journey_enrollments",
        `${out.id("journey_enrollments")},${journey.id},${people[j]!},${ts(Math.max(w.h0, enrolled))},${qj(progress)},${(progress.length / journey.steps.length).toFixed(4)}`,
      );
    }
  }

  // Independent (unguided) use of each trainable feature, and the core features.
  const b = USAGE_BASE_SHARE_90;
  const baseMean = (90 * DAY) / -Math.log(1 - b);
  const usesIn = (j: number, feature: string, from: number, to: number, mean: number) => {
    for (let t = from + rng.exp(mean); t < to; t += rng.exp(mean)) {
      out.row(
        "product_usage_events",
        `${out.id("product_usage_events")},,${accountId},${people[j]!},${feature},${ts(t)},f`,
      );
    }
  };
  for (const j of users) {
    for (let f = 0; f < FEATURES.length; f++) {
      const feature = FEATURES[f]!;
      const end = trainedAt.get(j * 16 + f);
      if (end === undefined) {
        usesIn(j, feature, w.h0, w.now, baseMean);
        continue;
      }
      const windowEnd = end + 90 * DAY;
      usesIn(j, feature, w.h0, end, baseMean);
      if (rng.chance(b + w.effects.training_independent_use_lift)) {
        const first = end + 90 * DAY * rng.next() ** 2;
        if (first < w.now) {
          out.row(
            "product_usage_events",
            `${out.id("product_usage_events")},,${accountId},${people[j]!},${feature},${ts(first)},f`,
          );
          usesIn(j, feature, first, Math.min(windowEnd, w.now), baseMean / 4);
        }
      }
      usesIn(j, feature, windowEnd, w.now, baseMean);
    }
    if (w.spec.coreUsesPerUserYear > 0) {
      const coreMean = (365 * DAY) / (w.spec.coreUsesPerUserYear / CORE_FEATURES.length);
      for (const feature of CORE_FEATURES) usesIn(j, feature, w.h0, w.now, coreMean);
    }
  }

  // Support tickets per topic; trained topics change rate after the training.
  const ticketMean = (365 * DAY) / (w.spec.ticketsPerTopicYear * SIZE_FACTOR[seg]!);
  const ticket = (topic: string, at: number) => {
    const closed = at + rng.range(2, 120) * HOUR;
    out.row(
      "support_tickets",
      `${out.id("support_tickets")},,${accountId},${people[users[rng.int(users.length)]!]!},${topic},${q(`Question about ${topic}`)},${ts(at)},${closed <= w.now ? ts(closed) : ""}`,
    );
  };
  for (const topic of TICKET_TOPICS) {
    if (trainedTopics.has(topic)) {
      for (let t = w.h0 + rng.exp(ticketMean); t < trainingEnd; t += rng.exp(ticketMean)) ticket(topic, t);
      const after = ticketMean / (1 + w.effects.training_ticket_change);
      for (let t = trainingEnd + rng.exp(after); t < w.now; t += rng.exp(after)) ticket(topic, t);
    } else {
      for (let t = w.h0 + rng.exp(ticketMean); t < w.now; t += rng.exp(ticketMean)) ticket(topic, t);
    }
  }
}
