import { useState } from "react";
import { api } from "../api/client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import type { TabProps } from "./event-page.tsx";
import type { Registration, RegistrationStatus } from "./event-types.ts";
import { toFormError } from "./form-errors.tsx";
import { formatCount } from "./format.ts";
import { Notice, type NoticeState } from "./notice.tsx";
import { useResource } from "./use-resource.ts";
import { zonedDateTime } from "./zoned-time.ts";

const statusLabels: Record<RegistrationStatus, string> = {
  registered: "Registered",
  waitlisted: "Waitlisted",
  cancelled: "Cancelled",
};
const emailLabels: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
};
const PAGE = 200;

/**
 * Who registered, their ticket, door check-in and the last email's delivery, with the public registration page and
 * the check-in kiosk one click away. Admins and marketers cancel (the ticket is revoked, the waitlist moves up).
 */
export function RegistrationsTab({ event, can, me }: TabProps) {
  const [status, setStatus] = useState<RegistrationStatus | "">("");
  const [query, setQuery] = useState("");
  const [notice, setNotice] = useState<NoticeState>(null);
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (status) params.set("status", status);
  if (query.trim()) params.set("q", query.trim());
  const { resource, reload } = useResource<{ registrations: Registration[]; total: number }>(
    `/api/events/${event.id}/registrations?${params}`,
  );
  const publicPath = `/r/${encodeURIComponent(me.organization.slug)}/${encodeURIComponent(event.slug)}`;

  async function cancel(r: Registration) {
    try {
      const result = await api.post<{ promoted: string[] }>(
        `/api/events/${event.id}/registrations/${r.id}/cancel`,
      );
      await reload();
      const n = result.promoted.length;
      setNotice({
        ok: true,
        text: `Cancelled ${nameOf(r)}; the ticket is revoked.${
          n > 0
            ? ` ${n} ${n === 1 ? "person" : "people"} moved up from the waitlist and get a ticket by email.`
            : ""
        }`,
      });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    }
  }

  return (
    <section className="panel" aria-labelledby="registrations-title">
      <div className="section-header">
        <h2 id="registrations-title">Registrations</h2>
        <div className="link-row">
          <a className="button" href={publicPath} target="_blank" rel="noopener">
            Public registration page
          </a>
          {can.kiosk && (
            // A full page load: the kiosk is its own app that keeps working offline.
            <a className="button button-primary" href={`/kiosk/${event.id}`}>
              Open check-in kiosk
            </a>
          )}
        </div>
      </div>
      {event.inviteOnly && (
        <p className="muted small">
          Invite-only: the public page refuses registrations; guests come through Invitations.
        </p>
      )}
      <div className="toolbar">
        <div className="filters">
          <div className="field field-inline">
            <label htmlFor="registration-status">Status</label>
            <select
              id="registration-status"
              value={status}
              onChange={(e) => setStatus(e.target.value as RegistrationStatus | "")}
            >
              <option value="">All</option>
              {(Object.keys(statusLabels) as RegistrationStatus[]).map((s) => (
                <option key={s} value={s}>
                  {statusLabels[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor="registration-search">Search</label>
            <input
              id="registration-search"
              type="search"
              placeholder="Name or email"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
        </div>
        {resource.status === "ready" && (
          <p className="muted small" aria-live="polite">
            {resource.data.registrations.length < resource.data.total
              ? `Showing ${resource.data.registrations.length} of ${formatCount(resource.data.total)}`
              : `${formatCount(resource.data.total)} ${resource.data.total === 1 ? "registration" : "registrations"}`}
          </p>
        )}
      </div>
      <Notice notice={notice} />
      {resource.status === "loading" && <p className="muted">Loading registrations…</p>}
      {resource.status === "error" && (
        <div className="alert alert-error" role="alert">
          <p>Could not load registrations: {resource.message}</p>
          <button type="button" className="button" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      )}
      {resource.status === "ready" && resource.data.registrations.length === 0 && (
        <p className="muted">{status || query ? "Nobody matches." : "Nobody has registered yet."}</p>
      )}
      {resource.status === "ready" && resource.data.registrations.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Registrations of {event.name}</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Status</th>
                <th scope="col">Ticket</th>
                <th scope="col">Checked in ({event.timeZone})</th>
                <th scope="col">Last email</th>
                {can.manage && (
                  <th scope="col" className="actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {resource.data.registrations.map((r) => (
                <tr key={r.id}>
                  <th scope="row" data-label="Person">
                    <span className="event-name">{nameOf(r)}</span>
                    {r.email && <span className="sub">{r.email}</span>}
                  </th>
                  <td data-label="Status">
                    <span>
                      <span className={`pill pill-${r.status}`}>{statusLabels[r.status]}</span>
                      <span className="sub">via {r.source.replace(/_/g, " ")}</span>
                    </span>
                  </td>
                  <td data-label="Ticket">{r.ticketId ? (r.ticketRevoked ? "Revoked" : "Valid") : "None"}</td>
                  <td data-label="Checked in">
                    {r.checkedInAt ? zonedDateTime(r.checkedInAt, event.timeZone) : "—"}
                  </td>
                  <td data-label="Last email">
                    {r.emailStatus ? (
                      <span className={`pill pill-${r.emailStatus}`}>{emailLabels[r.emailStatus]}</span>
                    ) : (
                      "—"
                    )}
                  </td>
                  {can.manage && (
                    <td className="actions">
                      {r.status !== "cancelled" && (
                        <ConfirmButton
                          label="Cancel"
                          subject={`registration of ${nameOf(r)}`}
                          confirmLabel="Cancel registration"
                          onConfirm={() => cancel(r)}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function nameOf(r: Registration): string {
  const name = [r.firstName, r.lastName].filter(Boolean).join(" ");
  return name || r.email || "Unnamed person";
}
