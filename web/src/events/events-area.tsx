import { usePath } from "../router/router.tsx";
import { EventPage } from "./event-page.tsx";
import { EventsPage } from "./events-page.tsx";
import { NewEventPage } from "./new-event-page.tsx";

/** Events: /events the list, /events/new a new event, /events/<id>[/<section>] one event. */
export function EventsArea() {
  const path = usePath();
  if (path === "/events/new") return <NewEventPage />;
  const match = /^\/events\/([^/]+)(?:\/([a-z-]+))?\/?$/.exec(path);
  if (match) return <EventPage eventId={decodeURIComponent(match[1]!)} tab={match[2] ?? "details"} />;
  return <EventsPage />;
}
