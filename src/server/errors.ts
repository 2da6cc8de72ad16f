import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { AppError, assertUnreachable, type ErrorCode } from "../core/errors.ts";

/** The one table from error code to HTTP status. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case "bad_request":
    case "validation":
      return 400;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
      return 409;
    case "gone":
      return 410;
    case "rate_limited":
      return 429;
    case "unavailable":
      return 503;
    case "internal":
      return 500;
    default:
      return assertUnreachable(code);
  }
}

/** Error body of every failing response: `{ error: { code, message, field? } }`. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .openapi("Error");

export function errorResponse(c: Context, error: AppError): Response {
  return c.json(
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
    statusOf(error.code),
  );
}

/** Turns a zod failure at the edge into a 400 that names the field and the reason. */
export function validationError(error: z.ZodError, where: string): AppError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join(".");
  return new AppError(
    "validation",
    `${where}${field ? ` field ${field}` : ""}: ${issue.message}`,
    field || undefined,
  );
}
