import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The organization a CLI command works on: by id or slug, or the only one when there is exactly one. Owner-level
 * look-up (the CLI runs on the operator's machine); every query after it runs under that organization.
 */
export async function resolveOrg(
  db: Database,
  spec: string | undefined,
): Promise<{ id: string; slug: string }> {
  const orgs = await rows<{ id: string; slug: string }>(
    db.owner,
    sql`select id::text, slug from organizations order by created_at, slug`,
  );
  if (spec !== undefined) {
    const found = orgs.find((o) => o.slug === spec || o.id === spec.toLowerCase());
    if (!found) {
      throw new AppError(
        "bad_request",
        `no organization "${spec}"; organizations: ${orgs.map((o) => o.slug).join(", ") || "none"}`,
        "org",
      );
    }
    return found;
  }
  if (orgs.length === 1) return orgs[0]!;
  throw new AppError(
    "bad_request",
    orgs.length === 0
      ? "the database has no organization yet (load the demo or sign up first)"
      : `several organizations: choose one with --org (${orgs.map((o) => o.slug).join(", ")})`,
    "org",
  );
}

/** An event of the organization by id or slug; not_found otherwise (other organizations' events included). */
export async function resolveEventId(db: Database, orgId: string, spec: string): Promise<string> {
  const found = await db.withOrg(orgId, (tx) =>
    rows<{ id: string }>(
      tx,
      UUID.test(spec)
        ? sql`select id::text from events where org_id = ${orgId} and id = ${spec}`
        : sql`select id::text from events where org_id = ${orgId} and slug = ${spec}`,
    ),
  );
  if (!found[0]) throw new AppError("not_found", `no event ${spec}`);
  return found[0].id;
}
