import { NotBuilt } from "../layout/not-built.tsx";

/** Account, partner and sales-kickoff movement after events. */
export function MovementPage() {
  return (
    <NotBuilt
      title="Movement"
      question="Which accounts, partners and reps behaved differently after the event?"
      planned={[
        "Accounts: stage velocity after the event against matched accounts, buying-committee coverage before and after, stall flags at 14, 30 and 60 days naming the missing link.",
        "Partners: deal registrations and sourced pipeline before and after, against partners who did not attend; a scorecard per partner.",
        "Sales kickoff: win rate, cycle length, deal size and messaging adoption per rep before and after, and how it decays week by week, reinforced versus not.",
      ]}
    />
  );
}
