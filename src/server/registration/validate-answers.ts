import { AppError } from "../../core/errors.ts";
import type { RegistrationQuestion } from "../events/schemas.ts";

/**
 * Checks answers against the event's custom questions and returns them cleaned (trimmed, unknown keys refused).
 * A failure names the field as `answers.<key>` and says why.
 */
export function validateAnswers(
  questions: readonly RegistrationQuestion[],
  answers: Record<string, unknown>,
): Record<string, unknown> {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  for (const key of Object.keys(answers)) {
    if (!byKey.has(key)) fail(key, "is not a question of this event");
  }
  const clean: Record<string, unknown> = {};
  for (const q of questions) {
    const value = answers[q.key];
    const empty =
      value === undefined ||
      value === null ||
      (typeof value === "string" && value.trim() === "") ||
      (Array.isArray(value) && value.length === 0);
    if (empty) {
      if (q.required) fail(q.key, `is required ("${q.label}")`);
      continue;
    }
    switch (q.kind) {
      case "text":
        if (typeof value !== "string") fail(q.key, "must be text");
        if (value.length > 2000) fail(q.key, "must be at most 2,000 characters");
        clean[q.key] = value.trim();
        break;
      case "number":
        if (typeof value !== "number" || !Number.isFinite(value)) fail(q.key, "must be a number");
        clean[q.key] = value;
        break;
      case "checkbox":
        if (typeof value !== "boolean") fail(q.key, "must be true or false");
        if (q.required && value !== true) fail(q.key, `must be ticked ("${q.label}")`);
        clean[q.key] = value;
        break;
      case "choice":
        if (typeof value !== "string" || !q.options?.includes(value)) {
          fail(q.key, `must be one of: ${q.options?.join(", ")}`);
        }
        clean[q.key] = value;
        break;
      case "multi": {
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !q.options?.includes(v))) {
          fail(q.key, `must be a list of: ${q.options?.join(", ")}`);
        }
        clean[q.key] = [...new Set(value as string[])];
        break;
      }
    }
  }
  return clean;
}

function fail(key: string, reason: string): never {
  throw new AppError("validation", `answers.${key} ${reason}`, `answers.${key}`);
}
