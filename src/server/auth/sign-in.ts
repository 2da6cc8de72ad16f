import { and, eq, sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows } from "../../db/client.ts";
import { userSessions } from "../../db/schema/index.ts";
import type { Role } from "../../db/schema/vocabulary.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { newToken, sha256 } from "./tokens.ts";

export const SESSION_DAYS = 14;

export interface SignedIn {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: { id: string; orgId: string; role: Role; email: string };
}

/** Checks email and password and opens a web session. The same answer for an unknown email and a wrong password. */
export async function signIn(db: Database, email: string, password: string, now: Date): Promise<SignedIn> {
  const [found] = await db.asApp((tx) =>
    rows<{ org_id: string; user_id: string; password_hash: string | null; role: Role; disabled: boolean }>(
      tx,
      sql`select * from auth_user_by_email(${email})`,
    ),
  );
  // Verify even when the user is unknown, so the response time does not reveal which emails exist.
  const ok = await verifyPassword(found?.password_hash ?? (await dummyHash()), password);
  if (!found || !ok || found.disabled) throw new AppError("unauthenticated", "email or password is wrong");
  const token = newToken();
  const csrfToken = newToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await db.withOrg(found.org_id, (tx) =>
    tx.insert(userSessions).values({
      orgId: found.org_id,
      userId: found.user_id,
      tokenHash: sha256(token),
      csrfToken,
      expiresAt,
    }),
  );
  return {
    token,
    csrfToken,
    expiresAt,
    user: { id: found.user_id, orgId: found.org_id, role: found.role, email },
  };
}

/** Ends a web session. */
export async function signOut(db: Database, orgId: string, token: string): Promise<void> {
  await db.withOrg(orgId, (tx) =>
    tx
      .delete(userSessions)
      .where(and(eq(userSessions.orgId, orgId), eq(userSessions.tokenHash, sha256(token)))),
  );
}

// A real argon2id hash of a random secret: verifying against it costs what a real check costs.
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(newToken());
  return dummy;
}
