import { parseLocalTime } from "../../../src/ingest/zoom/local-time.ts";
import { isIanaTimeZone, localDateTime } from "../../../src/server/events/time-zone.ts";

// Staff type and read an event's times on the event's own clock, whatever zone their browser is in. The same pure
// functions the server uses do the work: localDateTime writes an instant in a zone (as emails do), parseLocalTime
// reads wall-clock text in a zone (as the Zoom import does), both correct across daylight-saving changes.

export { isIanaTimeZone };

const inputFormats = new Map<string, Intl.DateTimeFormat>();

/** The `datetime-local` value ("2026-03-29T09:00") of an instant on the clock of `zone`. */
export function toZonedInput(iso: string, zone: string): string {
  if (!isIanaTimeZone(zone)) return "";
  let f = inputFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    inputFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * The instant (ISO, UTC) of a `datetime-local` value read on the clock of `zone`; undefined when either is not
 * usable. A time in the hour skipped by a spring-forward change is read with the offset from before the change;
 * in the repeated autumn hour the first occurrence is taken.
 */
export function fromZonedInput(value: string, zone: string): string | undefined {
  if (!value || !isIanaTimeZone(zone)) return undefined;
  // parseLocalTime reads a skipped spring-forward time with the offset from before the change (02:30 → 03:30 CEST),
  // as calendars do; the field's preview shows the time that will be kept.
  return parseLocalTime(value, zone)?.toISOString();
}

/** "Sun 29 Mar 2026, 09:00 CEST": an instant on the event's clock with the zone's name at that instant. */
export function zonedDateTime(iso: string, zone: string): string {
  return isIanaTimeZone(zone) ? localDateTime(new Date(iso), zone) : new Date(iso).toISOString();
}

/** Every IANA zone the browser knows, for the time-zone field's suggestions. */
export function timeZoneNames(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];
  }
}

/** The reader's own zone: the starting value for a new event. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
