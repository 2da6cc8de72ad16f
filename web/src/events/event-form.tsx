import { type FormEvent, useId, useMemo, useState } from "react";
import {
  defaultFormat,
  type EventFormat,
  type EventType,
  eventFormats,
  eventTypes,
} from "../../../src/db/schema/vocabulary.ts";
import type { EventRecord, EventStatus } from "./event-types.ts";
import { Field, FormAlert, type FormError, toFormError } from "./form-errors.tsx";
import { eventFormatLabels, eventTypeLabels } from "./format.ts";
import { useResource } from "./use-resource.ts";
import {
  browserTimeZone,
  fromZonedInput,
  isIanaTimeZone,
  timeZoneNames,
  toZonedInput,
  zonedDateTime,
} from "./zoned-time.ts";

/** The fields of an event the API takes (create and change). */
export interface EventBody {
  name: string;
  slug?: string;
  type: EventType;
  format: EventFormat;
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string | null;
  virtualUrl: string | null;
  capacity: number | null;
  inviteOnly: boolean;
  ownerUserId?: string | null;
  description: string | null;
}

/** A user who may own the event (GET /api/users). */
interface UserOption {
  id: string;
  name: string;
  email: string;
}

const statuses: { value: EventStatus; label: string }[] = [
  { value: "draft", label: "Draft (not open for registration)" },
  { value: "published", label: "Published" },
  { value: "completed", label: "Completed" },
  { value: "cancelled", label: "Cancelled" },
];

/** The formats whose guests are nominated and approved, as the server defaults them. */
const inviteOnlyTypes: ReadonlySet<EventType> = new Set(["executive_roundtable", "partner_event"]);

const fieldNames = [
  "name",
  "slug",
  "type",
  "format",
  "status",
  "startsAt",
  "endsAt",
  "timeZone",
  "venue",
  "virtualUrl",
  "capacity",
  "inviteOnly",
  "ownerUserId",
  "description",
] as const;

interface Values {
  name: string;
  slug: string;
  type: EventType;
  format: EventFormat;
  status: EventStatus;
  timeZone: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  virtualUrl: string;
  capacity: string;
  inviteOnly: boolean;
  /** "" on a new event: the creator owns it. */
  ownerUserId: string;
  description: string;
}

function valuesOf(event: EventRecord | undefined): Values {
  if (!event) {
    return {
      name: "",
      slug: "",
      type: "conference",
      format: defaultFormat.conference,
      status: "draft",
      timeZone: browserTimeZone(),
      startsAt: "",
      endsAt: "",
      venue: "",
      virtualUrl: "",
      capacity: "",
      inviteOnly: false,
      ownerUserId: "",
      description: "",
    };
  }
  return {
    name: event.name,
    slug: event.slug,
    type: event.type,
    format: event.format,
    status: event.status,
    timeZone: event.timeZone,
    startsAt: toZonedInput(event.startsAt, event.timeZone),
    endsAt: toZonedInput(event.endsAt, event.timeZone),
    venue: event.venue ?? "",
    virtualUrl: event.virtualUrl ?? "",
    capacity: event.capacity === null ? "" : String(event.capacity),
    inviteOnly: event.inviteOnly,
    ownerUserId: event.ownerUserId ?? "",
    description: event.description ?? "",
  };
}

const orNull = (s: string) => (s.trim() === "" ? null : s.trim());

/** The request body, or the error about the first field that cannot be sent as typed. */
function bodyOf(v: Values, creating: boolean): EventBody | FormError {
  if (!isIanaTimeZone(v.timeZone.trim())) {
    return {
      field: "timeZone",
      message: "choose an IANA time zone such as Europe/Berlin or America/New_York",
    };
  }
  const zone = v.timeZone.trim();
  const startsAt = fromZonedInput(v.startsAt, zone);
  if (!startsAt) return { field: "startsAt", message: "enter the date and time the event starts" };
  const endsAt = fromZonedInput(v.endsAt, zone);
  if (!endsAt) return { field: "endsAt", message: "enter the date and time the event ends" };
  const capacity = v.capacity.trim() === "" ? null : Number(v.capacity);
  if (capacity !== null && !Number.isInteger(capacity)) {
    return { field: "capacity", message: "a whole number of places, or empty for no limit" };
  }
  const slug = v.slug.trim();
  return {
    name: v.name.trim(),
    ...(creating && slug === "" ? {} : { slug }),
    type: v.type,
    format: v.format,
    status: v.status,
    startsAt,
    endsAt,
    timeZone: zone,
    venue: orNull(v.venue),
    virtualUrl: orNull(v.virtualUrl),
    capacity,
    inviteOnly: v.inviteOnly,
    ...(creating && v.ownerUserId === "" ? {} : { ownerUserId: v.ownerUserId === "" ? null : v.ownerUserId }),
    description: orNull(v.description),
  };
}

interface Props {
  /** The event being changed; absent for a new one. */
  event?: EventRecord;
  submitLabel: string;
  /** Read-only for roles that may not change events. */
  readOnly?: boolean;
  /** Sends the body (for a change, only the fields that differ); a thrown ApiError is shown on the form. */
  onSubmit(body: Partial<EventBody>): Promise<void>;
  /** Shown after a successful save. */
  savedMessage?: string;
}

/**
 * The event's details, for a new event and for changes. Times are typed and shown on the event's own clock (its
 * time zone), whatever zone the reader's browser is in; beside each the instant is written back with the zone's
 * name at that date, so a date across a daylight-saving change reads as what it is.
 */
export function EventForm({ event, submitLabel, readOnly = false, onSubmit, savedMessage }: Props) {
  const creating = event === undefined;
  const [values, setValues] = useState<Values>(() => valuesOf(event));
  const [formatTouched, setFormatTouched] = useState(!creating);
  const [inviteTouched, setInviteTouched] = useState(!creating);
  const [error, setError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const zoneListId = useId();
  const inviteId = useId();
  const zones = useMemo(timeZoneNames, []);
  const { resource: people } = useResource<{ users: UserOption[] }>("/api/users");
  const owners = people.status === "ready" ? people.data.users : [];
  const original = useMemo(() => (event ? bodyOf(valuesOf(event), false) : null), [event]);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setSaved(false);
    setValues((v) => ({ ...v, [key]: value }));
  };

  const setType = (type: EventType) =>
    setValues((v) => ({
      ...v,
      type,
      ...(formatTouched ? {} : { format: defaultFormat[type] }),
      ...(inviteTouched ? {} : { inviteOnly: inviteOnlyTypes.has(type) }),
    }));

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const body = bodyOf(values, creating);
    if ("message" in body) {
      setError(body);
      return;
    }
    let send: Partial<EventBody> = body;
    if (original && !("message" in original)) {
      send = Object.fromEntries(
        Object.entries(body).filter(([k, value]) => original[k as keyof EventBody] !== value),
      ) as Partial<EventBody>;
    }
    setSaving(true);
    setError(null);
    try {
      if (Object.keys(send).length > 0) await onSubmit(send);
      setSaved(true);
    } catch (err) {
      // The form keeps everything typed; only the message is new.
      setError(toFormError(err));
    } finally {
      setSaving(false);
    }
  }

  const zone = values.timeZone.trim();
  const preview = (input: string) => {
    const at = fromZonedInput(input, zone);
    return at ? `${zonedDateTime(at, zone)} (${zone})` : undefined;
  };

  return (
    <form className="event-form" onSubmit={submit} noValidate>
      <fieldset disabled={readOnly || saving} className="plain-fieldset">
        <div className="form-grid">
          <Field label="Name" name="name" error={error} className="span-2">
            {(p) => (
              <input
                {...p}
                type="text"
                required
                maxLength={200}
                value={values.name}
                onChange={(e) => set("name", e.target.value)}
              />
            )}
          </Field>
          <Field label="Type" name="type" error={error}>
            {(p) => (
              <select {...p} value={values.type} onChange={(e) => setType(e.target.value as EventType)}>
                {eventTypes.map((t) => (
                  <option key={t} value={t}>
                    {eventTypeLabels[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Format"
            name="format"
            error={error}
            hint="Sets the headline horizon: tactical 30/90 days, strategic 180/365 days."
          >
            {(p) => (
              <select
                {...p}
                value={values.format}
                onChange={(e) => {
                  setFormatTouched(true);
                  set("format", e.target.value as EventFormat);
                }}
              >
                {eventFormats.map((f) => (
                  <option key={f} value={f}>
                    {eventFormatLabels[f]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Time zone"
            name="timeZone"
            error={error}
            className="span-2"
            hint="The event's own clock: the times below, emails, the kiosk and the public page use it."
          >
            {(p) => (
              <>
                <input
                  {...p}
                  type="text"
                  list={zoneListId}
                  autoComplete="off"
                  spellCheck={false}
                  value={values.timeZone}
                  onChange={(e) => set("timeZone", e.target.value)}
                />
                <datalist id={zoneListId}>
                  {zones.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field
            label={`Starts (${zone || "event's time"})`}
            name="startsAt"
            error={error}
            hint={preview(values.startsAt)}
          >
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={values.startsAt}
                onChange={(e) => set("startsAt", e.target.value)}
              />
            )}
          </Field>
          <Field
            label={`Ends (${zone || "event's time"})`}
            name="endsAt"
            error={error}
            hint={preview(values.endsAt)}
          >
            {(p) => (
              <input
                {...p}
                type="datetime-local"
                value={values.endsAt}
                onChange={(e) => set("endsAt", e.target.value)}
              />
            )}
          </Field>
          <Field label="Venue" name="venue" error={error} hint="Empty for a virtual event.">
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={300}
                value={values.venue}
                onChange={(e) => set("venue", e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Virtual link"
            name="virtualUrl"
            error={error}
            hint="Webinar or stream address, if any."
          >
            {(p) => (
              <input
                {...p}
                type="url"
                inputMode="url"
                placeholder="https://"
                value={values.virtualUrl}
                onChange={(e) => set("virtualUrl", e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Capacity"
            name="capacity"
            error={error}
            hint="Places; beyond them people join the waitlist."
          >
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
            label="Owner"
            name="ownerUserId"
            error={error}
            hint="Approves invitations and receives the event's alerts."
          >
            {(p) => (
              <select {...p} value={values.ownerUserId} onChange={(e) => set("ownerUserId", e.target.value)}>
                <option value="">{creating ? "Me" : "No owner"}</option>
                {values.ownerUserId !== "" && !owners.some((u) => u.id === values.ownerUserId) && (
                  <option value={values.ownerUserId}>
                    {people.status === "loading" ? "Loading…" : "Unknown user"}
                  </option>
                )}
                {owners.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Status" name="status" error={error}>
            {(p) => (
              <select
                {...p}
                value={values.status}
                onChange={(e) => set("status", e.target.value as EventStatus)}
              >
                {statuses.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="field field-check span-2">
            <input
              id={inviteId}
              type="checkbox"
              checked={values.inviteOnly}
              onChange={(e) => {
                setInviteTouched(true);
                set("inviteOnly", e.target.checked);
              }}
            />
            <label htmlFor={inviteId}>
              Invite-only: guests are nominated and approved, not self-registered
            </label>
          </div>
          <Field
            label="Address (slug)"
            name="slug"
            error={error}
            className="span-2"
            hint={
              creating
                ? "Part of the public page's address; made from the name when left empty."
                : "Part of the public page's address; changing it breaks links already sent."
            }
          >
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={80}
                spellCheck={false}
                value={values.slug}
                onChange={(e) => set("slug", e.target.value)}
              />
            )}
          </Field>
          <Field label="Description" name="description" error={error} className="span-2">
            {(p) => (
              <textarea
                {...p}
                rows={4}
                maxLength={20_000}
                value={values.description}
                onChange={(e) => set("description", e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <FormAlert error={error} fields={fieldNames} />
      {!readOnly && (
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? "Saving…" : submitLabel}
          </button>
          {saved && savedMessage && (
            <span className="saved" role="status">
              {savedMessage}
            </span>
          )}
        </div>
      )}
    </form>
  );
}
