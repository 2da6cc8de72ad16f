import { z } from "@hono/zod-openapi";
import { costCategories, eventFormats, eventTypes } from "../../db/schema/vocabulary.ts";
import { errorBodySchema } from "../errors.ts";
import { isIanaTimeZone } from "./time-zone.ts";

/** A JSON response entry for createRoute. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** The error responses every signed-in route may give. */
export const errorResponses = {
  400: json(errorBodySchema, "Bad request: the message names the field and the reason"),
  401: json(errorBodySchema, "Not signed in"),
  403: json(errorBodySchema, "Not allowed for this role"),
  404: json(errorBodySchema, "Not found"),
  409: json(errorBodySchema, "Conflict"),
};

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const timeZoneSchema = z
  .string()
  .refine(isIanaTimeZone, "must be an IANA time zone such as Europe/Berlin or America/New_York");
export const instantSchema = z.iso.datetime({ offset: true });
export const slugSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase letters, digits and single dashes");

export const registrationQuestionSchema = z
  .object({
    key: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[a-z][a-z0-9_]*$/, "must be lowercase letters, digits and underscores"),
    label: z.string().min(1).max(300),
    kind: z.enum(["text", "choice", "multi", "checkbox", "number"]),
    required: z.boolean().default(false),
    options: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
  })
  .strict()
  .refine((q) => (q.kind === "choice" || q.kind === "multi" ? !!q.options : true), {
    message: "choice and multi questions need options",
    path: ["options"],
  })
  .openapi("RegistrationQuestion");
export type RegistrationQuestion = z.infer<typeof registrationQuestionSchema>;

const eventFields = {
  name: z.string().min(1).max(200),
  slug: slugSchema,
  type: z.enum(eventTypes),
  format: z.enum(eventFormats),
  status: z.enum(["draft", "published", "completed", "cancelled"]),
  startsAt: instantSchema,
  endsAt: instantSchema,
  timeZone: timeZoneSchema,
  venue: z.string().max(300).nullable(),
  virtualUrl: z.url().max(2000).nullable(),
  capacity: z.number().int().min(1).max(1_000_000).nullable(),
  inviteOnly: z.boolean(),
  ownerUserId: z.uuid().nullable(),
  description: z.string().max(20_000).nullable(),
  registrationQuestions: z
    .array(registrationQuestionSchema)
    .max(30)
    .refine((qs) => new Set(qs.map((q) => q.key)).size === qs.length, "question keys must be unique"),
};

export const createEventSchema = z
  .object({
    ...eventFields,
    slug: eventFields.slug.optional(),
    format: eventFields.format.optional(),
    status: eventFields.status.optional(),
    venue: eventFields.venue.optional(),
    virtualUrl: eventFields.virtualUrl.optional(),
    capacity: eventFields.capacity.optional(),
    inviteOnly: eventFields.inviteOnly.optional(),
    ownerUserId: eventFields.ownerUserId.optional(),
    description: eventFields.description.optional(),
    registrationQuestions: eventFields.registrationQuestions.optional(),
  })
  .strict()
  .openapi("CreateEvent");
export type CreateEventInput = z.infer<typeof createEventSchema>;

export const updateEventSchema = z.object(eventFields).partial().strict().openapi("UpdateEvent");
export type UpdateEventInput = z.infer<typeof updateEventSchema>;

export const eventSchema = z
  .object({
    id: z.uuid(),
    ...eventFields,
    registrationQuestions: z.array(registrationQuestionSchema),
    hasTicketKey: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .openapi("Event");

const sessionFields = {
  title: z.string().min(1).max(300),
  track: z.string().max(120).nullable(),
  room: z.string().max(120).nullable(),
  startsAt: instantSchema,
  endsAt: instantSchema,
  capacity: z.number().int().min(1).max(1_000_000).nullable(),
  speakers: z.array(z.string().min(1).max(200)).max(50),
  learningObjectives: z.array(z.string().min(1).max(1000)).max(50),
  topics: z.array(z.string().min(1).max(200)).max(50),
  features: z.array(z.string().min(1).max(200)).max(50),
  creditHours: z.number().min(0).max(999).multipleOf(0.25).nullable(),
};
export const createSessionSchema = z
  .object(sessionFields)
  .partial()
  .required({ title: true, startsAt: true, endsAt: true })
  .strict()
  .openapi("CreateSession");
export const updateSessionSchema = z.object(sessionFields).partial().strict().openapi("UpdateSession");
export type CreateSessionInput = z.infer<typeof createSessionSchema>;
export type UpdateSessionInput = z.infer<typeof updateSessionSchema>;
export const sessionSchema = z
  .object({ id: z.uuid(), eventId: z.uuid(), ...sessionFields })
  .openapi("EventSession");

const costFields = {
  category: z.enum(costCategories),
  description: z.string().max(500).nullable(),
  amountMinor: z.number().int("must be whole minor units (cents)").min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as USD or EUR"),
  incurredAt: instantSchema.nullable(),
};
export const createCostSchema = z
  .object(costFields)
  .partial()
  .required({ category: true, amountMinor: true })
  .strict()
  .openapi("CreateCost");
export const updateCostSchema = z.object(costFields).partial().strict().openapi("UpdateCost");
export type CreateCostInput = z.infer<typeof createCostSchema>;
export type UpdateCostInput = z.infer<typeof updateCostSchema>;
export const costSchema = z.object({ id: z.uuid(), eventId: z.uuid(), ...costFields }).openapi("EventCost");

export const eventDetailSchema = eventSchema
  .extend({
    sessions: z.array(sessionSchema),
    costs: z.array(costSchema),
    costTotals: z.array(z.object({ currency: z.string(), amountMinor: z.number().int() })),
  })
  .openapi("EventDetail");

export const idParams = z.object({ id: z.uuid() });
