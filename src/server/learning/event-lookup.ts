import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Tx } from "../../db/client.ts";
import { eventSessions, events, learningSettings } from "../../db/schema/index.ts";

export type EventRow = typeof events.$inferSelect;
export type SessionRow = typeof eventSessions.$inferSelect;

/** The event row, or not_found naming the id. */
export async function requireEvent(tx: Tx, orgId: string, eventId: string): Promise<EventRow> {
  const [e] = await tx
    .select()
    .from(events)
    .where(and(eq(events.orgId, orgId), eq(events.id, eventId)));
  if (!e) throw new AppError("not_found", `no event ${eventId}`);
  return e;
}

export async function eventSessionsOf(tx: Tx, orgId: string, eventId: string): Promise<SessionRow[]> {
  return tx
    .select()
    .from(eventSessions)
    .where(and(eq(eventSessions.orgId, orgId), eq(eventSessions.eventId, eventId)));
}

export interface LearningSettings {
  /** Default delayed checks (days after the activity ends) for assessments that name none. */
  delayDays: number[];
  commitmentFollowUpDays: number;
  reminderAfterDays: number;
  windowDays: number;
  creditType: string;
  minSessionShare: number;
  minTotalMinutes: number;
  creditIncrement: number;
}

export const DEFAULT_LEARNING_SETTINGS: LearningSettings = {
  delayDays: [30, 90],
  commitmentFollowUpDays: 30,
  reminderAfterDays: 3,
  windowDays: 14,
  creditType: "AMA PRA Category 1 Credit",
  minSessionShare: 0.75,
  minTotalMinutes: 60,
  creditIncrement: 0.25,
};

/** The event's learning settings, or the defaults when none were saved. */
export async function settingsOf(tx: Tx, orgId: string, eventId: string): Promise<LearningSettings> {
  const [row] = await tx
    .select()
    .from(learningSettings)
    .where(and(eq(learningSettings.orgId, orgId), eq(learningSettings.eventId, eventId)));
  if (!row) return { ...DEFAULT_LEARNING_SETTINGS, delayDays: [...DEFAULT_LEARNING_SETTINGS.delayDays] };
  return {
    delayDays: row.delayDays,
    commitmentFollowUpDays: row.commitmentFollowUpDays,
    reminderAfterDays: row.reminderAfterDays,
    windowDays: row.windowDays,
    creditType: row.creditType,
    minSessionShare: Number(row.minSessionShare),
    minTotalMinutes: row.minTotalMinutes,
    creditIncrement: Number(row.creditIncrement),
  };
}

export const DAY_MS = 86_400_000;

/** A date as "2025-03-01 14:00 UTC" for messages. */
export function utcText(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
