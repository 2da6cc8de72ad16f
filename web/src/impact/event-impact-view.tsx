import { useState } from "react";
import { eventFormatLabels } from "../events/format.ts";
import { Link, navigate, useSearch } from "../router/router.tsx";
import { day, money, percent, roiText } from "./format.ts";
import { MovementLedger } from "./movement-ledger.tsx";
import { OfflineOnlineChart } from "./offline-online-chart.tsx";
import { RoiCurveChart } from "./roi-curve-chart.tsx";
import { type EventImpact, horizons, type ModelName, modelLabels, type OutcomeLine } from "./types.ts";
import { useApi } from "./use-api.ts";

/** One event: the indicators and outcomes ledgers side by side, the ROI curve, models, and offline vs online. */
export function EventImpactView({ eventId }: { eventId: string }) {
  const params = new URLSearchParams(useSearch());
  const horizon = params.get("horizon") ?? "";
  const model = (params.get("model") ?? "linear") as ModelName;
  const [attempt, setAttempt] = useState(0);
  const state = useApi<EventImpact>(
    `/api/events/${encodeURIComponent(eventId)}/impact`,
    { horizon: horizon || undefined, model },
    attempt,
  );
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    const text = next.toString();
    navigate(`/impact/events/${eventId}${text ? `?${text}` : ""}`, { replace: true });
  };

  if (state.status === "loading") {
    return (
      <p className="muted" aria-live="polite">
        Loading the impact report…
      </p>
    );
  }
  if (state.status === "error") {
    return (
      <div className="alert alert-error" role="alert">
        <p>
          {state.code === "not_found"
            ? "There is no such event."
            : `Could not load the report: ${state.message}`}
        </p>
        <p>
          <Link to="/impact">Back to the portfolio</Link>
        </p>
        {state.code !== "not_found" && (
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        )}
      </div>
    );
  }
  const r = state.data;
  const c = r.currency;
  const i = r.indicators;
  const o = r.outcomes;
  const pipelineBasis = r.accelerationBasis === "open_pipeline_days_to_next_stage";
  const line = (label: string, l: OutcomeLine) => (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{l.opportunities}</td>
      <td className="num">{money(l.amount, c)}</td>
      <td className="num">{money(l.attributed, c)}</td>
    </tr>
  );
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <p className="small">
            <Link to="/impact">← Portfolio</Link>
          </p>
          <h1 id="page-title" tabIndex={-1}>
            {r.event.name}
            <span className={`tag tag-${r.event.format}`}>{eventFormatLabels[r.event.format]}</span>
          </h1>
          <p className="muted">
            {day(r.event.startsAt)} to {day(r.event.endsAt)}. Outcomes as of {day(o.asOf)} ({r.horizon} days
            after the event; headline horizon for this format: {r.headlineHorizon} days).
          </p>
        </div>
      </header>
      {r.warnings.map((w) => (
        <div key={w} className="alert" role="status">
          {w}
        </div>
      ))}
      <div className="toolbar">
        <div className="field-inline">
          <label htmlFor="impact-horizon">Outcomes at</label>
          <select id="impact-horizon" value={horizon} onChange={(e) => setParam("horizon", e.target.value)}>
            <option value="">Headline ({r.headlineHorizon} days)</option>
            {horizons.map((h) => (
              <option key={h} value={h}>
                {h} days
              </option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor="impact-model">Attribution model</label>
          <select id="impact-model" value={model} onChange={(e) => setParam("model", e.target.value)}>
            {Object.entries(modelLabels).map(([name, label]) => (
              <option key={name} value={name}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div
        className="ledgers"
        style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(20rem, 1fr))", gap: "1rem" }}
      >
        <section className="panel" aria-labelledby="indicators-title">
          <h2 id="indicators-title">Indicators</h2>
          <p className="muted small">Activity. Not added to the outcomes.</p>
          <table className="data-table">
            <tbody>
              <tr>
                <th scope="row">Registrations</th>
                <td className="num">{i.registrations}</td>
              </tr>
              <tr>
                <th scope="row">Attended</th>
                <td className="num">
                  {i.attended} ({percent(i.attendanceRate)})
                </td>
              </tr>
              <tr>
                <th scope="row">Engaged people</th>
                <td className="num">
                  {i.engagement.engagedPeople} ({percent(i.engagement.engagedShare)} of attendees)
                </td>
              </tr>
              <tr>
                <th scope="row">Leads (A / B / C)</th>
                <td className="num">
                  {i.leads.captured} ({i.leads.tierA} / {i.leads.tierB} / {i.leads.tierC})
                </td>
              </tr>
              <tr>
                <th scope="row">Satisfaction</th>
                <td className="num">
                  {i.satisfaction.averageRating === null
                    ? "–"
                    : `${i.satisfaction.averageRating.toFixed(1)} / 5 (${i.satisfaction.responses})`}
                </td>
              </tr>
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="outcomes-title">
          <h2 id="outcomes-title">Outcomes</h2>
          <p className="muted small">
            Deals the event touched, their amount, and the part {modelLabels[r.model]} credits to the event.
          </p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col" className="num">
                  Deals
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Attributed
                </th>
              </tr>
            </thead>
            <tbody>
              {line("Sourced pipeline", o.sourcedPipeline)}
              {line("Influenced pipeline", o.influencedPipeline)}
              {line("Won revenue", o.wonRevenue)}
              {line("Open pipeline (weighted)", o.weightedPipeline)}
              <tr>
                <th scope="row">{pipelineBasis ? "Deals won sooner (not in ROI)" : "Acceleration"}</th>
                <td className="num">{o.acceleration.matched}</td>
                <td className="num">
                  {o.acceleration.daysSavedMean === null
                    ? "–"
                    : `${o.acceleration.daysSavedMean.toFixed(1)} days saved`}
                </td>
                <td
                  className="num"
                  title={o.acceleration.counted ? undefined : "interval includes zero: not counted"}
                >
                  {money(o.acceleration.value, c)}
                </td>
              </tr>
            </tbody>
          </table>
          {pipelineBasis && (
            <p className="muted small">
              For a roundtable, ROI counts open pipeline reaching its next stage sooner than at matched
              accounts (pipeline acceleration value below), not deals won sooner: the same days would
              otherwise count twice.
            </p>
          )}
        </section>
      </div>
      <MovementLedger entries={o.movement} currency={c} />

      <section className="panel" aria-labelledby="roi-title">
        <h2 id="roi-title">ROI over time</h2>
        <p className="muted small">
          What was known on each day after the event; ★ marks the headline horizon.
        </p>
        <RoiCurveChart points={r.roi} headline={r.headlineHorizon} />
        <table className="data-table" aria-label="ROI by horizon">
          <thead>
            <tr>
              <th scope="col">Horizon</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                ROI
              </th>
            </tr>
          </thead>
          <tbody>
            {r.roi.map((p) => (
              <tr key={p.horizon}>
                <th scope="row">
                  {p.horizon} days <span className="sub">{day(p.asOf)}</span>
                </th>
                <td className="num">{money(p.value, c)}</td>
                <td className="num">{money(p.cost, c)}</td>
                <td className="num" title={p.reason}>
                  {roiText(p.roi, p.known)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="models-title">
        <h2 id="models-title">By attribution model</h2>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Sourced
              </th>
              <th scope="col" className="num">
                Influenced
              </th>
              <th scope="col" className="num">
                Won revenue
              </th>
              <th scope="col" className="num">
                Weighted pipeline
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(o.byModel).map(([name, m]) => (
              <tr key={name} aria-current={name === r.model ? "true" : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => setParam("model", name)}
                  >
                    {modelLabels[name as ModelName] ?? name}
                  </button>
                </th>
                <td className="num">{money(m.sourcedPipeline, c)}</td>
                <td className="num">{money(m.influencedPipeline, c)}</td>
                <td className="num">{money(m.wonRevenue, c)}</td>
                <td className="num">{money(m.weightedPipeline, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="offline-title">
        <h2 id="offline-title">Offline vs online</h2>
        <p className="muted small">
          The same model with every touch and with online touches only (what a digital-only tool sees). Credit
          to this event: {money(r.offlineVsOnline.event.all.wonRevenue, c)} won revenue with every touch,{" "}
          {money(r.offlineVsOnline.event.onlineOnly.wonRevenue, c)} online only.
        </p>
        <OfflineOnlineChart comparison={r.offlineVsOnline} />
      </section>
    </section>
  );
}
