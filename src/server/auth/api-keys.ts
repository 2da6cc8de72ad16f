import { and, desc, eq, isNull } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { newToken, sha256 } from "./tokens.ts";

/** Creates an API key for a user. The secret is returned once; only its hash is kept. */
export async function createApiKey(db: Database, orgId: string, userId: string, name: string) {
  const secret = `tl_${newToken(30)}`;
  const prefix = secret.slice(0, 10);
  const [row] = await db.withOrg(orgId, (tx) =>
    tx
      .insert(apiKeys)
      .values({ orgId, userId, name, prefix, keyHash: sha256(secret) })
      .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt }),
  );
  return { id: row!.id, name, prefix, createdAt: row!.createdAt, secret };
}

export async function listApiKeys(db: Database, orgId: string) {
  return db.withOrg(orgId, (tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        userId: apiKeys.userId,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt)),
  );
}

export async function revokeApiKey(db: Database, orgId: string, id: string, now: Date): Promise<void> {
  const done = await db.withOrg(orgId, (tx) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id }),
  );
  if (done.length === 0) throw new AppError("not_found", `no active API key ${id}`, "id");
}
