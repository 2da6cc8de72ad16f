import type { TestApp } from "../../../test/app.ts";

/** Test helpers shared by the registration, check-in and engagement tests. */
export async function orgSlugOf(app: TestApp, headers: Record<string, string>): Promise<string> {
  const me = (await (await app.request("/api/auth/me", { headers })).json()) as {
    organization: { slug: string };
  };
  return me.organization.slug;
}

export interface TestEvent {
  id: string;
  slug: string;
  timeZone: string;
}

let counter = 0;

/** Creates and publishes an event through the API. */
export async function publishedEvent(
  app: TestApp,
  headers: Record<string, string>,
  overrides: Record<string, unknown> = {},
): Promise<TestEvent> {
  counter++;
  const res = await app.request("/api/events", {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: `Summit ${counter}`,
      slug: `summit-${counter}-${Math.random().toString(36).slice(2, 8)}`,
      type: "conference",
      status: "published",
      startsAt: "2030-03-29T08:00:00Z",
      endsAt: "2030-03-31T17:00:00Z",
      timeZone: "Europe/Berlin",
      venue: "Messe Berlin",
      ...overrides,
    }),
  });
  if (res.status !== 201) throw new Error(`event creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TestEvent;
}

export async function registerPublic(
  app: TestApp,
  orgSlug: string,
  eventSlug: string,
  body: Record<string, unknown>,
  ip = "203.0.113.1",
) {
  const res = await app.request(`/api/public/orgs/${orgSlug}/events/${eventSlug}/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ firstName: "Ada", lastName: "Lovelace", consent: true, ...body }),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      registrationId: string;
      status: string;
      message: string;
      waitlistPosition: number | null;
      updated: boolean;
      error?: { code: string; field?: string; message: string };
    },
  };
}

/** The ticket code from a delivered confirmation email. */
export function ticketFromMail(text: string): string {
  const m = /TL1\.[A-Za-z0-9_-]{156}/.exec(text);
  if (!m) throw new Error("no ticket code in the email");
  return m[0];
}
