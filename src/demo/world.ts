import type { EventFormat, EventType, Role } from "../db/schema/vocabulary.ts";
import { defaultFormat } from "../db/schema/vocabulary.ts";
import {
  CME_ITEMS,
  CUSTOMER_SHARE,
  EMPLOYEES,
  FEATURES,
  HISTORY_DAYS,
  PARTNER_EVENT_ATTENDANCE,
  PARTNER_TIER_SHARE,
  PEOPLE_PER_ACCOUNT,
  ROUNDTABLE_ACCOUNTS_PER_EVENT,
  ROUNDTABLE_ATTENDANCE,
  SEGMENT_SHARE,
  SKO_ATTENDANCE,
  SKO_DAYS_BEFORE_NOW,
  TRAINED_SHARE,
} from "./constants.ts";
import { assignFieldAccounts, wonRevenueByAccount } from "./deals.ts";
import type { Effects } from "./effects.ts";
import { DAY, HOUR, MINUTE } from "./format.ts";
import { type IdGen, IdSpace, orgIdFor } from "./ids.ts";
import { Rng } from "./rng.ts";
import type { ScaleSpec } from "./scale.ts";
import {
  CITIES,
  CME_TOPICS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  LAST_NAMES,
  POLL_QUESTIONS,
  RESTAURANTS,
  TERRITORIES,
  VENUES,
} from "./vocabulary.ts";

export interface UserPlan {
  index: number;
  id: string;
  email: string;
  name: string;
  role: Role;
  territory: number;
}

export interface SessionPlan {
  id: string;
  title: string;
  track: string | null;
  room: string | null;
  start: number;
  end: number;
  capacity: number | null;
  speakers: string[];
  objectives: string[];
  topics: string[];
  features: string[];
  creditHours: number | null;
  /** Index into the event's polls, or −1. */
  poll: number;
}

export interface PollPlan {
  id: string;
  session: number;
  question: string;
  options: string[];
}

export interface ItemPlan {
  id: string;
  position: number;
  kind: "single" | "multiple" | "true_false" | "scenario";
  prompt: string;
  options: string[];
  correct: number[];
  /** A wrong answer to give when the draw says wrong. */
  wrong: number[];
  /** Pre-test probability of a correct answer for an average learner. */
  pPre: number;
  objective: string;
  level: "3A" | "3B" | "4";
}

export interface AssessmentPlan {
  id: string;
  title: string;
  delays: number[];
  items: ItemPlan[];
}

export interface EventPlan {
  index: number;
  id: string;
  type: EventType;
  format: EventFormat;
  name: string;
  slug: string;
  start: number;
  end: number;
  zone: string;
  venue: string | null;
  virtualUrl: string | null;
  inPerson: boolean;
  inviteOnly: boolean;
  capacity: number | null;
  owner: string;
  /** True when the event has ended before `now`. */
  past: boolean;
  campaign: string;
  sessions: SessionPlan[];
  polls: PollPlan[];
  assessment: AssessmentPlan | null;
}

export interface JourneyPlan {
  id: string;
  name: string;
  role: string;
  steps: {
    id: string;
    kind: "session" | "reinforcement" | "task" | "coaching";
    offsetDays: number;
    feature: string | null;
  }[];
}

/** Everything decided before rows are generated: small enough to hold for a million people (columns per account). */
export interface World {
  seed: number;
  spec: ScaleSpec;
  effects: Effects;
  now: number;
  /** Start of history: now − 365 days. */
  h0: number;
  slug: string;
  orgId: string;
  emailDomain: string;
  ids: IdSpace;
  users: UserPlan[];
  admin: UserPlan;
  reps: UserPlan[];
  /** Per rep (index into reps): 0 absent from the kickoff, 1 attended, 2 attended and reinforced. */
  repSko: Uint8Array;
  marketers: UserPlan[];
  partnerManagers: UserPlan[];
  educators: UserPlan[];
  territories: string[];
  accounts: AccountColumns;
  partners: PartnerColumns;
  events: EventPlan[];
  /** Lead-capture slots: an in-person event and a webinar on the same day. */
  slots: { inPerson: number; webinar: number }[];
  /** Past webinars and past in-person lead events (for ordinary attendance), and upcoming events (registrations). */
  webinars: number[];
  inPersonLeadEvents: number[];
  upcoming: number[];
  roundtables: number[];
  partnerEvents: number[];
  sko: number;
  trainings: number[];
  cme: number[];
  journeys: { user: JourneyPlan; admin: JourneyPlan; sko: JourneyPlan };
  gen: {
    users: IdGen;
    accounts: IdGen;
    partners: IdGen;
    accountPeople: IdGen;
    partnerPeople: IdGen;
    teamPeople: IdGen;
    learnerPeople: IdGen;
  };
}

export interface AccountColumns {
  n: number;
  segment: Uint8Array;
  /** 1 for field accounts (met in person; offline touches), 0 for digital-only accounts. */
  field: Uint8Array;
  customer: Uint8Array;
  people: Uint8Array;
  employees: Int32Array;
  industry: Uint8Array;
  territory: Uint8Array;
  /** Owner: index into reps. */
  owner: Int32Array;
  /** Roundtable attended (event index) or −1. */
  roundtable: Int32Array;
  /** Customer training attended (event index) or −1. */
  training: Int32Array;
}

export interface PartnerColumns {
  n: number;
  tier: Uint8Array;
  /** Index into partnerManagers. */
  manager: Int32Array;
  /** Partner event attended (event index) or −1. */
  event: Int32Array;
}

export interface WorldOptions {
  seed: number;
  spec: ScaleSpec;
  effects: Effects;
  now: number;
  slug: string;
}

/** Accounts per person id block: person j of account a has tail a·4096 + j. */
export const PEOPLE_PER_ACCOUNT_BLOCK = 4096;

/** Plans the world: users, accounts, partners, events, journeys. Deterministic in (seed, spec, effects, now, slug). */
export function planWorld(options: WorldOptions): World {
  const { seed, spec, effects, now, slug } = options;
  const h0 = now - HISTORY_DAYS * DAY;
  const ids = new IdSpace(seed);
  const gen = {
    users: ids.gen("users", "setup"),
    accounts: ids.gen("accounts", "setup"),
    partners: ids.gen("partners", "setup"),
    accountPeople: ids.gen("people", "account"),
    partnerPeople: ids.gen("people", "partner"),
    teamPeople: ids.gen("people", "team"),
    learnerPeople: ids.gen("people", "learner"),
  };
  const emailDomain = `${slug}.throughline.test`;

  // Users: one admin, then marketers, reps (by territory), partner managers, educators, viewers.
  const users: UserPlan[] = [];
  const territories = TERRITORIES.slice(0, Math.max(1, Math.min(TERRITORIES.length, spec.reps)));
  const addUser = (role: Role, territory = -1, fixedEmail?: string): UserPlan => {
    const index = users.length;
    const first = FIRST_NAMES[(index * 7 + (seed & 0xff)) % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(index * 13 + ((seed >>> 8) & 0xff)) % LAST_NAMES.length]!;
    const email = fixedEmail ?? `${first}.${last}.${index}@${emailDomain}`.toLowerCase();
    const user: UserPlan = {
      index,
      id: gen.users.id(index),
      email,
      name: `${first} ${last}`,
      role,
      territory,
    };
    users.push(user);
    return user;
  };
  const admin = addUser("admin", -1, `admin@${emailDomain}`);
  admin.name = "Demo Admin";
  const marketers = Array.from({ length: Math.max(1, spec.marketers) }, () => addUser("marketer"));
  const reps = Array.from({ length: Math.max(1, spec.reps) }, (_, i) =>
    addUser("rep", i % territories.length),
  );
  const partnerManagers = Array.from({ length: Math.max(1, spec.partnerManagers) }, () =>
    addUser("partner_manager"),
  );
  const educators = Array.from({ length: Math.max(1, spec.educators) }, () => addUser("educator"));
  for (let i = 0; i < Math.max(1, spec.viewers); i++) addUser("viewer");
  const repsByTerritory = territories.map((_, t) =>
    reps.filter((r) => r.territory === t).map((r) => reps.indexOf(r)),
  );

  // The kickoff: who attended, who was reinforced afterwards.
  const teamRng = Rng.of(seed, "team");
  const repSko = new Uint8Array(reps.length);
  for (let r = 0; r < reps.length; r++) {
    if (teamRng.chance(SKO_ATTENDANCE)) repSko[r] = teamRng.chance(effects.sko_reinforced_share) ? 2 : 1;
  }

  const events: EventPlan[] = [];
  const eventGen = ids.gen("events", "setup");
  const sessionGen = ids.gen("event_sessions", "setup");
  const pollGen = ids.gen("polls", "setup");
  const assessmentGen = ids.gen("assessments", "setup");
  const itemGen = ids.gen("assessment_items", "setup");
  const erng = Rng.of(seed, "events");
  const typeCount: Partial<Record<EventType, number>> = {};
  let sessionTail = 0;
  let pollTail = 0;
  let assessmentTail = 0;
  let itemTail = 0;

  const newEvent = (
    type: EventType,
    day: number,
    shape: { startHour: number; hours: number; days?: number },
    inPerson: boolean,
    extra: Partial<Pick<EventPlan, "name" | "inviteOnly" | "capacity">> = {},
  ): EventPlan => {
    const n = (typeCount[type] ?? 0) + 1;
    typeCount[type] = n;
    const city = CITIES[erng.int(CITIES.length)]!;
    const dayStart = Math.floor(day / DAY) * DAY;
    const start = dayStart + shape.startHour * HOUR;
    const end = dayStart + ((shape.days ?? 1) - 1) * DAY + (shape.startHour + shape.hours) * HOUR;
    const index = events.length;
    const owner =
      type === "partner_event"
        ? partnerManagers[n % partnerManagers.length]!
        : type === "customer_training" || type === "cme_activity"
          ? educators[n % educators.length]!
          : type === "sales_kickoff"
            ? admin
            : marketers[n % marketers.length]!;
    const label = type.replaceAll("_", " ");
    const ev: EventPlan = {
      index,
      id: eventGen.id(index),
      type,
      format: defaultFormat[type],
      name:
        extra.name ??
        `${label.charAt(0).toUpperCase()}${label.slice(1)} ${inPerson ? city.city : "online"} #${n}`,
      slug: `${type.replaceAll("_", "-")}-${n}`,
      start,
      end,
      zone: inPerson ? city.zone : "UTC",
      venue: inPerson
        ? `${type === "executive_roundtable" ? RESTAURANTS[erng.int(RESTAURANTS.length)] : VENUES[erng.int(VENUES.length)]}, ${city.city}`
        : null,
      virtualUrl: inPerson ? null : `https://meet.${emailDomain}/${type.replaceAll("_", "-")}-${n}`,
      inPerson,
      inviteOnly: extra.inviteOnly ?? false,
      capacity: extra.capacity ?? null,
      owner: owner.id,
      past: end <= now,
      campaign: `${label} ${new Date(start).toISOString().slice(0, 7)}`,
      sessions: [],
      polls: [],
      assessment: null,
    };
    events.push(ev);
    return ev;
  };

  const addSession = (
    ev: EventPlan,
    title: string,
    offsetMin: number,
    minutes: number,
    more: Partial<SessionPlan> = {},
  ): SessionPlan => {
    const s: SessionPlan = {
      id: sessionGen.id(sessionTail++),
      title,
      track: null,
      room: ev.inPerson ? `Room ${1 + ev.sessions.length}` : null,
      start: ev.start + offsetMin * MINUTE,
      end: ev.start + (offsetMin + minutes) * MINUTE,
      capacity: null,
      speakers: [`${FIRST_NAMES[erng.int(FIRST_NAMES.length)]} ${LAST_NAMES[erng.int(LAST_NAMES.length)]}`],
      objectives: [],
      topics: [],
      features: [],
      creditHours: null,
      poll: -1,
      ...more,
    };
    ev.sessions.push(s);
    return s;
  };
  const addPoll = (ev: EventPlan, sessionIndex: number): void => {
    const p = POLL_QUESTIONS[erng.int(POLL_QUESTIONS.length)]!;
    ev.polls.push({
      id: pollGen.id(pollTail++),
      session: sessionIndex,
      question: p.question,
      options: p.options,
    });
    ev.sessions[sessionIndex]!.poll = ev.polls.length - 1;
  };
  const newAssessment = (title: string, delays: number[]): AssessmentPlan => ({
    id: assessmentGen.id(assessmentTail++),
    title,
    delays,
    items: [],
  });

  const sessionsFor = (ev: EventPlan): void => {
    switch (ev.type) {
      case "conference": {
        const tracks = ["Strategy", "Product", "Customers"];
        for (let d = 0; d < 2; d++)
          for (let slot = 0; slot < 3; slot++)
            for (let t = 0; t < 2; t++) {
              const s = addSession(
                ev,
                `${tracks[(slot + t) % 3]} talk ${d * 6 + slot * 2 + t + 1}`,
                d * 24 * 60 + slot * 120,
                45,
              );
              s.track = tracks[(slot + t) % 3]!;
              s.capacity = 200;
              if ((d * 6 + slot * 2 + t) % 4 === 0) addPoll(ev, ev.sessions.length - 1);
            }
        break;
      }
      case "trade_show":
        for (let i = 0; i < 4; i++)
          addSession(ev, `Booth demo ${i + 1}`, Math.floor(i / 2) * 24 * 60 + (i % 2) * 180, 30);
        break;
      case "field_event":
        addSession(ev, "Customer story and live demo", 0, 60);
        addSession(ev, "Networking reception", 75, 90);
        addPoll(ev, 0);
        break;
      case "webinar":
        addSession(ev, "Live webinar", 0, 60);
        addPoll(ev, 0);
        break;
      case "executive_roundtable":
        addSession(ev, "Dinner discussion: what the board asks about revenue", 0, 180);
        break;
      case "partner_event":
        for (const [i, title] of [
          "Partner keynote",
          "Roadmap",
          "Co-selling plays",
          "Deal registration",
          "Awards",
        ].entries())
          addSession(ev, title, i * 90, 75);
        addPoll(ev, 2);
        break;
      case "sales_kickoff":
        for (const [i, title] of [
          "Keynote: the year ahead",
          "New messaging framework",
          "Role-play: discovery",
          "Role-play: objection handling",
          "Product roadmap",
          "Competitive deep dive",
          "Certification",
          "Awards",
        ].entries())
          addSession(ev, title, Math.floor(i / 4) * 24 * 60 + (i % 4) * 120, 90);
        addPoll(ev, 1);
        addPoll(ev, 5);
        break;
      case "customer_training": {
        const picks = [...FEATURES];
        for (let i = picks.length - 1; i > 0; i--) {
          const j = erng.int(i + 1);
          [picks[i], picks[j]] = [picks[j]!, picks[i]!];
        }
        for (let i = 0; i < 3; i++) {
          const feature = picks[i]!;
          addSession(ev, `Hands-on: ${feature}`, i * 60, 50, {
            features: [feature],
            topics: [feature],
            objectives: [`Use ${feature} without help`],
          });
          addPoll(ev, i);
        }
        break;
      }
      case "cme_activity": {
        const topic = CME_TOPICS[erng.int(CME_TOPICS.length)]!;
        ev.name = `${topic.title} (CME) #${typeCount.cme_activity}`;
        const objectives = [...topic.objectives, "Discuss the evidence with patients"];
        const hours = [1, 1.25, 1];
        for (let i = 0; i < 3; i++)
          addSession(ev, `${topic.title}: part ${i + 1}`, i * 80, 70, {
            objectives: [objectives[i]!],
            creditHours: hours[i]!,
          });
        addPoll(ev, 1);
        break;
      }
    }
  };

  const cmeItems = (a: AssessmentPlan, ev: EventPlan): void => {
    // Deterministic difficulties with mean exactly CME_PRE_MEAN, shuffled over positions.
    const p = Array.from({ length: CME_ITEMS }, (_, i) => 0.3 + 0.03 * (i + 0.5));
    for (let i = p.length - 1; i > 0; i--) {
      const j = erng.int(i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    const kinds: ItemPlan["kind"][] = [
      "single",
      "single",
      "single",
      "single",
      "multiple",
      "multiple",
      "true_false",
      "true_false",
      "scenario",
      "scenario",
    ];
    for (let i = 0; i < CME_ITEMS; i++) {
      const kind = kinds[i]!;
      const objective = ev.sessions[i % ev.sessions.length]!.objectives[0]!;
      a.items.push(item(kind, i, p[i]!, objective, `${objective}: question ${i + 1}`));
    }
  };
  const item = (
    kind: ItemPlan["kind"],
    position: number,
    pPre: number,
    objective: string,
    prompt: string,
  ): ItemPlan => {
    const options =
      kind === "true_false" ? ["True", "False"] : ["Option A", "Option B", "Option C", "Option D"];
    const c = erng.int(options.length);
    const correct = kind === "multiple" ? [c, (c + 2) % 4].sort() : [c];
    const wrong = kind === "multiple" ? [(c + 1) % 4] : [(c + 1) % options.length];
    return {
      id: itemGen.id(itemTail++),
      position,
      kind,
      prompt: kind === "scenario" ? `Scenario: ${prompt}. What would you do?` : prompt,
      options,
      correct,
      wrong,
      pPre,
      objective,
      level: kind === "scenario" ? "4" : kind === "multiple" ? "3B" : "3A",
    };
  };

  const spread = (count: number, fromDaysAgo: number, toDaysAgo: number): number[] =>
    Array.from({ length: count }, (_, i) => {
      const frac = count === 1 ? 0.5 : i / (count - 1);
      const daysAgo = fromDaysAgo + (toDaysAgo - fromDaysAgo) * frac;
      return now - daysAgo * DAY + Math.round(erng.range(-1, 1)) * DAY;
    });

  // Lead slots: one in-person event and one webinar on the same day, spread over the year. A quarter of the
  // in-person events are conferences, a quarter trade shows, the rest field events, interleaved evenly.
  const nSlots = Math.max(3, spec.leadSlots);
  const targets: [EventType, number][] = [
    ["conference", Math.max(1, Math.round(nSlots / 4))],
    ["trade_show", Math.max(1, Math.round(nSlots / 4))],
  ];
  targets.push(["field_event", nSlots - targets[0]![1] - targets[1]![1]]);
  const assigned = [0, 0, 0];
  const inPersonTypes: EventType[] = [];
  for (let i = 0; i < nSlots; i++) {
    let best = 0;
    for (let k = 1; k < 3; k++) {
      const score = (assigned[k]! + 0.5) / Math.max(1e-9, targets[k]![1]);
      if (score < (assigned[best]! + 0.5) / Math.max(1e-9, targets[best]![1])) best = k;
    }
    assigned[best]!++;
    inPersonTypes.push(targets[best]![0]);
  }
  const slots: { inPerson: number; webinar: number }[] = [];
  const slotDays = spread(nSlots, HISTORY_DAYS - 12, 4);
  for (let i = 0; i < nSlots; i++) {
    const type = inPersonTypes[i]!;
    const shape =
      type === "conference"
        ? { startHour: 9, hours: 8, days: 2 }
        : type === "trade_show"
          ? { startHour: 9, hours: 8, days: 3 }
          : { startHour: 15, hours: 3 };
    const ip = newEvent(type, slotDays[i]!, shape, true, { capacity: type === "field_event" ? 80 : null });
    sessionsFor(ip);
    const web = newEvent("webinar", slotDays[i]!, { startHour: 15, hours: 1 }, false);
    sessionsFor(web);
    slots.push({ inPerson: ip.index, webinar: web.index });
  }
  const upcoming: number[] = [];
  for (const [type, days] of [
    ["webinar", 9],
    ["conference", 25],
  ] as const) {
    const ev = newEvent(
      type,
      now + days * DAY,
      type === "conference" ? { startHour: 9, hours: 8, days: 2 } : { startHour: 15, hours: 1 },
      type === "conference",
    );
    sessionsFor(ev);
    upcoming.push(ev.index);
  }

  // The sales kickoff.
  const skoEv = newEvent(
    "sales_kickoff",
    now - SKO_DAYS_BEFORE_NOW * DAY,
    { startHour: 9, hours: 8, days: 2 },
    true,
    {
      name: "Sales Kickoff",
    },
  );
  sessionsFor(skoEv);
  skoEv.assessment = newAssessment("Messaging certification", []);
  for (let i = 0; i < 6; i++)
    skoEv.assessment.items.push(
      item(i < 4 ? "scenario" : "single", i, 0.7, "Use the new messaging", `Deal ${i + 1}`),
    );

  // Partner events: far enough from both ends of history for 90-day windows before and after.
  const partnerEvents = spread(Math.max(1, spec.partnerEvents), 270, 95).map((day) => {
    const ev = newEvent("partner_event", day, { startHour: 9, hours: 8 }, true);
    sessionsFor(ev);
    return ev.index;
  });

  // Customer trainings: most with a full 90 days after them, one in five recent.
  const nTrain = Math.max(1, spec.trainings);
  const nRecent = nTrain >= 3 ? Math.max(1, Math.round(nTrain / 5)) : 0;
  const trainDays = [...spread(nTrain - nRecent, 270, 100), ...spread(nRecent, 60, 7)];
  const trainings = trainDays.map((day, i) => {
    const ev = newEvent("customer_training", day, { startHour: 14, hours: 3 }, i % 3 === 2);
    sessionsFor(ev);
    ev.assessment = newAssessment(`${ev.name}: scenario check`, []);
    ev.sessions.forEach((s, k) => {
      ev.assessment!.items.push(
        item("scenario", k, 0.5, s.objectives[0]!, `A colleague asks about ${s.features[0]}`),
      );
    });
    return ev.index;
  });

  // CME activities: two in three with 90 days after them, the rest recent.
  const nCme = Math.max(1, spec.cmeActivities);
  const nCmeRecent = nCme >= 3 ? Math.round(nCme / 3) : 0;
  const cmeDays = [...spread(nCme - nCmeRecent, 330, 100), ...spread(nCmeRecent, 85, 5)];
  const cme = cmeDays.map((day, i) => {
    const ev = newEvent("cme_activity", day, { startHour: 9, hours: 4 }, i % 2 === 0);
    sessionsFor(ev);
    ev.assessment = newAssessment(`${ev.name}: knowledge check`, [30, 90]);
    cmeItems(ev.assessment, ev);
    return ev.index;
  });

  // Accounts.
  const n = Math.max(1, spec.accounts);
  const accounts: AccountColumns = {
    n,
    segment: new Uint8Array(n),
    field: new Uint8Array(n),
    customer: new Uint8Array(n),
    people: new Uint8Array(n),
    employees: new Int32Array(n),
    industry: new Uint8Array(n),
    territory: new Uint8Array(n),
    owner: new Int32Array(n),
    roundtable: new Int32Array(n).fill(-1),
    training: new Int32Array(n).fill(-1),
  };
  // Field or digital is decided once every deal is drawn (below); here each account draws its uniform for it.
  const classDraw = new Float64Array(n);
  const roundtableAccounts: number[] = [];
  for (let a = 0; a < n; a++) {
    const r = Rng.of(seed, "account-plan", a);
    const seg = r.weighted(SEGMENT_SHARE);
    accounts.segment[a] = seg;
    classDraw[a] = r.next();
    accounts.customer[a] = r.chance(CUSTOMER_SHARE) ? 1 : 0;
    const [lo, hi] = PEOPLE_PER_ACCOUNT[seg]!;
    accounts.people[a] = r.intIn(lo, hi);
    const [elo, ehi] = EMPLOYEES[seg]!;
    accounts.employees[a] = Math.round(Math.exp(r.range(Math.log(elo), Math.log(ehi))));
    accounts.industry[a] = r.int(10);
    const t = r.int(territories.length);
    accounts.territory[a] = t;
    const pool = repsByTerritory[t]!;
    accounts.owner[a] = pool.length > 0 ? pool[r.int(pool.length)]! : r.int(reps.length);
    if (r.chance(ROUNDTABLE_ATTENDANCE[seg]! * spec.roundtableAttendScale)) {
      roundtableAccounts.push(a);
    }
  }

  // Executive roundtables, in pairs on the same evening: a dinner for field accounts and an online briefing for
  // digital ones, so attendance and its timing do not depend on the account's class. About a dozen accounts each,
  // with 60 days after each inside history.
  const nPairs = Math.max(1, Math.ceil(roundtableAccounts.length / (2 * ROUNDTABLE_ACCOUNTS_PER_EVENT)));
  const roundtablePairs = spread(nPairs, 330, 75).map((day) => {
    const pair = [true, false].map((inPerson) => {
      const ev = newEvent(
        "executive_roundtable",
        day,
        { startHour: 19, hours: inPerson ? 3 : 1.5 },
        inPerson,
        {
          inviteOnly: true,
          capacity: 24,
        },
      );
      if (!inPerson) ev.name = ev.name.replace("online", "online briefing");
      sessionsFor(ev);
      return ev.index;
    });
    return { inPerson: pair[0]!, online: pair[1]! };
  });
  const roundtables = roundtablePairs.flatMap((p) => [p.inPerson, p.online]);
  // For now the dinner: both events of a pair start at the same instant, which is all the deals' draws look at.
  // Digital accounts move to the online briefing once the classes are known.
  roundtableAccounts.forEach((a, i) => {
    accounts.roundtable[a] = roundtablePairs[i % roundtablePairs.length]!.inPerson;
  });

  // Partners.
  const np = Math.max(1, spec.partners);
  const partners: PartnerColumns = {
    n: np,
    tier: new Uint8Array(np),
    manager: new Int32Array(np),
    event: new Int32Array(np).fill(-1),
  };
  for (let p = 0; p < np; p++) {
    const r = Rng.of(seed, "partner-plan", p);
    const tier = r.weighted(PARTNER_TIER_SHARE);
    partners.tier[p] = tier;
    partners.manager[p] = p % partnerManagers.length;
    if (r.chance(PARTNER_EVENT_ATTENDANCE[tier]!))
      partners.event[p] = partnerEvents[r.int(partnerEvents.length)]!;
  }

  // Journeys.
  const journeyGen = ids.gen("journeys", "setup");
  const stepGen = ids.gen("journey_steps", "setup");
  let stepTail = 0;
  const journey = (
    index: number,
    name: string,
    role: string,
    steps: [JourneyPlan["steps"][number]["kind"], number, string | null][],
  ): JourneyPlan => ({
    id: journeyGen.id(index),
    name,
    role,
    steps: steps.map(([kind, offsetDays, feature]) => ({
      id: stepGen.id(stepTail++),
      kind,
      offsetDays,
      feature,
    })),
  });
  const journeys = {
    user: journey(0, "End-user essentials", "user", [
      ["session", 0, null],
      ["reinforcement", 7, null],
      ["task", 14, "dashboards"],
      ["reinforcement", 30, null],
      ["task", 45, "workflows"],
      ["coaching", 60, null],
    ]),
    admin: journey(1, "Admin onboarding", "admin", [
      ["session", 0, null],
      ["task", 7, "permissions"],
      ["task", 14, "integrations"],
      ["reinforcement", 30, null],
      ["coaching", 60, null],
    ]),
    sko: journey(2, "SKO messaging reinforcement", "rep", [
      ["session", 0, null],
      ...Array.from(
        { length: 8 },
        (_, i) => ["reinforcement", 7 * (i + 1), null] as ["reinforcement", number, null],
      ),
      ["coaching", 63, null],
    ]),
  };

  const world: World = {
    seed,
    spec,
    effects,
    now,
    h0,
    slug,
    orgId: orgIdFor(seed, slug),
    emailDomain,
    ids,
    users,
    admin,
    reps,
    repSko,
    marketers,
    partnerManagers,
    educators,
    territories: [...territories],
    accounts,
    partners,
    events,
    slots,
    webinars: slots.map((s) => s.webinar),
    inPersonLeadEvents: slots.map((s) => s.inPerson),
    upcoming,
    roundtables,
    partnerEvents,
    sko: skoEv.index,
    trainings,
    cme,
    journeys,
    gen,
  };

  // Field accounts: every deal of the world is drawn once (the draws do not depend on the class) to add up each
  // account's won revenue, and the field accounts are chosen to hold `offline_won_revenue_share` of it.
  assignFieldAccounts(world, classDraw, wonRevenueByAccount(world));
  const onlineBriefing = new Map(roundtablePairs.map((p) => [p.inPerson, p.online]));
  const virtualTrainings = trainings.filter((e) => !events[e]!.inPerson);
  for (let a = 0; a < n; a++) {
    const rt = accounts.roundtable[a]!;
    if (rt >= 0 && !accounts.field[a]) accounts.roundtable[a] = onlineBriefing.get(rt)!;
    // Customer training: field accounts go to any, digital ones to the online trainings only.
    const r = Rng.of(seed, "account-training", a);
    if (accounts.customer[a] && r.chance(TRAINED_SHARE)) {
      const allowed = accounts.field[a] ? trainings : virtualTrainings;
      if (allowed.length > 0) accounts.training[a] = allowed[r.int(allowed.length)]!;
    }
  }
  return world;
}

/** Account a's display name: unique for the first 1,200 accounts, numbered after that. */
export function accountName(a: number): string {
  const i = (a * 7919) % 1200;
  const base = `${COMPANY_PREFIXES[i % COMPANY_PREFIXES.length]} ${COMPANY_SUFFIXES[Math.floor(i / COMPANY_PREFIXES.length) % COMPANY_SUFFIXES.length]}`;
  return a < 1200 ? base : `${base} ${Math.floor(a / 1200) + 1}`;
}

/** Account a's email domain (unique per account). */
export function accountDomain(a: number): string {
  return `${accountName(a).toLowerCase().replaceAll(" ", "-")}-${a.toString(36)}.test`;
}

/** A cheap integer hash for picks that must be recomputable anywhere (names). */
export function hash32(seed: number, a: number, b: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(a + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(b + 0x7f4a7c15, 0x297a2d39);
  h = Math.imul(h ^ (h >>> 12), 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}

/** First and last name of a person, recomputable from (kind, unit, j). */
export function personName(seed: number, kind: number, unit: number, j: number): [string, string] {
  const h = hash32(seed + kind, unit, j);
  return [FIRST_NAMES[h % FIRST_NAMES.length]!, LAST_NAMES[(h >>> 10) % LAST_NAMES.length]!];
}

/** Email of person j of account a: unique because the account's domain is. */
export function accountPersonEmail(a: number, j: number, first: string, last: string): string {
  return `${first}.${last}${j}@${accountDomain(a)}`.toLowerCase();
}

/** Email of contact j of partner p: unique by (p, j) whatever the names. */
export function partnerContactEmail(p: number, j: number, first: string, last: string): string {
  return `${first}.${last}${j}@partner-${p.toString(36)}.test`.toLowerCase();
}

/** Email of clinician l: unique by l whatever the name and hospital. */
export function learnerEmail(l: number, first: string, last: string, hospital: string): string {
  return `${first}.${last}.${l.toString(36)}@${hospital.toLowerCase().replace(/[^a-z]+/g, "-")}.health.test`.toLowerCase();
}

/** Person j of account a. */
export function accountPersonId(w: World, a: number, j: number): string {
  return w.gen.accountPeople.id(a * PEOPLE_PER_ACCOUNT_BLOCK + j);
}
