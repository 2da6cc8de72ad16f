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
import { bootstrapMatchedDiff, didRegression, matchControls, type PanelRow } from "../../core/stats/index.ts";
import type { Database } from "../../db/client.ts";
import { accounts, people, productUsageEvents, supportTickets } from "../../db/schema/index.ts";
import { DAY_MS, requireEvent } from "./event-lookup.ts";
import { loadEventLearning } from "./learning-input.ts";

export interface AdoptionOptions {
  /** Days before the event whose usage describes an account for matching, and the ticket before/after window. */
  windowDays?: number;
  horizons?: readonly number[];
  seed?: number;
  resamples?: number;
}

const norm = (s: string) => s.trim().toLowerCase();
const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Customer training adoption for one event, measured against matched untrained customers:
 * - trained people = attendees of the sessions that train features (event_sessions.features); trained accounts are
 *   their accounts, control candidates every other account;
 * - accounts are matched exactly on segment and by nearest employees and prior independent use of the trained
 *   features (the `windowDays` before the event), one control per trained account, with replacement;
 * - outcome at each horizon h: the share of the trained features the account used on its own (not guided, not inside
 *   a trained person's session) between the event's end and h days later; lift = trained − matched control with a
 *   bootstrap interval over matched sets;
 * - tickets on trained topics (event_sessions.topics) per account in the `windowDays` before the event and after its
 *   end, trained vs matched controls: difference-in-differences with a unit-clustered interval;
 * - per trained person: independent-use share by horizon and time to first independent use (core engine);
 * - clarity score from scenario items, and topics per hour per session against its outcomes (overload flag).
 */
export async function adoptionReport(
  db: Database,
  orgId: string,
  eventId: string,
  now: Date,
  options: AdoptionOptions = {},
) {
  const windowDays = options.windowDays ?? 90;
  const horizons = [...(options.horizons ?? INDEPENDENT_USE_HORIZONS)];
  const boot = { seed: options.seed ?? 1, resamples: options.resamples ?? 2000 };
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const learning = await loadEventLearning(tx, orgId, eventId);
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
    for (const s of sessions) {
      const attendees = noSessionData
        ? learning.attendance.attended
        : (bySession.get(s.id) ?? new Set<string>());
      for (const p of attendees) {
        trainedPeople.add(p);
        guided.push({ learnerId: p, start: s.startsAt, end: s.endsAt });
        for (const f of s.features) exposures.push({ learnerId: p, featureId: f, trainedAt: s.endsAt });
      }
    }

    const personRows = await tx
      .select({ id: people.id, accountId: people.accountId })
      .from(people)
      .where(eq(people.orgId, orgId));
    const accountOf = new Map(personRows.map((p) => [p.id, p.accountId]));
    const trainedAccounts = new Set(
      [...trainedPeople].map((p) => accountOf.get(p)).filter((a): a is string => !!a),
    );
    const accountRows = await tx.select().from(accounts).where(eq(accounts.orgId, orgId));

    const maxH = Math.max(0, ...horizons);
    const usageRows =
      features.length === 0
        ? []
        : await tx
            .select()
            .from(productUsageEvents)
            .where(
              and(
                eq(productUsageEvents.orgId, orgId),
                inArray(productUsageEvents.feature, features),
                gte(productUsageEvents.occurredAt, new Date(start.getTime() - windowDays * DAY_MS)),
                lt(
                  productUsageEvents.occurredAt,
                  new Date(Math.min(now.getTime(), end.getTime() + (maxH + 1) * DAY_MS)),
                ),
              ),
            );
    const windowsOf = new Map<string, GuidedWindow[]>();
    for (const w of guided) windowsOf.set(w.learnerId, [...(windowsOf.get(w.learnerId) ?? []), w]);
    const independent = usageRows.filter(
      (u) =>
        !u.guided &&
        !(
          u.personId &&
          (windowsOf.get(u.personId) ?? []).some((w) => u.occurredAt >= w.start && u.occurredAt <= w.end)
        ),
    );

    // Matching units: accounts with their covariates.
    const priorUse = new Map<string, number>();
    for (const u of independent)
      if (u.occurredAt < start) priorUse.set(u.accountId, (priorUse.get(u.accountId) ?? 0) + 1);
    const units = accountRows.map((a) => ({
      id: a.id,
      treated: trainedAccounts.has(a.id),
      segment: a.segment ?? "unknown",
      employees: a.employees ?? 0,
      priorUse: priorUse.get(a.id) ?? 0,
    }));
    const match =
      trainedAccounts.size === 0
        ? null
        : matchControls(units, {
            exact: ["segment"],
            nearest: ["employees", "priorUse"],
            k: 1,
            replacement: true,
          });

    const usedBy = (accountId: string, h: number) => {
      const used = new Set(
        independent
          .filter(
            (u) =>
              u.accountId === accountId &&
              u.occurredAt > end &&
              u.occurredAt.getTime() <= end.getTime() + h * DAY_MS,
          )
          .map((u) => u.feature),
      );
      return features.length === 0 ? 0 : used.size / features.length;
    };

    const independentUse = horizons.map((h) => {
      const eligible = end.getTime() + h * DAY_MS <= now.getTime();
      if (!eligible)
        return {
          horizonDays: h,
          status: "not_yet" as const,
          note: `needs data until ${new Date(end.getTime() + h * DAY_MS).toISOString().slice(0, 10)}`,
        };
      if (match?.status !== "matched") {
        return {
          horizonDays: h,
          status: "no_comparison" as const,
          note: match ? match.message : "no trained accounts",
        };
      }
      const values = units.map((u) => usedBy(u.id, h));
      const lift = bootstrapMatchedDiff(values, match.sets, boot);
      const t = Array.from(match.sets.treated, (i) => values[i]!);
      const c = Array.from(match.sets.controls, (i) => values[i]!);
      return {
        horizonDays: h,
        status: "measured" as const,
        trainedMean: mean(t),
        controlMean: mean(c),
        lift: {
          estimate: lift.estimate,
          ci: lift.ci,
          level: lift.level,
          resamples: lift.resamples,
          seed: lift.seed,
        },
        matchedSets: t.length,
      };
    });

    // Tickets on trained topics, before vs after, trained vs matched controls.
    let ticketsDid: Record<string, unknown>;
    const postEnd = new Date(end.getTime() + windowDays * DAY_MS);
    if (topics.length === 0) ticketsDid = { status: "no_topics", note: "no session names ticket topics" };
    else if (match?.status !== "matched")
      ticketsDid = { status: "no_comparison", note: match ? match.message : "no trained accounts" };
    else if (postEnd.getTime() > now.getTime())
      ticketsDid = { status: "not_yet", note: `the after window ends ${postEnd.toISOString().slice(0, 10)}` };
    else {
      const tickets = await tx
        .select()
        .from(supportTickets)
        .where(
          and(
            eq(supportTickets.orgId, orgId),
            gte(supportTickets.openedAt, new Date(start.getTime() - windowDays * DAY_MS)),
            lt(supportTickets.openedAt, postEnd),
          ),
        );
      const onTopic = tickets.filter((t) => topics.includes(norm(t.topic)));
      const treatedIds = new Set(Array.from(match.sets.treated, (i) => units[i]!.id));
      const controlIds = new Set(Array.from(match.sets.controls, (i) => units[i]!.id));
      const panel: PanelRow[] = [];
      for (const [ids, treated] of [
        [treatedIds, true],
        [controlIds, false],
      ] as const) {
        for (const id of ids) {
          const mine = onTopic.filter((t) => t.accountId === id);
          panel.push({
            unit: id,
            treated,
            post: false,
            outcome: mine.filter((t) => t.openedAt < start).length,
          });
          panel.push({
            unit: id,
            treated,
            post: true,
            outcome: mine.filter((t) => t.openedAt >= end).length,
          });
        }
      }
      try {
        const did = didRegression(panel);
        ticketsDid = {
          status: "measured",
          windowDays,
          topics,
          estimate: did.estimate,
          ci: did.ci,
          level: did.level,
          stdError: did.stdError,
          cells: did.cells,
          trainedAccounts: did.nTreatedUnits,
          controlAccounts: did.nControlUnits,
          reading:
            "tickets on trained topics per account in the window; negative = fewer tickets after training than controls",
        };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        ticketsDid = { status: "unavailable", note: error.message };
      }
    }

    // Person level: trained learners' own independent use.
    const personUsage: UsageEvent[] = usageRows
      .filter((u) => u.personId && !u.guided)
      .map((u) => ({ learnerId: u.personId!, featureId: u.feature, at: u.occurredAt }));
    const shares = independentUseShare(exposures, personUsage, guided, now, horizons);
    const firstUse = timeToFirstIndependentUse(exposures, personUsage, guided);

    const report = learningReport({ items: learning.items, responses: learning.responses }).activities[0];
    const sessionRows = sessions
      .slice()
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .map((s) => {
        const load = sessionLoad({
          sessionId: s.id,
          durationMinutes: (s.endsAt.getTime() - s.startsAt.getTime()) / 60_000,
          topics: s.topics,
        });
        const k = report?.sessions.find((x) => x.sessionId === s.id)?.outcomes.knowledge;
        const sessionExposures = exposures.filter(
          (e) => s.features.includes(e.featureId) && e.trainedAt.getTime() === s.endsAt.getTime(),
        );
        const use = independentUseShare(sessionExposures, personUsage, guided, now, horizons).filter(
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
      trainedFeatures: features,
      trainedTopics: topics,
      indicators: {
        trainedPeople: trainedPeople.size,
        trainedAccounts: trainedAccounts.size,
        candidateControlAccounts: units.filter((u) => !u.treated).length,
      },
      matching:
        match === null
          ? { status: "no_trained_accounts" }
          : match.status === "matched"
            ? {
                status: "matched",
                counts: match.counts,
                balance: match.balance,
                exact: ["segment"],
                nearest: ["employees", "priorUse"],
              }
            : { status: match.status, counts: match.counts, note: match.message },
      outcomes: {
        independentUse,
        supportTickets: ticketsDid,
        learners: {
          independentUse: shares,
          timeToFirstIndependentUse: {
            trained: firstUse.trained,
            used: firstUse.used,
            medianDays: firstUse.medianDays,
            meanDays: firstUse.meanDays,
          },
        },
        clarity: clarityScore(learning.items, learning.responses, "post"),
      },
      sessions: sessionRows,
    };
  });
}
