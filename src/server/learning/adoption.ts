import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import {
  clarityScore,
  type GuidedWindow,
  INDEPENDENT_USE_HORIZONS,
  independentUseShare,
  learningReport,
  sessionLoad,
  type TrainingExposure,
  timeToFirstIndependentUse,
  type UsageEvent,
} from "../../core/learning/index.ts";
import { bootstrap, didRegression, matchControls, type PanelRow } from "../../core/stats/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import {
  accounts,
  checkIns,
  events,
  people,
  productUsageEvents,
  registrations,
  supportTickets,
} from "../../db/schema/index.ts";
import { DAY_MS, type EventRow, requireEvent } from "./event-lookup.ts";
import { type EventLearningData, loadEventLearning } from "./learning-input.ts";

/**
 * Customer training adoption, measured against matched untrained customers.
 *
 * Trained pairs are (person who attended a session, feature that session trains). Control pairs are (product user of
 * a matched untrained customer account, each feature trained at the event). A product user is a person with any
 * product usage before the event; an untrained account is a customer (any product user) where nobody ever attended a
 * customer training. Accounts are matched exactly on segment and by nearest employees and prior independent use of
 * the trained features, k controls per trained account, with replacement.
 *
 * A pair is used by horizon h when the person used the feature on their own (not flagged guided and not inside one of
 * their training sessions) in (event end, event end + h days]. The lift at h = pooled share of trained pairs used −
 * pooled share of control pairs used (each matched set's controls weighted as one account), with a percentile
 * bootstrap over matched sets. The org-wide summary pools the matched sets of every training whose horizon has passed.
 */

export interface AdoptionOptions {
  /** Days before the event for matching covariates and for the ticket before/after windows (default 90). */
  windowDays?: number;
  horizons?: readonly number[];
  /** Controls per trained account (default 3). */
  k?: number;
  seed?: number;
  resamples?: number;
}

const norm = (s: string) => s.trim().toLowerCase();
const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** One matched set: the trained account's pairs and its controls' pairs (divided by k), used counts per horizon. */
interface MatchedSetCounts {
  tN: number;
  tUsed: number[];
  cN: number;
  cUsed: number[];
}

type UsageRow = typeof productUsageEvents.$inferSelect;

/** Accounts where someone attended any customer training: never controls. */
async function everTrainedAccounts(tx: Tx, orgId: string): Promise<Set<string>> {
  const trainings = await tx
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.type, "customer_training")));
  const ids = trainings.map((t) => t.id);
  if (ids.length === 0) return new Set();
  const scanned = await tx
    .selectDistinct({ accountId: people.accountId })
    .from(checkIns)
    .innerJoin(people, and(eq(people.orgId, checkIns.orgId), eq(people.id, checkIns.personId)))
    .where(and(eq(checkIns.orgId, orgId), inArray(checkIns.eventId, ids)));
  const marked = await tx
    .selectDistinct({ accountId: people.accountId })
    .from(registrations)
    .innerJoin(people, and(eq(people.orgId, registrations.orgId), eq(people.id, registrations.personId)))
    .where(
      and(
        eq(registrations.orgId, orgId),
        inArray(registrations.eventId, ids),
        eq(registrations.attended, true),
      ),
    );
  return new Set([...scanned, ...marked].map((r) => r.accountId).filter((a): a is string => !!a));
}

interface EventAdoption {
  event: EventRow;
  learning: EventLearningData;
  features: string[];
  topics: string[];
  trainedPeople: Set<string>;
  trainedAccounts: Set<string>;
  candidateControls: number;
  exposures: TrainingExposure[];
  guided: GuidedWindow[];
  usage: UsageRow[];
  /** Null when there is nothing to compare (no trained accounts, or no controls). */
  match: ReturnType<typeof matchControls> | null;
  sets: MatchedSetCounts[];
  unitIds: string[];
  matchedTreated: string[];
  matchedControls: string[];
}

async function eventAdoption(
  tx: Tx,
  orgId: string,
  event: EventRow,
  everTrained: Set<string>,
  personAccount: Map<string, string | null>,
  accountRows: (typeof accounts.$inferSelect)[],
  now: Date,
  o: Required<Pick<AdoptionOptions, "windowDays" | "horizons" | "k">>,
): Promise<EventAdoption> {
  const learning = await loadEventLearning(tx, orgId, event.id);
  const { sessions } = learning;
  const features = [...new Set(sessions.flatMap((s) => s.features))].sort();
  const topics = [...new Set(sessions.flatMap((s) => s.topics.map(norm)))].filter((t) => t !== "").sort();
  const start = event.startsAt;
  const end = event.endsAt;

  // Who was trained on what: session attendance, or the whole event's attendance when no session was scanned.
  const bySession = new Map<string, Set<string>>();
  for (const a of learning.attendance.rows) {
    if (!a.sessionId || a.minutes <= 0) continue;
    bySession.set(a.sessionId, (bySession.get(a.sessionId) ?? new Set()).add(a.learnerId));
  }
  const noSessionData = bySession.size === 0;
  const exposures: TrainingExposure[] = [];
  const guided: GuidedWindow[] = [];
  const trainedPeople = new Set<string>();
  const trainedFeatures = new Map<string, Set<string>>();
  for (const s of sessions) {
    const attendees = noSessionData
      ? learning.attendance.attended
      : (bySession.get(s.id) ?? new Set<string>());
    for (const p of attendees) {
      trainedPeople.add(p);
      guided.push({ learnerId: p, start: s.startsAt, end: s.endsAt });
      for (const f of s.features) {
        exposures.push({ learnerId: p, featureId: f, trainedAt: s.endsAt });
        trainedFeatures.set(p, (trainedFeatures.get(p) ?? new Set()).add(f));
      }
    }
  }
  const trainedAccounts = new Set(
    [...trainedPeople].map((p) => personAccount.get(p)).filter((a): a is string => !!a),
  );

  const maxH = Math.max(0, ...o.horizons);
  const usage = await tx
    .select()
    .from(productUsageEvents)
    .where(
      and(
        eq(productUsageEvents.orgId, orgId),
        gte(productUsageEvents.occurredAt, new Date(start.getTime() - 365 * DAY_MS)),
        lt(
          productUsageEvents.occurredAt,
          new Date(Math.min(now.getTime(), end.getTime() + (maxH + 1) * DAY_MS)),
        ),
      ),
    );
  const windowsOf = new Map<string, GuidedWindow[]>();
  for (const w of guided) windowsOf.set(w.learnerId, [...(windowsOf.get(w.learnerId) ?? []), w]);
  const isIndependent = (u: UsageRow) =>
    !u.guided &&
    !(
      u.personId &&
      (windowsOf.get(u.personId) ?? []).some((w) => u.occurredAt >= w.start && u.occurredAt <= w.end)
    );
  const featureSet = new Set(features);
  // Product users before the event, per account; prior independent use of the trained features per account.
  const usersOf = new Map<string, Set<string>>();
  const priorUse = new Map<string, number>();
  // First independent use after the event end, per person and feature.
  const firstAfter = new Map<string, number>();
  for (const u of usage) {
    const t = u.occurredAt.getTime();
    if (t < start.getTime() && u.personId) {
      usersOf.set(u.accountId, (usersOf.get(u.accountId) ?? new Set()).add(u.personId));
    }
    if (!featureSet.has(u.feature) || !isIndependent(u)) continue;
    if (t < start.getTime() && t >= start.getTime() - o.windowDays * DAY_MS) {
      priorUse.set(u.accountId, (priorUse.get(u.accountId) ?? 0) + 1);
    }
    if (u.personId && t > end.getTime()) {
      const key = `${u.personId}|${u.feature}`;
      const prev = firstAfter.get(key);
      if (prev === undefined || t < prev) firstAfter.set(key, t);
    }
  }

  const candidates = accountRows.filter((a) => !everTrained.has(a.id) && (usersOf.get(a.id)?.size ?? 0) > 0);
  const units = [
    ...accountRows.filter((a) => trainedAccounts.has(a.id)).map((a) => ({ a, treated: true })),
    ...candidates.filter((a) => !trainedAccounts.has(a.id)).map((a) => ({ a, treated: false })),
  ].map(({ a, treated }) => ({
    id: a.id,
    treated,
    segment: a.segment ?? "unknown",
    employees: a.employees ?? 0,
    priorUse: priorUse.get(a.id) ?? 0,
  }));
  const hasControls = units.some((u) => !u.treated);
  const match =
    trainedAccounts.size === 0 || !hasControls || features.length === 0
      ? null
      : matchControls(units, {
          exact: ["segment"],
          nearest: ["employees", "priorUse"],
          k: o.k,
          replacement: true,
        });

  const usedWithin = (personId: string, feature: string, h: number) => {
    const t = firstAfter.get(`${personId}|${feature}`);
    return t !== undefined && t <= end.getTime() + h * DAY_MS ? 1 : 0;
  };
  const trainedPeopleOf = new Map<string, string[]>();
  for (const p of trainedPeople) {
    const a = personAccount.get(p);
    if (a) trainedPeopleOf.set(a, [...(trainedPeopleOf.get(a) ?? []), p]);
  }
  const sets: MatchedSetCounts[] = [];
  const matchedTreated: string[] = [];
  const matchedControls: string[] = [];
  if (match?.status === "matched") {
    for (const m of match.matches) {
      const tPairs = (trainedPeopleOf.get(m.treatedId) ?? []).flatMap((p) =>
        [...(trainedFeatures.get(p) ?? [])].map((f) => [p, f] as const),
      );
      const cPairs = m.controlIds.flatMap((c) =>
        [...(usersOf.get(c) ?? [])].flatMap((p) => features.map((f) => [p, f] as const)),
      );
      const k = m.controlIds.length;
      sets.push({
        tN: tPairs.length,
        tUsed: o.horizons.map((h) => tPairs.reduce((s, [p, f]) => s + usedWithin(p, f, h), 0)),
        cN: cPairs.length / k,
        cUsed: o.horizons.map((h) => cPairs.reduce((s, [p, f]) => s + usedWithin(p, f, h), 0) / k),
      });
      matchedTreated.push(m.treatedId);
      matchedControls.push(...m.controlIds);
    }
  }
  return {
    event,
    learning,
    features,
    topics,
    trainedPeople,
    trainedAccounts,
    candidateControls: units.filter((u) => !u.treated).length,
    exposures,
    guided,
    usage,
    match,
    sets,
    unitIds: units.map((u) => u.id),
    matchedTreated,
    matchedControls,
  };
}

/** Pooled lift at each horizon from matched sets (trained share − control share) with a bootstrap over sets. */
function liftByHorizon(
  sets: MatchedSetCounts[],
  horizons: readonly number[],
  eligible: (h: number) => boolean,
  boot: { seed: number; resamples: number },
) {
  return horizons.map((h, hi) => {
    if (!eligible(h))
      return { horizonDays: h, status: "not_yet" as const, note: "the horizon has not passed yet" };
    const usable = sets.filter((s) => s.tN > 0 && s.cN > 0);
    if (usable.length < 2) {
      return {
        horizonDays: h,
        status: "no_comparison" as const,
        note: "fewer than 2 matched trained accounts with users",
      };
    }
    const stat = (pick: (i: number) => MatchedSetCounts, n: number) => {
      let tN = 0;
      let tU = 0;
      let cN = 0;
      let cU = 0;
      for (let i = 0; i < n; i++) {
        const s = pick(i);
        tN += s.tN;
        tU += s.tUsed[hi]!;
        cN += s.cN;
        cU += s.cUsed[hi]!;
      }
      return { t: tU / tN, c: cU / cN };
    };
    const point = stat((i) => usable[i]!, usable.length);
    const b = bootstrap(
      point.t - point.c,
      (rng) => {
        const r = stat(() => usable[rng.int(usable.length)]!, usable.length);
        return r.t - r.c;
      },
      boot,
    );
    return {
      horizonDays: h,
      status: "measured" as const,
      trainedShare: point.t,
      controlShare: point.c,
      trainedPairs: usable.reduce((s, x) => s + x.tN, 0),
      controlPairs: usable.reduce((s, x) => s + x.cN, 0),
      matchedSets: usable.length,
      lift: { estimate: b.estimate, ci: b.ci, level: b.level, resamples: b.resamples, seed: b.seed },
    };
  });
}

async function context(tx: Tx, orgId: string) {
  const personRows = await tx
    .select({ id: people.id, accountId: people.accountId })
    .from(people)
    .where(eq(people.orgId, orgId));
  const accountRows = await tx.select().from(accounts).where(eq(accounts.orgId, orgId));
  return {
    everTrained: await everTrainedAccounts(tx, orgId),
    personAccount: new Map(personRows.map((p) => [p.id, p.accountId])),
    accountRows,
  };
}

function resolve(options: AdoptionOptions) {
  return {
    windowDays: options.windowDays ?? 90,
    horizons: [...(options.horizons ?? INDEPENDENT_USE_HORIZONS)],
    k: options.k ?? 3,
    boot: { seed: options.seed ?? 1, resamples: options.resamples ?? 2000 },
  };
}

async function ticketsDid(tx: Tx, orgId: string, a: EventAdoption, windowDays: number, now: Date) {
  const start = a.event.startsAt;
  const end = a.event.endsAt;
  const postEnd = new Date(end.getTime() + windowDays * DAY_MS);
  if (a.topics.length === 0) return { status: "no_topics", note: "no session names ticket topics" };
  if (a.match?.status !== "matched")
    return { status: "no_comparison", note: "no matched untrained accounts" };
  if (postEnd.getTime() > now.getTime()) {
    return { status: "not_yet", note: `the after window ends ${postEnd.toISOString().slice(0, 10)}` };
  }
  const ids = [...new Set([...a.matchedTreated, ...a.matchedControls])];
  const tickets = await tx
    .select()
    .from(supportTickets)
    .where(
      and(
        eq(supportTickets.orgId, orgId),
        inArray(supportTickets.accountId, ids),
        gte(supportTickets.openedAt, new Date(start.getTime() - windowDays * DAY_MS)),
        lt(supportTickets.openedAt, postEnd),
      ),
    );
  const onTopic = tickets.filter((t) => a.topics.includes(norm(t.topic)));
  const panel: PanelRow[] = [];
  // Each matched set contributes its trained account and its controls. A control matched to several trained
  // accounts (matching with replacement) appears once per set, so it weighs as often as it was matched, but it is
  // one cluster: its copies are the same account's tickets, and counting them as independent units would shrink
  // the standard error.
  a.matchedTreated.forEach((treatedId, s) => {
    const k = a.matchedControls.length / a.matchedTreated.length;
    const controls = a.matchedControls.slice(s * k, (s + 1) * k);
    for (const [id, treated, unit] of [
      [treatedId, true, `trained:${treatedId}`],
      ...controls.map((c) => [c, false, `control:${c}`] as const),
    ] as const) {
      const mine = onTopic.filter((t) => t.accountId === id);
      panel.push({ unit, treated, post: false, outcome: mine.filter((t) => t.openedAt < start).length });
      panel.push({ unit, treated, post: true, outcome: mine.filter((t) => t.openedAt >= end).length });
    }
  });
  const rel = (treated: boolean) => {
    const rows = panel.filter((r) => r.treated === treated);
    const before = rows.filter((r) => !r.post).reduce((s, r) => s + r.outcome, 0);
    const after = rows.filter((r) => r.post).reduce((s, r) => s + r.outcome, 0);
    return before === 0 ? null : after / before - 1;
  };
  try {
    const did = didRegression(panel);
    const rt = rel(true);
    const rc = rel(false);
    return {
      status: "measured",
      windowDays,
      topics: a.topics,
      estimate: did.estimate,
      ci: did.ci,
      level: did.level,
      stdError: did.stdError,
      cells: did.cells,
      trainedAccounts: did.nTreatedUnits,
      controlAccounts: did.nControlUnits,
      /** Control places over all matched sets: more than controlAccounts when a control was matched more than once. */
      controlMatches: a.matchedControls.length,
      relativeChange: { trained: rt, control: rc, difference: rt === null || rc === null ? null : rt - rc },
      reading:
        "tickets on trained topics per account in the window; negative = fewer than controls after training",
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: "unavailable", note: error.message };
  }
}

/**
 * The adoption report of one training: independent use at 30/60/90 d vs matched untrained customers, tickets on the
 * trained topics before/after vs controls (DiD), per-learner independent use and time to first independent use,
 * clarity from scenario items, and topics per hour of each session against its outcomes.
 */
export async function adoptionReport(
  db: Database,
  orgId: string,
  eventId: string,
  now: Date,
  options: AdoptionOptions = {},
) {
  const o = resolve(options);
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const ctx = await context(tx, orgId);
    const a = await eventAdoption(
      tx,
      orgId,
      event,
      ctx.everTrained,
      ctx.personAccount,
      ctx.accountRows,
      now,
      o,
    );
    const end = event.endsAt.getTime();
    const independentUse = liftByHorizon(
      a.sets,
      o.horizons,
      (h) => end + h * DAY_MS <= now.getTime(),
      o.boot,
    );

    const personUsage: UsageEvent[] = a.usage
      .filter((u) => u.personId && !u.guided && a.features.includes(u.feature))
      .map((u) => ({ learnerId: u.personId!, featureId: u.feature, at: u.occurredAt }));
    const shares = independentUseShare(a.exposures, personUsage, a.guided, now, o.horizons);
    const firstUse = timeToFirstIndependentUse(a.exposures, personUsage, a.guided);
    const report = learningReport({ items: a.learning.items, responses: a.learning.responses }).activities[0];
    const sessions = a.learning.sessions
      .slice()
      .sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime())
      .map((s) => {
        const load = sessionLoad({
          sessionId: s.id,
          durationMinutes: (s.endsAt.getTime() - s.startsAt.getTime()) / 60_000,
          topics: s.topics,
        });
        const k = report?.sessions.find((x) => x.sessionId === s.id)?.outcomes.knowledge;
        const mine = a.exposures.filter(
          (e) => s.features.includes(e.featureId) && e.trainedAt.getTime() === s.endsAt.getTime(),
        );
        const use = independentUseShare(mine, personUsage, a.guided, now, o.horizons).filter(
          (x) => x.eligible > 0,
        );
        const last = use[use.length - 1];
        return {
          sessionId: s.id,
          title: s.title,
          features: s.features,
          topics: load.topics,
          hours: load.hours,
          topicsPerHour: load.topicsPerHour,
          overloaded: load.overloaded,
          outcomes: {
            postMeanPercent: k?.post.meanPercent ?? null,
            gain: k && k.gainOfClassAverages.kind === "gain" ? k.gainOfClassAverages.value : null,
            independentUse: last
              ? { horizonDays: last.horizonDays, share: last.usedByShare, eligible: last.eligible }
              : null,
          },
        };
      });
    return {
      eventId,
      eventName: event.name,
      generatedAt: now.toISOString(),
      trainedFeatures: a.features,
      trainedTopics: a.topics,
      indicators: {
        trainedPeople: a.trainedPeople.size,
        trainedAccounts: a.trainedAccounts.size,
        candidateControlAccounts: a.candidateControls,
      },
      matching:
        a.match === null
          ? {
              status: "no_comparison",
              note: "no trained accounts, no trained features or no untrained customers",
            }
          : a.match.status === "matched"
            ? {
                status: "matched",
                counts: a.match.counts,
                balance: a.match.balance,
                exact: ["segment"],
                nearest: ["employees", "priorUse"],
              }
            : { status: a.match.status, counts: a.match.counts, note: a.match.message },
      outcomes: {
        independentUse,
        supportTickets: await ticketsDid(tx, orgId, a, o.windowDays, now),
        learners: {
          independentUse: shares,
          timeToFirstIndependentUse: {
            trained: firstUse.trained,
            used: firstUse.used,
            medianDays: firstUse.medianDays,
            meanDays: firstUse.meanDays,
          },
        },
        clarity: clarityScore(a.learning.items, a.learning.responses, "post"),
      },
      sessions,
    };
  });
}

/** Independent-use lift pooled over every customer training, each horizon over the trainings it has passed for. */
export async function adoptionSummary(db: Database, orgId: string, now: Date, options: AdoptionOptions = {}) {
  const o = resolve(options);
  return db.withOrg(orgId, async (tx) => {
    const ctx = await context(tx, orgId);
    const trainings = await tx
      .select()
      .from(events)
      .where(and(eq(events.orgId, orgId), eq(events.type, "customer_training"), lt(events.endsAt, now)));
    const per: EventAdoption[] = [];
    for (const e of trainings) {
      per.push(
        await eventAdoption(tx, orgId, e, ctx.everTrained, ctx.personAccount, ctx.accountRows, now, o),
      );
    }
    const independentUse = o.horizons.map((h, hi) => {
      const passed = per.filter((a) => a.event.endsAt.getTime() + h * DAY_MS <= now.getTime());
      // Re-index each set's counts to this one horizon.
      const sets = passed.flatMap((a) =>
        a.sets.map((s) => ({ tN: s.tN, cN: s.cN, tUsed: [s.tUsed[hi]!], cUsed: [s.cUsed[hi]!] })),
      );
      const [r] = liftByHorizon(sets, [h], () => passed.length > 0, o.boot);
      return { ...r!, trainings: passed.length };
    });
    return {
      generatedAt: now.toISOString(),
      trainings: per.map((a) => ({
        eventId: a.event.id,
        name: a.event.name,
        endsAt: a.event.endsAt.toISOString(),
        trainedPeople: a.trainedPeople.size,
        trainedAccounts: a.trainedAccounts.size,
        matchedSets: a.sets.length,
      })),
      outcomes: { independentUse },
      meanTrainedAccounts: avg(per.map((a) => a.trainedAccounts.size)),
    };
  });
}
