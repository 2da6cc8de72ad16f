import { useApi } from "../impact/use-api.ts";
import { Link } from "../router/router.tsx";
import { linkLabel, num, pct, withCi } from "./format.ts";
import type { RoundtableReport } from "./types.ts";

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
        {(r.unmeasurable.length > 0 || r.accountsWithoutOpportunities.length > 0) && (
          <p className="muted small">
            Not measurable: {r.unmeasurable.length} opportunities (
            {[...new Set(r.unmeasurable.map((u) => u.reason))].join(", ")}
            ); {r.accountsWithoutOpportunities.length} attending accounts without an opportunity.
          </p>
        )}
      </div>
    </section>
  );
}
