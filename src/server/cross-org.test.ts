import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, testApp } from "../../test/app.ts";
import { openTestDatabase } from "../../test/db.ts";
import { type Database, quoteIdent, rows } from "../db/client.ts";
import { loadDemo } from "../demo/load-demo.ts";

/**
 * Tenancy through the front door: an admin of organization B calls every signed-in route of the API with the ids
 * of organization A's rows (one of every table) in every path parameter. Nothing of A may come back, and A's data
 * must be exactly as it was afterwards.
 */
let db: Database;
let app: TestApp;
let orgA: string;
let headersA: Record<string, string>;
let headersB: Record<string, string>;
const NOW = new Date("2026-06-01T00:00:00Z");

beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db, () => NOW);
  const demo = await loadDemo(db, {
    seed: 3,
    scale: "small",
    now: NOW,
    orgSlug: "cross-org-a",
    sizes: { accounts: 60, cmeLearners: 40, onlineTouchesPerPersonYear: 4 },
  });
  orgA = demo.orgId;
  headersA = await signedIn(app, await addUser(db, orgA, "admin"));
  headersB = await signedIn(app, await orgWithAdmin(db));
}, 120_000);
afterAll(async () => {
  await db.close();
});

async function tenantTables(): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    db.owner,
    sql`select c.table_name from information_schema.columns c
        join information_schema.columns i on i.table_schema = c.table_schema and i.table_name = c.table_name
          and i.column_name = 'id'
        where c.table_schema = 'public' and c.column_name = 'org_id' order by 1`,
  );
  return found.map((r) => r.table_name);
}

/** A fingerprint of everything organization A owns: row count and an md5 over the rows of each table. */
async function fingerprint(tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [r] = await rows<{ n: number; h: string | null }>(
      db.owner,
      sql.raw(
        `select count(*)::int as n, md5(string_agg(x::text, ',' order by x::text)) as h from ${quoteIdent(t)} x where org_id = '${orgA}'`,
      ),
    );
    out[t] = `${r!.n}:${r!.h}`;
  }
  return out;
}

describe("cross-organization access through every route", () => {
  it("never returns or changes another organization's rows", { timeout: 300_000 }, async () => {
    const tables = await tenantTables();
    const idOf = new Map<string, string>();
    for (const t of tables) {
      const [r] = await rows<{ id: string }>(
        db.owner,
        sql.raw(`select id::text as id from ${quoteIdent(t)} where org_id = '${orgA}' limit 1`),
      );
      if (r) idOf.set(t, r.id);
    }
    const ids = [...idOf.values()];
    /**
     * The ids worth trying in a path: A's row of the table the segment before the parameter names (events → events,
     * sessions → event_sessions…), plus a few of other kinds; every id when no table matches.
     */
    const candidates = (path: string): string[] => {
      const segment = /\/([a-z-]+)\/\{[^}]+\}/.exec(path)?.[1]?.replace(/-/g, "_");
      const table = segment && [...idOf.keys()].find((t) => t === segment || t.endsWith(`_${segment}`));
      if (!table) return ids;
      return [
        ...new Set([idOf.get(table)!, idOf.get("events"), idOf.get("people"), idOf.get("accounts")]),
      ].filter((x): x is string => x !== undefined);
    };
    expect(ids.length).toBeGreaterThan(15);

    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { "x-roles"?: string[] }>>;
    };
    const calls: { method: string; path: string }[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.includes("{")) continue;
      for (const [method, op] of Object.entries(ops)) {
        if (op["x-roles"]) calls.push({ method: method.toUpperCase(), path });
      }
    }
    expect(calls.length).toBeGreaterThan(5);

    // Positive control: the same GET calls made by A's own admin do find A's rows, so the ids and routes are real.
    let ownHits = 0;
    for (const { path } of calls.filter((c) => c.method === "GET")) {
      for (const id of candidates(path)) {
        const res = await app.request(path.replace(/\{[^}]+\}/g, id), { headers: headersA });
        if (res.status === 200) ownHits++;
      }
    }
    expect(ownHits).toBeGreaterThan(5);
    const before = await fingerprint(tables);

    const leaks: string[] = [];
    let tried = 0;
    for (const { method, path } of calls) {
      for (const id of candidates(path)) {
        tried++;
        const url = path.replace(/\{[^}]+\}/g, id);
        const res = await app.request(url, {
          method,
          headers: headersB,
          ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }),
        });
        const text = await res.text();
        if (res.status < 400 || text.includes(orgA)) leaks.push(`${method} ${url} -> ${res.status}`);
        // An error may echo the id the caller sent; any other id of A in the answer is a leak.
        for (const other of ids) {
          if (other !== id && text.includes(other)) leaks.push(`${method} ${url} revealed ${other}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(calls.length);
    expect(await fingerprint(tables)).toEqual(before);
  });
});
