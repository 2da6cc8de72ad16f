import { type FormEvent, useState } from "react";
import { type OpportunityStage, opportunityStages } from "../../../src/db/schema/vocabulary.ts";
import { api } from "../api/client.ts";
import { Field, FormAlert, type FormError, toFormError } from "../events/form-errors.tsx";
import { Notice, type NoticeState } from "../events/notice.tsx";
import { CHANNEL_LABELS, instant, when, words } from "./format.ts";
import type { LeadDetail, OutcomeRequest } from "./types.ts";

type Kind = OutcomeRequest["kind"];

const KINDS: { kind: Kind; label: string }[] = [
  { kind: "reply", label: "Reply" },
  { kind: "meeting", label: "Meeting" },
  { kind: "opportunity", label: "Opportunity" },
  { kind: "stage_change", label: "Stage advance" },
];

/** The request fields each form shows (an API error about one of them is shown beside it, others above the button). */
function shownFields(kind: Kind, linkExisting: boolean, canReply: boolean): string[] {
  switch (kind) {
    case "reply":
      return canReply ? ["at", "followUpId"] : ["at"];
    case "meeting":
      return ["at", "notes"];
    case "opportunity":
      return linkExisting ? ["at", "opportunityId"] : ["at", "name", "amountMinor", "currency", "stage"];
    case "stage_change":
      return ["at", "toStage"];
  }
}

const RECORDED: Record<Kind, string> = {
  reply: "Reply recorded.",
  meeting: "Meeting recorded (and added to the person's touchpoints).",
  opportunity: "Opportunity linked to the lead.",
  stage_change: "Stage change recorded.",
};

/** Amounts are typed in major units ("12,500.50"); the API takes minor units. */
function minorUnits(text: string): number | null {
  const cleaned = text.replace(/[\s,]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** The opportunity stages as options of a select, in pipeline order. */
const stageOptions = opportunityStages.map((s) => (
  <option key={s} value={s}>
    {words(s)}
  </option>
));

/** What the buyer did after the follow-up: a reply, a meeting, an opportunity, a stage advance. */
export function OutcomePanel({ lead, onChange }: { lead: LeadDetail; onChange(): Promise<void> }) {
  const [kind, setKind] = useState<Kind>("reply");
  const [at, setAt] = useState("");
  const done = lead.followUps.filter((f) => f.status === "sent" || f.status === "done");
  const [followUpId, setFollowUpId] = useState("");
  const [notes, setNotes] = useState("");
  const [linkExisting, setLinkExisting] = useState(!lead.accountId);
  const [opportunityId, setOpportunityId] = useState("");
  const [name, setName] = useState("");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("USD");
  const [stage, setStage] = useState<OpportunityStage>("prospecting");
  const [toStage, setToStage] = useState<OpportunityStage>("discovery");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [notice, setNotice] = useState<NoticeState>(null);

  const request = (): OutcomeRequest | FormError => {
    const time = instant(at);
    if (at && !time) return { field: "at", message: "give a date and time, or leave it empty for now" };
    const stamp = time ? { at: time } : {};
    switch (kind) {
      case "reply":
        return { kind, ...stamp, ...(followUpId ? { followUpId } : {}) };
      case "meeting":
        return { kind, ...stamp, ...(notes.trim() ? { notes: notes.trim() } : {}) };
      case "opportunity": {
        if (linkExisting) {
          const id = opportunityId.trim();
          if (!/^[0-9a-f-]{36}$/i.test(id))
            return {
              field: "opportunityId",
              message: "paste the opportunity's id (a UUID from the CRM import)",
            };
          return { kind, ...stamp, opportunityId: id };
        }
        const minor = amount.trim() ? minorUnits(amount) : 0;
        if (minor === null)
          return { field: "amountMinor", message: "type an amount such as 12500 or 12,500.50" };
        const code = currency.trim().toUpperCase();
        if (!/^[A-Z]{3}$/.test(code))
          return { field: "currency", message: "a currency is three letters, such as USD or EUR" };
        return {
          kind,
          ...stamp,
          ...(name.trim() ? { name: name.trim() } : {}),
          amountMinor: minor,
          currency: code,
          stage,
        };
      }
      case "stage_change":
        return { kind, ...stamp, toStage };
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = request();
    if (!("kind" in body)) {
      setError(body);
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.post(`/api/leads/${lead.id}/outcomes`, body);
      // The page shows the new state before the confirmation, so what the notice says is already on screen.
      await onChange();
      setNotice({ ok: true, text: RECORDED[kind] });
      setAt("");
      setNotes("");
      setOpportunityId("");
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  const blocked =
    kind === "reply" && done.length === 0
      ? "Record the follow-up first: a reply answers one."
      : kind === "stage_change" && !lead.opportunityId
        ? "Record an opportunity first: a stage advance moves it."
        : null;

  return (
    <section className="panel" aria-labelledby="outcome-title">
      <h2 id="outcome-title">What the buyer did</h2>
      <Notice notice={notice} />
      <form onSubmit={(e) => void submit(e)} aria-label="Record an outcome" noValidate>
        <fieldset className="plain-fieldset">
          <legend className="small">Record</legend>
          <div className="lead-choices">
            {KINDS.map((k) => (
              <label key={k.kind} className="lead-choice">
                <input
                  type="radio"
                  name="outcome-kind"
                  value={k.kind}
                  checked={kind === k.kind}
                  onChange={() => {
                    setKind(k.kind);
                    setError(null);
                    setNotice(null);
                  }}
                />
                {k.label}
              </label>
            ))}
          </div>
        </fieldset>

        {kind === "reply" && done.length > 0 && (
          <Field label="Reply to" name="followUpId" error={error}>
            {(control) => (
              <select {...control} value={followUpId} onChange={(e) => setFollowUpId(e.target.value)}>
                <option value="">the latest follow-up</option>
                {done.map((f) => (
                  <option key={f.id} value={f.id}>
                    {`${CHANNEL_LABELS[f.channel]}${f.subject ? `: ${f.subject}` : ""}${f.sentAt ? ` (${when(f.sentAt)})` : ""}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}

        {kind === "meeting" && (
          <Field label="Meeting notes" name="notes" error={error}>
            {(control) => (
              <textarea {...control} rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} />
            )}
          </Field>
        )}

        {kind === "opportunity" &&
          (lead.opportunityId ? (
            <p className="small">
              This lead is linked to opportunity <code>{lead.opportunityId}</code>. Recording another replaces
              the link.
            </p>
          ) : null)}
        {kind === "opportunity" && (
          <>
            <fieldset className="plain-fieldset">
              <legend className="small">Which opportunity</legend>
              <div className="lead-choices">
                <label className="lead-choice">
                  <input
                    type="radio"
                    name="opportunity-source"
                    checked={!linkExisting}
                    disabled={!lead.accountId}
                    onChange={() => setLinkExisting(false)}
                  />
                  Open one on the account
                </label>
                <label className="lead-choice">
                  <input
                    type="radio"
                    name="opportunity-source"
                    checked={linkExisting}
                    onChange={() => setLinkExisting(true)}
                  />
                  Link an existing one
                </label>
              </div>
              {!lead.accountId && (
                <p className="field-hint">
                  This person has no account, so only an existing opportunity can be linked.
                </p>
              )}
            </fieldset>
            {linkExisting ? (
              <Field label="Opportunity id" name="opportunityId" error={error}>
                {(control) => (
                  <input
                    {...control}
                    autoComplete="off"
                    value={opportunityId}
                    onChange={(e) => setOpportunityId(e.target.value)}
                  />
                )}
              </Field>
            ) : (
              <div className="form-grid">
                <Field
                  label="Name"
                  name="name"
                  error={error}
                  className="span-2"
                  hint={`Empty: "${lead.person.company ?? lead.person.name} (event lead)"`}
                >
                  {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} />}
                </Field>
                <Field label="Amount" name="amountMinor" error={error}>
                  {(control) => (
                    <input
                      {...control}
                      inputMode="decimal"
                      value={amount}
                      onChange={(e) => setAmount(e.target.value)}
                    />
                  )}
                </Field>
                <Field label="Currency" name="currency" error={error}>
                  {(control) => (
                    <input
                      {...control}
                      className="input-code"
                      maxLength={3}
                      value={currency}
                      onChange={(e) => setCurrency(e.target.value)}
                    />
                  )}
                </Field>
                <Field label="Stage" name="stage" error={error}>
                  {(control) => (
                    <select
                      {...control}
                      value={stage}
                      onChange={(e) => setStage(e.target.value as OpportunityStage)}
                    >
                      {stageOptions}
                    </select>
                  )}
                </Field>
              </div>
            )}
          </>
        )}

        {kind === "stage_change" && lead.opportunity && (
          <p className="muted small">
            {lead.opportunity.name} is in {words(lead.opportunity.stage)} now.
          </p>
        )}
        {kind === "stage_change" && lead.opportunityId && (
          <Field label="New stage" name="toStage" error={error}>
            {(control) => (
              <select
                {...control}
                value={toStage}
                onChange={(e) => setToStage(e.target.value as OpportunityStage)}
              >
                {stageOptions}
              </select>
            )}
          </Field>
        )}

        {blocked ? (
          <p className="field-hint">{blocked}</p>
        ) : (
          <>
            <Field label="When (your time; empty for now)" name="at" error={error}>
              {(control) => (
                <input
                  {...control}
                  type="datetime-local"
                  value={at}
                  onChange={(e) => setAt(e.target.value)}
                />
              )}
            </Field>
            <FormAlert error={error} fields={shownFields(kind, linkExisting, done.length > 0)} />
            <button type="submit" className="button button-primary" disabled={busy}>
              {`Record ${KINDS.find((k) => k.kind === kind)!.label.toLowerCase()}`}
            </button>
          </>
        )}
      </form>
    </section>
  );
}
