import { type FormEvent, useId, useState } from "react";
import { costCategories } from "../../../src/db/schema/vocabulary.ts";
import { api } from "../api/client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import type { TabProps } from "./event-page.tsx";
import type { CostCategory, EventCost } from "./event-types.ts";
import { Field, FormAlert, type FormError, toFormError } from "./form-errors.tsx";
import { formatMoney } from "./format.ts";
import { moneyInputValue, parseMoneyInput } from "./money-input.ts";
import { Notice, type NoticeState } from "./notice.tsx";
import { fromZonedInput, toZonedInput } from "./zoned-time.ts";

const categoryLabels: Record<CostCategory, string> = {
  venue: "Venue",
  travel: "Travel",
  catering: "Catering",
  sponsorship: "Sponsorship",
  staff: "Staff",
  other: "Other",
};

const commonCurrencies = ["USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "INR", "SGD"];
const fieldNames = ["category", "description", "amountMinor", "currency", "incurredAt"] as const;

type Editing = { kind: "none" } | { kind: "new" } | { kind: "edit"; cost: EventCost };

/** A date on the event's clock ("Mar 10, 2026"). */
function zonedDate(iso: string, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: "medium" }).format(new Date(iso));
}

/**
 * Cost lines in integer minor units, each in its own currency; the totals are per currency and never added across
 * currencies (that would need an exchange rate and a date, which ROI states separately).
 */
export function CostsTab({ event, reload, can }: TabProps) {
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const [notice, setNotice] = useState<NoticeState>(null);
  const base = `/api/events/${event.id}/costs`;
  const lastCurrency = event.costs.at(-1)?.currency ?? "USD";

  async function remove(cost: EventCost) {
    try {
      await api.delete(`${base}/${cost.id}`);
      await reload();
      setNotice({ ok: true, text: "Cost line removed." });
    } catch (error) {
      setNotice({ ok: false, text: toFormError(error).message });
    }
  }

  return (
    <section className="panel" aria-labelledby="costs-title">
      <div className="section-header">
        <h2 id="costs-title">Costs</h2>
        {can.edit && editing.kind === "none" && (
          <button type="button" className="button button-primary" onClick={() => setEditing({ kind: "new" })}>
            Add cost line
          </button>
        )}
      </div>
      <Notice notice={notice} />
      {event.costs.length === 0 ? (
        <p className="muted">No cost lines yet. ROI divides by these, so every line counts.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Cost lines of {event.name}</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Description</th>
                <th scope="col">Incurred</th>
                <th scope="col" className="num">
                  Amount
                </th>
                {can.edit && (
                  <th scope="col" className="actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {event.costs.map((c) => (
                <tr key={c.id}>
                  <th scope="row" data-label="Category">
                    {categoryLabels[c.category] ?? c.category}
                  </th>
                  <td data-label="Description">{c.description ?? "—"}</td>
                  <td data-label="Incurred">
                    {c.incurredAt ? zonedDate(c.incurredAt, event.timeZone) : "—"}
                  </td>
                  <td data-label="Amount" className="num">
                    {formatMoney(c.amountMinor, c.currency)}
                  </td>
                  {can.edit && (
                    <td className="actions">
                      <button
                        type="button"
                        className="button"
                        aria-label={`Edit cost line ${categoryLabels[c.category]} ${formatMoney(c.amountMinor, c.currency)}`}
                        onClick={() => {
                          setNotice(null);
                          setEditing({ kind: "edit", cost: c });
                        }}
                      >
                        Edit
                      </button>{" "}
                      <ConfirmButton
                        label="Delete"
                        subject={`cost line ${categoryLabels[c.category]} ${formatMoney(c.amountMinor, c.currency)}`}
                        confirmLabel="Delete cost line"
                        onConfirm={() => remove(c)}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
            <tfoot>
              {event.costTotals.map((t) => (
                <tr key={t.currency}>
                  <th scope="row" colSpan={3}>
                    Total in {t.currency}
                  </th>
                  <td className="num" data-testid={`cost-total-${t.currency}`}>
                    {formatMoney(t.amountMinor, t.currency)}
                  </td>
                  {can.edit && <td />}
                </tr>
              ))}
            </tfoot>
          </table>
        </div>
      )}
      {event.costTotals.length > 1 && (
        <p className="muted small">
          Totals are kept per currency; amounts in different currencies are not added.
        </p>
      )}
      {editing.kind !== "none" && (
        <div className="subpanel">
          <h3>{editing.kind === "new" ? "New cost line" : "Edit cost line"}</h3>
          <CostForm
            key={editing.kind === "edit" ? editing.cost.id : "new"}
            {...(editing.kind === "edit" ? { cost: editing.cost } : {})}
            defaultCurrency={lastCurrency}
            timeZone={event.timeZone}
            onCancel={() => setEditing({ kind: "none" })}
            onSubmit={async (body) => {
              if (editing.kind === "edit") await api.request("PATCH", `${base}/${editing.cost.id}`, body);
              else await api.post(base, body);
              await reload();
              setEditing({ kind: "none" });
              setNotice({ ok: true, text: editing.kind === "new" ? "Cost line added." : "Cost line saved." });
            }}
          />
        </div>
      )}
    </section>
  );
}

interface CostBody {
  category: CostCategory;
  description: string | null;
  amountMinor: number;
  currency: string;
  incurredAt: string | null;
}

interface CostFormProps {
  cost?: EventCost;
  defaultCurrency: string;
  timeZone: string;
  onSubmit(body: Partial<CostBody>): Promise<void>;
  onCancel(): void;
}

function CostForm({ cost, defaultCurrency, timeZone, onSubmit, onCancel }: CostFormProps) {
  const currencyList = useId();
  const [category, setCategory] = useState<CostCategory>(cost?.category ?? "venue");
  const [description, setDescription] = useState(cost?.description ?? "");
  const [currency, setCurrency] = useState(cost?.currency ?? defaultCurrency);
  const [amount, setAmount] = useState(cost ? moneyInputValue(cost.amountMinor, cost.currency) : "");
  const [incurredOn, setIncurredOn] = useState(
    cost?.incurredAt ? toZonedInput(cost.incurredAt, timeZone).slice(0, 10) : "",
  );
  const [error, setError] = useState<FormError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = currency.trim().toUpperCase();
    const parsed = parseMoneyInput(amount, code);
    if ("reason" in parsed) {
      setError(
        parsed.reason === "choose a currency first"
          ? { field: "currency", message: "a three-letter ISO 4217 code such as USD or EUR" }
          : { field: "amountMinor", message: parsed.reason },
      );
      return;
    }
    // A date on the event's clock is kept as the start of that day there.
    const incurredAt = incurredOn ? (fromZonedInput(`${incurredOn}T00:00`, timeZone) ?? null) : null;
    const body: CostBody = {
      category,
      description: description.trim() === "" ? null : description.trim(),
      amountMinor: parsed.minor,
      currency: code,
      incurredAt,
    };
    const send = cost
      ? Object.fromEntries(
          Object.entries(body).filter(([k, v]) => (cost as unknown as Record<string, unknown>)[k] !== v),
        )
      : body;
    setSaving(true);
    setError(null);
    try {
      if (Object.keys(send).length > 0) await onSubmit(send);
      else onCancel();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={cost ? "Edit cost line" : "New cost line"}>
      <fieldset disabled={saving} className="plain-fieldset">
        <div className="form-grid">
          <Field label="Category" name="category" error={error}>
            {(p) => (
              <select {...p} value={category} onChange={(e) => setCategory(e.target.value as CostCategory)}>
                {costCategories.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabels[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Description" name="description" error={error}>
            {(p) => (
              <input
                {...p}
                type="text"
                maxLength={500}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            )}
          </Field>
          <Field label="Currency" name="currency" error={error} hint="ISO 4217 code.">
            {(p) => (
              <>
                <input
                  {...p}
                  type="text"
                  list={currencyList}
                  maxLength={3}
                  autoComplete="off"
                  spellCheck={false}
                  className="input-code"
                  value={currency}
                  onChange={(e) => setCurrency(e.target.value.toUpperCase())}
                />
                <datalist id={currencyList}>
                  {commonCurrencies.map((c) => (
                    <option key={c} value={c} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field
            label={`Amount (${currency.trim().toUpperCase() || "currency"})`}
            name="amountMinor"
            error={error}
            hint="In the currency's main unit, e.g. 1250.50."
          >
            {(p) => (
              <input
                {...p}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            )}
          </Field>
          <Field label={`Incurred on (${timeZone})`} name="incurredAt" error={error} hint="Optional.">
            {(p) => (
              <input {...p} type="date" value={incurredOn} onChange={(e) => setIncurredOn(e.target.value)} />
            )}
          </Field>
        </div>
      </fieldset>
      <FormAlert error={error} fields={fieldNames} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Saving…" : cost ? "Save cost line" : "Add cost line"}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
