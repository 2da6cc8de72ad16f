import { useMemo } from "react";
import { chartColors } from "../charts/colors.ts";
import type { ChartOption } from "../charts/echarts.ts";
import { LazyChart } from "../charts/lazy-chart.tsx";
import { money } from "../impact/format.ts";
import { useApi } from "../impact/use-api.ts";
import { Link } from "../router/router.tsx";
import { DecayChart, type DecayLine, DecayTable } from "./decay-chart.tsx";
import { changeText, num, pct } from "./format.ts";
import type { DecayResult, KickoffReport } from "./types.ts";

/** The attending reps' curve (named after what it is compared with) and the reinforced reps' against the rest. */
function decayLines(attending: DecayResult, reinforced: DecayResult): DecayLine[] {
  const against =
    attending.status === "estimated" && attending.comparedWith === "own_baseline"
      ? "Attending, against own baseline"
      : "Attending, against reps who stayed away";
  return [
    { name: against, color: chartColors.outcome, band: chartColors.interval, result: attending },
    {
      name: "Reinforced, against the other attending reps",
      color: chartColors.indicatorStrong,
      band: "rgba(79, 109, 138, 0.15)",
      result: reinforced,
    },
  ];
}

function notes(...rs: DecayResult[]): string[] {
  return rs.flatMap((r) => (r.status === "estimated" ? (r.note ? [r.note] : []) : [r.message]));
}

function DecayPanel({ r }: { r: KickoffReport }) {
  const o = r.outcomes;
  const adoption =
    o.adoption.status === "measured" ? decayLines(o.adoption.decay, o.adoption.reinforcedVsRest) : null;
  const winRate = decayLines(o.winRateDecay, o.winRateReinforcedVsRest);
  return (
    <div className="panel">
      <h2>Weekly decay of the lift</h2>
      <p className="muted small">
        Each week after the kickoff: the reps' value minus their own baseline (the {r.windows.weeksBefore}{" "}
        weeks before), minus the same for the comparison group, with its 95% interval.
      </p>
      <h3>Messaging adoption</h3>
      {adoption ? (
        <>
          <DecayChart
            lines={adoption}
            percent
            label="Messaging adoption lift over the weeks after the kickoff, baseline subtracted, with 95% intervals"
          />
          <DecayTable lines={adoption} label="Adoption lift by week" />
          {notes(...adoption.map((l) => l.result)).map((n) => (
            <p key={n} className="muted small">
              {n}
            </p>
          ))}
        </>
      ) : (
        <p className="muted">No adoption to follow without a glossary.</p>
      )}
      <h3>Win rate</h3>
      <DecayChart
        lines={winRate}
        percent
        label="Win-rate lift over the weeks after the kickoff, baseline subtracted, with 95% intervals"
      />
      <DecayTable lines={winRate} label="Win-rate lift by week" />
      {notes(...winRate.map((l) => l.result)).map((n) => (
        <p key={n} className="muted small">
          {n}
        </p>
      ))}
    </div>
  );
}

function TeamsTable({ r }: { r: KickoffReport }) {
  return (
    <div className="panel panel-flush">
      <table className="data-table" aria-label="Teams">
        <caption className="muted small">Every rep of each team, before → after the kickoff</caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" className="num">
              Reps
            </th>
            <th scope="col" className="num">
              Win rate
            </th>
            <th scope="col" className="num">
              Cycle days
            </th>
            <th scope="col" className="num">
              Won deal size
            </th>
            <th scope="col" className="num">
              Adoption
            </th>
          </tr>
        </thead>
        <tbody>
          {r.teams.map((t) => (
            <tr key={t.team}>
              <th scope="row">{t.team}</th>
              <td className="num">{t.reps}</td>
              <td className="num">
                {pct(t.before.winRate)} ({t.before.closed}) → {pct(t.after.winRate)} ({t.after.closed})
              </td>
              <td className="num">
                {num(t.before.meanCycleDays, 1)} → {num(t.after.meanCycleDays, 1)}
              </td>
              <td className="num">
                {money(t.before.meanDealSizeMinor)} → {money(t.after.meanDealSizeMinor)}
              </td>
              <td className="num">
                {pct(t.adoptionBefore)} → {pct(t.adoptionAfter)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AdoptionChart({
  weekly,
}: {
  weekly: { week: number; adoption: number | null; complete: boolean }[];
}) {
  const option = useMemo<ChartOption>(
    () => ({
      color: [chartColors.outcome],
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: weekly.map((w) => `wk ${w.week}${w.complete ? "" : " (open)"}`) },
      yAxis: { type: "value", min: 0, max: 1, splitLine: { lineStyle: { color: chartColors.grid } } },
      series: [{ name: "Adoption", type: "line", data: weekly.map((w) => w.adoption), connectNulls: false }],
    }),
    [weekly],
  );
  return (
    <LazyChart option={option} label="Messaging adoption of attending reps, week by week after the kickoff" />
  );
}

/** The sales kickoff: selling behaviour before and after, the lift kept by reinforcement, adoption and its decay. */
export function KickoffView({ eventId }: { eventId: string }) {
  const state = useApi<KickoffReport>(`/api/events/${eventId}/kickoff`, {});
  if (state.status === "loading") return <p className="muted">Loading the kickoff report…</p>;
  if (state.status === "error") return <p role="alert">Could not load the kickoff report: {state.message}</p>;
  const r = state.data;
  const o = r.outcomes;
  const h = o.liftHalfLife;
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <p className="small">
            <Link to="/movement">Movement</Link>
          </p>
          <h1 id="page-title" tabIndex={-1}>
            {r.event.name}
          </h1>
          <p className="muted">
            As of {r.asOf.slice(0, 10)} · {r.indicators.attendingReps} of {r.indicators.reps} reps attended,{" "}
            {r.indicators.reinforcedReps} reinforced · certification{" "}
            {pct(r.indicators.meanCertificationScore)} ({r.indicators.certifiedReps} reps)
          </p>
        </div>
      </header>
      <div className="panel">
        <h2>Selling behaviour of attending reps</h2>
        <table className="data-table" aria-label="Selling behaviour before and after">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="num">
                Before → after
              </th>
              <th scope="col" className="num">
                Change [95%]
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Win rate</th>
              <td className="num">
                {pct(o.winRate.before)} → {pct(o.winRate.after)}
              </td>
              <td className="num">{changeText(o.winRate.change)}</td>
            </tr>
            <tr>
              <th scope="row">Win rate, reinforced reps vs reps who stayed away</th>
              <td className="num" />
              <td className="num">{changeText(o.winRate.reinforcedVsAbsent)}</td>
            </tr>
            <tr>
              <th scope="row">Cycle (days)</th>
              <td className="num">
                {num(o.cycleDays.before, 0)} → {num(o.cycleDays.after, 0)}
              </td>
              <td className="num">{changeText(o.cycleDays.change, 1)}</td>
            </tr>
            <tr>
              <th scope="row">Won deal size</th>
              <td className="num">
                {money(o.dealSizeMinor.before)} → {money(o.dealSizeMinor.after)}
              </td>
              <td className="num">{changeText(o.dealSizeMinor.change, 0, 0.01)}</td>
            </tr>
          </tbody>
        </table>
        <p>
          {h.status === "estimated"
            ? `Lift at the kickoff ${num(h.lift, 3)}${h.liftCi ? ` [${num(h.liftCi[0], 3)}, ${num(h.liftCi[1], 3)}]` : ""}; without reinforcement it halves every ${num(h.halfLifeWeeks)} weeks [${num(h.halfLifeCi[0])}, ${h.halfLifeCi[1] === null ? "not bounded" : num(h.halfLifeCi[1])}].`
            : h.message}
        </p>
      </div>
      <div className="panel">
        <h2>Messaging adoption</h2>
        {o.adoption.status === "no_glossary" ? (
          <p role="status">{o.adoption.message}</p>
        ) : (
          <>
            <p>
              Notes using the new positioning: {pct(o.adoption.before)} before → {pct(o.adoption.after)} after
              ({o.adoption.glossary.length} glossary phrases).
            </p>
            <AdoptionChart weekly={o.adoption.weekly} />
          </>
        )}
        {r.alerts.length > 0 && (
          <>
            <h3>Below the threshold</h3>
            <ul>
              {r.alerts.map((a) => (
                <li key={a.repId}>
                  {a.name} ({a.team}): {pct(a.adoption)} in weeks {a.weeks[0]}–{a.weeks[1]}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <DecayPanel r={r} />
      <TeamsTable r={r} />
      <div className="panel panel-flush">
        <table className="data-table" aria-label="Reps">
          <thead>
            <tr>
              <th scope="col">Rep</th>
              <th scope="col">Team</th>
              <th scope="col">Kickoff</th>
              <th scope="col" className="num">
                Win rate before → after
              </th>
              <th scope="col" className="num">
                Adoption before → after
              </th>
              <th scope="col" className="num">
                Certification
              </th>
            </tr>
          </thead>
          <tbody>
            {r.reps.map((rep) => (
              <tr key={rep.userId}>
                <th scope="row">{rep.name}</th>
                <td>{rep.team}</td>
                <td>{!rep.attended ? "absent" : rep.reinforced ? "reinforced" : "attended"}</td>
                <td className="num">
                  {pct(rep.before.winRate)} ({rep.before.closed}) → {pct(rep.after.winRate)} (
                  {rep.after.closed})
                </td>
                <td className="num">
                  {pct(rep.adoption.before)} → {pct(rep.adoption.after)}
                </td>
                <td className="num">{pct(rep.certificationScore)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
