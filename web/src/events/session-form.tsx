import { type FormEvent, useState } from "react";
import type { EventSession } from "./event-types.ts";
import { Field, FormAlert, type FormError, toFormError } from "./form-errors.tsx";
import { fromZonedInput, toZonedInput, zonedDateTime } from "./zoned-time.ts";

/** The fields of a session the API takes. */
export interface SessionBody {
  title: string;
  track: string | null;
  room: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  speakers: string[];
  learningObjectives: string[];
  topics: string[];
  features: string[];
  creditHours: number | null;
}

const fieldNames = [
  "title",
  "track",
  "room",
  "startsAt",
  "endsAt",
  "capacity",
  "creditHours",
  "speakers",
  "learningObjectives",
  "topics",
  "features",
] as const;

interface Values {
  title: string;
  track: string;
  room: string;
  startsAt: string;
  endsAt: string;
  capacity: string;
  creditHours: string;
  speakers: string;
  learningObjectives: string;
  topics: string;
  features: string;
}

const lines = (s: string) =>
  s
    .split("\n")
    .map((x) => x.trim())
    .filter((x) => x !== "");
const orNull = (s: string) => (s.trim() === "" ? null : s.trim());

function valuesOf(session: EventSession | undefined, defaultStart: string, zone: string): Values {
  return {
    title: session?.title ?? "",
    track: session?.track ?? "",
    room: session?.room ?? "",
    startsAt: session ? toZonedInput(session.startsAt, zone) : defaultStart,
    endsAt: session ? toZonedInput(session.endsAt, zone) : "",
    capacity: session?.capacity == null ? "" : String(session.capacity),
    creditHours: session?.creditHours == null ? "" : String(session.creditHours),
    speakers: session?.speakers.join("\n") ?? "",
    learningObjectives: session?.learningObjectives.join("\n") ?? "",
    topics: session?.topics.join("\n") ?? "",
    features: session?.features.join("\n") ?? "",
  };
}

function bodyOf(v: Values, zone: string): SessionBody | FormError {
  const startsAt = fromZonedInput(v.startsAt, zone);
  if (!startsAt) return { field: "startsAt", message: "enter the date and time the session starts" };
  const endsAt = fromZonedInput(v.endsAt, zone);
  if (!endsAt) return { field: "endsAt", message: "enter the date and time the session ends" };
  const capacity = v.capacity.trim() === "" ? null : Number(v.capacity);
  if (capacity !== null && !Number.isInteger(capacity)) {
    return { field: "capacity", message: "a whole number of seats, or empty for no limit" };
  }
  const creditHours = v.creditHours.trim() === "" ? null : Number(v.creditHours.replace(",", "."));
  if (creditHours !== null && !Number.isFinite(creditHours)) {
    return { field: "creditHours", message: "hours in quarters, such as 1.5 or 0.75" };
  }
  return {
    title: v.title.trim(),
    track: orNull(v.track),
    room: orNull(v.room),
    startsAt,
    endsAt,
    capacity,
    speakers: lines(v.speakers),
    learningObjectives: lines(v.learningObjectives),
    topics: lines(v.topics),
    features: lines(v.features),
    creditHours,
  };
}

interface Props {
  session?: EventSession;
  /** The event's time zone: session times are typed and shown on its clock. */
  timeZone: string;
  /** Where a new session's start begins (the event's start), as a datetime-local value. */
  defaultStart: string;
  submitLabel: string;
  onSubmit(body: Partial<SessionBody>): Promise<void>;
  onCancel(): void;
}

/** Add or change a session: agenda slot, seats, speakers, and what it teaches (objectives, topics, credit hours). */
export function SessionForm({ session, timeZone, defaultStart, submitLabel, onSubmit, onCancel }: Props) {
  const [values, setValues] = useState<Values>(() => valuesOf(session, defaultStart, timeZone));
  const [error, setError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (key: keyof Values, value: string) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body = bodyOf(values, timeZone);
    if ("message" in body) {
      setError(body);
      return;
    }
    let send: Partial<SessionBody> = body;
    if (session) {
      const before = bodyOf(valuesOf(session, defaultStart, timeZone), timeZone) as SessionBody;
      send = Object.fromEntries(
        Object.entries(body).filter(
          ([k, value]) => JSON.stringify(before[k as keyof SessionBody]) !== JSON.stringify(value),
        ),
      );
    }
    setSaving(true);
    setError(null);
    try {
      if (Object.keys(send).length > 0) await onSubmit(send);
      else onCancel();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setSaving(false);
    }
  }

  const preview = (input: string) => {
    const at = fromZonedInput(input, timeZone);
    return at ? zonedDateTime(at, timeZone) : undefined;
  };
  const text = (key: keyof Values, max: number) => (p: object) => (
    <input
      {...p}
      type="text"
      maxLength={max}
      value={values[key]}
      onChange={(e) => set(key, e.target.value)}
    />
  );
  const list = (key: keyof Values) => (p: object) => (
    <textarea {...p} rows={3} value={values[key]} onChange={(e) => set(key, e.target.value)} />
  );

  return (
    <form onSubmit={submit} noValidate aria-label={session ? `Edit session ${session.title}` : "New session"}>
      <fieldset disabled={saving} className="plain-fieldset">
        <div className="form-grid">
          <Field label="Title" name="title" error={error} className="span-2">
            {text("title", 300)}
          </Field>
          <Field label="Track" name="track" error={error}>
            {text("track", 120)}
          </Field>
          <Field label="Room" name="room" error={error}>
            {text("room", 120)}
          </Field>
          <Field label={`Starts (${timeZone})`} name="startsAt" error={error} hint={preview(values.startsAt)}>
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={values.startsAt}
                onChange={(e) => set("startsAt", e.target.value)}
              />
            )}
          </Field>
          <Field label={`Ends (${timeZone})`} name="endsAt" error={error} hint={preview(values.endsAt)}>
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={values.endsAt}
                onChange={(e) => set("endsAt", e.target.value)}
              />
            )}
          </Field>
          <Field label="Seats" name="capacity" error={error} hint="Empty for no limit.">
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                step={1}
                inputMode="numeric"
                value={values.capacity}
                onChange={(e) => set("capacity", e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Credit hours"
            name="creditHours"
            error={error}
            hint="In quarter hours (CME and training)."
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                step={0.25}
                inputMode="decimal"
                value={values.creditHours}
                onChange={(e) => set("creditHours", e.target.value)}
              />
            )}
          </Field>
          <Field label="Speakers" name="speakers" error={error} hint="One per line.">
            {list("speakers")}
          </Field>
          <Field label="Learning objectives" name="learningObjectives" error={error} hint="One per line.">
            {list("learningObjectives")}
          </Field>
          <Field
            label="Topics"
            name="topics"
            error={error}
            hint="One per line; topics per hour show overload."
          >
            {list("topics")}
          </Field>
          <Field
            label="Product features covered"
            name="features"
            error={error}
            hint="One per line; adoption is measured on these."
          >
            {list("features")}
          </Field>
        </div>
      </fieldset>
      <FormAlert error={error} fields={fieldNames} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Saving…" : submitLabel}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
