import { useState } from "react";
import { eventFormatLabels } from "../events/format.ts";
import { Link, navigate, useSearch } from "../router/router.tsx";
import { money, roiText } from "./format.ts";
import { horizons, type ModelName, modelLabels, type Portfolio } from "./types.ts";
import { useApi } from "./use-api.ts";

/** Every event ranked by ROI at a horizon (or each at its headline horizon), indicators beside, never blended. */
export function PortfolioView() {
  const params = new URLSearchParams(useSearch());
  const horizon = params.get("horizon") ?? "";
  const model = (params.get("model") ?? "linear") as ModelName;
  const [attempt, setAttempt] = useState(0);
  const state = useApi<Portfolio>("/api/portfolio", { horizon: horizon || undefined, model }, attempt);
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    const text = next.toString();
    navigate(text ? `/impact?${text}` : "/impact", { replace: true });
  };

  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Impact
          </h1>
          <p className="muted">
            What each event returned, by when: ROI = (attributed won revenue + weighted open pipeline +
            acceleration − cost) / cost, as known on each horizon's day.
          </p>
        </div>
      </header>
      <div className="toolbar">
        <div className="field-inline">
          <label htmlFor="portfolio-horizon">Horizon</label>
          <select
            id="portfolio-horizon"
            value={horizon}
            onChange={(e) => setParam("horizon", e.target.value)}
          >
            <option value="">Headline (tactical 90 d, strategic 365 d)</option>
            {horizons.map((h) => (
              <option key={h} value={h}>
                {h} days after the event
              </option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor="portfolio-model">Model</label>
          <select id="portfolio-model" value={model} onChange={(e) => setParam("model", e.target.value)}>
            {Object.entries(modelLabels).map(([name, label]) => (
              <option key={name} value={name}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {state.status === "loading" && (
        <p className="muted" aria-live="polite">
          Loading the portfolio…
        </p>
      )}
      {state.status === "error" && (
        <div className="alert alert-error" role="alert">
          <p>Could not load the portfolio: {state.message}</p>
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {state.status === "ready" && state.data.events.length === 0 && (
        <div className="panel empty">
          <h2>No events yet</h2>
          <p className="muted">Events appear here once they are created or imported.</p>
        </div>
      )}
      {state.status === "ready" && state.data.events.length > 0 && (
        <div className="panel panel-flush">
          <table className="data-table" aria-label="Events ranked by ROI">
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rank
                </th>
                <th scope="col">Event</th>
                <th scope="col" className="num">
                  Horizon
                </th>
                <th scope="col" className="num">
                  Registrations
                </th>
                <th scope="col" className="num">
                  Leads
                </th>
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
              {state.data.events.map((e) => (
                <tr key={e.eventId}>
                  <td className="num">{e.rank ?? "–"}</td>
                  <th scope="row">
                    <Link to={`/impact/events/${e.eventId}`}>{e.name}</Link>
                    <span className={`tag tag-${e.format}`}>{eventFormatLabels[e.format]}</span>
                    <span className="sub">ends {e.endsAt.slice(0, 10)}</span>
                  </th>
                  <td className="num">{e.horizon} d</td>
                  <td className="num">{e.indicators.registrations}</td>
                  <td className="num">{e.indicators.leads}</td>
                  <td className="num">{money(e.value)}</td>
                  <td className="num">{money(e.cost)}</td>
                  <td className="num" title={e.reason}>
                    {roiText(e.roi, e.known)}
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
