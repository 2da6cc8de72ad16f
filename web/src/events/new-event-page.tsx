import { api } from "../api/client.ts";
import { useSession } from "../auth/session.tsx";
import { Link, navigate } from "../router/router.tsx";
import { EventForm } from "./event-form.tsx";
import type { EventRecord } from "./event-types.ts";
import { permissionsFor } from "./permissions.ts";

/** /events/new: the details of a new event; once created, its agenda comes next. */
export function NewEventPage() {
  const { me } = useSession();
  const allowed = permissionsFor(me).edit;
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to="/events">Events</Link>
        </p>
        <h1 id="page-title" tabIndex={-1}>
          New event
        </h1>
        <p className="muted">Times are entered on the event's own clock: choose its time zone first.</p>
      </header>
      {allowed ? (
        <div className="panel">
          <EventForm
            submitLabel="Create event"
            onSubmit={async (body) => {
              const created = await api.post<EventRecord>("/api/events", body);
              navigate(`/events/${created.id}/agenda`);
            }}
          />
        </div>
      ) : (
        <div className="panel">
          <p>Admins and marketers create events. Ask one of them, or open an existing event.</p>
        </div>
      )}
    </section>
  );
}
