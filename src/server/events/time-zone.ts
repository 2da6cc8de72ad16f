/** True for an IANA zone name the runtime knows (e.g. Europe/Berlin, America/New_York, UTC); offsets are refused. */
export function isIanaTimeZone(zone: string): boolean {
  // Offsets such as "+01:00" are accepted by Intl but do not follow daylight-saving changes, so refuse them.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** "09:14" in the event's zone: Intl applies the zone's rules for that instant, so DST changes are handled. */
export function localClock(at: Date, zone: string): string {
  let f = clockFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    clockFormats.set(zone, f);
  }
  return f.format(at);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tue 14 Oct 2025, 09:00 CEST" in the event's zone, for emails and pages. */
export function localDateTime(at: Date, zone: string): string {
  let f = dateTimeFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    dateTimeFormats.set(zone, f);
  }
  return f.format(at);
}
