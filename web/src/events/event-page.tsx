import type { ComponentType } from "react";
import type { Me } from "../api/types.ts";
import { useSession } from "../auth/session.tsx";
import { Link } from "../router/router.tsx";
import { AgendaTab } from "./agenda-tab.tsx";
import { CostsTab } from "./costs-tab.tsx";
import { DetailsTab } from "./details-tab.tsx";
import { EmailsTab } from "./emails-tab.tsx";
import { EngagementTab } from "./engagement-tab.tsx";
import type { EventDetail } from "./event-types.ts";
import { eventFormatLabels, eventTypeLabels, formatEventDates } from "./format.ts";
import { ImportsTab } from "./imports-tab.tsx";
import { InvitationsTab } from "./invitations-tab.tsx";
import { type EventPermissions, permissionsFor } from "./permissions.ts";
import { RegistrationsTab } from "./registrations-tab.tsx";
import { useResource } from "./use-resource.ts";

/** What every section of the event page is given. */
export interface TabProps {
  event: EventDetail;
  /** Asks for the event again (after a change to its agenda, costs or details). */
  reload(): Promise<void>;
  can: EventPermissions;
  me: Me;
}

interface Tab {
  key: string;
  label: string;
  page: ComponentType<TabProps>;
  shown(can: EventPermissions): boolean;
}

const always = () => true;
const tabs: Tab[] = [
  { key: "details", label: "Details", page: DetailsTab, shown: always },
  { key: "agenda", label: "Agenda", page: AgendaTab, shown: always },
  { key: "costs", label: "Costs", page: CostsTab, shown: always },
  { key: "registrations", label: "Registrations", page: RegistrationsTab, shown: always },
  { key: "invitations", label: "Invitations", page: InvitationsTab, shown: always },
  { key: "engagement", label: "Engagement", page: EngagementTab, shown: always },
  // The outbox and imports are for the people who send and import (admins and marketers).
  { key: "emails", label: "Emails", page: EmailsTab, shown: (can) => can.manage },
  { key: "imports", label: "Imports", page: ImportsTab, shown: (can) => can.manage },
];

const statusLabels: Record<string, string> = {
  draft: "Draft",
  published: "Published",
  completed: "Completed",
  cancelled: "Cancelled",
};

/** /events/<id>[/<section>]: one event, its sections as tabs whose address is in the URL. */
export function EventPage({ eventId, tab }: { eventId: string; tab: string }) {
  const { me } = useSession();
  const { resource, reload } = useResource<EventDetail>(`/api/events/${encodeURIComponent(eventId)}`);

  if (resource.status === "loading") {
    return (
      <p className="muted" aria-live="polite">
        Loading the event…
      </p>
    );
  }
  if (resource.status === "error") {
    const missing = resource.code === "not_found" || resource.code === "validation";
    return (
      <section aria-labelledby="page-title">
        <header className="page-header">
          <p className="breadcrumb">
            <Link to="/events">Events</Link>
          </p>
          <h1 id="page-title" tabIndex={-1}>
            {missing ? "No such event" : "The event could not be loaded"}
          </h1>
        </header>
        <div className="alert alert-error" role="alert">
          <p>{missing ? "There is no event at this address in your organization." : resource.message}</p>
          {!missing && (
            <button type="button" className="button" onClick={() => void reload()}>
              Try again
            </button>
          )}
        </div>
      </section>
    );
  }

  const event = resource.data;
  const can = permissionsFor(me, event);
  const visible = tabs.filter((t) => t.shown(can));
  const current = visible.find((t) => t.key === tab) ?? visible[0]!;
  const Page = current.page;
  const base = `/events/${event.id}`;

  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to="/events">Events</Link>
        </p>
        <h1 id="page-title" tabIndex={-1}>
          {event.name}
        </h1>
        <p className="event-meta">
          <span>
            {eventTypeLabels[event.type]}
            <span className={`tag tag-${event.format}`}>{eventFormatLabels[event.format]}</span>
          </span>
          <span className={`pill pill-${event.status}`}>{statusLabels[event.status] ?? event.status}</span>
          {event.inviteOnly && <span className="pill">Invite-only</span>}
        </p>
        <p className="muted">
          {formatEventDates(event.startsAt, event.endsAt, event.timeZone)} · <span>{event.timeZone}</span>
          {event.venue && <> · {event.venue}</>}
          {event.virtualUrl && (
            <>
              {" · "}
              <a href={event.virtualUrl} target="_blank" rel="noreferrer">
                Virtual link
              </a>
            </>
          )}
        </p>
      </header>
      <nav className="tabs" aria-label="Event sections">
        <ul>
          {visible.map((t) => (
            <li key={t.key}>
              <Link
                to={t.key === "details" ? base : `${base}/${t.key}`}
                aria-current={t === current ? "page" : undefined}
              >
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Page event={event} reload={reload} can={can} me={me} />
    </section>
  );
}
