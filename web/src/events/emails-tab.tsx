import { useState } from "react";
import { api } from "../api/client.ts";
import type { TabProps } from "./event-page.tsx";
import type { EmailStatus, OutboxEmail } from "./event-types.ts";
import { toFormError } from "./form-errors.tsx";
import { formatCount } from "./format.ts";
import { Notice, type NoticeState } from "./notice.tsx";
import { useResource } from "./use-resource.ts";
import { zonedDateTime } from "./zoned-time.ts";

const statusLabels: Record<EmailStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
};
const purposeLabels: Record<string, string> = {
  ticket: "Ticket",
  invitation: "Invitation",
  waitlist: "Waitlist place",
  waitlist_promoted: "Moved up from the waitlist",
};

/**
 * The event's emails (tickets, waitlist notices, invitations) with their delivery status: queued ones are waiting
 * for their next attempt, failed ones show the last error and can be queued again.
 */
export function EmailsTab({ event }: TabProps) {
  const [status, setStatus] = useState<EmailStatus | "">("");
  const [notice, setNotice] = useState<NoticeState>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { resource, reload } = useResource<{ emails: OutboxEmail[]; counts: Record<EmailStatus, number> }>(
    `/api/events/${event.id}/emails${status ? `?status=${status}` : ""}`,
  );
  const zone = event.timeZone;

  async function retry(email: OutboxEmail) {
    setBusy(email.id);
    try {
      await api.post(`/api/outbox/${email.id}/retry`);
      await reload();
      setNotice({ ok: true, text: `The email to ${email.to} is queued again.` });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="emails-title">
      <div className="section-header">
        <h2 id="emails-title">Emails</h2>
        <button type="button" className="button" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor="email-status">Delivery</label>
          <select
            id="email-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as EmailStatus | "")}
          >
            <option value="">All</option>
            {(Object.keys(statusLabels) as EmailStatus[]).map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        {resource.status === "ready" && (
          <p className="muted small" aria-live="polite">
            {(Object.keys(statusLabels) as EmailStatus[])
              .map((s) => `${formatCount(resource.data.counts[s] ?? 0)} ${statusLabels[s].toLowerCase()}`)
              .join(" · ")}
          </p>
        )}
      </div>
      <Notice notice={notice} />
      {resource.status === "loading" && <p className="muted">Loading emails…</p>}
      {resource.status === "error" && (
        <p className="alert alert-error" role="alert">
          Could not load emails: {resource.message}
        </p>
      )}
      {resource.status === "ready" && resource.data.emails.length === 0 && (
        <p className="muted">{status ? "No emails with this status." : "No emails for this event yet."}</p>
      )}
      {resource.status === "ready" && resource.data.emails.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Emails of {event.name} with their delivery status</caption>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Email</th>
                <th scope="col">Delivery</th>
                <th scope="col">When ({zone})</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {resource.data.emails.map((m) => (
                <tr key={m.id}>
                  <th scope="row" data-label="To">
                    {m.to}
                  </th>
                  <td data-label="Email">
                    <span>
                      {m.subject}
                      <span className="sub">{purposeLabels[m.purpose] ?? m.purpose.replace(/_/g, " ")}</span>
                    </span>
                  </td>
                  <td data-label="Delivery">
                    <span>
                      <span className={`pill pill-${m.status}`}>{statusLabels[m.status]}</span>
                      {m.attempts > 0 && (
                        <span className="sub">
                          {m.attempts} attempt{m.attempts === 1 ? "" : "s"}
                        </span>
                      )}
                      {m.lastError && m.status !== "sent" && (
                        <span className="sub error-text">{m.lastError}</span>
                      )}
                    </span>
                  </td>
                  <td data-label="When">
                    <span>
                      {m.sentAt
                        ? `Sent ${zonedDateTime(m.sentAt, zone)}`
                        : m.status === "queued"
                          ? `Next attempt ${zonedDateTime(m.nextAttemptAt, zone)}`
                          : `Created ${zonedDateTime(m.createdAt, zone)}`}
                    </span>
                  </td>
                  <td className="actions">
                    {m.status === "failed" && (
                      <button
                        type="button"
                        className="button"
                        aria-label={`Retry email to ${m.to}`}
                        disabled={busy !== null}
                        onClick={() => void retry(m)}
                      >
                        Retry
                      </button>
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
