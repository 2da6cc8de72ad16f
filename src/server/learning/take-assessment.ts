import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { CONFIDENCE_SCALE, confidenceSteps } from "../../core/learning/index.ts";
import type { Database, Tx } from "../../db/client.ts";
import { assessmentAttempts, responses } from "../../db/schema/index.ts";
import { findWindow, windowRefusal, windowState } from "./attempts.ts";
import { loadAssessment } from "./create-assessment.ts";
import { ensureDrillCards } from "./drills.ts";
import { utcText } from "./event-lookup.ts";
import { gradeAnswer } from "./grade.ts";
import { learnerUrl, signLink, verifyLink } from "./link-token.ts";
import type { AnswersInput } from "./schemas.ts";

/** The confidence steps shown beside every answer, each with the probability it states. */
export const confidenceScale = confidenceSteps.map((step) => ({
  step,
  label: CONFIDENCE_SCALE[step].label,
  probability: CONFIDENCE_SCALE[step].probability,
}));

async function loadAttempt(tx: Tx, orgId: string, attemptId: string) {
  const [attempt] = await tx
    .select()
    .from(assessmentAttempts)
    .where(and(eq(assessmentAttempts.orgId, orgId), eq(assessmentAttempts.id, attemptId)));
  if (!attempt) throw new AppError("not_found", "this link's assessment no longer exists");
  const loaded = await loadAssessment(tx, orgId, attempt.assessmentId);
  const window = findWindow(loaded.windows, attempt.phase, attempt.delayDays);
  if (!window) throw new AppError("not_found", "this check is no longer scheduled");
  return { attempt, window, ...loaded };
}

async function savedAnswers(tx: Tx, orgId: string, attemptId: string) {
  return tx
    .select({ itemId: responses.itemId, answer: responses.answer, confidence: responses.confidence })
    .from(responses)
    .where(and(eq(responses.orgId, orgId), eq(responses.attemptId, attemptId)));
}

/**
 * What a learner's link opens: the items (without the key), the answers already saved (a reused link resumes where
 * it stopped) and whether the check is open, not yet open, closed or already submitted.
 */
export async function openAttempt(db: Database, token: string, now: Date) {
  const link = await verifyLink(db, token, "attempt");
  return db.withOrg(link.o, async (tx) => {
    const { attempt, window, assessment, items } = await loadAttempt(tx, link.o, link.i);
    const state = windowState(window, assessment.closesAt, now);
    if (state === "open" && !attempt.startedAt) {
      await tx
        .update(assessmentAttempts)
        .set({ startedAt: now })
        .where(and(eq(assessmentAttempts.orgId, link.o), eq(assessmentAttempts.id, attempt.id)));
    }
    const status = attempt.submittedAt ? "submitted" : state;
    return {
      kind: "attempt" as const,
      title: assessment.title,
      phase: attempt.phase,
      delayDays: attempt.phase === "delayed" ? attempt.delayDays : null,
      status,
      message:
        status === "closed"
          ? windowRefusal(window, assessment.closesAt, "closed").message
          : status === "not_yet_open"
            ? `this check opens on ${utcText(window.opensAt)}`
            : status === "submitted"
              ? `submitted on ${utcText(attempt.submittedAt!)}; thank you`
              : null,
      opensAt: window.opensAt.toISOString(),
      closesAt: window.closesAt.toISOString(),
      items: items.map((i) => ({
        id: i.id,
        position: i.position,
        kind: i.kind,
        prompt: i.prompt,
        options: i.options,
        multiple: i.kind === "multiple",
      })),
      answers: await savedAnswers(tx, link.o, attempt.id),
      confidenceScale,
    };
  });
}

function refuseUnlessOpen(loaded: Awaited<ReturnType<typeof loadAttempt>>, now: Date): void {
  const state = windowState(loaded.window, loaded.assessment.closesAt, now);
  if (state !== "open") throw windowRefusal(loaded.window, loaded.assessment.closesAt, state);
  if (loaded.attempt.submittedAt) {
    throw new AppError(
      "conflict",
      `this check was submitted on ${utcText(loaded.attempt.submittedAt)}; your answers are kept and cannot change`,
    );
  }
}

/**
 * Saves answers with their confidence. One response per attempt and item (an upsert on that key): sending an
 * answer again replaces it, so a reused link or a retried request never counts twice.
 */
export async function saveAnswers(db: Database, token: string, input: AnswersInput, now: Date) {
  const link = await verifyLink(db, token, "attempt");
  return db.withOrg(link.o, async (tx) => {
    const loaded = await loadAttempt(tx, link.o, link.i);
    refuseUnlessOpen(loaded, now);
    const { attempt, items } = loaded;
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const [n, a] of input.answers.entries()) {
      const item = byId.get(a.itemId);
      if (!item)
        throw new AppError(
          "validation",
          `answers.${n}.itemId: not an item of this assessment`,
          `answers.${n}.itemId`,
        );
      if (a.answer.some((o) => o >= item.options.length)) {
        throw new AppError(
          "validation",
          `answers.${n}.answer: option out of range (${item.options.length} options)`,
          `answers.${n}.answer`,
        );
      }
      if (item.kind !== "multiple" && new Set(a.answer).size !== 1) {
        throw new AppError(
          "validation",
          `answers.${n}.answer: choose exactly one option`,
          `answers.${n}.answer`,
        );
      }
    }
    for (const a of input.answers) {
      const item = byId.get(a.itemId)!;
      const answer = [...new Set(a.answer)].sort((x, y) => x - y);
      const values = {
        answer,
        correct: gradeAnswer(item, answer),
        confidence: a.confidence,
        answeredAt: now,
      };
      await tx
        .insert(responses)
        .values({
          orgId: link.o,
          attemptId: attempt.id,
          itemId: item.id,
          personId: attempt.personId,
          ...values,
        })
        .onConflictDoUpdate({
          target: [responses.orgId, responses.attemptId, responses.itemId],
          set: values,
        });
    }
    if (!attempt.startedAt) {
      await tx
        .update(assessmentAttempts)
        .set({ startedAt: now })
        .where(and(eq(assessmentAttempts.orgId, link.o), eq(assessmentAttempts.id, attempt.id)));
    }
    const saved = await savedAnswers(tx, link.o, attempt.id);
    return { saved: input.answers.length, answered: saved.length, total: items.length };
  });
}

/**
 * Submits an attempt (idempotent: a second submit returns the first). After the post-test the learner gets a
 * drill link (one reinforcement card per objective, practised apart from measurement) and a link to state
 * commitments to change.
 */
export async function submitAttempt(db: Database, token: string, now: Date, publicUrl?: string) {
  const link = await verifyLink(db, token, "attempt");
  return db.withOrg(link.o, async (tx) => {
    const loaded = await loadAttempt(tx, link.o, link.i);
    const { attempt, items, assessment } = loaded;
    const answered = (await savedAnswers(tx, link.o, attempt.id)).length;
    if (!attempt.submittedAt) {
      refuseUnlessOpen(loaded, now);
      if (answered === 0)
        throw new AppError("validation", "answer at least one item before submitting", "answers");
      await tx
        .update(assessmentAttempts)
        .set({ submittedAt: now })
        .where(and(eq(assessmentAttempts.orgId, link.o), eq(assessmentAttempts.id, attempt.id)));
    }
    let drillUrl: string | null = null;
    let commitmentsUrl: string | null = null;
    if (attempt.phase === "post") {
      await ensureDrillCards(
        tx,
        link.o,
        assessment.eventId,
        attempt.personId,
        [...new Set(items.map((i) => i.objective))],
        attempt.submittedAt ?? now,
      );
      const drillToken = await signLink(tx, {
        o: link.o,
        k: "drill",
        i: assessment.eventId,
        p: attempt.personId,
      });
      drillUrl = learnerUrl(publicUrl, drillToken);
      const commitToken = await signLink(tx, {
        o: link.o,
        k: "commitments",
        i: assessment.eventId,
        p: attempt.personId,
      });
      commitmentsUrl = learnerUrl(publicUrl, commitToken);
    }
    return {
      submitted: true,
      submittedAt: (attempt.submittedAt ?? now).toISOString(),
      answered,
      total: items.length,
      drillUrl,
      commitmentsUrl,
    };
  });
}
