import { money, percent } from "./format.ts";
import type { MovementOutcome } from "./types.ts";

const labels: Record<string, string> = {
  share_moved_to_next_stage_difference: "Deals moved to next stage (vs matched)",
  days_saved_to_next_stage: "Days saved to next stage",
  acceleration_value: "Pipeline acceleration value",
  stalled_account_share: "Accounts stalled",
  registrations_per_month: "Deal registrations per partner-month (lift)",
  sourced_pipeline_minor_per_month: "Partner-sourced pipeline per partner-month (lift)",
  win_rate_change: "Win rate change",
  cycle_days_change: "Cycle length change",
  deal_size_change: "Deal size change",
  messaging_adoption_after: "Messaging adoption after",
};

const signed = (x: string, v: number) => (v > 0 ? `+${x}` : x);

/** A number in the entry's unit: money for minor units, percentages for shares, days, or a plain figure. */
function valueText(v: number | null, unit: string, currency: string): string {
  if (v === null) return "–";
  if (unit.startsWith("minor units")) return signed(money(v, currency), v);
  if (unit.startsWith("share")) return signed(percent(v, 1), v);
  if (unit.startsWith("days")) return `${signed(v.toFixed(1), v)} days`;
  return signed(v.toFixed(2), v);
}

/**
 * Movement outcomes of the event against comparable accounts, partners or reps: each measure with its interval and
 * the units behind it, or why there is no number.
 */
export function MovementLedger({ entries, currency }: { entries: MovementOutcome[]; currency: string }) {
  if (entries.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="movement-title">
      <h2 id="movement-title">Movement against comparable accounts</h2>
      <p className="muted small">
        Outcomes measured against who was not there, with 95% intervals. An interval that includes zero is not
        evidence of change.
      </p>
      <table className="data-table" aria-label="Movement outcomes">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              Within
            </th>
            <th scope="col" className="num">
              Estimate
            </th>
            <th scope="col" className="num">
              95% interval
            </th>
            <th scope="col" className="num">
              Units
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.measure}-${e.horizonDays}`}>
              <th scope="row" title={e.method}>
                {labels[e.measure] ?? e.measure.replaceAll("_", " ")}
                {e.note && <span className="sub">{e.note}</span>}
              </th>
              <td className="num">{e.horizonDays === null ? "–" : `${e.horizonDays} days`}</td>
              <td className="num">{valueText(e.estimate, e.unit, currency)}</td>
              <td className="num">
                {e.ci
                  ? `${valueText(e.ci[0], e.unit, currency)} to ${valueText(e.ci[1], e.unit, currency)}`
                  : "–"}
              </td>
              <td className="num">{e.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
