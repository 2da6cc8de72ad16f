import { type FormEvent, useState } from "react";
import { citesConversation } from "../../../src/core/leads/follow-up-draft.ts";
import { api } from "../api/client.ts";
import { Field, FormAlert, type FormError, toFormError } from "../events/form-errors.tsx";
import { Notice, type NoticeState } from "../events/notice.tsx";
import { CHANNEL_LABELS, instant, words } from "./format.ts";
import type { FollowUp, FollowUpChannel, FollowUpDraft, LeadDetail } from "./types.ts";

/** What is being edited: a stored draft (its id is sent along) or a follow-up written from scratch. */
interface Editing {
  draftId: string | null;
  cites: string[];
  writer: "template" | "llm" | "rep";
  fallbackReason?: string;
}

const FIELDS = ["subject", "body", "draftId", "action", "channel", "at"] as const;

function fromStored(draft: FollowUp): Editing {
  return { draftId: draft.id, cites: [], writer: "rep" };
}

/**
 * The follow-up of a lead: a draft that cites the conversation (template or model), edited by the rep, then sent
 * through the email outbox or recorded as done (a call, a meeting, an email sent elsewhere).
 */
export function FollowUpPanel({ lead, onChange }: { lead: LeadDetail; onChange(): Promise<void> }) {
  const storedDraft = lead.followUps.find((f) => f.status === "draft") ?? null;
  const [editing, setEditing] = useState<Editing | null>(() =>
    storedDraft ? fromStored(storedDraft) : null,
  );
  const [subject, setSubject] = useState(storedDraft?.subject ?? "");
  const [body, setBody] = useState(storedDraft?.body ?? "");
  const [doneChannel, setDoneChannel] = useState<FollowUpChannel>("call");
  const [doneAt, setDoneAt] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [notice, setNotice] = useState<NoticeState>(null);
  // A draft left from earlier (another tab, a second draft) is offered, never opened over what the rep is doing.
  const [used, setUsed] = useState<string[]>([]);
  const saved = lead.followUps.find(
    (f) => f.status === "draft" && !used.includes(f.id) && f.id !== editing?.draftId,
  );

  const draft = async (useLlm: boolean) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const made = await api.post<FollowUpDraft>(`/api/leads/${lead.id}/follow-up-draft`, { useLlm });
      setEditing({
        draftId: made.id,
        cites: made.cites,
        writer: made.writer,
        ...(made.fallbackReason ? { fallbackReason: made.fallbackReason } : {}),
      });
      setSubject(made.subject ?? "");
      setBody(made.body ?? "");
      await onChange();
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };

  const writeOwn = () => {
    setEditing({ draftId: null, cites: [], writer: "rep" });
    setSubject("");
    setBody("");
    setError(null);
    setNotice(null);
  };

  const record = async (action: "send" | "done") => {
    if (!editing) return;
    const s = subject.trim();
    const b = body.trim();
    if (action === "send" && (!s || !b)) {
      setError({ field: !s ? "subject" : "body", message: `an email needs a ${!s ? "subject" : "body"}` });
      return;
    }
    const at = action === "done" ? instant(doneAt) : undefined;
    if (action === "done" && doneAt && !at) {
      setError({ field: "at", message: "give a date and time, or leave it empty for now" });
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const row = await api.post<FollowUp>(`/api/leads/${lead.id}/follow-ups`, {
        ...(editing.draftId ? { draftId: editing.draftId } : {}),
        channel: action === "send" ? "email" : doneChannel,
        ...(s ? { subject: s } : {}),
        ...(b ? { body: b } : {}),
        action,
        ...(at ? { at } : {}),
      });
      // The page shows the new state before the confirmation, so what the notice says is already on screen.
      await onChange();
      const kind = row.contextual ? "with context" : "generic (cites neither the problem nor the next step)";
      setNotice({
        ok: true,
        text:
          action === "send"
            ? `Email to ${lead.person.email} queued in the outbox, ${kind}.`
            : `${CHANNEL_LABELS[row.channel]} recorded as done, ${kind}.`,
      });
      if (editing.draftId) setUsed([...used, editing.draftId]);
      setEditing(null);
      setSubject("");
      setBody("");
      setDoneAt("");
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void record("send");
  };

  const contextual = citesConversation(`${subject}\n${body}`, lead.fields);
  const canCite = lead.fields.problem !== null || lead.fields.nextStep !== null;

  return (
    <section className="panel" aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">Follow-up</h2>
      <Notice notice={notice} />
      <div className="form-actions" style={{ marginBottom: "0.75rem" }}>
        <button type="button" className="button" disabled={busy} onClick={() => void draft(false)}>
          Draft from the conversation
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void draft(true)}>
          Draft with the model
        </button>
        <button type="button" className="button" disabled={busy} onClick={writeOwn}>
          Write my own
        </button>
        {saved && (
          <button
            type="button"
            className="button button-quiet"
            disabled={busy}
            onClick={() => {
              setEditing(fromStored(saved));
              setSubject(saved.subject ?? "");
              setBody(saved.body ?? "");
              setError(null);
            }}
          >
            Open the saved draft
          </button>
        )}
      </div>
      {!editing && <FormAlert error={error} fields={[]} />}
      {editing && (
        <form onSubmit={submit} aria-label="Follow-up editor" noValidate>
          <p className="small muted">
            {editing.writer === "template"
              ? `Drafted from the conversation${editing.cites.length ? `; it cites ${editing.cites.map(words).join(", ")}` : " (nothing to cite: a generic draft)"}.`
              : editing.writer === "llm"
                ? "Written by the model from the conversation."
                : editing.draftId
                  ? "A stored draft of this lead."
                  : "Your own message."}
            {editing.fallbackReason ? ` The model was not used: ${editing.fallbackReason}.` : ""}
          </p>
          <Field label="Subject" name="subject" error={error}>
            {(control) => <input {...control} value={subject} onChange={(e) => setSubject(e.target.value)} />}
          </Field>
          <Field
            label="Message"
            name="body"
            error={error}
            hint={
              <span aria-live="polite">
                {contextual
                  ? "Cites the conversation: it counts as a follow-up with context."
                  : canCite
                    ? "Cites neither the problem nor the next step: it will count as a generic follow-up."
                    : "The conversation has no problem or next step to cite: it will count as generic."}
              </span>
            }
          >
            {(control) => (
              <textarea {...control} rows={12} value={body} onChange={(e) => setBody(e.target.value)} />
            )}
          </Field>
          <FormAlert error={error} fields={FIELDS.filter((f) => f !== "draftId" && f !== "action")} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy || !lead.person.email}>
              Send email
            </button>
            {!lead.person.email && (
              <span className="field-hint">
                No email address for this person: record the follow-up as done.
              </span>
            )}
          </div>
          <fieldset className="plain-fieldset subpanel">
            <legend className="small">Or record it as done</legend>
            <div className="form-grid">
              <div className="field">
                <label htmlFor="done-channel">How</label>
                <select
                  id="done-channel"
                  value={doneChannel}
                  onChange={(e) => setDoneChannel(e.target.value as FollowUpChannel)}
                >
                  <option value="call">Call</option>
                  <option value="meeting">Meeting</option>
                  <option value="email">Email sent elsewhere</option>
                  <option value="task">Other task</option>
                </select>
              </div>
              <Field label="When (your time; empty for now)" name="at" error={error}>
                {(control) => (
                  <input
                    {...control}
                    type="datetime-local"
                    value={doneAt}
                    onChange={(e) => setDoneAt(e.target.value)}
                  />
                )}
              </Field>
            </div>
            <button type="button" className="button" disabled={busy} onClick={() => void record("done")}>
              Mark done
            </button>
          </fieldset>
        </form>
      )}
    </section>
  );
}
