import { useEffect, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { EventList, EventSummary } from "../api/types.ts";
import { Link, usePath } from "../router/router.tsx";
import { AdoptionReport } from "./adoption-report.tsx";
import { EducatorReport } from "./educator-report.tsx";
import "./learning.css";

const LEARNING_TYPES = new Set([
  "cme_activity",
  "customer_training",
  "sales_kickoff",
  "webinar",
  "conference",
]);

/** The Learning area: pick an activity, then its educator report or, for customer training, its adoption report. */
export function LearningPage() {
  const path = usePath();
  const match = /^\/learning\/events\/([0-9a-f-]{36})(\/adoption)?$/.exec(path);
  if (match?.[2]) return <AdoptionReport eventId={match[1]!} />;
  if (match) return <EducatorReport eventId={match[1]!} />;
  return <ActivityList />;
}

function ActivityList() {
  const [events, setEvents] = useState<EventSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<EventList>("/api/events", { limit: 500 })
      .then((r) => setEvents(r.events.filter((e) => LEARNING_TYPES.has(e.type))))
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          Learning
        </h1>
        <p className="muted">Did people learn, retain it and change what they do, not just attend?</p>
      </header>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {events && events.length === 0 && <p className="panel empty">No education or training events yet.</p>}
      {events && events.length > 0 && (
        <div className="panel panel-flush">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Type</th>
                <th scope="col">Ends</th>
                <th scope="col">Reports</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.name}</th>
                  <td>{e.type.replace(/_/g, " ")}</td>
                  <td>{e.endsAt.slice(0, 10)}</td>
                  <td>
                    <Link to={`/learning/events/${e.id}`}>Learning report</Link>
                    {e.type === "customer_training" && (
                      <>
                        {" · "}
                        <Link to={`/learning/events/${e.id}/adoption`}>Adoption report</Link>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
