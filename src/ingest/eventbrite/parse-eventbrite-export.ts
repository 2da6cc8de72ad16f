import { parseCsv } from "../csv/parse-csv.ts";
import { parseLocalTime } from "../zoom/local-time.ts";
import type { ImportProblem } from "../zoom/parse-zoom-report.ts";

/**
 * Eventbrite's attendee export (Manage attendees → Orders / Attendee summary, CSV): one row per attendee (an order
 * of three tickets is three rows with the same Order #), columns
 *   Order #, Order Date, First Name, Last Name, Email, Quantity, Price Tier, Ticket Type, Attendee #, Group,
 *   Order Type, Currency, Total Paid, Fees Paid, Eventbrite Fees, Eventbrite Payment Processing, Attendee Status,
 *   [address and checkout-question columns…]
 * Only Order #, First Name, Last Name, Email and Attendee Status are required here; Attendee # (unique per
 * attendee) keys the registration when present. Attendee Status is Attending, Checked In, Not Attending,
 * Refunded, Cancelled, Deleted or Transferred; an optional "Checked In" column (Yes/No) also marks attendance.
 */

export interface EventbriteAttendee {
  /** Attendee # when present, else order # and email. */
  externalId: string;
  orderId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  ticketType: string | null;
  status: "registered" | "cancelled";
  attended: boolean;
  orderedAt: Date | null;
  row: number;
}

export interface EventbriteExport {
  attendees: EventbriteAttendee[];
  errors: ImportProblem[];
  rowsRead: number;
}

const REQUIRED = ["Order #", "First Name", "Last Name", "Email", "Attendee Status"];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACTIVE = new Set(["attending", "checked in"]);
const GONE = new Set(["not attending", "refunded", "cancelled", "canceled", "deleted"]);

/** Reads the export; order dates without an offset are read in the event's zone. */
export function parseEventbriteExport(text: string, zone: string): EventbriteExport {
  const records = parseCsv(text);
  const errors: ImportProblem[] = [];
  const attendees: EventbriteAttendee[] = [];
  const headerAt = records.findIndex((r) => r.fields.some((f) => f.trim() === "Order #"));
  if (headerAt < 0) {
    return {
      attendees,
      errors: [
        { row: 1, field: "", reason: "this is not an Eventbrite attendee export (no Order # column)" },
      ],
      rowsRead: 0,
    };
  }
  const header = records[headerAt]!.fields.map((f) => f.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      attendees,
      errors: [{ row: headerAt + 1, field: missing.join(", "), reason: "required column missing" }],
      rowsRead: 0,
    };
  }
  let rowsRead = 0;
  const seen = new Set<string>();
  for (let i = headerAt + 1; i < records.length; i++) {
    const record = records[i]!;
    const row = i + 1;
    const fields = record.fields.map((f) => f.trim());
    if (fields.every((f) => f === "")) continue;
    rowsRead++;
    if (record.error) {
      errors.push({ row, field: "", reason: record.error });
      continue;
    }
    const get = (name: string) => {
      const at = header.indexOf(name);
      return at >= 0 ? (fields[at] ?? "") : "";
    };
    const email = get("Email").toLowerCase();
    const orderId = get("Order #");
    const statusText = get("Attendee Status").toLowerCase();
    if (!orderId) {
      errors.push({ row, field: "Order #", reason: "is empty" });
      continue;
    }
    if (!email) {
      errors.push({ row, field: "Email", reason: "no email, so the person cannot be matched" });
      continue;
    }
    if (!EMAIL.test(email)) {
      errors.push({ row, field: "Email", reason: `"${get("Email")}" is not an email address` });
      continue;
    }
    if (statusText === "transferred") continue; // the ticket's new holder has a row of their own
    if (!ACTIVE.has(statusText) && !GONE.has(statusText)) {
      errors.push({ row, field: "Attendee Status", reason: `unknown status "${get("Attendee Status")}"` });
      continue;
    }
    const orderDate = get("Order Date");
    const orderedAt = orderDate ? parseLocalTime(orderDate, zone) : undefined;
    if (orderDate && !orderedAt) {
      errors.push({ row, field: "Order Date", reason: `"${orderDate}" is not a date` });
      continue;
    }
    const attendeeNo = get("Attendee #");
    const externalId = attendeeNo || `${orderId}:${email}`;
    if (seen.has(externalId)) {
      errors.push({ row, field: "Attendee #", reason: `attendee ${externalId} appears twice in the file` });
      continue;
    }
    seen.add(externalId);
    attendees.push({
      externalId,
      orderId,
      email,
      firstName: get("First Name") || null,
      lastName: get("Last Name") || null,
      ticketType: get("Ticket Type") || null,
      status: ACTIVE.has(statusText) ? "registered" : "cancelled",
      attended: statusText === "checked in" || /^yes$/i.test(get("Checked In")),
      orderedAt: orderedAt ?? null,
      row,
    });
  }
  return { attendees, errors, rowsRead };
}
