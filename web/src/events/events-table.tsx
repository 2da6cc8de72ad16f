import type { EventSummary } from "../api/types.ts";
import { Link } from "../router/router.tsx";
import { eventFormatLabels, eventTypeLabels, formatCount, formatEventDates, formatMoney } from "./format.ts";

/**
 * Events with their indicators; on narrow screens each row becomes a card (see .data-table in styles.css), so each
 * cell holds one element beside its label.
 */
export function EventsTable({ events }: { events: EventSummary[] }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">
        Events with registrations, attendance and cost. These are indicators, not outcomes.
      </caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Type</th>
          <th scope="col">Dates (event's time zone)</th>
          <th scope="col" className="num">
            Registered
          </th>
          <th scope="col" className="num">
            Attended
          </th>
          <th scope="col" className="num">
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <th scope="row" data-label="Event">
              <Link className="event-name" to={`/events/${event.id}`}>
                {event.name}
              </Link>
              {event.venue && <span className="sub">{event.venue}</span>}
            </th>
            <td data-label="Type">
              <span>
                {eventTypeLabels[event.type]}
                <span className={`tag tag-${event.format}`}>{eventFormatLabels[event.format]}</span>
              </span>
            </td>
            <td data-label="Dates">
              <span>
                {formatEventDates(event.startsAt, event.endsAt, event.timeZone)}
                <span className="sub">{event.timeZone}</span>
              </span>
            </td>
            <td data-label="Registered" className="num">
              {formatCount(event.registrations)}
            </td>
            <td data-label="Attended" className="num">
              {formatCount(event.attended)}
            </td>
            <td data-label="Cost" className="num">
              {event.costs.length === 0
                ? formatMoney(0, "USD")
                : event.costs.map((c) => formatMoney(c.amountMinor, c.currency)).join(" + ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
