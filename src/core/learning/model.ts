import { z } from "zod";

/**
 * The records the learning engine reads. Each zod schema is the single source of truth for its type, so the
 * server edge validates with the same definition the engine computes over.
 */

export const itemKinds = ["single", "multiple", "true_false", "scenario"] as const;
export type ItemKind = (typeof itemKinds)[number];

/** Moore outcome level an item measures: 3A declarative knowledge, 3B procedural knowledge, 4 competence. */
export const itemLevels = ["3A", "3B", "4"] as const;
export type ItemLevel = (typeof itemLevels)[number];

export const phases = ["pre", "post", "delayed"] as const;
export type Phase = (typeof phases)[number];

export const confidenceSteps = [1, 2, 3, 4] as const;
export type ConfidenceStep = (typeof confidenceSteps)[number];

export const itemSchema = z
  .object({
    id: z.string().min(1),
    activityId: z.string().min(1),
    /** Absent when the item belongs to the activity as a whole rather than one session. */
    sessionId: z.string().min(1).optional(),
    objectiveId: z.string().min(1),
    kind: z.enum(itemKinds),
    level: z.enum(itemLevels),
  })
  .strict();
export type Item = z.infer<typeof itemSchema>;

/**
 * One answer of one learner to one item in one phase. Exactly one of `correct` (dichotomous items) or `score`
 * (partial credit, 0..1) is set; `delayDays` is the nominal scheduled delay (30, 90…) and is set only for the
 * delayed phase.
 */
export const responseSchema = z
  .object({
    learnerId: z.string().min(1),
    itemId: z.string().min(1),
    phase: z.enum(phases),
    delayDays: z.number().int().positive().optional(),
    correct: z.boolean().optional(),
    score: z.number().min(0).max(1).optional(),
    confidence: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.correct === undefined) === (r.score === undefined)) {
      ctx.addIssue({ code: "custom", path: ["correct"], message: "set exactly one of correct or score" });
    }
    if (r.phase === "delayed" && r.delayDays === undefined) {
      ctx.addIssue({ code: "custom", path: ["delayDays"], message: "a delayed response needs delayDays" });
    }
    if (r.phase !== "delayed" && r.delayDays !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["delayDays"],
        message: "delayDays is only for the delayed phase",
      });
    }
  });
export type LearnerResponse = z.infer<typeof responseSchema>;

/** Minutes a learner spent in an activity (optionally one session of it). Several rows per learner add up. */
export const attendanceSchema = z
  .object({
    learnerId: z.string().min(1),
    activityId: z.string().min(1),
    sessionId: z.string().min(1).optional(),
    minutes: z.number().min(0),
  })
  .strict();
export type Attendance = z.infer<typeof attendanceSchema>;

/** Satisfaction on a 1..5 scale (5 = fully met expectations), for the activity or one session. */
export const satisfactionSchema = z
  .object({
    learnerId: z.string().min(1),
    activityId: z.string().min(1),
    sessionId: z.string().min(1).optional(),
    rating: z.number().min(1).max(5),
  })
  .strict();
export type Satisfaction = z.infer<typeof satisfactionSchema>;

export const commitmentStatuses = ["fully", "partly", "not", "no_response"] as const;
export type CommitmentStatus = (typeof commitmentStatuses)[number];

/** A commitment-to-change statement and the answer to its follow-up ("no_response" until the learner answers). */
export const commitmentSchema = z
  .object({
    id: z.string().min(1),
    learnerId: z.string().min(1),
    activityId: z.string().min(1),
    status: z.enum(commitmentStatuses),
    barriers: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type Commitment = z.input<typeof commitmentSchema>;
