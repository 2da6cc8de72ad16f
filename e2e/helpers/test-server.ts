import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { eventCosts, events, people, registrations } from "../../src/db/schema/index.ts";
import type { EventFormat, EventType } from "../../src/db/schema/vocabulary.ts";
import { type RunningServer, startServer } from "../../src/server/start.ts";
import { addUser, type TestUser } from "../../test/app.ts";
import { createTestOrg } from "../../test/db.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface SeededEvent {
  name: string;
  type: EventType;
  format: EventFormat;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string | null;
  costMinor: number;
  registered: number;
  attended: number;
}

/** The events every browser test sees; their zones differ from the browser's (UTC) and from each other. */
export const seededEvents: SeededEvent[] = [
  {
    name: "Northwind Customer Summit",
    type: "conference",
    format: "tactical",
    startsAt: "2026-03-10T08:00:00Z",
    endsAt: "2026-03-11T16:00:00Z",
    timeZone: "Europe/Berlin",
    venue: "Messe Berlin",
    costMinor: 4_250_000,
    registered: 4,
    attended: 3,
  },
  {
    name: "CFO Roundtable: Spend Control",
    type: "executive_roundtable",
    format: "strategic",
    startsAt: "2026-02-18T23:30:00Z",
    endsAt: "2026-02-19T02:00:00Z",
    timeZone: "America/New_York",
    venue: "The Modern, New York",
    costMinor: 1_280_050,
    registered: 2,
    attended: 2,
  },
  {
    name: "Reporting Essentials Webinar",
    type: "webinar",
    format: "tactical",
    startsAt: "2026-01-22T01:00:00Z",
    endsAt: "2026-01-22T02:00:00Z",
    timeZone: "Asia/Tokyo",
    venue: null,
    costMinor: 0,
    registered: 3,
    attended: 1,
  },
];

export interface SeededServer {
  url: string;
  admin: TestUser;
  orgName: string;
  db: Database;
  close(): Promise<void>;
}

/** Builds web/dist when it is stale (the same step `npm run test:e2e` and `npm start` run first). */
export function ensureWebBuilt(): void {
  execFileSync(process.execPath, [join(repo, "scripts/ensure-web.mjs")], { cwd: repo, stdio: "inherit" });
}

/**
 * The real server (API + built web app) on a free port over a fresh in-memory database, migrated here because the
 * e2e config has no global setup, with one organization: an admin with a known password and the seeded events.
 */
export async function startSeededServer(): Promise<SeededServer> {
  ensureWebBuilt();
  const db = await openDatabase({ dataDir: "memory://" });
  let server: RunningServer | undefined;
  try {
    await migrate(db);
    const orgName = "Northwind Events";
    const orgId = await createTestOrg(db, orgName);
    const admin = await addUser(db, orgId, "admin");
    await seedEvents(db, orgId);
    server = await startServer(db, loadConfig({}), 0);
    const running = server;
    return {
      url: running.url,
      admin,
      orgName,
      db,
      async close() {
        await running.close();
        await db.close();
      },
    };
  } catch (error) {
    await server?.close();
    await db.close();
    throw error;
  }
}

async function seedEvents(db: Database, orgId: string): Promise<void> {
  await db.withOrg(orgId, async (tx) => {
    let personNo = 0;
    for (const [index, seed] of seededEvents.entries()) {
      const [event] = await tx
        .insert(events)
        .values({
          orgId,
          name: seed.name,
          slug: `seeded-${index}`,
          type: seed.type,
          format: seed.format,
          status: "completed",
          startsAt: new Date(seed.startsAt),
          endsAt: new Date(seed.endsAt),
          timeZone: seed.timeZone,
          venue: seed.venue,
        })
        .returning({ id: events.id });
      const eventId = event!.id;
      if (seed.costMinor > 0) {
        await tx
          .insert(eventCosts)
          .values({ orgId, eventId, category: "venue", amountMinor: seed.costMinor, currency: "USD" });
      }
      for (let i = 0; i < seed.registered; i++) {
        personNo++;
        const [person] = await tx
          .insert(people)
          .values({
            orgId,
            email: `person${personNo}@example.test`,
            firstName: "Person",
            lastName: `${personNo}`,
          })
          .returning({ id: people.id });
        await tx.insert(registrations).values({
          orgId,
          eventId,
          personId: person!.id,
          status: "registered",
          source: "seed",
          attended: i < seed.attended,
        });
      }
    }
  });
}
