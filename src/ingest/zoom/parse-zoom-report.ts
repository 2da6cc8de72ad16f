import { parseCsv } from "../csv/parse-csv.ts";
import { parseLocalTime } from "./local-time.ts";

/**
 * Zoom's webinar attendee report (Reports → Webinars → Attendee report, CSV). Its layout: a title line
 * ("Attendee Report"), a "Report Generated" line, a header block (Topic, Webinar ID, Actual Start Time, Actual
 * Duration (minutes), # Registrants, Unique Viewers, Total Users, Max Concurrent Views) with one row of values,
 * then sections introduced by a line naming them: "Host Details", "Panelist Details", "Attendee Details" (and in
 * some reports "Other Attended"). Each section has its own header row. Attendee Details carries
 *   Attended, User Name (Original Name), First Name, Last Name, Email, Phone, Registration Time, Approval Status,
 *   Join Time, Leave Time, Time in Session (minutes), Is Guest, [registration questions…], Country/Region Name
 * with one row per join: a person who rejoins has several rows, and "--" where they never joined. Times are wall
 * clock in the account's zone, like "Mar 22, 2025 19:13:27" or "08/09/2026 10:45:00 AM".
 */

export interface ZoomAttendee {
  email: string;
  firstName: string | null;
  lastName: string | null;
  attended: boolean;
  /** Summed over the person's rows. */
  minutes: number;
  registeredAt: Date | null;
  firstJoin: Date | null;
  lastLeave: Date | null;
  /** Record numbers (1-based, in the file) the person was read from. */
  rows: number[];
}

export interface ImportProblem {
  row: number;
  field: string;
  reason: string;
}

export interface ZoomReport {
  topic: string | null;
  webinarId: string | null;
  startedAt: Date | null;
  attendees: ZoomAttendee[];
  errors: ImportProblem[];
  rowsRead: number;
}

const SECTION = /^(Host Details|Panelist Details|Attendee Details|Other Attended|Registrant Details)$/i;
const NONE = new Set(["", "--", "-"]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads the report in the event's zone and sums each person's rows by email (case-insensitive). */
export function parseZoomReport(text: string, zone: string): ZoomReport {
  const records = parseCsv(text);
  const errors: ImportProblem[] = [];
  let topic: string | null = null;
  let webinarId: string | null = null;
  let startedAt: Date | null = null;
  let section: string | null = null;
  let header: string[] | null = null;
  const people = new Map<string, ZoomAttendee>();
  let rowsRead = 0;
  records.forEach((record, index) => {
    const row = index + 1;
    const fields = record.fields.map((f) => f.trim());
    const first = fields[0] ?? "";
    const nonEmpty = fields.filter((f) => f !== "");
    if (nonEmpty.length === 0) return;
    if (record.error) {
      errors.push({ row, field: "", reason: record.error });
      return;
    }
    if (nonEmpty.length === 1 && SECTION.test(first)) {
      section = first.toLowerCase();
      header = null;
      return;
    }
    if (first === "Topic" && fields.includes("Webinar ID")) {
      header = fields;
      section = "summary";
      return;
    }
    if (section === "summary" && header) {
      const get = (name: string) => fields[header!.indexOf(name)] ?? "";
      topic = get("Topic") || null;
      webinarId = get("Webinar ID").replace(/\s+/g, "") || null;
      startedAt = parseLocalTime(get("Actual Start Time"), zone) ?? null;
      section = null;
      header = null;
      return;
    }
    if (section !== "attendee details") return; // hosts and panelists are staff, not attendees
    if (first === "Attended" && fields.includes("Email")) {
      header = fields;
      return;
    }
    if (!header) return;
    rowsRead++;
    const h = header;
    const get = (name: string) => {
      const i = h.indexOf(name);
      return i >= 0 ? (fields[i] ?? "") : "";
    };
    const email = get("Email").toLowerCase();
    if (!email) {
      errors.push({ row, field: "Email", reason: "no email, so the person cannot be matched" });
      return;
    }
    if (!EMAIL.test(email)) {
      errors.push({ row, field: "Email", reason: `"${get("Email")}" is not an email address` });
      return;
    }
    const attendedText = get("Attended");
    if (!/^(yes|no)$/i.test(attendedText)) {
      errors.push({ row, field: "Attended", reason: `must be Yes or No, not "${attendedText}"` });
      return;
    }
    const attended = /^yes$/i.test(attendedText);
    const minutesText = get("Time in Session (minutes)");
    let minutes = 0;
    if (!NONE.has(minutesText)) {
      minutes = Number(minutesText);
      if (!Number.isFinite(minutes) || minutes < 0) {
        errors.push({
          row,
          field: "Time in Session (minutes)",
          reason: `"${minutesText}" is not a number of minutes`,
        });
        return;
      }
    }
    const time = (name: string): Date | null | "bad" => {
      const v = get(name);
      if (NONE.has(v)) return null;
      return parseLocalTime(v, zone) ?? "bad";
    };
    const join = time("Join Time");
    const leave = time("Leave Time");
    const registered = time("Registration Time");
    for (const [name, v] of [
      ["Join Time", join],
      ["Leave Time", leave],
      ["Registration Time", registered],
    ] as const) {
      if (v === "bad") {
        errors.push({ row, field: name, reason: `"${get(name)}" is not a date and time` });
        return;
      }
    }
    const j = join as Date | null;
    const l = leave as Date | null;
    const existing = people.get(email);
    if (existing) {
      existing.attended ||= attended;
      existing.minutes += minutes;
      if (j && (!existing.firstJoin || j < existing.firstJoin)) existing.firstJoin = j;
      if (l && (!existing.lastLeave || l > existing.lastLeave)) existing.lastLeave = l;
      existing.registeredAt ??= registered as Date | null;
      existing.rows.push(row);
    } else {
      people.set(email, {
        email,
        firstName: get("First Name") || null,
        lastName: get("Last Name") || null,
        attended,
        minutes,
        registeredAt: registered as Date | null,
        firstJoin: j,
        lastLeave: l,
        rows: [row],
      });
    }
  });
  if (!webinarId && errors.length === 0 && rowsRead === 0) {
    errors.push({
      row: 1,
      field: "",
      reason: "this is not a Zoom webinar attendee report (no Attendee Details)",
    });
  }
  return { topic, webinarId, startedAt, attendees: [...people.values()], errors, rowsRead };
}
