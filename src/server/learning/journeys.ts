import { and, asc, eq, inArray } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database, Tx } from "../../db/client.ts";
import {
  checkIns,
  eventSessions,
  journeyEnrollments,
  journeySteps,
  journeys,
  people,
  productUsageEvents,
  registrations,
} from "../../db/schema/index.ts";
import { drillReviewsOf } from "./drills.ts";
import { DAY_MS } from "./event-lookup.ts";

/**
 * Learning journeys per role: targeted sessions, reinforcement checks, hands-on tasks verified in the product, and
 * coaching follow-ups. Steps verify themselves from evidence already in the database:
 * - session: the learner checked in to the session (or is marked attended for its event when it has no session scans);
 * - reinforcement: a right drill answer on the step's objective after enrolment;
 * - task: a use of the step's product feature on the learner's own (not guided) after enrolment;
 * - coaching: recorded by the coach (POST …/coaching), with a note.
 * Mastery = verified hands-on tasks and reinforcement checks / all of them: what the learner showed they can do,
 * not what they attended.
 */

export const stepKinds = ["session", "reinforcement", "task", "coaching"] as const;
export type StepKind = (typeof stepKinds)[number];

export interface StepInput {
  kind: StepKind;
  title: string;
  sessionId?: string | null | undefined;
  feature?: string | null | undefined;
  objective?: string | null | undefined;
  offsetDays?: number | undefined;
}

type JourneyRow = typeof journeys.$inferSelect;
type StepRow = typeof journeySteps.$inferSelect;

function journeyJson(j: JourneyRow, steps: StepRow[]) {
  return {
    id: j.id,
    name: j.name,
    role: j.role,
    description: j.description,
    steps: steps.map((s) => ({
      id: s.id,
      position: s.position,
      kind: s.kind,
      title: s.title,
      sessionId: s.sessionId,
      feature: s.feature,
      objective: s.objective,
      offsetDays: s.offsetDays,
    })),
  };
}

async function stepsOf(tx: Tx, orgId: string, journeyId: string) {
  return tx
    .select()
    .from(journeySteps)
    .where(and(eq(journeySteps.orgId, orgId), eq(journeySteps.journeyId, journeyId)))
    .orderBy(asc(journeySteps.position));
}

async function requireJourney(tx: Tx, orgId: string, journeyId: string) {
  const [j] = await tx
    .select()
    .from(journeys)
    .where(and(eq(journeys.orgId, orgId), eq(journeys.id, journeyId)));
  if (!j) throw new AppError("not_found", `no journey ${journeyId}`);
  return j;
}

/** Creates a journey with its steps; each step kind names what verifies it. */
export async function createJourney(
  db: Database,
  orgId: string,
  input: { name: string; role: string; description?: string | null | undefined; steps: StepInput[] },
) {
  input.steps.forEach((s, i) => {
    if (s.kind === "session" && !s.sessionId)
      throw new AppError(
        "validation",
        `steps.${i}.sessionId: a session step names its session`,
        `steps.${i}.sessionId`,
      );
    if (s.kind === "task" && !s.feature)
      throw new AppError(
        "validation",
        `steps.${i}.feature: a task names the product feature whose use verifies it`,
        `steps.${i}.feature`,
      );
    if (s.kind === "reinforcement" && !s.objective)
      throw new AppError(
        "validation",
        `steps.${i}.objective: a reinforcement step names its objective`,
        `steps.${i}.objective`,
      );
  });
  return db.withOrg(orgId, async (tx) => {
    const sessionIds = input.steps.flatMap((s) => (s.sessionId ? [s.sessionId] : []));
    if (sessionIds.length > 0) {
      const found = await tx
        .select({ id: eventSessions.id })
        .from(eventSessions)
        .where(and(eq(eventSessions.orgId, orgId), inArray(eventSessions.id, sessionIds)));
      const known = new Set(found.map((f) => f.id));
      const i = input.steps.findIndex((s) => s.sessionId && !known.has(s.sessionId));
      if (i >= 0)
        throw new AppError("validation", `steps.${i}.sessionId: no such session`, `steps.${i}.sessionId`);
    }
    const [j] = await tx
      .insert(journeys)
      .values({ orgId, name: input.name, role: input.role, description: input.description ?? null })
      .returning();
    await tx.insert(journeySteps).values(
      input.steps.map((s, position) => ({
        orgId,
        journeyId: j!.id,
        position,
        kind: s.kind,
        title: s.title,
        sessionId: s.sessionId ?? null,
        feature: s.feature ?? null,
        objective: s.objective ?? null,
        offsetDays: s.offsetDays ?? 0,
      })),
    );
    return journeyJson(j!, await stepsOf(tx, orgId, j!.id));
  });
}

export async function listJourneys(db: Database, orgId: string) {
  return db.withOrg(orgId, async (tx) => {
    const rows = await tx
      .select()
      .from(journeys)
      .where(eq(journeys.orgId, orgId))
      .orderBy(asc(journeys.role), asc(journeys.name));
    const out = [];
    for (const j of rows) out.push(journeyJson(j, await stepsOf(tx, orgId, j.id)));
    return out;
  });
}

/** Enrols people (once each; enrolling again keeps the first enrolment date). */
export async function enroll(
  db: Database,
  orgId: string,
  journeyId: string,
  personIds: string[],
  enrolledAt: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    await requireJourney(tx, orgId, journeyId);
    const found = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.orgId, orgId), inArray(people.id, personIds)));
    const known = new Set(found.map((p) => p.id));
    const missing = personIds.find((p) => !known.has(p));
    if (missing) throw new AppError("validation", `no person ${missing}`, "personIds");
    const added = await tx
      .insert(journeyEnrollments)
      .values([...known].map((personId) => ({ orgId, journeyId, personId, enrolledAt })))
      .onConflictDoNothing()
      .returning({ id: journeyEnrollments.id });
    return { enrolled: added.length, alreadyEnrolled: known.size - added.length };
  });
}

/** A coach records a coaching follow-up as done for one learner. */
export async function recordCoaching(
  db: Database,
  orgId: string,
  journeyId: string,
  personId: string,
  stepId: string,
  note: string,
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    const steps = await stepsOf(tx, orgId, journeyId);
    const step = steps.find((s) => s.id === stepId);
    if (!step) throw new AppError("not_found", `no step ${stepId} in this journey`);
    if (step.kind !== "coaching")
      throw new AppError(
        "validation",
        `step "${step.title}" is a ${step.kind} step; it verifies itself from evidence`,
        "stepId",
      );
    const [e] = await tx
      .select()
      .from(journeyEnrollments)
      .where(
        and(
          eq(journeyEnrollments.orgId, orgId),
          eq(journeyEnrollments.journeyId, journeyId),
          eq(journeyEnrollments.personId, personId),
        ),
      );
    if (!e) throw new AppError("not_found", "this person is not enrolled in the journey");
    const progress = [
      ...e.progress.filter((p) => p.stepId !== stepId),
      { stepId, at: now.toISOString(), evidence: `coaching: ${note}` },
    ];
    await tx
      .update(journeyEnrollments)
      .set({ progress })
      .where(and(eq(journeyEnrollments.orgId, orgId), eq(journeyEnrollments.id, e.id)));
    return { stepId, at: now.toISOString() };
  });
}

interface StepState {
  stepId: string;
  kind: StepKind;
  title: string;
  dueAt: string;
  status: "done" | "overdue" | "pending";
  at: string | null;
  evidence: string | null;
}

/** Every enrolled learner's steps with their evidence, progress and mastery (stored back on the enrolment). */
async function computeProgress(tx: Tx, orgId: string, journeyId: string, now: Date) {
  const journey = await requireJourney(tx, orgId, journeyId);
  const steps = await stepsOf(tx, orgId, journeyId);
  const enrolments = await tx
    .select({
      e: journeyEnrollments,
      email: people.email,
      firstName: people.firstName,
      lastName: people.lastName,
    })
    .from(journeyEnrollments)
    .innerJoin(
      people,
      and(eq(people.orgId, journeyEnrollments.orgId), eq(people.id, journeyEnrollments.personId)),
    )
    .where(and(eq(journeyEnrollments.orgId, orgId), eq(journeyEnrollments.journeyId, journeyId)));
  const personIds = enrolments.map((r) => r.e.personId);
  const sessionIds = steps.flatMap((s) => (s.sessionId ? [s.sessionId] : []));
  const features = steps.flatMap((s) => (s.feature ? [s.feature] : []));
  const sessionRows =
    sessionIds.length === 0
      ? []
      : await tx
          .select()
          .from(eventSessions)
          .where(and(eq(eventSessions.orgId, orgId), inArray(eventSessions.id, sessionIds)));
  const scans =
    personIds.length === 0 || sessionIds.length === 0
      ? []
      : await tx
          .select()
          .from(checkIns)
          .where(
            and(
              eq(checkIns.orgId, orgId),
              inArray(checkIns.personId, personIds),
              inArray(checkIns.sessionId, sessionIds),
              eq(checkIns.direction, "entry"),
            ),
          );
  const eventIds = [...new Set(sessionRows.map((s) => s.eventId))];
  const attendedRegs =
    personIds.length === 0 || eventIds.length === 0
      ? []
      : await tx
          .select()
          .from(registrations)
          .where(
            and(
              eq(registrations.orgId, orgId),
              inArray(registrations.personId, personIds),
              inArray(registrations.eventId, eventIds),
              eq(registrations.attended, true),
            ),
          );
  const usage =
    personIds.length === 0 || features.length === 0
      ? []
      : await tx
          .select()
          .from(productUsageEvents)
          .where(
            and(
              eq(productUsageEvents.orgId, orgId),
              inArray(productUsageEvents.personId, personIds),
              inArray(productUsageEvents.feature, features),
              eq(productUsageEvents.guided, false),
            ),
          )
          .orderBy(asc(productUsageEvents.occurredAt));
  const drills = await drillReviewsOf(tx, orgId, personIds);
  const sessionsWithScans = new Set(scans.map((s) => s.sessionId));

  const learners = [];
  for (const { e, email, firstName, lastName } of enrolments) {
    const coaching = new Map(
      e.progress.filter((p) => p.evidence.startsWith("coaching:")).map((p) => [p.stepId, p]),
    );
    const states: StepState[] = steps.map((s) => {
      const due = new Date(e.enrolledAt.getTime() + s.offsetDays * DAY_MS);
      let at: Date | null = null;
      let evidence: string | null = null;
      if (s.kind === "session") {
        const scan = scans
          .filter((c) => c.personId === e.personId && c.sessionId === s.sessionId)
          .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())[0];
        const session = sessionRows.find((x) => x.id === s.sessionId);
        if (scan) {
          at = scan.occurredAt;
          evidence = `checked in to "${session?.title ?? s.title}"`;
        } else if (
          session &&
          !sessionsWithScans.has(session.id) &&
          attendedRegs.some((r) => r.personId === e.personId && r.eventId === session.eventId)
        ) {
          at = session.endsAt;
          evidence = "marked attended for the session's event";
        }
      } else if (s.kind === "task") {
        const u = usage.find(
          (x) => x.personId === e.personId && x.feature === s.feature && x.occurredAt >= e.enrolledAt,
        );
        if (u) {
          at = u.occurredAt;
          evidence = `used ${s.feature} on their own${u.externalId ? ` (usage event ${u.externalId})` : ""}`;
        }
      } else if (s.kind === "reinforcement") {
        const d = drills
          .filter(
            (x) =>
              x.personId === e.personId &&
              x.objective === s.objective &&
              x.correct &&
              x.reviewedAt >= e.enrolledAt,
          )
          .sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime())[0];
        if (d) {
          at = d.reviewedAt;
          evidence = `right drill answer on "${s.objective}"`;
        }
      } else {
        const c = coaching.get(s.id);
        if (c) {
          at = new Date(c.at);
          evidence = c.evidence;
        }
      }
      return {
        stepId: s.id,
        kind: s.kind,
        title: s.title,
        dueAt: due.toISOString(),
        status: at ? "done" : due.getTime() < now.getTime() ? "overdue" : "pending",
        at: at ? at.toISOString() : null,
        evidence,
      };
    });
    const done = states.filter((s) => s.status === "done");
    const skill = states.filter((s) => s.kind === "task" || s.kind === "reinforcement");
    const mastery =
      skill.length === 0 ? null : skill.filter((s) => s.status === "done").length / skill.length;
    const progress = done.map((s) => ({ stepId: s.stepId, at: s.at!, evidence: s.evidence! }));
    await tx
      .update(journeyEnrollments)
      .set({ progress, mastery })
      .where(and(eq(journeyEnrollments.orgId, orgId), eq(journeyEnrollments.id, e.id)));
    learners.push({
      personId: e.personId,
      name: [firstName, lastName].filter(Boolean).join(" ") || email,
      enrolledAt: e.enrolledAt.toISOString(),
      progress: steps.length === 0 ? null : done.length / steps.length,
      mastery,
      steps: states,
    });
  }
  return { journey: journeyJson(journey, steps), learners };
}

/** Progress of every learner of a journey, with the evidence behind each done step. */
export async function journeyProgress(db: Database, orgId: string, journeyId: string, now: Date) {
  return db.withOrg(orgId, (tx) => computeProgress(tx, orgId, journeyId, now));
}

/** Mastery per role over every journey of the role. */
export async function masteryByRole(db: Database, orgId: string, now: Date) {
  return db.withOrg(orgId, async (tx) => {
    const all = await tx.select().from(journeys).where(eq(journeys.orgId, orgId));
    const byRole = new Map<
      string,
      { journeys: number; learners: { progress: number | null; mastery: number | null }[] }
    >();
    for (const j of all) {
      const { learners } = await computeProgress(tx, orgId, j.id, now);
      const r = byRole.get(j.role) ?? { journeys: 0, learners: [] };
      r.journeys += 1;
      r.learners.push(...learners.map((l) => ({ progress: l.progress, mastery: l.mastery })));
      byRole.set(j.role, r);
    }
    const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
    return {
      definition:
        "mastery = verified hands-on tasks and reinforcement checks / all of them; mastered = all verified",
      roles: [...byRole]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([role, r]) => {
          const m = r.learners.flatMap((l) => (l.mastery === null ? [] : [l.mastery]));
          return {
            role,
            journeys: r.journeys,
            learners: r.learners.length,
            meanProgress: avg(r.learners.flatMap((l) => (l.progress === null ? [] : [l.progress]))),
            meanMastery: avg(m),
            masteredShare: m.length === 0 ? null : m.filter((x) => x === 1).length / m.length,
          };
        }),
    };
  });
}
