import { useEffect, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { EventList } from "../api/types.ts";
import { Link, navigate, usePath, useSearch } from "../router/router.tsx";
import { CapturePage } from "./capture-page.tsx";
import type { Funnel, LeadItem } from "./types.ts";

const STEP_LABELS: Record<string, string> = {
  captured: "Captured",
  context_complete: "Context complete",
  followed_up_within_sla: "Followed up within SLA",
  followed_up_with_context: "Followed up with context",
  buyer_responded: "Buyer responded",
  opportunity_created: "Opportunity created",
  stage_advanced: "Stage advanced",
};
const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Leads: /leads?event=… lists an event's leads and its continuity funnel; /leads/capture is the phone page. */
export function LeadsPage() {
  const path = usePath();
  const eventId = new URLSearchParams(useSearch()).get("event");
  if (path.startsWith("/leads/capture")) return <CapturePage eventId={eventId} />;
  return <LeadsOverview eventId={eventId} />;
}

type State =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; leads: LeadItem[]; funnel: Funnel };

function LeadsOverview({ eventId }: { eventId: string | null }) {
  const [events, setEvents] = useState<EventList["events"]>([]);
  const [state, setState] = useState<State>({ status: "loading" });

  useEffect(() => {
    api.get<EventList>("/api/events", { limit: 200 }).then(
      (list) => setEvents(list.events),
      () => setEvents([]),
    );
  }, []);

  useEffect(() => {
    if (!eventId) return;
    let live = true;
    setState({ status: "loading" });
    Promise.all([
      api.get<{ leads: LeadItem[] }>(`/api/events/${eventId}/leads`),
      api.get<Funnel>(`/api/events/${eventId}/lead-funnel`),
    ]).then(
      ([list, funnel]) => live && setState({ status: "ready", leads: list.leads, funnel }),
      (error: unknown) =>
        live &&
        setState({
          status: "error",
          message: error instanceof ApiError ? error.message : "could not load the leads",
        }),
    );
    return () => {
      live = false;
    };
  }, [eventId]);

  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Leads
          </h1>
          <p className="muted">
            Did sales get the leads with their context, and did anyone follow up in time?
          </p>
        </div>
        <Link
          className="button button-primary"
          to={eventId ? `/leads/capture?event=${eventId}` : "/leads/capture"}
        >
          Capture a conversation
        </Link>
      </header>

      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor="lead-event">Event</label>
          <select
            id="lead-event"
            value={eventId ?? ""}
            onChange={(e) =>
              navigate(e.target.value ? `/leads?event=${e.target.value}` : "/leads", { replace: true })
            }
          >
            <option value="">Choose an event</option>
            {events.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
      </div>

      {!eventId && <p className="muted">Choose an event to see its leads and where follow-up breaks down.</p>}
      {eventId && state.status === "loading" && <p className="muted">Loading leads…</p>}
      {eventId && state.status === "error" && (
        <div className="alert alert-error" role="alert">
          <p>Could not load the leads: {state.message}</p>
        </div>
      )}
      {eventId && state.status === "ready" && (
        <>
          <section className="panel" aria-labelledby="funnel-title">
            <h2 id="funnel-title">Continuity funnel</h2>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Link</th>
                  <th scope="col">Leads</th>
                  <th scope="col">Of captured</th>
                  <th scope="col">Lost here</th>
                </tr>
              </thead>
              <tbody>
                {state.funnel.links.map((l) => (
                  <tr key={l.step}>
                    <th scope="row">{STEP_LABELS[l.step] ?? l.step}</th>
                    <td>{l.reached}</td>
                    <td>{pct(l.shareOfCaptured)}</td>
                    <td>{l.dropped}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">
              {`Median time to first follow-up: ${
                state.funnel.timeToFollowUp.hours ? `${state.funnel.timeToFollowUp.hours.p50} h` : "none yet"
              }. Never followed up: ${state.funnel.timeToFollowUp.never}.`}
            </p>
          </section>

          <section className="panel panel-flush" aria-labelledby="leads-title">
            <h2 id="leads-title" className="visually-hidden">
              Leads
            </h2>
            {state.leads.length === 0 ? (
              <p className="empty">No leads captured at this event yet.</p>
            ) : (
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Owner</th>
                    <th scope="col">SLA</th>
                    <th scope="col">Next step</th>
                  </tr>
                </thead>
                <tbody>
                  {state.leads.map((l) => (
                    <tr key={l.id}>
                      <th scope="row">
                        {l.person.name}
                        {l.person.company ? <span className="muted small"> · {l.person.company}</span> : null}
                      </th>
                      <td title={l.signals.map((s) => `${s.signal} (+${s.points})`).join("\n")}>
                        {l.tier ?? "–"} {l.score !== null && <span className="muted small">{l.score}</span>}
                      </td>
                      <td>{l.ownerName ?? "unrouted"}</td>
                      <td>{l.slaState ?? "–"}</td>
                      <td>
                        {l.fields.nextStep ?? "–"}
                        {l.fields.nextStepDate ? (
                          <span className="muted small"> ({l.fields.nextStepDate})</span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </section>
  );
}
