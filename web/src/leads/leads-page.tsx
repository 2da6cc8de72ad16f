import { useEffect, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import type { EventList } from "../api/types.ts";
import { Link, navigate, usePath, useSearch } from "../router/router.tsx";
import { CapturePage } from "./capture-page.tsx";
import { SLA_LABELS, when } from "./format.ts";
import { FunnelPanel } from "./funnel-panel.tsx";
import { LeadPage } from "./lead-page.tsx";
import type { Funnel, LeadItem } from "./types.ts";
import "./leads.css";

const LEAD_PATH = /^\/leads\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/**
 * Leads: /leads?event=… lists an event's leads and its continuity funnel, /leads/{id} is one lead and its follow-up,
 * /leads/capture is the phone page.
 */
export function LeadsPage() {
  const path = usePath();
  const search = new URLSearchParams(useSearch());
  const eventId = search.get("event");
  if (path.startsWith("/leads/capture")) return <CapturePage eventId={eventId} />;
  const lead = LEAD_PATH.exec(path);
  if (lead) return <LeadPage key={lead[1]} leadId={lead[1]!} />;
  const asked = Number(search.get("window"));
  const windowDays = WINDOWS.includes(asked) ? asked : DEFAULT_WINDOW;
  return <LeadsOverview eventId={eventId} windowDays={windowDays} />;
}

/** Days after capture in which an opportunity counts for the lift (the API's horizonDays; 90 by default). */
const WINDOWS = [14, 30, 60, 90, 180, 365];
const DEFAULT_WINDOW = 90;

/** Most pressing first: overdue, then due soonest; the rest (followed up) newest capture first. */
export function byUrgency(a: LeadItem, b: LeadItem): number {
  const rank = (l: LeadItem) => (l.slaState === "overdue" ? 0 : l.slaState === "due" ? 1 : 2);
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  if (rank(a) < 2) return (a.slaDueAt ?? "").localeCompare(b.slaDueAt ?? "");
  return b.capturedAt.localeCompare(a.capturedAt);
}

function overviewPath(eventId: string | null, windowDays: number): string {
  const query = new URLSearchParams();
  if (eventId) query.set("event", eventId);
  if (windowDays !== DEFAULT_WINDOW) query.set("window", String(windowDays));
  const text = query.toString();
  return text ? `/leads?${text}` : "/leads";
}

type State =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; leads: LeadItem[]; funnel: Funnel };

function LeadsOverview({ eventId, windowDays }: { eventId: string | null; windowDays: number }) {
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
      api.get<Funnel>(`/api/events/${eventId}/lead-funnel`, { horizonDays: windowDays }),
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
  }, [eventId, windowDays]);

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
            onChange={(e) => navigate(overviewPath(e.target.value || null, windowDays), { replace: true })}
          >
            <option value="">Choose an event</option>
            {events.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="lead-window">Opportunity window</label>
          <select
            id="lead-window"
            value={windowDays}
            onChange={(e) => navigate(overviewPath(eventId, Number(e.target.value)), { replace: true })}
          >
            {WINDOWS.map((d) => (
              <option key={d} value={d}>
                {`${d} days after capture`}
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
          <FunnelPanel funnel={state.funnel} />

          <section className="panel panel-flush" aria-labelledby="leads-title">
            <h2 id="leads-title" className="visually-hidden">
              Leads of this event, most pressing first
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
                  {[...state.leads].sort(byUrgency).map((l) => (
                    <tr key={l.id}>
                      <th scope="row">
                        <Link to={`/leads/${l.id}`}>{l.person.name}</Link>
                        {l.person.company ? <span className="muted small"> · {l.person.company}</span> : null}
                      </th>
                      <td
                        data-label="Tier"
                        title={l.signals.map((s) => `${s.signal} (+${s.points})`).join("\n")}
                      >
                        {l.tier ?? "–"} {l.score !== null && <span className="muted small">{l.score}</span>}
                      </td>
                      <td data-label="Owner">{l.ownerName ?? "unrouted"}</td>
                      <td data-label="SLA">
                        {l.slaState ? SLA_LABELS[l.slaState] : "–"}
                        {l.slaDueAt && (l.slaState === "due" || l.slaState === "overdue") ? (
                          <span className="sub">{when(l.slaDueAt)}</span>
                        ) : null}
                      </td>
                      <td data-label="Next step">
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
