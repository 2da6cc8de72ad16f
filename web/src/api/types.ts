import type { EventFormat, EventType, Role } from "../../../src/db/schema/vocabulary.ts";

// Response shapes of the API routes the web app uses (src/server/*/routes.ts is the source of truth).

export interface Me {
  user: { id: string; email: string; name: string; role: Role };
  organization: { id: string; name: string; slug: string };
  csrfToken: string | null;
}

export interface SignInResult {
  csrfToken: string;
  role: Role;
}

export interface EventSummary {
  id: string;
  name: string;
  type: EventType;
  format: EventFormat;
  status: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string | null;
  registrations: number;
  attended: number;
  /** Cost per currency in minor units; amounts in different currencies are never added. */
  costs: { currency: string; amountMinor: number }[];
}

export interface EventList {
  events: EventSummary[];
  total: number;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
}

export interface CreatedApiKey extends ApiKey {
  secret: string;
}
