import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { users } from "../db/schema/index.ts";
import { generatePassword, hashPassword } from "./auth/password.ts";

/**
 * Gives the organization's first admin a password if it has none yet: the configured one, or a generated one that
 * is returned so it can be printed once. Returns undefined when the admin already has a password.
 */
export async function bootstrapAdmin(
  db: Database,
  orgId: string,
  configured: string | undefined,
): Promise<{ email: string; password: string; generated: boolean } | undefined> {
  const [admin] = await db.withOrg(orgId, (tx) =>
    tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.role, "admin"), isNull(users.passwordHash)))
      .orderBy(users.createdAt)
      .limit(1),
  );
  if (!admin) return undefined;
  const password = configured ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await db.withOrg(orgId, (tx) =>
    tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.orgId, orgId), eq(users.id, admin.id))),
  );
  return { email: admin.email, password, generated: configured === undefined };
}
