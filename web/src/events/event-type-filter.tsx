import { type EventType, eventTypes } from "../../../src/db/schema/vocabulary.ts";
import { eventTypeLabels } from "./format.ts";

interface Props {
  value: EventType | "";
  onChange(value: EventType | ""): void;
}

/** A select of event types; the empty value means all types. */
export function EventTypeFilter({ value, onChange }: Props) {
  return (
    <div className="field field-inline">
      <label htmlFor="event-type-filter">Type</label>
      <select
        id="event-type-filter"
        value={value}
        onChange={(e) => onChange(e.target.value as EventType | "")}
      >
        <option value="">All types</option>
        {eventTypes.map((type) => (
          <option key={type} value={type}>
            {eventTypeLabels[type]}
          </option>
        ))}
      </select>
    </div>
  );
}
