import { and, eq, sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database, Tx } from "../../db/client.ts";
import { assessmentAttempts, type assessmentWindows, people } from "../../db/schema/index.ts";
import { loadAssessment } from "./create-assessment.ts";
import { utcText } from "./event-lookup.ts";
import { learnerUrl, signLink } from "./link-token.ts";

type Phase = "pre" | "post" | "delayed";
type WindowRow = typeof assessmentWindows.$inferSelect;

/** The attempt of one learner for one window; created once (unique key), returned as is afterwards. */
export async function ensureAttempt(
  tx: Tx,
  orgId: string,
  assessmentId: string,
  personId: string,
  phase: Phase,
  delayDays: number,
): Promise<typeof assessmentAttempts.$inferSelect> {
  await tx
    .insert(assessmentAttempts)
    .values({ orgId, assessmentId, personId, phase, delayDays })
    .onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(assessmentAttempts)
    .where(
      and(
        eq(assessmentAttempts.orgId, orgId),
        eq(assessmentAttempts.assessmentId, assessmentId),
        eq(assessmentAttempts.personId, personId),
        eq(assessmentAttempts.phase, phase),
        eq(assessmentAttempts.delayDays, delayDays),
      ),
    );
  return row!;
}

export type WindowState = "open" | "not_yet_open" | "closed";

/** Whether a window (and the assessment's hard close) accepts answers at `now`. */
export function windowState(window: WindowRow, hardClose: Date | null, now: Date): WindowState {
  if (now.getTime() < window.opensAt.getTime()) return "not_yet_open";
  const close = hardClose && hardClose < window.closesAt ? hardClose : window.closesAt;
  return now.getTime() > close.getTime() ? "closed" : "open";
}

/** The refusal for an answer outside the window, worded for the learner. */
export function windowRefusal(window: WindowRow, hardClose: Date | null, state: WindowState): AppError {
  if (state === "not_yet_open") {
    return new AppError("conflict", `this check opens on ${utcText(window.opensAt)}; come back then`);
  }
  const close = hardClose && hardClose < window.closesAt ? hardClose : window.closesAt;
  return new AppError("gone", `this assessment closed on ${utcText(close)}; answers are no longer accepted`);
}

export function findWindow(windows: WindowRow[], phase: Phase, delayDays: number): WindowRow | undefined {
  return windows.find((w) => w.phase === phase && w.delayDays === (phase === "delayed" ? delayDays : 0));
}

/**
 * Signed links for named learners and one window of an assessment: the attempt is created if needed, so a link
 * issued twice opens the same attempt.
 */
export async function issueLinks(
  db: Database,
  orgId: string,
  assessmentId: string,
  input: { personIds: string[]; phase: Phase; delayDays?: number | undefined },
  publicUrl: string | undefined,
) {
  return db.withOrg(orgId, async (tx) => {
    const { windows } = await loadAssessment(tx, orgId, assessmentId);
    const delayDays = input.phase === "delayed" ? (input.delayDays ?? 0) : 0;
    if (input.phase === "delayed" && input.delayDays === undefined) {
      throw new AppError("validation", "a delayed check needs delayDays", "delayDays");
    }
    if (!findWindow(windows, input.phase, delayDays)) {
      throw new AppError(
        "validation",
        `this assessment has no ${input.phase}${input.phase === "delayed" ? ` ${delayDays}-day` : ""} check`,
        "phase",
      );
    }
    const known = await tx
      .select({ id: people.id })
      .from(people)
      .where(
        and(eq(people.orgId, orgId), sql`${people.id} = any(${`{${input.personIds.join(",")}}`}::uuid[])`),
      );
    const knownIds = new Set(known.map((p) => p.id));
    const missing = input.personIds.find((p) => !knownIds.has(p));
    if (missing) throw new AppError("validation", `no person ${missing}`, "personIds");
    const links = [];
    for (const personId of [...new Set(input.personIds)]) {
      const attempt = await ensureAttempt(tx, orgId, assessmentId, personId, input.phase, delayDays);
      const token = await signLink(tx, { o: orgId, k: "attempt", i: attempt.id });
      links.push({ personId, attemptId: attempt.id, token, url: learnerUrl(publicUrl, token) });
    }
    return { links };
  });
}
