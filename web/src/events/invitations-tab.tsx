import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { Link } from "../router/router.tsx";
import type { TabProps } from "./event-page.tsx";
import type { Invitation } from "./event-types.ts";
import { Field, FormAlert, type FormError, toFormError } from "./form-errors.tsx";
import { Notice, type NoticeState } from "./notice.tsx";
import { useResource } from "./use-resource.ts";

const statusLabels: Record<Invitation["status"], string> = {
  nominated: "Nominated",
  approved: "Approved",
  declined: "Declined",
  sent: "Invitation sent",
  accepted: "Accepted",
  regretted: "Sent regrets",
  cancelled: "Cancelled",
};

/** Where the guest stands: the invitation, then (once accepted) the place or the waitlist. */
function standing(i: Invitation): string {
  if (i.registrationStatus === "waitlisted") {
    return i.waitlistPosition ? `Waitlisted, number ${i.waitlistPosition}` : "Waitlisted";
  }
  if (i.registrationStatus === "registered") return "Registered, ticket sent";
  if (i.registrationStatus === "cancelled") return "Registration cancelled";
  return "";
}

const nominationFields = ["email", "firstName", "lastName", "reason"] as const;

/**
 * Invite-only events: reps and partner managers nominate; the event's owner, an admin or a marketer approves or
 * declines; sending emails each approved guest an RSVP link. Accepting takes a place, or a waitlist place when full.
 */
export function InvitationsTab({ event, can }: TabProps) {
  const { resource, reload } = useResource<{ invitations: Invitation[] }>(
    `/api/events/${event.id}/invitations`,
  );
  const [notice, setNotice] = useState<NoticeState>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const invitations = resource.status === "ready" ? resource.data.invitations : [];
  const approved = invitations.filter((i) => i.status === "approved").length;

  async function decide(invitation: Invitation, decision: "approve" | "decline") {
    setBusy(invitation.id);
    try {
      await api.post(`/api/events/${event.id}/invitations/${invitation.id}/decision`, { decision });
      await reload();
      setNotice({
        ok: true,
        text: `${decision === "approve" ? "Approved" : "Declined"} ${invitation.name || invitation.email}.`,
      });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    } finally {
      setBusy(null);
    }
  }

  async function send() {
    setBusy("send");
    try {
      const { sent } = await api.post<{ sent: number }>(`/api/events/${event.id}/invitations/send`);
      await reload();
      setNotice({
        ok: true,
        text: `${sent} invitation${sent === 1 ? "" : "s"} queued for email with an RSVP link. Delivery shows under Emails.`,
      });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="invitations-title">
      <div className="section-header">
        <h2 id="invitations-title">Invitations</h2>
        {can.manage && event.inviteOnly && (
          <button
            type="button"
            className="button button-primary"
            disabled={approved === 0 || busy !== null}
            onClick={() => void send()}
          >
            Send approved invitations ({approved})
          </button>
        )}
      </div>
      {!event.inviteOnly && (
        <p className="alert">
          {event.name} is open for registration, so nobody is nominated. Invitations are for invite-only
          events
          {can.edit ? (
            <>
              ; make it invite-only under <Link to={`/events/${event.id}`}>Details</Link>.
            </>
          ) : (
            "."
          )}
        </p>
      )}
      <Notice notice={notice} />
      {resource.status === "loading" && <p className="muted">Loading invitations…</p>}
      {resource.status === "error" && (
        <p className="alert alert-error" role="alert">
          Could not load invitations: {resource.message}
        </p>
      )}
      {resource.status === "ready" && invitations.length === 0 && event.inviteOnly && (
        <p className="muted">Nobody nominated yet.</p>
      )}
      {invitations.length > 0 && (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Invitations to {event.name}</caption>
            <thead>
              <tr>
                <th scope="col">Guest</th>
                <th scope="col">Why</th>
                <th scope="col">Status</th>
                {can.decide && (
                  <th scope="col" className="actions">
                    <span className="visually-hidden">Decision</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => {
                const open = ["nominated", "approved", "declined"].includes(i.status);
                const who = i.name || i.email || "guest";
                return (
                  <tr key={i.id}>
                    <th scope="row" data-label="Guest">
                      <span className="event-name">{i.name || i.email}</span>
                      {i.name && i.email && <span className="sub">{i.email}</span>}
                    </th>
                    <td data-label="Why">
                      <span>
                        {i.reason ?? "—"}
                        {i.nominatedByName && <span className="sub">nominated by {i.nominatedByName}</span>}
                      </span>
                    </td>
                    <td data-label="Status">
                      <span>
                        <span className={`pill pill-${i.status}`}>{statusLabels[i.status] ?? i.status}</span>
                        {standing(i) && <span className="sub">{standing(i)}</span>}
                      </span>
                    </td>
                    {can.decide && (
                      <td className="actions">
                        {open && i.status !== "approved" && (
                          <button
                            type="button"
                            className="button"
                            aria-label={`Approve ${who}`}
                            disabled={busy !== null}
                            onClick={() => void decide(i, "approve")}
                          >
                            Approve
                          </button>
                        )}{" "}
                        {open && i.status !== "declined" && (
                          <button
                            type="button"
                            className="button"
                            aria-label={`Decline ${who}`}
                            disabled={busy !== null}
                            onClick={() => void decide(i, "decline")}
                          >
                            Decline
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {can.nominate && event.inviteOnly && (
        <div className="subpanel">
          <h3>Nominate a guest</h3>
          <NominationForm
            onSubmit={async (body) => {
              const result = await api.post<{ id: string; status: string }>(
                `/api/events/${event.id}/invitations`,
                body,
              );
              await reload();
              setNotice({
                ok: true,
                text:
                  result.status === "nominated"
                    ? `Nominated ${body.email}; the event's owner decides.`
                    : `${body.email} was already on the list (${statusLabels[result.status as Invitation["status"]] ?? result.status}).`,
              });
            }}
          />
        </div>
      )}
    </section>
  );
}

interface NominationBody {
  email: string;
  firstName?: string;
  lastName?: string;
  reason?: string;
}

function NominationForm({ onSubmit }: { onSubmit(body: NominationBody): Promise<void> }) {
  const empty = { email: "", firstName: "", lastName: "", reason: "" };
  const [values, setValues] = useState(empty);
  const [error, setError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (key: keyof typeof empty, value: string) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const body: NominationBody = { email: values.email.trim() };
    for (const key of ["firstName", "lastName", "reason"] as const) {
      if (values[key].trim()) body[key] = values[key].trim();
    }
    setSaving(true);
    setError(null);
    try {
      await onSubmit(body);
      setValues(empty);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Nominate a guest">
      <fieldset disabled={saving} className="plain-fieldset">
        <div className="form-grid">
          <Field label="Guest's email" name="email" error={error}>
            {(p) => (
              <input
                {...p}
                type="email"
                autoComplete="off"
                value={values.email}
                onChange={(e) => set("email", e.target.value)}
              />
            )}
          </Field>
          <Field label="Why this guest" name="reason" error={error} hint="Seen by whoever approves.">
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={1000}
                value={values.reason}
                onChange={(e) => set("reason", e.target.value)}
              />
            )}
          </Field>
          <Field label="First name" name="firstName" error={error}>
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={100}
                value={values.firstName}
                onChange={(e) => set("firstName", e.target.value)}
              />
            )}
          </Field>
          <Field label="Last name" name="lastName" error={error}>
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={100}
                value={values.lastName}
                onChange={(e) => set("lastName", e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <FormAlert error={error} fields={nominationFields} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Nominating…" : "Nominate"}
        </button>
      </div>
    </form>
  );
}
