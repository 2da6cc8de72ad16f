import { z } from "@hono/zod-openapi";
import { itemKinds, itemLevels } from "../../core/learning/index.ts";
import { errorBodySchema } from "../errors.ts";

/** A JSON response entry for createRoute. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** The error responses a learning route may give. */
export const errorResponses = {
  400: json(errorBodySchema, "Bad request: the message names the field and the reason"),
  401: json(errorBodySchema, "Not signed in"),
  403: json(errorBodySchema, "Not allowed for this role"),
  404: json(errorBodySchema, "Not found"),
  409: json(errorBodySchema, "Conflict"),
  410: json(errorBodySchema, "Closed: the assessment or follow-up no longer accepts answers"),
};

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const instantSchema = z.iso.datetime({ offset: true });
export const idParams = z.object({ id: z.uuid() });
export const tokenParams = z.object({ token: z.string().min(10).max(1000) });

export const itemInputSchema = z
  .object({
    kind: z.enum(itemKinds),
    prompt: z.string().min(1).max(5000),
    /** Answer options; true/false items may leave them out (["True", "False"]). */
    options: z.array(z.string().min(1).max(1000)).min(2).max(12).optional(),
    /** Indexes of the correct options: exactly one except for multiple-choice items. */
    correct: z.array(z.number().int().min(0)).min(1).max(12),
    objective: z.string().min(1).max(1000),
    outcomeLevel: z.enum(itemLevels),
  })
  .strict()
  .superRefine((item, ctx) => {
    const options = item.options ?? (item.kind === "true_false" ? ["True", "False"] : undefined);
    if (!options) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "needs at least 2 options" });
      return;
    }
    if (item.kind === "true_false" && options.length !== 2) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a true/false item has exactly 2 options" });
    }
    if (item.kind !== "multiple" && item.correct.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["correct"],
        message: `a ${item.kind.replace("_", "/")} item has exactly one correct option (one best answer)`,
      });
    }
    if (new Set(item.correct).size !== item.correct.length) {
      ctx.addIssue({ code: "custom", path: ["correct"], message: "lists an option twice" });
    }
    for (const c of item.correct) {
      if (c >= options.length) {
        ctx.addIssue({
          code: "custom",
          path: ["correct"],
          message: `option ${c} does not exist (${options.length} options)`,
        });
      }
    }
  })
  .openapi("AssessmentItemInput");
export type ItemInput = z.infer<typeof itemInputSchema>;

export const createAssessmentSchema = z
  .object({
    title: z.string().min(1).max(300),
    sessionId: z.uuid().nullable().optional(),
    /** Delayed checks in days after the activity ends (default 30 and 90). */
    delayDays: z.array(z.number().int().min(1).max(730)).max(6).optional(),
    /** Whether to run a pre-test before the activity (default true). Without it gains read "no baseline". */
    preTest: z.boolean().optional(),
    /** A hard close after which no answer is accepted, whatever the window. */
    closesAt: instantSchema.nullable().optional(),
    items: z.array(itemInputSchema).min(1).max(200),
  })
  .strict()
  .openapi("CreateAssessment");
export type CreateAssessmentInput = z.infer<typeof createAssessmentSchema>;

export const learningSettingsSchema = z
  .object({
    /** Default delayed checks in days after the activity ends, for assessments that name none. */
    delayDays: z
      .array(z.number().int().min(1).max(730))
      .max(6)
      .refine((d) => new Set(d).size === d.length, "lists a delay twice"),
    commitmentFollowUpDays: z.number().int().min(1).max(730),
    reminderAfterDays: z.number().int().min(1).max(60),
    windowDays: z.number().int().min(1).max(180),
    creditType: z.string().min(1).max(200),
    minSessionShare: z.number().min(0).max(1),
    minTotalMinutes: z.number().int().min(0).max(100_000),
    creditIncrement: z.number().min(0.01).max(10),
  })
  .partial()
  .strict()
  .openapi("LearningSettings");
export type LearningSettingsInput = z.infer<typeof learningSettingsSchema>;

export const phaseSchema = z.enum(["pre", "post", "delayed"]);

export const issueLinksSchema = z
  .object({
    personIds: z.array(z.uuid()).min(1).max(5000),
    phase: phaseSchema,
    delayDays: z.number().int().min(1).optional(),
  })
  .strict()
  .openapi("IssueAssessmentLinks");

export const answersSchema = z
  .object({
    answers: z
      .array(
        z
          .object({
            itemId: z.uuid(),
            answer: z.array(z.number().int().min(0).max(11)).min(1).max(12),
            confidence: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict()
  .openapi("AssessmentAnswers");
export type AnswersInput = z.infer<typeof answersSchema>;

export const commitmentsInputSchema = z
  .object({ statements: z.array(z.string().trim().min(3).max(2000)).min(1).max(3) })
  .strict()
  .openapi("CommitmentStatements");

export const followUpInputSchema = z
  .object({
    status: z.enum(["fully", "partly", "not"]),
    barriers: z.array(z.string().trim().min(1).max(300)).max(10).default([]),
  })
  .strict()
  .openapi("CommitmentFollowUp");

export const learnerLinksSchema = z
  .object({
    personIds: z.array(z.uuid()).min(1).max(5000),
    kind: z.enum(["commitments", "follow_up", "drill", "credit"]),
  })
  .strict()
  .openapi("LearnerLinks");

const changeKinds = z.enum(["competence", "performance", "patient_outcomes"]);

export const accreditationSchema = z
  .object({
    providerActivityId: z.string().min(1).max(100),
    activityType: z.string().min(1).max(100).optional(),
    providership: z.enum(["Direct", "Joint"]).optional(),
    jointProviders: z.array(z.string().min(1).max(300)).max(20).optional(),
    city: z.string().max(120).nullable().optional(),
    state: z.string().max(120).nullable().optional(),
    country: z.string().max(120).nullable().optional(),
    hoursOfInstruction: z.number().min(0).max(9999).nullable().optional(),
    creditsDesignated: z.number().min(0).max(9999).nullable().optional(),
    designedToChange: z.array(changeKinds).max(3).optional(),
    changesEvaluated: z.array(changeKinds).max(3).optional(),
    competencies: z.array(z.string().min(1).max(200)).max(20).optional(),
    commercialSupport: z.boolean().optional(),
    commercialSupporters: z
      .array(
        z
          .object({
            name: z.string().min(1).max(300),
            monetaryAmount: z.number().min(0).optional(),
            inKind: z.string().max(300).optional(),
          })
          .strict(),
      )
      .max(50)
      .optional(),
    description: z.string().max(20_000).nullable().optional(),
  })
  .strict()
  .openapi("Accreditation");

export const learnerProfileSchema = z
  .object({
    licenseState: z.string().max(60).nullable().optional(),
    licenseNumber: z.string().max(60).nullable().optional(),
    certifyingBoard: z.string().max(120).nullable().optional(),
    boardId: z.string().max(60).nullable().optional(),
    birthMonth: z.number().int().min(1).max(12).nullable().optional(),
    birthDay: z.number().int().min(1).max(31).nullable().optional(),
  })
  .strict()
  .openapi("LearnerProfile");

export const creditClaimSchema = z
  .object({ hours: z.number().min(0.01).max(999).optional() })
  .strict()
  .openapi("CreditClaim");

export const headerQuery = z.object({ header: z.enum(["true", "false"]).default("false") }).strict();
