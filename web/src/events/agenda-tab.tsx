import { useState } from "react";
import { api } from "../api/client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import type { TabProps } from "./event-page.tsx";
import type { EventSession } from "./event-types.ts";
import { toFormError } from "./form-errors.tsx";
import { formatEventDates } from "./format.ts";
import { Notice, type NoticeState } from "./notice.tsx";
import { SessionForm } from "./session-form.tsx";
import { toZonedInput } from "./zoned-time.ts";

type Editing = { kind: "none" } | { kind: "new" } | { kind: "edit"; session: EventSession };

/** The agenda: sessions in time order, each on the event's clock; admins and marketers add, change and remove. */
export function AgendaTab({ event, reload, can }: TabProps) {
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [notice, setNotice] = useState<NoticeState>(null);
  const zone = event.timeZone;
  const sessions = [...event.sessions].sort(
    (a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title),
  );
  const base = `/api/events/${event.id}/sessions`;

  async function remove(session: EventSession) {
    try {
      await api.delete(`${base}/${session.id}`);
      await reload();
      setNotice({ ok: true, text: `Removed “${session.title}” from the agenda.` });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    }
  }

  return (
    <section className="panel" aria-labelledby="agenda-title">
      <div className="section-header">
        <h2 id="agenda-title">Agenda</h2>
        {can.edit && editing.kind === "none" && (
          <button type="button" className="button button-primary" onClick={() => setEditing({ kind: "new" })}>
            Add session
          </button>
        )}
      </div>
      <p className="muted small">Times on the event's clock ({zone}).</p>
      <Notice notice={notice} />
      {sessions.length === 0 ? (
        <p className="muted">No sessions yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Sessions of {event.name}</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">When</th>
                <th scope="col">Speakers</th>
                <th scope="col" className="num">
                  Seats
                </th>
                <th scope="col" className="num">
                  Credit hours
                </th>
                {can.edit && (
                  <th scope="col" className="actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <th scope="row" data-label="Session">
                    <span className="event-name">{s.title}</span>
                    {(s.track || s.room) && (
                      <span className="sub">{[s.track, s.room].filter(Boolean).join(" · ")}</span>
                    )}
                    {s.learningObjectives.length > 0 && (
                      <span className="sub">
                        {s.learningObjectives.length} learning objective
                        {s.learningObjectives.length === 1 ? "" : "s"}
                        {s.topics.length > 0 &&
                          `, ${s.topics.length} topic${s.topics.length === 1 ? "" : "s"}`}
                      </span>
                    )}
                  </th>
                  <td data-label="When">{formatEventDates(s.startsAt, s.endsAt, zone)}</td>
                  <td data-label="Speakers">{s.speakers.join(", ") || "—"}</td>
                  <td data-label="Seats" className="num">
                    {s.capacity ?? "—"}
                  </td>
                  <td data-label="Credit hours" className="num">
                    {s.creditHours ?? "—"}
                  </td>
                  {can.edit && (
                    <td className="actions">
                      <button
                        type="button"
                        className="button"
                        aria-label={`Edit session ${s.title}`}
                        onClick={() => {
                          setNotice(null);
                          setEditing({ kind: "edit", session: s });
                        }}
                      >
                        Edit
                      </button>{" "}
                      <ConfirmButton
                        label="Delete"
                        subject={`session ${s.title}`}
                        confirmLabel="Delete session"
                        onConfirm={() => remove(s)}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing.kind !== "none" && (
        <div className="subpanel">
          <h3>{editing.kind === "new" ? "New session" : `Edit session: ${editing.session.title}`}</h3>
          <SessionForm
            key={editing.kind === "edit" ? editing.session.id : "new"}
            {...(editing.kind === "edit" ? { session: editing.session } : {})}
            timeZone={zone}
            defaultStart={toZonedInput(event.startsAt, zone)}
            submitLabel={editing.kind === "new" ? "Add session" : "Save session"}
            onCancel={() => setEditing({ kind: "none" })}
            onSubmit={async (body) => {
              if (editing.kind === "edit") {
                await api.request("PATCH", `${base}/${editing.session.id}`, body);
              } else {
                await api.post(base, body);
              }
              await reload();
              setEditing({ kind: "none" });
              setNotice({
                ok: true,
                text: editing.kind === "new" ? `Added “${body.title}”.` : "Session saved.",
              });
            }}
          />
        </div>
      )}
    </section>
  );
}
