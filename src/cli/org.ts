import { sql } from "drizzle-orm";
import { AppError } from "../core/errors.ts";
import { type Database, rows } from "../db/client.ts";
import { UsageError } from "./command.ts";

/**
 * The organization a command works in: the one `--org` names (slug or id), or the only one there is. Looked up with
 * the owner handle, since no organization is chosen yet; everything after runs under the one returned.
 */
export async function resolveOrg(
  db: Database,
  spec: string | undefined,
): Promise<{ id: string; slug: string }> {
  const orgs = await rows<{ id: string; slug: string }>(
    db.owner,
    sql`select id::text as id, slug from organizations order by slug`,
  );
  const listed = (): string => {
    const names = orgs.slice(0, 5).map((o) => o.slug);
    return `${names.join(", ")}${orgs.length > 5 ? ", …" : ""}`;
  };
  if (spec !== undefined) {
    const found = orgs.find((o) => o.slug === spec || o.id === spec.toLowerCase());
    if (!found) {
      throw new UsageError(
        `flag --org: no organization "${spec}"; ${orgs.length ? `organizations: ${listed()}` : "there is none yet"}`,
      );
    }
    return found;
  }
  if (orgs.length === 1) return orgs[0]!;
  if (orgs.length === 0) {
    throw new AppError(
      "not_found",
      "the database has no organization yet (load the demo or start the product once)",
    );
  }
  throw new UsageError(`there are several organizations; pass --org <slug> (${listed()})`);
}
