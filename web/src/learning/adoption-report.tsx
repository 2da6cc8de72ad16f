import { useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import { Link } from "../router/router.tsx";
import { type AdoptionView, num, pct } from "./report-types.ts";

/** Customer adoption after a training: independent use against matched untrained customers, tickets, sessions. */
export function AdoptionReport({ eventId }: { eventId: string }) {
  const [data, setData] = useState<AdoptionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<AdoptionView>(`/api/events/${eventId}/adoption`)
      .then(setData)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [eventId]);
  const measured = data?.outcomes.independentUse.filter((u) => u.status === "measured") ?? [];
  const option = useMemo<ChartOption | null>(() => {
    if (measured.length === 0) return null;
    return {
      color: [chartColors.outcome, chartColors.indicator],
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, data: ["Trained", "Matched untrained"] },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: measured.map((u) => `${u.horizonDays} d`) },
      yAxis: { type: "value", min: 0, max: 1, name: "share used on their own" },
      series: [
        { name: "Trained", type: "bar", data: measured.map((u) => Number((u.trainedShare ?? 0).toFixed(3))) },
        {
          name: "Matched untrained",
          type: "bar",
          data: measured.map((u) => Number((u.controlShare ?? 0).toFixed(3))),
        },
      ],
    };
  }, [measured]);
  const t = data?.outcomes.supportTickets;
  const first = data?.outcomes.learners.timeToFirstIndependentUse;
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <p className="muted small">
          <Link to="/learning">Learning</Link> / adoption report
        </p>
        <h1 id="page-title" tabIndex={-1}>
          {data?.eventName ?? "Adoption report"}
        </h1>
        {data && <p className="muted">Trained features: {data.trainedFeatures.join(", ") || "none named"}</p>}
      </header>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <>
          <h2 className="ledger-title">Outcomes</h2>
          <div className="learning-grid">
            {data.outcomes.independentUse.map((u) => (
              <div className="metric" key={u.horizonDays}>
                <div className="muted small">Independent use lift at {u.horizonDays} days</div>
                {u.status === "measured" && u.lift ? (
                  <>
                    <div className="metric-value">{pct(u.lift.estimate, 1)}</div>
                    <div className="muted small">
                      95% interval {pct(u.lift.ci[0], 1)} to {pct(u.lift.ci[1], 1)}; trained{" "}
                      {pct(u.trainedShare)} vs {pct(u.controlShare)} ({u.matchedSets} matched accounts)
                    </div>
                  </>
                ) : (
                  <div className="muted">{u.note}</div>
                )}
              </div>
            ))}
            <div className="metric">
              <div className="muted small">Tickets on trained topics (DiD per account)</div>
              {t?.status === "measured" ? (
                <>
                  <div className="metric-value">{num(t.estimate)}</div>
                  <div className="muted small">
                    95% interval {num(t.ci?.[0])} to {num(t.ci?.[1])}, {t.windowDays} days before vs after
                  </div>
                </>
              ) : (
                <div className="muted">{t?.note}</div>
              )}
            </div>
            <div className="metric">
              <div className="muted small">Time to first independent use</div>
              <div className="metric-value">
                {first?.medianDays === null ? "–" : `${num(first?.medianDays, 0)} d`}
              </div>
              <div className="muted small">
                median among {first?.used} of {first?.trained} trained learner × feature pairs who used it
              </div>
            </div>
            <div className="metric">
              <div className="muted small">Clarity (scenario items)</div>
              <div className="metric-value">{num(data.outcomes.clarity.score, 0)}</div>
              <div className="muted small">right and sure, of {data.outcomes.clarity.n} answers</div>
            </div>
          </div>
          {option && (
            <div className="panel">
              <h3>Used the trained features on their own</h3>
              <LazyChart
                option={option}
                label="Bar chart of independent use, trained against matched untrained customers"
                height={240}
              />
            </div>
          )}
          <div className="panel panel-flush">
            <h3 style={{ padding: "0.75rem 0.75rem 0" }}>Sessions</h3>
            <table className="data-table" aria-label="Sessions">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Topics per hour</th>
                  <th scope="col">Post mean</th>
                  <th scope="col">Independent use</th>
                </tr>
              </thead>
              <tbody>
                {data.sessions.map((s) => (
                  <tr key={s.sessionId}>
                    <th scope="row">{s.title}</th>
                    <td>
                      {num(s.topicsPerHour, 1)} {s.overloaded && <span className="flag">overloaded</span>}
                    </td>
                    <td>
                      {s.outcomes.postMeanPercent === null ? "–" : `${num(s.outcomes.postMeanPercent, 0)}%`}
                    </td>
                    <td>
                      {s.outcomes.independentUse
                        ? `${pct(s.outcomes.independentUse.share)} by ${s.outcomes.independentUse.horizonDays} d`
                        : "–"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 className="ledger-title">Indicators</h2>
          <p className="muted">
            {data.indicators.trainedPeople} people trained from {data.indicators.trainedAccounts} accounts;{" "}
            {data.indicators.candidateControlAccounts} untrained customer accounts to compare with.
          </p>
        </>
      )}
    </section>
  );
}
