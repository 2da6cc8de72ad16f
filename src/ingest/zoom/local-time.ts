/**
 * Exports write times as wall-clock text in the account's zone with no offset ("Mar 22, 2025 19:13:27",
 * "08/09/2026 10:45:00 AM", "2025-03-10 18:00"). These read such text in a given IANA zone, correctly across
 * daylight-saving changes, and also accept ISO times that carry their own offset.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  const pm = ampm.toUpperCase() === "PM";
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

function parseWall(text: string): Wall | undefined {
  const t = text.trim();
  let m =
    /^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))? ?(AM|PM|am|pm)?)?$/.exec(t);
  if (m) {
    const mo = MONTHS.indexOf(m[1]!.toLowerCase());
    if (mo < 0) return undefined;
    return {
      y: +m[3]!,
      mo: mo + 1,
      d: +m[2]!,
      h: hour12(+(m[4] ?? 0), m[7]),
      mi: +(m[5] ?? 0),
      s: +(m[6] ?? 0),
    };
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))? ?(AM|PM|am|pm)?)?$/.exec(t);
  if (m)
    return {
      y: +m[3]!,
      mo: +m[1]!,
      d: +m[2]!,
      h: hour12(+(m[4] ?? 0), m[7]),
      mi: +(m[5] ?? 0),
      s: +(m[6] ?? 0),
    };
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) return { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0) };
  return undefined;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC, in ms, at an instant. */
function offsetAt(ms: number, zone: string): number {
  let f = offsetFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    offsetFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in `zone`. In the hour skipped by a spring-forward change the time is read
 * with the offset from before the change; in the repeated autumn hour, the first occurrence is taken.
 */
export function parseLocalTime(text: string, zone: string): Date | undefined {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const d = new Date(t.replace(" ", "T"));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const w = parseWall(t);
  if (!w || w.mo < 1 || w.mo > 12 || w.d < 1 || w.d > 31 || w.h > 23 || w.mi > 59 || w.s > 59)
    return undefined;
  const naive = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  const check = new Date(naive);
  if (check.getUTCDate() !== w.d) return undefined; // 31 February and the like
  const before = naive - offsetAt(naive - 86_400_000 / 2, zone);
  const first = naive - offsetAt(naive, zone);
  // Try the offsets around the time; keep the earliest instant that reads back as the same wall clock.
  const candidates = [...new Set([before, first, naive - offsetAt(first, zone)])].sort((a, b) => a - b);
  for (const c of candidates) if (c + offsetAt(c, zone) === naive) return new Date(c);
  // No instant reads back: the time fell in a skipped hour. Read it with the offset in force before the change
  // (02:30 on a spring-forward night in Berlin is 01:30 UTC, which clocks then show as 03:30).
  return new Date(before);
}
