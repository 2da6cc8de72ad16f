import { useApi } from "../impact/use-api.ts";
import { Link } from "../router/router.tsx";
import { linkLabel, num, pct, withCi } from "./format.ts";
import type { OpportunityMovement, RoundtableReport } from "./types.ts";

type Account = RoundtableReport["accounts"][number];

const REASONS: Record<string, string> = {
  no_stage_history: "no stage history",
  opened_after_event: "opened after the event",
  closed_at_event: "already closed at the event",
  unordered_history: "stage history out of order",
  invalid_timestamp: "a stage change without a valid time",
  event_after_as_of: "the event is after the as-of date",
};
const reasonText = (r: string) => REASONS[r] ?? r.replace(/_/g, " ");
const words = (s: string) => s.replace(/_/g, " ");

/** "12.0 d → proposal", or "open, 120.0 d so far" when the deal has not moved (censored). */
function nextStageText(o: OpportunityMovement): string {
  const m = o.movement;
  if (!m) return reasonText(o.unmeasurable ?? "no_stage_history");
  if (m.closedAtEvent) return "closed at the event";
  if (!m.nextStage) return "–";
  return m.nextStage.observed
    ? `${num(m.nextStage.days)} d → ${words(m.nextStage.stage ?? "")}`
    : `not yet, ${num(m.nextStage.days)} d so far`;
}

function MovementTable({ r }: { r: RoundtableReport }) {
  const windows = r.accounts[0]?.activation.map((a) => a.days) ?? [14, 30, 60, 90];
  const rows = r.accounts.flatMap((a) => a.opportunities.map((o) => ({ account: a, o })));
  return (
    <div className="panel">
      <h2>Account movement</h2>
      <p className="muted small">
        Each attending account's opportunities: the stage at the event, stage changes within{" "}
        {windows.join("/")} days of it, and the time to the next stage.
      </p>
      {rows.length === 0 ? (
        <p className="muted">No attending account has an opportunity.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-label="Account movement">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Opportunity</th>
                <th scope="col">Stage at the event</th>
                {windows.map((d) => (
                  <th key={d} scope="col" className="num">
                    {d} d
                  </th>
                ))}
                <th scope="col">Time to next stage</th>
                <th scope="col" className="num">
                  Controls
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ account, o }) => (
                <tr key={o.id}>
                  <th scope="row">{account.name}</th>
                  <td>{o.name}</td>
                  <td>{o.movement ? words(o.movement.stageAtEvent) : "–"}</td>
                  {windows.map((d) => {
                    const c = o.movement?.changesWithin.find((w) => w.days === d);
                    return (
                      <td key={d} className="num">
                        {c ? `${c.changes}${c.complete ? "" : " so far"}` : "–"}
                      </td>
                    );
                  })}
                  <td>{nextStageText(o)}</td>
                  <td className="num">{o.controlIds.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function roleList(a: Account, side: "coveredBefore" | "coveredAfter"): string {
  const roles = a.coverage.roles.filter((x) => x[side]).map((x) => words(x.role));
  return roles.length ? roles.join(", ") : "none";
}

function CoverageTable({ r }: { r: RoundtableReport }) {
  return (
    <table className="data-table" aria-label="Buying-committee coverage by account">
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Roles engaged before</th>
          <th scope="col">Roles engaged after</th>
          <th scope="col">Gained</th>
          <th scope="col">Lost</th>
        </tr>
      </thead>
      <tbody>
        {r.accounts.map((a) => (
          <tr key={a.accountId}>
            <th scope="row">{a.name}</th>
            <td>
              {a.coverage.coveredBefore}: {roleList(a, "coveredBefore")}
            </td>
            <td>
              {a.coverage.coveredAfter}: {roleList(a, "coveredAfter")}
            </td>
            <td>{a.coverage.gained.map(words).join(", ") || "–"}</td>
            <td>{a.coverage.lost.map(words).join(", ") || "–"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ActivationTable({ r }: { r: RoundtableReport }) {
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label="Activation signals">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Window</th>
            <th scope="col" className="num">
              Attendees
            </th>
            <th scope="col" className="num">
              Others
            </th>
            <th scope="col" className="num">
              New
            </th>
            <th scope="col" className="num">
              Meetings
            </th>
            <th scope="col" className="num">
              Stage changes
            </th>
          </tr>
        </thead>
        <tbody>
          {r.accounts.flatMap((a) =>
            a.activation.map((w) => (
              <tr key={`${a.accountId}-${w.days}`}>
                <th scope="row">{a.name}</th>
                <td>
                  {w.days} days{w.complete ? "" : " (so far)"}
                </td>
                <td className="num">
                  {w.attendeesEngaged} of {w.attendees}
                </td>
                <td className="num">{w.othersEngaged}</td>
                <td className="num">{w.newStakeholders}</td>
                <td className="num">{w.meetings}</td>
                <td className="num">{w.stageChanges}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

function UnmeasurableList({ r }: { r: RoundtableReport }) {
  const accountName = new Map(r.accounts.map((a) => [a.accountId, a.name]));
  const oppName = new Map(r.accounts.flatMap((a) => a.opportunities.map((o) => [o.id, o.name])));
  if (r.unmeasurable.length === 0 && r.accountsWithoutOpportunities.length === 0)
    return <p className="muted">Every attending opportunity could be measured.</p>;
  return (
    <table className="data-table" aria-label="Not measurable">
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Opportunity</th>
          <th scope="col">Why it cannot be measured</th>
        </tr>
      </thead>
      <tbody>
        {r.unmeasurable.map((u) => (
          <tr key={u.opportunityId}>
            <th scope="row">{accountName.get(u.accountId) ?? u.accountId}</th>
            <td>{oppName.get(u.opportunityId) ?? u.opportunityId}</td>
            <td>{reasonText(u.reason)}</td>
          </tr>
        ))}
        {r.accountsWithoutOpportunities.map((id) => (
          <tr key={id}>
            <th scope="row">{accountName.get(id) ?? id}</th>
            <td>–</td>
            <td>the account has no opportunity</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One roundtable: velocity against matched accounts, the stall list with the missing link, coverage. */
export function RoundtableView({ eventId }: { eventId: string }) {
  const state = useApi<RoundtableReport>(`/api/events/${eventId}/movement`, {});
  if (state.status === "loading") return <p className="muted">Loading the account movement…</p>;
  if (state.status === "error")
    return <p role="alert">Could not load the account movement: {state.message}</p>;
  const r = state.data;
  const v = r.outcomes.velocity;
  const stalled = r.accounts.flatMap((a) => {
    const worst = [...a.stall].reverse().find((s) => s.status === "stalled");
    return worst ? [{ account: a, stall: worst }] : [];
  });
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
            As of {r.asOf.slice(0, 10)} · {r.indicators.attendees} attendees from{" "}
            {r.indicators.attendingAccounts} accounts · {r.indicators.attendingOpportunities} opportunities
          </p>
        </div>
      </header>
      <div className="panel">
        <h2>Velocity against matched accounts</h2>
        {v.status === "compared" ? (
          <table className="data-table" aria-label="Velocity against matched accounts">
            <tbody>
              <tr>
                <th scope="row">Matched opportunities</th>
                <td className="num">{v.match.matched}</td>
              </tr>
              <tr>
                <th scope="row">Median days to next stage (attending − matched)</th>
                <td className="num">{withCi(v.survival.medianDifference, 1)}</td>
              </tr>
              {v.survival.horizons.map((h, i) => (
                <tr key={h}>
                  <th scope="row">Moved by day {h} (difference in share)</th>
                  <td className="num">{withCi(v.survival.probabilityByDifference[i]!, 2)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">
                  Velocity lift among deals that moved within {r.outcomes.velocityLift.windowDays} days
                </th>
                <td className="num">{withCi(r.outcomes.velocityLift, 2)}</td>
              </tr>
              <tr>
                <th scope="row">Days saved to next stage (within {r.outcomes.daysSaved.horizonDays} days)</th>
                <td className="num">{withCi(r.outcomes.daysSaved, 1)}</td>
              </tr>
            </tbody>
          </table>
        ) : (
          <p role="status">{v.message}</p>
        )}
      </div>
      <MovementTable r={r} />
      <div className="panel">
        <h2>Stalls</h2>
        <table className="data-table" aria-label="Stalled accounts by horizon">
          <thead>
            <tr>
              <th scope="col">Horizon</th>
              <th scope="col" className="num">
                Stalled
              </th>
              <th scope="col" className="num">
                Moved
              </th>
              <th scope="col" className="num">
                Share stalled
              </th>
            </tr>
          </thead>
          <tbody>
            {r.outcomes.stallShare.map((s) => (
              <tr key={s.days}>
                <th scope="row">{s.days} days</th>
                <td className="num">{s.stalled}</td>
                <td className="num">{s.moved}</td>
                <td className="num">
                  {pct(s.share)} {s.ci ? `[${pct(s.ci[0])}, ${pct(s.ci[1])}]` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Stalled accounts and the missing link</h3>
        {stalled.length === 0 ? (
          <p className="muted">No attending account has stalled.</p>
        ) : (
          <table className="data-table" aria-label="Stalled accounts">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Owner</th>
                <th scope="col">Stalled at</th>
                <th scope="col">Missing link</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {stalled.map(({ account, stall }) => (
                <tr key={account.accountId}>
                  <th scope="row">{account.name}</th>
                  <td>{account.owner?.name ?? "–"}</td>
                  <td>{stall.days} days</td>
                  <td>{linkLabel(stall.missingLink)}</td>
                  <td className="small">
                    {(stall.chain ?? [])
                      .map((c) => `${linkLabel(c.link)}: ${c.held ? "held" : "missing"} (${c.evidence})`)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel">
        <h2>Buying-committee coverage</h2>
        <p>
          Roles engaged per account: {num(r.outcomes.coverage.meanRolesBefore)} before →{" "}
          {num(r.outcomes.coverage.meanRolesAfter)} after; {r.outcomes.coverage.gained} of{" "}
          {r.outcomes.coverage.accounts} accounts gained a role.
        </p>
        <CoverageTable r={r} />
      </div>
      <div className="panel">
        <h2>Activation signals</h2>
        <p className="muted small">
          Engagement after the event (touchpoints not tied to the event itself), per window: attendees who
          engaged, other people of the account, new stakeholders among them (no engagement in the look-back),
          follow-up meetings and stage changes.
        </p>
        <ActivationTable r={r} />
      </div>
      <div className="panel">
        <h2>Not measurable</h2>
        <UnmeasurableList r={r} />
      </div>
    </section>
  );
}
