import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { learningSettings } from "../../db/schema/index.ts";
import { type LearningSettings, requireEvent, settingsOf } from "./event-lookup.ts";
import type { LearningSettingsInput } from "./schemas.ts";

/** The settings as the API shows them: every value, and whether it is still the default. */
function settingsJson(eventId: string, s: LearningSettings, saved: boolean, updatedAt: Date | null) {
  return { eventId, ...s, saved, updatedAt: updatedAt ? updatedAt.toISOString() : null };
}

/** The event's learning settings (the defaults until some are saved). */
export async function getLearningSettings(db: Database, orgId: string, eventId: string) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const [row] = await tx
      .select({ updatedAt: learningSettings.updatedAt })
      .from(learningSettings)
      .where(and(eq(learningSettings.orgId, orgId), eq(learningSettings.eventId, eventId)));
    return settingsJson(
      eventId,
      await settingsOf(tx, orgId, eventId),
      row !== undefined,
      row?.updatedAt ?? null,
    );
  });
}

/**
 * Changes some of the event's learning settings; the fields left out keep their value. The checks that need
 * more than one field are made on the merged result: a reminder must come before its window closes, or it is
 * never sent. Assessments already created keep the schedule they were given (the measurement schedule is fixed
 * when an assessment is set up); commitments already made keep their follow-up date.
 */
export async function saveLearningSettings(
  db: Database,
  orgId: string,
  eventId: string,
  input: LearningSettingsInput,
  now: Date,
) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const current = await settingsOf(tx, orgId, eventId);
    const next: LearningSettings = {
      ...current,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    };
    next.delayDays = [...next.delayDays].sort((a, b) => a - b);
    if (next.reminderAfterDays >= next.windowDays) {
      const field = input.reminderAfterDays !== undefined ? "reminderAfterDays" : "windowDays";
      throw new AppError(
        "validation",
        `the reminder (${next.reminderAfterDays} days after a check opens) must come before the check closes (${next.windowDays} days after it opens)`,
        field,
      );
    }
    const values = { ...next, updatedAt: now };
    await tx
      .insert(learningSettings)
      .values({ orgId, eventId, ...values })
      .onConflictDoUpdate({ target: [learningSettings.orgId, learningSettings.eventId], set: values });
    return settingsJson(eventId, next, true, now);
  });
}
