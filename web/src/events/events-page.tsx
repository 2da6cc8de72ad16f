import { useEffect, useState } from "react";
import type { EventType } from "../../../src/db/schema/vocabulary.ts";
import { eventTypes } from "../../../src/db/schema/vocabulary.ts";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { EventList } from "../api/types.ts";
import { useSession } from "../auth/session.tsx";
import { Link, navigate, useSearch } from "../router/router.tsx";
import { AttendanceChart } from "./attendance-chart.tsx";
import { EventTypeFilter } from "./event-type-filter.tsx";
import { EventsTable } from "./events-table.tsx";
import { eventTypeLabels } from "./format.ts";
import { permissionsFor } from "./permissions.ts";

const PAGE_SIZE = 100;

type State =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; list: EventList };

/** The organization's events, filterable by type (the filter lives in the URL: /events?type=webinar). */
export function EventsPage() {
  const { me } = useSession();
  const type = parseType(new URLSearchParams(useSearch()).get("type"));
  const [state, setState] = useState<State>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the request on "Try again"
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    api.get<EventList>("/api/events", { type: type || undefined, limit: PAGE_SIZE }).then(
      (list) => live && setState({ status: "ready", list }),
      (error: unknown) =>
        live &&
        setState({
          status: "error",
          message: error instanceof ApiError ? error.message : "the events could not be loaded",
        }),
    );
    return () => {
      live = false;
    };
  }, [type, attempt]);

  const setType = (value: EventType | "") =>
    navigate(value ? `/events?type=${value}` : "/events", { replace: true });

  return (
    <section aria-labelledby="page-title">
      <header className="page-header page-header-row">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Events
          </h1>
          <p className="muted">
            Everything {me.organization.name} runs, with registrations, attendance and cost.
          </p>
        </div>
        {permissionsFor(me).edit && (
          <Link className="button button-primary" to="/events/new">
            New event
          </Link>
        )}
      </header>

      <div className="toolbar">
        <EventTypeFilter value={type} onChange={setType} />
        {state.status === "ready" && (
          <p className="muted small" aria-live="polite">
            {countLine(state.list, type)}
          </p>
        )}
      </div>

      {state.status === "loading" && (
        <p className="muted" aria-live="polite">
          Loading events…
        </p>
      )}
      {state.status === "error" && (
        <div className="alert alert-error" role="alert">
          <p>Could not load events: {state.message}</p>
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {state.status === "ready" && state.list.events.length === 0 && (
        <div className="panel empty">
          <h2>{type ? `No ${eventTypeLabels[type].toLowerCase()} events` : "No events yet"}</h2>
          <p className="muted">
            {type
              ? "Choose another type, or all types, to see the rest."
              : "Events appear here once they are created or imported."}
          </p>
        </div>
      )}
      {state.status === "ready" && state.list.events.length > 0 && (
        <>
          <div className="panel panel-flush">
            <EventsTable events={state.list.events} />
          </div>
          <AttendanceChart events={state.list.events} />
        </>
      )}
    </section>
  );
}

function parseType(value: string | null): EventType | "" {
  return value && (eventTypes as readonly string[]).includes(value) ? (value as EventType) : "";
}

function countLine(list: EventList, type: EventType | ""): string {
  const noun = list.total === 1 ? "event" : "events";
  const what = type ? `${eventTypeLabels[type].toLowerCase()} ${noun}` : noun;
  return list.events.length < list.total
    ? `Showing ${list.events.length} of ${list.total} ${what}`
    : `${list.total} ${what}`;
}
