import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import { signToken } from "../../core/tickets/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { bound, execution, type Statement, type StatementValue } from "../../db/statements.ts";
import { eventKeys } from "../registration/ticket-keys.ts";
import {
  PROCESS_SCANS_MODULE,
  processScans,
  type processScansInThread,
  type ScanRequest,
} from "./process-scans.ts";

const ATTENDEES = 3_000;
let db: Database;
let orgId: string;
let eventId: string;
let codes: string[];

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  const [event] = await rows<{ id: string }>(
    db.owner,
    sql`insert into events (org_id, name, slug, type, format, status, starts_at, ends_at, time_zone)
        values (${orgId}, 'Crowd', 'crowd', 'conference', 'tactical', 'published', now() - interval '1 hour',
                now() + interval '1 day', 'Europe/Berlin') returning id`,
  );
  eventId = event!.id;
  const keys = await db.withOrg(orgId, (tx) => eventKeys(tx, orgId, eventId));
  // A crowd loaded in bulk, as an import would, with no statistics gathered afterwards (the embedded database never
  // gathers them by itself).
  await db.owner.execute(
    sql`insert into people (org_id, email, first_name, last_name)
        select ${orgId}, 'p' || g || '@crowd.test', 'Person', 'No. ' || g from generate_series(1, ${ATTENDEES}) g`,
  );
  await db.owner.execute(
    sql`insert into registrations (org_id, event_id, person_id, status, source, consent)
        select org_id, ${eventId}, id, 'registered', 'import', true from people where org_id = ${orgId}`,
  );
  await db.owner.execute(
    sql`insert into tickets (org_id, event_id, registration_id, expires_at)
        select org_id, event_id, id, now() + interval '2 days' from registrations where org_id = ${orgId}`,
  );
  const tickets = await rows<{ id: string; person_id: string; expires_at: Date | string }>(
    db.owner,
    sql`select t.id, r.person_id, t.expires_at from tickets t
        join registrations r on r.org_id = t.org_id and r.id = t.registration_id where t.org_id = ${orgId}`,
  );
  codes = tickets.map((t) =>
    signToken(
      { kind: "ticket", id: t.id, eventId, subjectId: t.person_id, expiresAt: new Date(t.expires_at) },
      keys.privateKey,
    ),
  );
});
afterAll(async () => {
  await db.close();
});

function scans(from: number, count: number): ScanRequest[] {
  return codes.slice(from, from + count).map((ticket) => ({
    eventId,
    userId: randomUUID(),
    scan: { nonce: `n-${randomUUID()}`, ticket, direction: "entry", method: "qr" },
  }));
}

/**
 * Runs the batch, and EXPLAINs each of its statements as it runs them. A statement run through `Database.run` is
 * explained after it ran (so that it is prepared), embedded both with the plan the plan cache makes once it has run
 * the statement a few times (generic) and with the values at hand (custom).
 */
async function explainBatch(batch: ScanRequest[]): Promise<string[]> {
  const plans: string[] = [];
  await db.withOrg(orgId, async (tx) => {
    const explain = async (query: SQL) => {
      const plan = await rows<{ "QUERY PLAN": string }>(tx, sql`explain (costs off) ${query}`);
      plans.push(plan.map((line) => line["QUERY PLAN"]).join("\n"));
    };
    const explaining = new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop !== "execute") return Reflect.get(target, prop, receiver);
        return async (query: SQL) => {
          await explain(query);
          return target.execute(query);
        };
      },
    }) as Tx;
    const run = async <T>(_: Tx, statement: Statement, values: readonly StatementValue[]): Promise<T[]> => {
      const result = await db.run<T>(tx, statement, values);
      if (db.kind === "pglite") {
        for (const mode of ["force_generic_plan", "force_custom_plan"]) {
          await tx.execute(sql.raw(`set local plan_cache_mode = ${mode}`));
          await explain(execution(statement, values));
        }
        await tx.execute(sql.raw("set local plan_cache_mode = auto"));
      } else {
        await explain(bound(statement, values));
      }
      return result;
    };
    return processScans(explaining, orgId, batch, new Date(), { lockPeople: db.kind === "postgres", run });
  });
  return plans;
}

describe("a batch of scans", () => {
  it("probes indexes per scan, never reading the whole crowd, however stale the statistics", async () => {
    // Half the crowd is already in, so the check-ins table is large too.
    for (let at = 0; at < ATTENDEES / 2; at += 500)
      await db.withOrg(orgId, (tx) => processScans(tx, orgId, scans(at, 500), new Date(), { run: db.run }));
    const plans = await explainBatch(scans(ATTENDEES / 2, 50));
    // The look-up and the insert, each embedded with both plans (PostgreSQL: once each, and the person locks).
    expect(plans.length).toBe(db.kind === "pglite" ? 4 : 3);
    const all = plans.join("\n");
    for (const table of ["people", "tickets", "registrations", "check_ins", "touchpoints"]) {
      expect(all, table).not.toMatch(new RegExp(`Seq Scan on ${table}\\b`));
      expect(all, table).not.toMatch(new RegExp(`Bitmap Heap Scan on ${table}\\b`));
    }
    const [stored] = await db.withOrg(orgId, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from check_ins where event_id = ${eventId}`),
    );
    expect(stored!.n).toBe(ATTENDEES / 2 + 50);
  });
});

describe("a batch in the embedded database's thread", () => {
  it.skipIf(process.env.THROUGHLINE_TEST_DATABASE_URL)(
    "records the scans there, each statement planned once and run with its generic plan",
    async () => {
      // The statements as if never prepared in the session (the test above ran them, and the plan cache had settled
      // on their generic plans for its large batches); this thread has not run them yet, so it prepares them anew.
      await db.owner.execute(sql`deallocate checkin_lookup`);
      await db.owner.execute(sql`deallocate checkin_record`);
      const counts = async () =>
        rows<{ name: string; generic: number; custom: number }>(
          db.owner,
          sql`select name, generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
              where name in ('checkin_lookup', 'checkin_record') order by name`,
        );
      expect(await counts()).toEqual([]);
      const base = ATTENDEES / 2 + 50; // after the tickets the test above checks in
      // Batches of a few scans: the size at which the plan cache would plan the look-up again for every batch.
      for (let at = base; at < base + 35; at += 5) {
        const { results, signatures } = await db.callInThread!<
          Parameters<typeof processScansInThread>[1],
          Awaited<ReturnType<typeof processScansInThread>>
        >(PROCESS_SCANS_MODULE, "processScansInThread", { orgId, requests: scans(at, 5), now: new Date() });
        expect(results.map((r) => r.outcome)).toEqual(Array(5).fill("checked_in"));
        expect(signatures).toBe(5); // codes the test signed itself: no digest recorded, so checked by signature
      }
      expect(await counts()).toEqual([
        { name: "checkin_lookup", generic: 7, custom: 0 },
        { name: "checkin_record", generic: 7, custom: 0 },
      ]);
    },
  );
});
