import { FollowUpTimeChart } from "./follow-up-time-chart.tsx";
import { duration, pct, points, STEP_LABELS } from "./format.ts";
import type { Funnel, GroupConversion } from "./types.ts";

/** The continuity funnel of one event: each link with its count and drop-off, then where and why it broke. */
export function FunnelPanel({ funnel }: { funnel: Funnel }) {
  return (
    <>
      <section className="panel" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Continuity funnel</h2>
        <p className="muted small">
          A lead reaches a link only if it reached every link before it; "lost here" is where continuity
          broke.
        </p>
        <div className="table-scroll">
          <table className="data-table lead-compact">
            <thead>
              <tr>
                <th scope="col">Link</th>
                <th scope="col" className="num">
                  Leads
                </th>
                <th scope="col" className="num">
                  Of captured
                </th>
                <th scope="col" className="num phone-hide">
                  From previous
                </th>
                <th scope="col" className="num">
                  Lost here
                </th>
                <th scope="col" className="num phone-hide">
                  Passed on its own
                </th>
              </tr>
            </thead>
            <tbody>
              {funnel.links.map((l) => (
                <tr key={l.step} data-step={l.step}>
                  <th scope="row">{STEP_LABELS[l.step] ?? l.step}</th>
                  <td className="num" data-label="Leads">
                    {l.reached}
                  </td>
                  <td className="num" data-label="Of captured">
                    {pct(l.shareOfCaptured)}
                  </td>
                  <td className="num phone-hide" data-label="From previous">
                    {pct(l.conversionFromPrevious)}
                  </td>
                  <td className="num" data-label="Lost here">
                    {l.dropped}
                  </td>
                  <td className="num phone-hide" data-label="Passed on its own">
                    {l.passed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="lead-columns">
        <section className="panel" aria-labelledby="time-title">
          <h2 id="time-title">Time to first follow-up</h2>
          <p className="small">
            {funnel.timeToFollowUp.hours
              ? `Median ${duration(funnel.timeToFollowUp.hours.p50)}; 90% within ${duration(funnel.timeToFollowUp.hours.p90)}; mean ${duration(funnel.timeToFollowUp.hours.mean)}. `
              : "No lead followed up yet. "}
            {`Followed up: ${funnel.timeToFollowUp.followedUp}. Never: ${funnel.timeToFollowUp.never}.`}
          </p>
          <FollowUpTimeChart time={funnel.timeToFollowUp} />
        </section>
        <LiftPanel lift={funnel.contextualLift} />
      </div>

      <ConversionTable
        id="tier-title"
        title="Conversion by tier"
        groups={[
          ["Tier A", funnel.byTier.A],
          ["Tier B", funnel.byTier.B],
          ["Tier C", funnel.byTier.C],
          ["Untiered", funnel.byTier.untiered],
        ]}
      />
      <ConversionTable
        id="kind-title"
        title="Contextual against generic follow-up"
        note="By the first follow-up: with context cites the problem or the next step."
        groups={[
          ["With context", funnel.byFollowUp.contextual],
          ["Generic", funnel.byFollowUp.generic],
          ["Not followed up", funnel.byFollowUp.none],
        ]}
      />
    </>
  );
}

function ConversionTable({
  id,
  title,
  note,
  groups,
}: {
  id: string;
  title: string;
  note?: string;
  groups: [string, GroupConversion][];
}) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {note && <p className="muted small">{note}</p>}
      <div className="table-scroll">
        <table className="data-table lead-compact">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                Leads
              </th>
              <th scope="col" className="num phone-hide">
                Within SLA
              </th>
              <th scope="col" className="num">
                Responded
              </th>
              <th scope="col" className="num">
                Opportunities
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map(([name, g]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="num" data-label="Leads">
                  {g.leads}
                </td>
                <td className="num phone-hide" data-label="Within SLA">
                  {g.followedUpWithinSla}
                </td>
                <td className="num" data-label="Responded">
                  {g.leads ? `${g.responded} (${pct(g.responseRate)})` : "–"}
                </td>
                <td className="num" data-label="Opportunities">
                  {g.leads ? `${g.opportunities} (${pct(g.opportunityRate)})` : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LiftPanel({ lift }: { lift: Funnel["contextualLift"] }) {
  const d = lift.difference;
  return (
    <section className="panel" aria-labelledby="lift-title">
      <h2 id="lift-title">Lift of contextual follow-up</h2>
      <p className="muted small">
        {`Opportunity within ${lift.horizonDays} days of capture: leads whose first follow-up cited the conversation within 24 hours, against leads followed up generically or later.`}
      </p>
      <dl className="stats lead-stats">
        <div>
          <dt>With context within 24 h</dt>
          <dd>
            {lift.treated.leads ? pct(lift.treated.rate) : "–"}
            <span className="sub small muted">{`${lift.treated.opportunities} of ${lift.treated.leads}`}</span>
          </dd>
        </div>
        <div>
          <dt>Generic or late</dt>
          <dd>
            {lift.control.leads ? pct(lift.control.rate) : "–"}
            <span className="sub small muted">{`${lift.control.opportunities} of ${lift.control.leads}`}</span>
          </dd>
        </div>
        <div>
          <dt>Lift</dt>
          <dd>
            {d ? points(d.estimate) : "–"}
            {d && (
              <span className="sub small muted">{`${Math.round(d.level * 100)}% interval ${points(d.ci[0])} to ${points(d.ci[1])}`}</span>
            )}
          </dd>
        </div>
      </dl>
      <p className="small">
        {d
          ? `${d.ci[0] > 0 ? "The interval is above zero: contextual follow-up converted more." : d.ci[1] < 0 ? "The interval is below zero: contextual follow-up converted less." : "The interval includes zero: no difference can be claimed yet."} Bootstrap of ${d.resamples.toLocaleString("en-US")} resamples, seed ${d.seed}.`
          : "Not measurable yet: it needs leads in both groups whose window has closed."}
        {` Left out: ${lift.tooRecent} captured less than ${lift.horizonDays} days ago, ${lift.neverFollowedUp} never followed up.`}
      </p>
    </section>
  );
}
