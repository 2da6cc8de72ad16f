import { randomUUID } from "node:crypto";
import type { Database } from "../../db/client.ts";
import { accounts, eventSessions, events, people, registrations } from "../../db/schema/index.ts";

/** Test support: tiny worlds written straight into the database (one organization, one event). */

export interface WorldEvent {
  eventId: string;
  sessionIds: string[];
}

export async function addEvent(
  db: Database,
  orgId: string,
  input: {
    type?: "cme_activity" | "customer_training";
    startsAt: string;
    endsAt: string;
    sessions?: {
      title: string;
      startsAt: string;
      endsAt: string;
      creditHours?: number;
      features?: string[];
      topics?: string[];
    }[];
  },
): Promise<WorldEvent> {
  return db.withOrg(orgId, async (tx) => {
    const [e] = await tx
      .insert(events)
      .values({
        orgId,
        name: `Activity ${randomUUID().slice(0, 6)}`,
        slug: `activity-${randomUUID().slice(0, 8)}`,
        type: input.type ?? "cme_activity",
        format: "tactical",
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        timeZone: "UTC",
      })
      .returning();
    const sessionIds: string[] = [];
    for (const s of input.sessions ?? []) {
      const [row] = await tx
        .insert(eventSessions)
        .values({
          orgId,
          eventId: e!.id,
          title: s.title,
          startsAt: new Date(s.startsAt),
          endsAt: new Date(s.endsAt),
          creditHours: s.creditHours ?? null,
          features: s.features ?? [],
          topics: s.topics ?? [],
        })
        .returning();
      sessionIds.push(row!.id);
    }
    return { eventId: e!.id, sessionIds };
  });
}

export async function addPeople(
  db: Database,
  orgId: string,
  n: number,
  extra: { degree?: string; accountId?: string } = {},
): Promise<string[]> {
  return db.withOrg(orgId, async (tx) => {
    const rows = await tx
      .insert(people)
      .values(
        Array.from({ length: n }, (_, i) => {
          const tag = randomUUID().slice(0, 8);
          return {
            orgId,
            email: `learner-${tag}@example.test`,
            firstName: `Learner${i + 1}`,
            lastName: `Test${tag}`,
            degree: extra.degree ?? null,
            accountId: extra.accountId ?? null,
          };
        }),
      )
      .returning({ id: people.id });
    return rows.map((r) => r.id);
  });
}

export async function addAccount(
  db: Database,
  orgId: string,
  values: { name: string; externalId?: string; segment?: string; employees?: number },
): Promise<string> {
  const [row] = await db.withOrg(orgId, (tx) =>
    tx
      .insert(accounts)
      .values({ orgId, ...values })
      .returning({ id: accounts.id }),
  );
  return row!.id;
}

export async function register(
  db: Database,
  orgId: string,
  eventId: string,
  personIds: string[],
): Promise<void> {
  if (personIds.length === 0) return;
  await db.withOrg(orgId, (tx) =>
    tx.insert(registrations).values(
      personIds.map((personId) => ({
        orgId,
        eventId,
        personId,
        status: "registered" as const,
        source: "test",
      })),
    ),
  );
}
