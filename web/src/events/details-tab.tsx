import { api } from "../api/client.ts";
import { EventForm } from "./event-form.tsx";
import type { TabProps } from "./event-page.tsx";

/** The event's details: the edit form for admins and marketers, the same fields read-only for everyone else. */
export function DetailsTab({ event, reload, can }: TabProps) {
  return (
    <section className="panel" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      {!can.edit && <p className="muted">Admins and marketers change events; you can read the details.</p>}
      <EventForm
        key={event.id}
        event={event}
        readOnly={!can.edit}
        submitLabel="Save changes"
        savedMessage="Saved."
        onSubmit={async (body) => {
          await api.request("PATCH", `/api/events/${event.id}`, body);
          await reload();
        }}
      />
    </section>
  );
}
