import { useApi } from "../impact/use-api.ts";
import { Link } from "../router/router.tsx";
import { num, pct, withCi } from "./format.ts";
import type { DidResult, PartnerReport } from "./types.ts";

function did(d: DidResult, digits = 2, scale = 1): string {
  return d.status === "estimated" ? withCi({ estimate: d.estimate, ci: d.ci }, digits, scale) : d.message;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);

/** One partner event: the registration lift against partners who stayed away, and the partner scorecard. */
export function PartnerView({ eventId }: { eventId: string }) {
  const state = useApi<PartnerReport>(`/api/events/${eventId}/partners`, {});
  if (state.status === "loading") return <p className="muted">Loading the partner report…</p>;
  if (state.status === "error") return <p role="alert">Could not load the partner report: {state.message}</p>;
  const r = state.data;
  const t = r.outcomes.timeToFirstRegistration;
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
            As of {r.asOf.slice(0, 10)} · {r.indicators.attendingPartners} of {r.indicators.partners} partners
            attended · {r.months.before} months before, {r.months.after} after
          </p>
        </div>
      </header>
      <div className="panel">
        <h2>Lift against partners who did not attend</h2>
        <table className="data-table" aria-label="Partner lift">
          <tbody>
            <tr>
              <th scope="row">Deal registrations per partner-month (difference in differences)</th>
              <td className="num">{did(r.outcomes.registrations)}</td>
            </tr>
            <tr>
              <th scope="row">Partner-sourced pipeline per partner-month (major currency units)</th>
              <td className="num">{did(r.outcomes.sourcedPipeline, 0, 0.01)}</td>
            </tr>
            <tr>
              <th scope="row">Median days to first registration (attending − not)</th>
              <td className="num">{t.status === "compared" ? withCi(t.medianDifference, 1) : t.message}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="panel panel-flush">
        <table className="data-table" aria-label="Partner scorecard">
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <th scope="col" className="num">
                Registrations / month before → after
              </th>
              <th scope="col" className="num">
                Days to first
              </th>
              <th scope="col" className="num">
                Win rate before → after
              </th>
              <th scope="col" className="num">
                Cycle days before → after
              </th>
              <th scope="col" className="num">
                Discount before → after
              </th>
            </tr>
          </thead>
          <tbody>
            {r.partners
              .filter((p) => p.attended || p.friction.allTime.closed > 0)
              .map((p) => (
                <tr key={p.partnerId}>
                  <th scope="row">
                    {p.name} {p.attended && <span className="tag">attended</span>}
                  </th>
                  <td className="num">
                    {num(mean(p.registrationsBefore))} → {num(mean(p.registrationsAfter))}
                  </td>
                  <td className="num">{num(p.daysToFirstRegistration, 0)}</td>
                  <td className="num">
                    {pct(p.friction.before.winRate)} → {pct(p.friction.after.winRate)}
                  </td>
                  <td className="num">
                    {num(p.friction.before.meanCycleDays, 0)} → {num(p.friction.after.meanCycleDays, 0)}
                  </td>
                  <td className="num">
                    {num(p.friction.before.meanDiscountPct)} → {num(p.friction.after.meanDiscountPct)}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
        <p className="muted small">
          All partner deals: win rate {pct(r.overall.partnerDeals.winRate)}, cycle{" "}
          {num(r.overall.partnerDeals.meanCycleDays, 0)} days; direct deals:{" "}
          {pct(r.overall.directDeals.winRate)}, {num(r.overall.directDeals.meanCycleDays, 0)} days.
        </p>
      </div>
    </section>
  );
}
