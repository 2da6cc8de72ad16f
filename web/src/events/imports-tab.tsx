import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import type { TabProps } from "./event-page.tsx";
import type { ImportResult } from "./event-types.ts";
import { Field, FormAlert, type FormError, toFormError } from "./form-errors.tsx";
import { formatCount } from "./format.ts";

type Source = "zoom" | "eventbrite";

const sources: { value: Source; label: string; hint: string }[] = [
  {
    value: "zoom",
    label: "Zoom webinar attendee report",
    hint: "Zoom: Reports → Webinars → Attendee report, exported as CSV. Times are read on the event's clock.",
  },
  {
    value: "eventbrite",
    label: "Eventbrite attendee export",
    hint: "Eventbrite: Manage attendees → Export, as CSV.",
  },
];

/** The largest file sent (the API takes 50 million characters). */
const MAX_BYTES = 50_000_000;

/**
 * Imports of what staff already have: a Zoom attendee report or an Eventbrite export. People are matched by email,
 * importing the same file again adds nothing, and rows with problems are skipped and listed by row number.
 */
export function ImportsTab({ event }: TabProps) {
  const [source, setSource] = useState<Source>(event.type === "webinar" ? "zoom" : "eventbrite");
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ fileName: string; source: Source; report: ImportResult } | null>(
    null,
  );

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) {
      setError({ field: "file", message: "choose the CSV file to import" });
      return;
    }
    if (file.size > MAX_BYTES) {
      setError({ field: "file", message: "the file is larger than 50 MB; split it and import the parts" });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const csv = await file.text();
      const report = await api.post<ImportResult>(`/api/events/${event.id}/imports/${source}`, {
        fileName: file.name,
        csv,
      });
      setResult({ fileName: file.name, source, report });
    } catch (err) {
      const formError = toFormError(err);
      // The API names the body's csv or fileName; beside the form that is the file.
      setError(
        formError.field === "csv" || formError.field === "fileName"
          ? { ...formError, field: "file" }
          : formError,
      );
    } finally {
      setBusy(false);
    }
  }

  const hint = sources.find((s) => s.value === source)?.hint;
  return (
    <>
      <section className="panel" aria-labelledby="imports-title">
        <h2 id="imports-title">Imports</h2>
        <p className="muted">
          Attendance and registrations from another system. Importing the same file again changes nothing.
        </p>
        <form onSubmit={submit} noValidate aria-label="Import a file">
          <fieldset disabled={busy} className="plain-fieldset">
            <div className="form-grid">
              <Field label="What the file is" name="source" error={error} hint={hint}>
                {(p) => (
                  <select {...p} value={source} onChange={(e) => setSource(e.target.value as Source)}>
                    {sources.map((s) => (
                      <option key={s.value} value={s.value}>
                        {s.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="CSV file" name="file" error={error}>
                {(p) => (
                  <input
                    {...p}
                    type="file"
                    accept=".csv,text/csv"
                    onChange={(e) => {
                      setFile(e.target.files?.[0] ?? null);
                      setError(null);
                    }}
                  />
                )}
              </Field>
            </div>
          </fieldset>
          <FormAlert error={error} fields={["source", "file"]} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? "Importing…" : "Import"}
            </button>
          </div>
        </form>
      </section>
      {result && <ImportReport {...result} />}
    </>
  );
}

function ImportReport({
  fileName,
  source,
  report,
}: {
  fileName: string;
  source: Source;
  report: ImportResult;
}) {
  const skipped = report.errors.length;
  return (
    <section className="panel" aria-labelledby="import-report-title">
      <h2 id="import-report-title">Imported {fileName}</h2>
      {source === "zoom" && report.topic && (
        <p className="muted small">
          Webinar “{report.topic}”{report.webinarId ? ` (ID ${report.webinarId})` : ""}
        </p>
      )}
      <dl className="stats">
        <div>
          <dt>Rows read</dt>
          <dd>{formatCount(report.rowsRead)}</dd>
        </div>
        <div>
          <dt>People</dt>
          <dd>{formatCount(report.people)}</dd>
        </div>
        <div>
          <dt>Registrations created</dt>
          <dd>{formatCount(report.registrationsCreated)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatCount(report.registrationsUpdated)}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{formatCount(report.registrationsUnchanged)}</dd>
        </div>
        <div>
          <dt>Touchpoints added</dt>
          <dd>{formatCount(report.touchpointsAdded)}</dd>
        </div>
        <div>
          <dt>Rows skipped</dt>
          <dd>{formatCount(skipped)}</dd>
        </div>
      </dl>
      {skipped === 0 ? (
        <p>Every row was imported.</p>
      ) : (
        <>
          <h3>
            {skipped} row{skipped === 1 ? " was" : "s were"} skipped
          </h3>
          <p className="muted small">
            Row numbers count records in the file; fix these rows and import the file again (the rest is
            already in).
          </p>
          <table className="data-table">
            <caption className="visually-hidden">Rows skipped in {fileName}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e) => (
                <tr key={`${e.row}:${e.field}`}>
                  <th scope="row" className="num" data-label="Row">
                    {e.row}
                  </th>
                  <td data-label="Column">{e.field}</td>
                  <td data-label="Problem">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
