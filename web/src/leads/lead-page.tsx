import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import type { EventSummary } from "../api/types.ts";
import { useResource } from "../events/use-resource.ts";
import { Link } from "../router/router.tsx";
import { FollowUpPanel } from "./follow-up-panel.tsx";
import { CHANNEL_LABELS, relative, SLA_LABELS, when, words } from "./format.ts";
import { OutcomePanel } from "./outcome-panel.tsx";
import type { FollowUp, LeadDetail, LeadItem } from "./types.ts";

/** /leads/{id}: one lead's conversation, tier and its signals, owner and SLA, its follow-up and what came of it. */
export function LeadPage({ leadId }: { leadId: string }) {
  const { resource, reload } = useResource<LeadDetail>(`/api/leads/${leadId}`);
  const [eventName, setEventName] = useState<string | null>(null);
  const eventId = resource.status === "ready" ? resource.data.eventId : null;

  useEffect(() => {
    if (!eventId) return;
    let live = true;
    api.get<EventSummary>(`/api/events/${eventId}`).then(
      (e) => live && setEventName(e.name),
      () => live && setEventName(null),
    );
    return () => {
      live = false;
    };
  }, [eventId]);

  if (resource.status === "loading") return <p className="muted">Loading the lead…</p>;
  if (resource.status === "error") {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">Lead</h1>
        <div className="alert alert-error" role="alert">
          <p>
            {resource.code === "not_found"
              ? "There is no such lead in your organization."
              : `Could not load the lead: ${resource.message}`}
          </p>
        </div>
        <Link to="/leads">Back to leads</Link>
      </section>
    );
  }
  const lead = resource.data;
  return (
    <section aria-labelledby="page-title" className="lead-page">
      <nav className="breadcrumb small" aria-label="Breadcrumb">
        <Link to={`/leads?event=${lead.eventId}`}>
          {eventName ? `Leads at ${eventName}` : "Leads of the event"}
        </Link>
      </nav>
      <header className="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {lead.person.name}
        </h1>
        <p className="muted">
          {[lead.person.title, lead.person.company, lead.person.email ?? "no email address"]
            .filter(Boolean)
            .join(" · ")}
        </p>
      </header>
      <LeadFacts lead={lead} />
      <div className="lead-columns">
        <div>
          <ContextPanel lead={lead} />
          <SignalsPanel lead={lead} />
          <ConversationsPanel lead={lead} />
        </div>
        <div>
          <FollowUpPanel lead={lead} onChange={reload} />
          <OutcomePanel lead={lead} onChange={reload} />
          <HistoryPanel followUps={lead.followUps} meetings={lead.meetings} />
        </div>
      </div>
    </section>
  );
}

function LeadFacts({ lead }: { lead: LeadItem }) {
  const now = new Date();
  return (
    <dl className="stats lead-stats" aria-label="Lead">
      <div>
        <dt>Tier</dt>
        <dd>
          {lead.tier ?? "–"}
          {lead.score !== null && <span className="muted small"> score {lead.score}</span>}
        </dd>
      </div>
      <div>
        <dt>Owner</dt>
        <dd>{lead.ownerName ?? "not routed"}</dd>
      </div>
      <div>
        <dt>Follow-up due</dt>
        <dd>
          {lead.slaDueAt ? (
            <>
              <span className="lead-when">{when(lead.slaDueAt)}</span>
              <span className="sub small muted">
                {` ${lead.slaState ? SLA_LABELS[lead.slaState] : ""}${lead.slaState === "due" || lead.slaState === "overdue" ? `, ${relative(lead.slaDueAt, now)}` : ""}`}
              </span>
            </>
          ) : (
            "no SLA"
          )}
        </dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>{words(lead.status)}</dd>
      </div>
      <div>
        <dt>Captured</dt>
        <dd>
          <span className="lead-when">{when(lead.capturedAt)}</span>
          {lead.conversations > 1 ? (
            <span className="sub small muted">{`${lead.conversations} conversations`}</span>
          ) : null}
        </dd>
      </div>
    </dl>
  );
}

function ContextPanel({ lead }: { lead: LeadDetail }) {
  const f = lead.fields;
  const rows: [string, string | null][] = [
    ["Problem", f.problem],
    ["Use case", f.useCase],
    ["Urgency", f.urgency && words(f.urgency)],
    ["Buying stage", f.buyingStage && words(f.buyingStage)],
    ["Budget", f.budget],
    ["Timeline", f.timeline],
    ["Next step", f.nextStep ? `${f.nextStep}${f.nextStepDate ? ` (${f.nextStepDate})` : ""}` : null],
  ];
  return (
    <section className="panel" aria-labelledby="context-title">
      <h2 id="context-title">The conversation</h2>
      <dl className="lead-fields">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={value ? undefined : "muted"}>{value ?? "not known"}</dd>
          </div>
        ))}
        <div>
          <dt>Stakeholders</dt>
          <dd className={f.stakeholders.length ? undefined : "muted"}>
            {f.stakeholders.length
              ? f.stakeholders.map((s) => `${s.name} (${words(s.role)})`).join(", ")
              : "none named"}
          </dd>
        </div>
        <div>
          <dt>Sessions attended</dt>
          <dd className={lead.sessions.length ? undefined : "muted"}>
            {lead.sessions.length ? lead.sessions.join(", ") : "none checked into"}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function SignalsPanel({ lead }: { lead: LeadItem }) {
  const sum = (prefix: string) =>
    lead.signals.filter((s) => s.signal.startsWith(prefix)).reduce((a, s) => a + s.points, 0);
  return (
    <section className="panel" aria-labelledby="signals-title">
      <h2 id="signals-title">{lead.tier ? `Why tier ${lead.tier}` : "Priority"}</h2>
      {lead.signals.length === 0 ? (
        <p className="muted">No signals: nothing known about fit or intent.</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Signals behind the score</caption>
          <thead>
            <tr>
              <th scope="col">Signal</th>
              <th scope="col" className="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            {lead.signals.map((s) => (
              <tr key={s.signal}>
                <th scope="row">{s.signal}</th>
                <td className="num" data-label="Points">
                  {s.points}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{`Score (fit ${sum("fit:")} + intent ${sum("intent:")})`}</th>
              <td className="num" data-label="Points">
                {lead.score ?? "–"}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function ConversationsPanel({ lead }: { lead: LeadDetail }) {
  return (
    <section className="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes as typed</h2>
      <ol className="lead-notes">
        {lead.conversationList.map((c) => (
          <li key={c.id}>
            <p className="small muted">{when(c.occurredAt)}</p>
            <p className="lead-note">{c.rawNote?.trim() ? c.rawNote : <em className="muted">no note</em>}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function HistoryPanel({ followUps, meetings }: { followUps: FollowUp[]; meetings: LeadDetail["meetings"] }) {
  const history = followUps.filter((f) => f.status !== "draft");
  return (
    <>
      {meetings.length > 0 && (
        <section className="panel" aria-labelledby="meetings-title">
          <h2 id="meetings-title">Meetings with the buyer</h2>
          <ul className="lead-history">
            {meetings.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: meetings have no id in the API and never reorder
              <li key={i}>
                <p className="small muted">{when(m.at)}</p>
                <p className="lead-note">{m.notes?.trim() ? m.notes : <em className="muted">no notes</em>}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <HistoryList history={history} />
    </>
  );
}

function HistoryList({ history }: { history: FollowUp[] }) {
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">Follow-ups</h2>
      {history.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="lead-history">
          {history.map((f) => (
            <li key={f.id}>
              <p>
                <strong>{CHANNEL_LABELS[f.channel]}</strong>{" "}
                <span className={`pill pill-${f.status}`}>{f.status}</span>{" "}
                <span className="pill">{f.contextual ? "with context" : "generic"}</span>
                {f.respondedAt && <span className="pill pill-accepted">replied</span>}
              </p>
              <p className="small muted">
                {f.sentAt ? when(f.sentAt) : ""}
                {f.dueAt && f.sentAt ? (f.sentAt <= f.dueAt ? " · within SLA" : " · after the SLA") : ""}
                {f.outboxId ? " · through the outbox" : ""}
                {f.respondedAt ? ` · buyer responded ${when(f.respondedAt)}` : ""}
              </p>
              {(f.subject || f.body) && (
                <details>
                  <summary>{f.subject ?? "(no subject)"}</summary>
                  <p className="lead-note">{f.body}</p>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
