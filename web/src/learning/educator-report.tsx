import { useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import { Link } from "../router/router.tsx";
import { type LearningReportView, num, pct } from "./report-types.ts";

/** The educator report of one activity: indicators and outcomes in separate ledgers, charts and tables. */
export function EducatorReport({ eventId }: { eventId: string }) {
  const [data, setData] = useState<LearningReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<LearningReportView>(`/api/events/${eventId}/learning`)
      .then(setData)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [eventId]);

  const report = data?.report ?? null;
  const k = report?.outcomes.knowledge;
  const retentionOption = useMemo<ChartOption | null>(() => {
    if (!k || k.post.meanPercent === null) return null;
    const points: [string, number | null][] = [
      ["pre", k.pre.meanPercent],
      ["post", k.post.meanPercent],
      ...k.delayed.map((d): [string, number | null] => [`${d.delayDays} d`, d.meanPercent]),
    ];
    return {
      color: [chartColors.outcome],
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: points.map((p) => p[0]) },
      yAxis: { type: "value", min: 0, max: 100, name: "mean %" },
      series: [
        {
          name: "Mean score",
          type: "line",
          data: points.map((p) => (p[1] === null ? null : Number(p[1].toFixed(1)))),
        },
      ],
    };
  }, [k]);
  const calibrationOption = useMemo<ChartOption | null>(() => {
    const bins = k?.calibration.post.bins;
    if (!bins || k.calibration.post.n === 0) return null;
    return {
      color: [chartColors.indicator, chartColors.outcome],
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, data: ["Stated", "Actual"] },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: bins.map((b) => `step ${b.step} (n=${b.n})`) },
      yAxis: { type: "value", min: 0, max: 1 },
      series: [
        { name: "Stated", type: "bar", data: bins.map((b) => b.probability) },
        {
          name: "Actual",
          type: "bar",
          data: bins.map((b) => (b.accuracy === null ? null : Number(b.accuracy.toFixed(3)))),
        },
      ],
    };
  }, [k]);

  const text = new Map(data?.itemText.map((t) => [t.itemId, t.prompt]) ?? []);
  const levels = report?.outcomes.moore.levels ?? [];
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <p className="muted small">
          <Link to="/learning">Learning</Link> / learning report
        </p>
        <h1 id="page-title" tabIndex={-1}>
          {data?.eventName ?? "Learning report"}
        </h1>
      </header>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {data && !report && (
        <p className="panel empty">No assessment answers, attendance or ratings for this activity yet.</p>
      )}
      {data && report && k && (
        <>
          <h2 className="ledger-title">Outcomes</h2>
          <div className="learning-grid">
            <div className="metric" data-testid="gain">
              <div className="muted small">{data.headline?.gainLabel}</div>
              <div className="metric-value">
                {data.baseline === "present" ? num(data.headline?.gainOfClassAverages) : data.baseline}
              </div>
              <div className="muted small">
                pre {num(k.pre.meanPercent, 1)}% → post {num(k.post.meanPercent, 1)}%, matched n=
                {k.matchedPrePost}; mean of learner gains {num(data.headline?.meanOfLearnerGains)}
              </div>
            </div>
            {k.retention.map((r) => (
              <div className="metric" key={r.delayDays}>
                <div className="muted small">Retention at {r.delayDays} days</div>
                <div className="metric-value">{pct(r.ratio)}</div>
                <div className="muted small">
                  of the post score; matched learners {pct(r.matched.ratio)} (n={r.matched.n})
                </div>
              </div>
            ))}
            <div className="metric">
              <div className="muted small">Confident and wrong</div>
              <div className="metric-value">{pct(report.outcomes.misconceptions.share, 1)}</div>
              <div className="muted small">of rated answers: misconceptions</div>
            </div>
            <div className="metric">
              <div className="muted small">Commitments implemented</div>
              <div className="metric-value">{pct(report.outcomes.commitments.implementedShare)}</div>
              <div className="muted small">
                {report.outcomes.commitments.followedUp} of {report.outcomes.commitments.total} answered
              </div>
            </div>
          </div>
          <div className="learning-grid">
            <div className="panel">
              <h3>Retention curve</h3>
              {retentionOption ? (
                <LazyChart
                  option={retentionOption}
                  label="Line chart of mean scores before, after and at each delay"
                  height={220}
                />
              ) : (
                <p className="muted">No post-test yet.</p>
              )}
            </div>
            <div className="panel">
              <h3>Calibration (post)</h3>
              {calibrationOption ? (
                <LazyChart
                  option={calibrationOption}
                  label="Bar chart of stated confidence against actual accuracy per step"
                  height={220}
                />
              ) : (
                <p className="muted">No rated post answers yet.</p>
              )}
              <p className="muted small">
                Brier {num(k.calibration.post.brier, 3)} · ECE {num(k.calibration.post.ece, 3)} ·
                overconfidence {num(k.calibration.post.overconfidence, 3)}
              </p>
            </div>
            <div className="panel">
              <h3>Outcome level (Moore)</h3>
              <ol className="pyramid" aria-label="Outcome levels reached, highest first">
                {[...levels].reverse().map((l, i) => (
                  <li
                    key={l.level}
                    className={l.reached ? "reached" : ""}
                    style={{ width: `${60 + i * 8}%` }}
                  >
                    <strong>{l.level}</strong> {l.reached ? "reached" : "not reached"}
                    <div className="small muted">{l.evidence}</div>
                  </li>
                ))}
              </ol>
            </div>
          </div>
          <div className="panel panel-flush">
            <h3 style={{ padding: "0.75rem 0.75rem 0" }}>Item analysis</h3>
            <table className="data-table" aria-label="Item analysis">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Objective</th>
                  <th scope="col">Level</th>
                  <th scope="col">Facility pre</th>
                  <th scope="col">Facility post</th>
                  <th scope="col">Discrimination</th>
                  <th scope="col">Confident and wrong</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((i) => (
                  <tr key={i.itemId}>
                    <th scope="row">{text.get(i.itemId) ?? i.itemId}</th>
                    <td>{i.objectiveId}</td>
                    <td>{i.level}</td>
                    <td>{pct(i.facility.pre)}</td>
                    <td>{pct(i.facility.post)}</td>
                    <td>{num(i.discrimination)}</td>
                    <td>
                      {i.confidentWrong.count} of {i.confidentWrong.rated}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small" style={{ padding: "0 0.75rem 0.75rem" }}>
              Cronbach's α (post) {num(report.outcomes.reliability.post.alpha)} over{" "}
              {report.outcomes.reliability.post.completeLearners} complete learners.
            </p>
          </div>
          <div className="panel">
            <h3>Misconceptions by objective</h3>
            {report.outcomes.misconceptions.byObjective.length === 0 ? (
              <p className="muted">No confident-and-wrong answers.</p>
            ) : (
              <ul>
                {report.outcomes.misconceptions.byObjective.map((m) => (
                  <li key={m.objectiveId}>
                    {m.objectiveId}: {m.count} of {m.rated} answers confident and wrong ({pct(m.share)})
                  </li>
                ))}
              </ul>
            )}
          </div>
          <h2 className="ledger-title">Indicators</h2>
          <div className="learning-grid">
            <div className="metric">
              <div className="muted small">Participants</div>
              <div className="metric-value">{report.indicators.participation.participants}</div>
              <div className="muted small">
                attended {report.indicators.participation.attended}; pre{" "}
                {report.indicators.participation.preTakers}, post {report.indicators.participation.postTakers}
              </div>
            </div>
            <div className="metric">
              <div className="muted small">Satisfaction (1–5)</div>
              <div className="metric-value">{num(report.indicators.satisfaction.mean, 1)}</div>
              <div className="muted small">n={report.indicators.satisfaction.n}</div>
            </div>
            <div className="metric">
              <div className="muted small">Reinforcement drills (practice)</div>
              <div className="metric-value">{data.reinforcement.reviews}</div>
              <div className="muted small">{data.reinforcement.note}</div>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
