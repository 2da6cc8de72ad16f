import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
import { AppError } from "../core/errors.ts";
import { type Database, rows } from "../db/client.ts";
import { eventTypes } from "../db/schema/vocabulary.ts";
import { DAY } from "./format.ts";
import { generateBatches } from "./generate.ts";
import { type LoadDemoOptions, loadDemo, planDemo } from "./load-demo.ts";
import type { ScaleSpec } from "./scale.ts";
import { PARENT_TABLES, TABLE_ORDER, type Table } from "./tables.ts";
import { HOSPITALS } from "./vocabulary.ts";
import { accountPersonEmail, learnerEmail, partnerContactEmail, personName } from "./world.ts";

/** A tiny world: every table and event type, loads in about a second. */
const TINY: Partial<ScaleSpec> = {
  accounts: 40,
  partners: 8,
  cmeLearners: 20,
  reps: 6,
  marketers: 1,
  partnerManagers: 1,
  educators: 1,
  viewers: 1,
  leadSlots: 3,
  partnerEvents: 1,
  trainings: 3,
  cmeActivities: 3,
  onlineTouchesPerPersonYear: 10,
};
const NOW = new Date("2026-01-15T00:00:00Z");
const tiny = (seed: number, orgSlug: string, extra: Partial<LoadDemoOptions> = {}): LoadDemoOptions => ({
  seed,
  scale: "small",
  sizes: TINY,
  now: NOW,
  orgSlug,
  ...extra,
});

/** Per table: row count and SHA-256 of the CSV, over the whole generated stream. */
async function digest(options: LoadDemoOptions, batchRows: number): Promise<Record<string, string>> {
  const w = planDemo(options);
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  const counts: Record<string, number> = {};
  for await (const batch of generateBatches(w, batchRows)) {
    for (const part of batch) {
      let h = hashes.get(part.table);
      if (!h) {
        h = createHash("sha256");
        hashes.set(part.table, h);
      }
      h.update(part.csv);
      counts[part.table] = (counts[part.table] ?? 0) + part.rows;
    }
  }
  return Object.fromEntries([...hashes].map(([t, h]) => [t, `${counts[t]}:${h.digest("hex")}`]));
}

describe("determinism of the generated stream", () => {
  it("gives byte-identical rows for the same seed, whatever the batch size", async () => {
    const a = await digest(tiny(5, "demo"), 60_000);
    const b = await digest(tiny(5, "demo"), 997);
    expect(b).toEqual(a);
    expect(new Set(Object.keys(a))).toEqual(new Set(TABLE_ORDER));
  });

  it("gives a different world for a different seed", async () => {
    const a = await digest(tiny(5, "demo"), 60_000);
    const b = await digest(tiny(6, "demo"), 60_000);
    expect(b.touchpoints).not.toEqual(a.touchpoints);
    expect(b.people).not.toEqual(a.people);
  });

  it("gives every person a distinct email, whatever names the seed draws", () => {
    // Names repeat (76 × 66 of them); emails must not, or a large world hits people_email_key.
    const emails = new Set<string>();
    let n = 0;
    const add = (email: string) => {
      emails.add(email);
      n++;
    };
    for (let a = 0; a < 20_000; a++)
      for (let j = 0; j < 16; j++) add(accountPersonEmail(a, j, ...personName(3, 1, a, j)));
    for (let p = 0; p < 30_000; p++)
      for (let j = 0; j < 2; j++) add(partnerContactEmail(p, j, ...personName(3, 2, p, j)));
    for (let l = 0; l < 80_000; l++)
      add(learnerEmail(l, ...personName(3, 3, l, 0), HOSPITALS[l % HOSPITALS.length]!));
    expect(emails.size).toBe(n);
  });

  it("has about 2,000 people and 100,000 touchpoints at scale small", async () => {
    const counts: Record<string, number> = {};
    for await (const batch of generateBatches(planDemo({ seed: 1, scale: "small", now: NOW }), 60_000)) {
      for (const part of batch) counts[part.table] = (counts[part.table] ?? 0) + part.rows;
    }
    expect(counts.people).toBeGreaterThan(1_700);
    expect(counts.people).toBeLessThan(2_300);
    expect(counts.touchpoints).toBeGreaterThan(80_000);
    expect(counts.touchpoints).toBeLessThan(120_000);
  });
});

describe("a loaded demo organization", () => {
  let db: Database;
  const loaded: Record<string, { orgId: string; counts: Record<string, number> }> = {};

  beforeAll(async () => {
    db = await openTestDatabase();
    loaded.a = await loadDemo(db, tiny(5, "demo-a"));
    loaded.b = await loadDemo(db, tiny(5, "demo-b"));
    // The third load keeps PostgreSQL's per-row foreign-key checks: the generator must satisfy them too.
    loaded.c = await loadDemo(db, tiny(6, "demo-c", { foreignKeyChecks: "per-row" }));
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  const idChecksum = async (orgId: string) => {
    const [r] = await rows<{ md5: string; n: number }>(
      db.owner,
      sql`select md5(string_agg(id::text, ',' order by id)) as md5, count(*)::int as n from touchpoints where org_id = ${orgId}`,
    );
    return r!;
  };
  const tableCounts = async (orgId: string) => {
    const out: Record<string, number> = {};
    for (const t of TABLE_ORDER) {
      const [r] = await rows<{ n: number }>(
        db.owner,
        sql`select count(*)::int as n from ${sql.identifier(t)} where org_id = ${orgId}`,
      );
      out[t] = r!.n;
    }
    return out;
  };

  it("reports the rows it loaded", async () => {
    const counts = await tableCounts(loaded.a!.orgId);
    for (const t of TABLE_ORDER) expect(counts[t], t).toBe(loaded.a!.counts[t] ?? 0);
    for (const t of TABLE_ORDER) expect(counts[t], `${t} is empty`).toBeGreaterThan(0);
  });

  it("loads the same world twice from the same seed, and another from another seed", async () => {
    expect(await tableCounts(loaded.b!.orgId)).toEqual(await tableCounts(loaded.a!.orgId));
    const a = await idChecksum(loaded.a!.orgId);
    expect(await idChecksum(loaded.b!.orgId)).toEqual(a);
    const c = await idChecksum(loaded.c!.orgId);
    expect(c.md5).not.toBe(a.md5);
  });

  it("has every event type, past events completed and upcoming ones published", async () => {
    const types = await rows<{ type: string; completed: number; published: number }>(
      db.owner,
      sql`select type, count(*) filter (where status = 'completed')::int as completed,
            count(*) filter (where status = 'published')::int as published
          from events where org_id = ${loaded.a!.orgId} group by type`,
    );
    expect(types.map((t) => t.type).sort()).toEqual([...eventTypes].sort());
    for (const t of types) expect(t.completed, t.type).toBeGreaterThan(0);
    expect(types.reduce((s, t) => s + t.published, 0)).toBe(2);
  });

  it("keeps every occurrence inside the last 12 months", async () => {
    const org = loaded.a!.orgId;
    const h0 = new Date(NOW.getTime() - 365 * DAY).toISOString();
    const [r] = await rows<Record<string, number>>(
      db.owner,
      sql`select
        (select count(*)::int from touchpoints where org_id = ${org} and (occurred_at < ${h0} or occurred_at > ${NOW.toISOString()})) as touchpoints,
        (select count(*)::int from stage_changes where org_id = ${org} and (changed_at < ${h0} or changed_at > ${NOW.toISOString()})) as stage_changes,
        (select count(*)::int from check_ins where org_id = ${org} and (occurred_at < ${h0} or occurred_at > ${NOW.toISOString()})) as check_ins,
        (select count(*)::int from responses where org_id = ${org} and (answered_at < ${h0} or answered_at > ${NOW.toISOString()})) as responses,
        (select count(*)::int from opportunities where org_id = ${org} and (opened_at < ${h0} or closed_at > ${NOW.toISOString()})) as opportunities,
        (select count(*)::int from registrations where org_id = ${org} and (created_at < ${h0} or created_at > ${NOW.toISOString()})) as registrations`,
    );
    expect(r).toEqual({
      touchpoints: 0,
      stage_changes: 0,
      check_ins: 0,
      responses: 0,
      opportunities: 0,
      registrations: 0,
    });
  });

  it("writes consistent stage histories: one creation row, then the stages in order, closed ones last", async () => {
    const [r] = await rows<{ bad_first: number; bad_close: number; mismatched: number }>(
      db.owner,
      sql`with h as (
            select o.id, o.stage, o.closed_at, o.is_won,
              (select to_stage from stage_changes s where s.org_id = o.org_id and s.opportunity_id = o.id and s.from_stage is null) as first,
              (select to_stage from stage_changes s where s.org_id = o.org_id and s.opportunity_id = o.id order by changed_at desc limit 1) as last
            from opportunities o where o.org_id = ${loaded.a!.orgId})
          select count(*) filter (where first is distinct from 'prospecting')::int as bad_first,
            count(*) filter (where (closed_at is not null) <> (stage in ('closed_won', 'closed_lost')))::int as bad_close,
            count(*) filter (where last <> stage or (is_won is not null and is_won <> (stage = 'closed_won')))::int as mismatched
          from h`,
    );
    expect(r).toEqual({ bad_first: 0, bad_close: 0, mismatched: 0 });
  });

  it("creates the admin without a password, reps with territories, physicians with MD or DO", async () => {
    const org = loaded.a!.orgId;
    const users = await rows<{
      email: string;
      role: string;
      territory: string | null;
      password_hash: string | null;
    }>(db.owner, sql`select email, role, territory, password_hash from users where org_id = ${org}`);
    const admin = users.find((u) => u.role === "admin")!;
    expect(admin.email).toBe("admin@demo-a.throughline.test");
    expect(admin.password_hash).toBeNull();
    expect(new Set(users.map((u) => u.role))).toEqual(
      new Set(["admin", "marketer", "rep", "partner_manager", "educator", "viewer"]),
    );
    for (const rep of users.filter((u) => u.role === "rep")) expect(rep.territory).toBeTruthy();
    const [cme] = await rows<{ physicians: number; without_npi: number }>(
      db.owner,
      sql`select count(*) filter (where degree in ('MD', 'DO'))::int as physicians,
            count(*) filter (where degree in ('MD', 'DO') and npi is null)::int as without_npi
          from people where org_id = ${org} and degree is not null`,
    );
    expect(cme!.physicians).toBeGreaterThan(0);
    expect(cme!.without_npi).toBe(0);
  });

  it("marks touchpoints online or offline and tags them as demo data", async () => {
    const channels = await rows<{ channel: string; online: boolean; n: number }>(
      db.owner,
      sql`select channel, online, count(*)::int as n from touchpoints where org_id = ${loaded.a!.orgId}
          and source = 'demo' group by channel, online order by channel`,
    );
    const offline = new Set(channels.filter((c) => !c.online).map((c) => c.channel));
    expect(offline).toEqual(new Set(["call", "conversation", "event", "meeting"]));
    for (const ch of ["email", "web", "ads", "content"])
      expect(channels.some((c) => c.channel === ch && c.online)).toBe(true);
  });

  it("copies every table that a foreign key points to in the parent lane", async () => {
    const fks = await rows<{ child: string; parent: string }>(
      db.owner,
      sql`select cl.relname as child, pl.relname as parent from pg_constraint c
          join pg_class cl on cl.oid = c.conrelid join pg_class pl on pl.oid = c.confrelid
          where c.contype = 'f'`,
    );
    const loaded = new Set<string>(TABLE_ORDER);
    for (const fk of fks.filter((f) => loaded.has(f.child) && loaded.has(f.parent))) {
      expect(PARENT_TABLES.has(fk.parent as Table), `${fk.child} → ${fk.parent}`).toBe(true);
    }
  });

  it("refuses a slug that is taken, and writes nothing", async () => {
    const before = await rows<{ n: number }>(db.owner, sql`select count(*)::int as n from organizations`);
    await expect(loadDemo(db, tiny(9, "demo-a"))).rejects.toThrow(AppError);
    await expect(loadDemo(db, tiny(9, "demo-a"))).rejects.toThrow(/slug "demo-a" already exists/);
    const after = await rows<{ n: number }>(db.owner, sql`select count(*)::int as n from organizations`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("catches a broken foreign key after a load without per-row checks, and removes the organization", async () => {
    const copyIn = db.copyIn.bind(db);
    const corrupting: Database = {
      ...db,
      copyIn: async (table, columns, csv, options) => {
        if (table !== "registrations" || typeof csv !== "string") return copyIn(table, columns, csv, options);
        // Point the first registration of every batch at a person that does not exist.
        const fields = csv.split(",");
        fields[3] = "00000000-0000-4000-8000-000000000000";
        return copyIn(table, columns, fields.join(","), options);
      },
    };
    // The set-wise check names the key and the count; PostgreSQL's own per-row check would say "violates".
    await expect(loadDemo(corrupting, tiny(8, "demo-broken"))).rejects.toThrow(
      /broke foreign key \S+: \d+ registrations rows point to no people row/,
    );
    const [r] = await rows<{ orgs: number }>(
      db.owner,
      sql`select count(*)::int as orgs from organizations where slug = 'demo-broken'`,
    );
    expect(r!.orgs).toBe(0);
  });

  it("removes a half-loaded organization when a copy fails", async () => {
    const copyIn = db.copyIn.bind(db);
    let calls = 0;
    const failing: Database = {
      ...db,
      copyIn: async (table, columns, csv, options) => {
        if (++calls === 20) throw new Error("disk full");
        return copyIn(table, columns, csv, options);
      },
    };
    await expect(loadDemo(failing, tiny(7, "demo-fail"))).rejects.toThrow("disk full");
    const [r] = await rows<{ orgs: number; people: number }>(
      db.owner,
      sql`select (select count(*)::int from organizations where slug = 'demo-fail') as orgs,
            (select count(*)::int from people p join organizations o on o.id = p.org_id where o.slug = 'demo-fail') as people`,
    );
    expect(r).toEqual({ orgs: 0, people: 0 });
  });
});
