import { usePath } from "../router/router.tsx";
import { EventImpactView } from "./event-impact-view.tsx";
import { PortfolioView } from "./portfolio-view.tsx";

/** Impact: /impact is the portfolio, /impact/events/:id one event's report. */
export function ImpactPage() {
  const path = usePath();
  const match = /^\/impact\/events\/([^/]+)/.exec(path);
  if (match) return <EventImpactView eventId={decodeURIComponent(match[1]!)} />;
  return <PortfolioView />;
}
