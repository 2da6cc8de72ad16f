import { sql } from "drizzle-orm";
import { rows, type Tx } from "../../db/client.ts";
import { ident, pgArray } from "./batch-write.ts";

/**
 * Resolves external ids (or e-mail addresses) of one table to row ids within the organization, caching what it
 * has seen for the rest of the run. Row-level security already hides other organizations; the org_id condition
 * is there so the (org_id, key) index answers.
 */
export class ReferenceLookup {
  private readonly cache = new Map<string, string | null>();

  constructor(
    private readonly orgId: string,
    private readonly table: "accounts" | "people" | "opportunities" | "events",
    private readonly by: "external_id" | "email",
  ) {}

  /** The cache key of a reference as written in the file (e-mail addresses compare without case). */
  normalize(reference: string): string {
    return this.by === "email" ? reference.toLowerCase() : reference;
  }

  /** Looks up every reference not seen yet. */
  async load(tx: Tx, references: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const r of references) {
      const key = this.normalize(r);
      if (!this.cache.has(key)) missing.add(key);
    }
    if (missing.size === 0) return;
    const keys = [...missing];
    const column = this.by === "email" ? sql`lower(email)` : sql`external_id`;
    const found = await rows<{ key: string; id: string }>(
      tx,
      sql`select ${column} as key, id from ${ident(this.table)}
          where org_id = ${this.orgId}::uuid and ${column} = any(${pgArray(keys)}::text[])`,
    );
    for (const k of keys) this.cache.set(k, null);
    for (const f of found) this.cache.set(f.key, f.id);
  }

  /** The id of a loaded reference, or null when the organization has no such row. */
  get(reference: string): string | null {
    return this.cache.get(this.normalize(reference)) ?? null;
  }
}
