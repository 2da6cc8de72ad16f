import { sql } from "drizzle-orm";
import { AppError } from "../core/errors.ts";
import { type Database, quoteIdent, rows } from "../db/client.ts";
import { type Effects, resolveEffects } from "./effects.ts";
import { DAY, ts } from "./format.ts";
import { type Batch, type DemoProgress, generateBatches } from "./generate.ts";
import { SCALES, type Scale, type ScaleSpec, scales } from "./scale.ts";
import { CLEANUP_ORDER, PARENT_TABLES, TABLE_ORDER } from "./tables.ts";
import { verifyForeignKeys } from "./verify-foreign-keys.ts";
import { planWorld, type World } from "./world.ts";

export type { DemoProgress } from "./generate.ts";

export interface LoadDemoOptions {
  seed: number;
  scale: Scale;
  /** Overrides of the planted effects (defaults in src/demo/effects.json). */
  effects?: Partial<Effects>;
  /** The end of history; defaults to today at midnight UTC. Every timestamp is relative to it. */
  now?: Date;
  /** Organization slug (default "demo"); users' emails live under <slug>.throughline.test. */
  orgSlug?: string;
  /** Overrides of the scale's sizes (tests and benchmarks). */
  sizes?: Partial<ScaleSpec>;
  /** Rows per COPY batch (default 60,000). */
  batchRows?: number;
  /**
   * "after" (default where the login may skip triggers: embedded PGlite, or a PostgreSQL login granted SET on
   * session_replication_role): COPY without the per-row foreign-key triggers, then check every key of the
   * organization set-wise; about twice as fast. "per-row": the usual checks.
   */
  foreignKeyChecks?: "after" | "per-row";
  onProgress?: (p: DemoProgress & { rows: number }) => void;
}

export interface LoadDemoResult {
  orgId: string;
  adminEmail: string;
  /** Rows loaded per table, plus "organizations": 1. */
  counts: Record<string, number>;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Resolves options into the planned world (no I/O). */
export function planDemo(options: Omit<LoadDemoOptions, "onProgress" | "batchRows">): World {
  if (!Number.isSafeInteger(options.seed)) {
    throw new AppError("validation", `seed must be a safe integer, got ${options.seed}`, "seed");
  }
  if (!scales.includes(options.scale)) {
    throw new AppError(
      "validation",
      `scale must be one of ${scales.join(", ")}, got ${options.scale}`,
      "scale",
    );
  }
  const slug = options.orgSlug ?? "demo";
  if (!SLUG.test(slug)) {
    throw new AppError(
      "validation",
      `org slug must be lowercase letters, digits and dashes, got "${slug}"`,
      "orgSlug",
    );
  }
  const effects = resolveEffects(options.effects ?? {});
  const now = options.now ? options.now.getTime() : Math.floor(Date.now() / DAY) * DAY;
  if (!Number.isFinite(now)) throw new AppError("validation", "now must be a valid date", "now");
  const spec = { ...SCALES[options.scale], ...(options.sizes ?? {}) };
  return planWorld({ seed: options.seed, spec, effects, now, slug });
}

/**
 * Creates the demo organization "Northwind Demo" and its whole synthetic world, with the planted effects documented
 * in docs/demo-world.md. The admin (admin@<slug>.throughline.test) has no password: the caller sets one. Rows are
 * loaded with COPY in batches, in foreign-key order; a failed load removes what it had loaded. Where the login may,
 * each COPY skips per-row key triggers in its own transaction and the keys are checked afterwards (see
 * `foreignKeyChecks`).
 */
export async function loadDemo(db: Database, options: LoadDemoOptions): Promise<LoadDemoResult> {
  const w = planDemo(options);
  await ensureFree(db, w);
  await db.owner.execute(
    sql`insert into organizations (id, name, slug, created_at) values (${w.orgId}, ${"Northwind Demo"}, ${w.slug}, ${ts(w.h0)}::timestamptz)`,
  );
  const counts: Record<string, number> = { organizations: 1 };
  let loaded = 0;
  let phase: DemoProgress = { phase: "start", done: 0, total: 1 };
  const report = (p?: DemoProgress) => {
    if (p) phase = p;
    options.onProgress?.({ ...phase, rows: loaded });
  };
  // Each COPY skips per-row triggers (the foreign-key checks among them) in its own transaction when the login may;
  // keys are then verified in one pass per key below.
  const checkAfter = (options.foreignKeyChecks ?? "after") === "after" && (await canSkipTriggers(db));
  const copy = async (parts: Batch) => {
    for (const part of parts) {
      await db.copyIn(part.table, [...part.columns], part.csv, { skipTriggers: checkAfter });
      counts[part.table] = (counts[part.table] ?? 0) + part.rows;
      loaded += part.rows;
    }
    report();
  };
  // Four lanes, each on its own connection. The parent lane copies the tables other rows point to (people,
  // opportunities, registrations, leads, attempts, and the setup tables), batch after batch in foreign-key order.
  // Leaf tables (referenced by nothing) follow in lanes of their own: one for most of them, two taking turns for the
  // touchpoints (half the rows, the longest path). A batch's leaves start once the same batch's parents are in; at
  // most two batches wait per lane, so memory stays flat.
  let parents: Promise<void> = Promise.resolve();
  const lane = () => ({ chain: Promise.resolve() as Promise<void>, waiting: 0 });
  const leaves = lane();
  const touches = [lane(), lane()];
  let batchNo = 0;
  try {
    const observe = (p: Promise<void>) => {
      // Marks the promise as observed; a failure is rethrown by the next await on it.
      p.catch(() => undefined);
      return p;
    };
    for await (const batch of generateBatches(w, options.batchRows ?? 60_000, report)) {
      await parents;
      const touchLane = touches[batchNo++ % touches.length]!;
      for (const l of [leaves, touchLane]) while (l.waiting > 1) await l.chain;
      parents = observe(copy(batch.filter((p) => PARENT_TABLES.has(p.table))));
      const parentsIn = parents;
      for (const [l, parts] of [
        [leaves, batch.filter((p) => !PARENT_TABLES.has(p.table) && p.table !== "touchpoints")],
        [touchLane, batch.filter((p) => p.table === "touchpoints")],
      ] as const) {
        if (parts.length === 0) continue;
        l.waiting++;
        l.chain = observe(
          Promise.all([l.chain, parentsIn])
            .then(() => copy(parts))
            .finally(() => {
              l.waiting--;
            }),
        );
      }
    }
    await parents;
    await leaves.chain;
    for (const l of touches) await l.chain;
    // Statistics first: they also let the key checks below run as hash anti-joins.
    report({ phase: "analyze", done: 0, total: 1 });
    for (const table of TABLE_ORDER) await db.owner.execute(sql.raw(`analyze ${quoteIdent(table)}`));
    if (checkAfter) {
      report({ phase: "verify keys", done: 0, total: 1 });
      await verifyForeignKeys(db, w.orgId);
    }
    report({ phase: "done", done: 1, total: 1 });
  } catch (error) {
    // Let every lane finish or fail before removing what was loaded, so no copy lands after the clean-up.
    await Promise.allSettled([parents, leaves.chain, ...touches.map((l) => l.chain)]);
    await removeOrganization(db, w.orgId).catch(() => undefined);
    throw error;
  }
  return { orgId: w.orgId, adminEmail: w.admin.email, counts };
}

/**
 * Triggers may be skipped when the login is a superuser (the embedded database's is) or holds the SET privilege on
 * session_replication_role (PostgreSQL ≥ 15: `grant set on parameter session_replication_role to <owner login>`).
 * Otherwise every row's foreign keys are checked as it is copied, which is correct and about twice as slow.
 */
async function canSkipTriggers(db: Database): Promise<boolean> {
  const [r] = await rows<{ may: boolean }>(
    db.owner,
    sql`select (select rolsuper from pg_roles where rolname = current_user)
          or has_parameter_privilege('session_replication_role', 'SET') as may`,
  );
  return r?.may === true;
}

async function ensureFree(db: Database, w: World): Promise<void> {
  const taken = await rows<{ n: number }>(
    db.owner,
    sql`select count(*)::int as n from organizations where slug = ${w.slug} or id = ${w.orgId}`,
  );
  if ((taken[0]?.n ?? 0) > 0) {
    throw new AppError(
      "conflict",
      `an organization with slug "${w.slug}" already exists; choose another with --org-slug, or remove that organization first`,
      "orgSlug",
    );
  }
  const users = await rows<{ n: number }>(
    db.owner,
    sql`select count(*)::int as n from users where lower(email) like ${`%@${w.emailDomain}`}`,
  );
  if ((users[0]?.n ?? 0) > 0) {
    throw new AppError(
      "conflict",
      `users with emails under ${w.emailDomain} already exist in another organization; choose another --org-slug`,
      "orgSlug",
    );
  }
}

/**
 * Deletes every row of one organization that the demo loader writes (children first), then the organization. Each
 * table is vacuumed right after: deleting a parent row checks its children for references, and without the vacuum
 * those checks would wade through every dead child row again (for millions of rows, hours instead of minutes).
 */
export async function removeOrganization(db: Database, orgId: string): Promise<void> {
  const org = orgId.replace(/[^0-9a-f-]/gi, "");
  for (const table of CLEANUP_ORDER) {
    await db.owner.execute(sql.raw(`delete from ${quoteIdent(table)} where org_id = '${org}'`));
    await db.owner.execute(sql.raw(`vacuum ${quoteIdent(table)}`));
  }
  await db.owner.execute(sql`delete from organizations where id = ${orgId}`);
}

export { SCALES, type Scale, type ScaleSpec, scales };
