import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { learningReport } from "../../core/learning/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { accreditationActivities, credits, events, learnerProfiles, people } from "../../db/schema/index.ts";
import { isPhysician } from "./credits.ts";
import { type EventRow, eventSessionsOf, requireEvent } from "./event-lookup.ts";
import { loadEventLearning } from "./learning-input.ts";

/**
 * ACCME-style exports (PARS). Field lists come from ACCME's own pages (see docs/learning-operations.md, "ACCME
 * exports"): the activity fields PARS requires to open and close an activity, and the learner completion fields
 * ACCME lists for learner credit data. Files are tab-delimited text; PARS uploads take no header row, so the header
 * is left out unless asked for.
 */

/** Activity file columns, in order. */
export const ACCME_ACTIVITY_FIELDS = [
  "Provider Activity ID",
  "Activity Title",
  "Activity Type",
  "Start Date",
  "End Date",
  "Location",
  "City",
  "State",
  "Country",
  "Reporting Year",
  "Activity Description",
  "Providership",
  "Joint Provider Names",
  "Hours of Instruction",
  "AMA PRA Category 1 Credits Designated",
  "Designed to Change Competence",
  "Designed to Change Performance",
  "Designed to Change Patient Outcomes",
  "Changes in Competence Evaluated",
  "Changes in Performance Evaluated",
  "Changes in Patient Outcomes Evaluated",
  "Outcome Measures",
  "Competencies Addressed",
  "Commercial Support Received",
  "Commercial Supporters",
  "Number of Physician Learners",
  "Number of Other Learners",
] as const;

/** Learner completion file columns, in order. */
export const ACCME_LEARNER_FIELDS = [
  "Provider Activity ID",
  "Learner First Name",
  "Learner Last Name",
  "Date of Birth Month",
  "Date of Birth Day",
  "State Medical License State",
  "State Medical License ID",
  "Certifying Board",
  "Certifying Board ID",
  "Date of Completion",
  "Credit Type",
  "Credits Earned",
] as const;

/** One tab-delimited cell: tabs and line ends would break the record, so they become spaces. */
export function tsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value)
    .replace(/[\t\r\n]+/g, " ")
    .trim();
}

export function tsvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(tsvCell).join("\t")}\n`;
}

/** MM/DD/YYYY in UTC. */
export function usDate(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
}

const yn = (b: boolean) => (b ? "Y" : "N");
const hours = (n: number) => String(Math.round(n * 100) / 100);

async function accreditationOf(tx: Tx, orgId: string, eventId: string) {
  const [row] = await tx
    .select()
    .from(accreditationActivities)
    .where(and(eq(accreditationActivities.orgId, orgId), eq(accreditationActivities.eventId, eventId)));
  return row ?? null;
}

async function activityRecord(tx: Tx, orgId: string, event: EventRow) {
  const acc = await accreditationOf(tx, orgId, event.id);
  const sessions = await eventSessionsOf(tx, orgId, event.id);
  const data = await loadEventLearning(tx, orgId, event.id);
  const ids = [...data.attendance.attended];
  const degrees =
    ids.length === 0
      ? []
      : await tx
          .select({ degree: people.degree })
          .from(people)
          .where(and(eq(people.orgId, orgId), inArray(people.id, ids)));
  const physicians = degrees.filter((p) => isPhysician(p.degree)).length;
  const report = learningReport({
    items: data.items,
    responses: data.responses,
    attendance: data.attendance.rows,
    commitments: data.commitments,
  }).activities.find((a) => a.activityId === event.id);
  // What was measured decides "changes evaluated" unless the provider said otherwise.
  const competenceMeasured = (report?.outcomes.knowledgeByLevel["4"]?.matchedPrePost ?? 0) > 0;
  const performanceMeasured = (report?.outcomes.commitments.followedUp ?? 0) > 0;
  const evaluated = new Set(
    acc && acc.changesEvaluated.length > 0
      ? acc.changesEvaluated
      : [...(competenceMeasured ? ["competence"] : []), ...(performanceMeasured ? ["performance"] : [])],
  );
  const designed = new Set(acc?.designedToChange ?? []);
  const measures: string[] = [];
  if ((report?.outcomes.knowledge.post.n ?? 0) > 0) measures.push("Knowledge checks (pre, post, delayed)");
  if ((report?.outcomes.commitments.total ?? 0) > 0) measures.push("Commitment-to-change follow-up");
  const sessionHours = sessions.reduce(
    (s, x) => s + (x.endsAt.getTime() - x.startsAt.getTime()) / 3_600_000,
    0,
  );
  const sessionCredits = sessions.reduce((s, x) => s + Number(x.creditHours ?? 0), 0);
  return [
    acc?.providerActivityId ?? event.id,
    event.name,
    acc?.activityType ?? "Course",
    usDate(event.startsAt),
    usDate(event.endsAt),
    event.venue ?? (event.virtualUrl ? "Online" : ""),
    acc?.city ?? "",
    acc?.state ?? "",
    acc?.country ?? "",
    event.endsAt.getUTCFullYear(),
    acc?.description ?? event.description ?? "",
    acc?.providership ?? "Direct",
    (acc?.jointProviders ?? []).join("; "),
    hours(acc?.hoursOfInstruction ?? sessionHours),
    hours(acc?.creditsDesignated ?? sessionCredits),
    yn(designed.has("competence")),
    yn(designed.has("performance")),
    yn(designed.has("patient_outcomes")),
    yn(evaluated.has("competence")),
    yn(evaluated.has("performance")),
    yn(evaluated.has("patient_outcomes")),
    measures.join("; "),
    (acc?.competencies ?? []).join("; "),
    yn(acc?.commercialSupport ?? false),
    (acc?.commercialSupporters ?? [])
      .map(
        (s) =>
          `${s.name}${s.monetaryAmount !== undefined ? ` (${s.monetaryAmount})` : ""}${s.inKind ? ` (in kind: ${s.inKind})` : ""}`,
      )
      .join("; "),
    physicians,
    ids.length - physicians,
  ];
}

/** The activity file for one event, or for every CME activity ending in a reporting year. */
export async function accmeActivityFile(
  db: Database,
  orgId: string,
  scope: { eventId: string } | { year: number },
  withHeader: boolean,
): Promise<string> {
  return db.withOrg(orgId, async (tx) => {
    let list: EventRow[];
    if ("eventId" in scope) list = [await requireEvent(tx, orgId, scope.eventId)];
    else {
      list = await tx
        .select()
        .from(events)
        .where(
          and(
            eq(events.orgId, orgId),
            eq(events.type, "cme_activity"),
            gte(events.endsAt, new Date(Date.UTC(scope.year, 0, 1))),
            lt(events.endsAt, new Date(Date.UTC(scope.year + 1, 0, 1))),
          ),
        )
        .orderBy(asc(events.startsAt), asc(events.id));
    }
    let out = withHeader ? tsvLine(ACCME_ACTIVITY_FIELDS) : "";
    for (const e of list) out += tsvLine(await activityRecord(tx, orgId, e));
    return out;
  });
}

/** The learner completion file of one event: one row per issued credit. */
export async function accmeLearnerFile(db: Database, orgId: string, eventId: string, withHeader: boolean) {
  return db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    const acc = await accreditationOf(tx, orgId, eventId);
    const rows = await tx
      .select({ credit: credits, person: people, profile: learnerProfiles })
      .from(credits)
      .innerJoin(people, and(eq(people.orgId, credits.orgId), eq(people.id, credits.personId)))
      .leftJoin(
        learnerProfiles,
        and(eq(learnerProfiles.orgId, credits.orgId), eq(learnerProfiles.personId, credits.personId)),
      )
      .where(and(eq(credits.orgId, orgId), eq(credits.eventId, eventId)))
      .orderBy(asc(people.lastName), asc(people.firstName), asc(credits.id));
    let out = withHeader ? tsvLine(ACCME_LEARNER_FIELDS) : "";
    for (const { credit, person, profile } of rows) {
      if (!credit.issuedAt) continue;
      out += tsvLine([
        acc?.providerActivityId ?? event.id,
        person.firstName,
        person.lastName,
        profile?.birthMonth ?? null,
        profile?.birthDay ?? null,
        profile?.licenseState ?? null,
        profile?.licenseNumber ?? null,
        profile?.certifyingBoard ?? null,
        profile?.boardId ?? null,
        // The date the learner completed the activity: the activity's end, not the day the credit was issued.
        usDate(event.endsAt),
        credit.creditType,
        hours(Number(credit.hours)),
      ]);
    }
    return out;
  });
}

export interface AccreditationInput {
  providerActivityId: string;
  activityType?: string | undefined;
  providership?: "Direct" | "Joint" | undefined;
  jointProviders?: string[] | undefined;
  city?: string | null | undefined;
  state?: string | null | undefined;
  country?: string | null | undefined;
  hoursOfInstruction?: number | null | undefined;
  creditsDesignated?: number | null | undefined;
  designedToChange?: ("competence" | "performance" | "patient_outcomes")[] | undefined;
  changesEvaluated?: ("competence" | "performance" | "patient_outcomes")[] | undefined;
  competencies?: string[] | undefined;
  commercialSupport?: boolean | undefined;
  commercialSupporters?:
    | { name: string; monetaryAmount?: number | undefined; inKind?: string | undefined }[]
    | undefined;
  description?: string | null | undefined;
}

/** Saves the accreditation data of a CME activity (replaces what was there). */
export async function saveAccreditation(
  db: Database,
  orgId: string,
  eventId: string,
  input: AccreditationInput,
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    if (input.providership === "Joint" && (input.jointProviders ?? []).length === 0) {
      throw new AppError(
        "validation",
        "a jointly provided activity names at least one joint provider",
        "jointProviders",
      );
    }
    const values = {
      providerActivityId: input.providerActivityId,
      activityType: input.activityType ?? "Course",
      providership: input.providership ?? "Direct",
      jointProviders: input.jointProviders ?? [],
      city: input.city ?? null,
      state: input.state ?? null,
      country: input.country ?? null,
      hoursOfInstruction: input.hoursOfInstruction ?? null,
      creditsDesignated: input.creditsDesignated ?? null,
      designedToChange: input.designedToChange ?? [],
      changesEvaluated: input.changesEvaluated ?? [],
      competencies: input.competencies ?? [],
      commercialSupport: input.commercialSupport ?? false,
      commercialSupporters: (input.commercialSupporters ?? []).map((s) => ({
        name: s.name,
        ...(s.monetaryAmount !== undefined ? { monetaryAmount: s.monetaryAmount } : {}),
        ...(s.inKind !== undefined ? { inKind: s.inKind } : {}),
      })),
      description: input.description ?? null,
      updatedAt: now,
    };
    try {
      await tx
        .insert(accreditationActivities)
        .values({ orgId, eventId, ...values })
        .onConflictDoUpdate({
          target: [accreditationActivities.orgId, accreditationActivities.eventId],
          set: values,
        });
    } catch (error) {
      const e = error as { code?: string; cause?: { code?: string } };
      if ((e.code ?? e.cause?.code) === "23505") {
        throw new AppError(
          "conflict",
          `another activity already uses provider activity ID "${input.providerActivityId}"`,
          "providerActivityId",
        );
      }
      throw error;
    }
    return { eventId, ...values, updatedAt: now.toISOString() };
  });
}

/** Saves the identity fields learner completion reporting needs (license, board, month and day of birth). */
export async function saveLearnerProfile(
  db: Database,
  orgId: string,
  personId: string,
  input: {
    licenseState?: string | null | undefined;
    licenseNumber?: string | null | undefined;
    certifyingBoard?: string | null | undefined;
    boardId?: string | null | undefined;
    birthMonth?: number | null | undefined;
    birthDay?: number | null | undefined;
  },
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    const [p] = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.orgId, orgId), eq(people.id, personId)));
    if (!p) throw new AppError("not_found", `no person ${personId}`);
    const values = {
      licenseState: input.licenseState ?? null,
      licenseNumber: input.licenseNumber ?? null,
      certifyingBoard: input.certifyingBoard ?? null,
      boardId: input.boardId ?? null,
      birthMonth: input.birthMonth ?? null,
      birthDay: input.birthDay ?? null,
      updatedAt: now,
    };
    await tx
      .insert(learnerProfiles)
      .values({ orgId, personId, ...values })
      .onConflictDoUpdate({ target: [learnerProfiles.orgId, learnerProfiles.personId], set: values });
    return { personId, ...values, updatedAt: now.toISOString() };
  });
}
