import { useApi } from "../impact/use-api.ts";
import { Link, usePath } from "../router/router.tsx";
import { num, withCi } from "./format.ts";
import { KickoffView } from "./kickoff-view.tsx";
import { PartnerView } from "./partner-view.tsx";
import { RoundtableView } from "./roundtable-view.tsx";
import type { StallShare } from "./types.ts";

interface EventRow {
  id: string;
  name: string;
  type: string;
  startsAt: string;
  attended: number;
}

const TYPES = [
  [
    "executive_roundtable",
    "Executive roundtables",
    "Accounts: velocity against matched accounts, stalls and their missing link",
  ],
  [
    "partner_event",
    "Partner events",
    "Partners: registrations and sourced pipeline against partners who stayed away",
  ],
  [
    "sales_kickoff",
    "Sales kickoffs",
    "Reps: win rate, cycle, deal size and messaging adoption, and its decay",
  ],
] as const;

/** Movement: /movement lists the events that move pipeline; /movement/events/:id?type=… shows one. */
export function MovementPage() {
  const path = usePath();
  const match = /^\/movement\/(roundtables|partners|kickoffs)\/([^/]+)/.exec(path);
  if (match) {
    const id = decodeURIComponent(match[2]!);
    if (match[1] === "roundtables") return <RoundtableView eventId={id} />;
    if (match[1] === "partners") return <PartnerView eventId={id} />;
    return <KickoffView eventId={id} />;
  }
  return <MovementOverview />;
}

const routeOf: Record<string, string> = {
  executive_roundtable: "roundtables",
  partner_event: "partners",
  sales_kickoff: "kickoffs",
};

function EventList({ type, title, hint }: { type: string; title: string; hint: string }) {
  const state = useApi<{ events: EventRow[] }>("/api/events", { type, limit: "100" });
  return (
    <div className="panel">
      <h2>{title}</h2>
      <p className="muted small">{hint}</p>
      {state.status === "loading" && <p className="muted">Loading…</p>}
      {state.status === "error" && <p role="alert">Could not load the events: {state.message}</p>}
      {state.status === "ready" && state.data.events.length === 0 && <p className="muted">None yet.</p>}
      {state.status === "ready" && state.data.events.length > 0 && (
        <ul>
          {state.data.events.map((e) => (
            <li key={e.id}>
              <Link to={`/movement/${routeOf[type]}/${e.id}`}>{e.name}</Link>{" "}
              <span className="muted small">
                {e.startsAt.slice(0, 10)} · {e.attended} attended
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PooledRoundtables() {
  const state = useApi<{
    events: { id: string }[];
    velocityLift: { estimate: number | null; ci: [number, number] | null; note?: string };
    daysSaved: { estimate: number | null; ci: [number, number] | null; horizonDays: number; note?: string };
    stallShare: StallShare[];
  }>("/api/movement/roundtables", {});
  if (state.status !== "ready") return null;
  const d = state.data;
  const s60 = d.stallShare.find((s) => s.days === 60);
  return (
    <section className="panel" aria-label="Every roundtable pooled">
      <h2>Every roundtable, pooled ({d.events.length})</h2>
      <dl className="ledgers">
        <dt>Velocity lift (moved within 60 days, against matched deals)</dt>
        <dd>{withCi(d.velocityLift, 2)}</dd>
        <dt>Days saved to next stage (within {d.daysSaved.horizonDays} days)</dt>
        <dd>{withCi(d.daysSaved, 1)}</dd>
        <dt>Attending deals stalled at 60 days</dt>
        <dd>
          {s60 ? `${num((s60.share ?? 0) * 100, 0)}% (${s60.stalled} of ${s60.stalled + s60.moved})` : "–"}
        </dd>
      </dl>
    </section>
  );
}

function MovementOverview() {
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Movement
          </h1>
          <p className="muted">
            What moved after the room, against what would have moved anyway: matched controls and
            difference-in-differences, each number with its 95% interval.
          </p>
        </div>
      </header>
      <PooledRoundtables />
      {TYPES.map(([type, title, hint]) => (
        <EventList key={type} type={type} title={title} hint={hint} />
      ))}
    </section>
  );
}
