import type { EventFormat, EventType } from "../../../src/db/schema/vocabulary.ts";

/** Human names of event types, in the order of the vocabulary. */
export const eventTypeLabels: Record<EventType, string> = {
  conference: "Conference",
  trade_show: "Trade show",
  field_event: "Field event",
  executive_roundtable: "Executive roundtable",
  partner_event: "Partner event",
  sales_kickoff: "Sales kickoff",
  customer_training: "Customer training",
  cme_activity: "CME activity",
  webinar: "Webinar",
};

export const eventFormatLabels: Record<EventFormat, string> = {
  tactical: "Tactical",
  strategic: "Strategic",
};

/**
 * The start and end of an event in the event's own time zone (a Berlin conference reads in Berlin time wherever the
 * reader is), with the zone's short name.
 */
export function formatEventDates(
  startsAt: string,
  endsAt: string,
  timeZone: string,
  locale?: string,
): string {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  try {
    const format = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    });
    return format.formatRange(start, end);
  } catch {
    // An unknown zone name: show UTC rather than nothing, and say so.
    const utc = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
    return `${utc.formatRange(start, end)} UTC`;
  }
}

/** Money from integer minor units (cents), using the currency's own number of decimals. */
export function formatMoney(amountMinor: number, currency = "USD", locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** A whole number with the reader's grouping. */
export function formatCount(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}
