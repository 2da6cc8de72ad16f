import { type ReactNode, useId } from "react";
import { ApiError } from "../api/api-error.ts";

/** A failed save as the form shows it: the API's message, and the request field it names when it names one. */
export interface FormError {
  field?: string;
  message: string;
}

/** The API's `{error: {code, message, field?}}` (or a network failure) as a form error. */
export function toFormError(error: unknown): FormError {
  if (error instanceof ApiError)
    return { message: error.message, ...(error.field ? { field: error.field } : {}) };
  return { message: "something went wrong; please try again" };
}

/** A form error whose field is one of the form's own (`speakers.2` belongs to `speakers`). */
function belongsTo(error: FormError, name: string): boolean {
  return error.field === name || (error.field?.startsWith(`${name}.`) ?? false);
}

/**
 * The message to show beside field `name`, if the error is about it. The API prefixes validation messages with
 * where it found them ("json field endsAt: …"); beside the field that is said by the position.
 */
export function fieldMessage(error: FormError | null, name: string): string | undefined {
  if (!error || !belongsTo(error, name)) return undefined;
  return plain(error.message.replace(/^\w+ field [\w.]+: /, ""));
}

/** The API's names of fields as a person reads them, for messages that name another field. */
const plainNames: Record<string, string> = {
  startsAt: "the start",
  endsAt: "the end",
  timeZone: "the time zone",
  virtualUrl: "the virtual link",
  amountMinor: "the amount",
  incurredAt: "the date incurred",
  creditHours: "credit hours",
};

/** "endsAt must not be before startsAt" → "The end must not be before the start". */
function plain(message: string): string {
  const text = message.replace(/\b[a-z]+[A-Z]\w*\b/g, (word) => plainNames[word] ?? word);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The error when it names none of `fields`: shown once for the whole form. */
export function formMessage(error: FormError | null, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  if (fields.some((name) => belongsTo(error, name))) return undefined;
  return plain(error.message.replace(/^\w+ field ([\w.]+): /, "$1: "));
}

interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

interface FieldProps {
  label: string;
  /** The API's name of the field, so the API's error about it shows here. */
  name: string;
  error: FormError | null;
  hint?: ReactNode;
  className?: string;
  children(control: ControlProps): ReactNode;
}

/** A labelled field with its hint and, after a failed save, the API's message about it. */
export function Field({ label, name, error, hint, className, children }: FieldProps) {
  const id = useId();
  const message = fieldMessage(error, name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": message ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      )}
      {message && (
        <span id={errorId} className="field-error" role="alert">
          {message}
        </span>
      )}
    </div>
  );
}

/** The error that names none of the form's fields, above the form's buttons. */
export function FormAlert({ error, fields }: { error: FormError | null; fields: readonly string[] }) {
  const message = formMessage(error, fields);
  if (!message) return null;
  return (
    <p className="alert alert-error" role="alert">
      {message}
    </p>
  );
}
