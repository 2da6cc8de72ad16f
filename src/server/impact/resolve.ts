import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
