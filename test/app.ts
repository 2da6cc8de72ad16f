import { randomUUID } from "node:crypto";
import { loadConfig } from "../src/config.ts";
import type { Database } from "../src/db/client.ts";
import { users } from "../src/db/schema/index.ts";
import type { Role } from "../src/db/schema/vocabulary.ts";
import { createApp } from "../src/server/app.ts";
import { hashPassword } from "../src/server/auth/password.ts";
import { createTestOrg } from "./db.ts";

export type TestApp = ReturnType<typeof createApp>;

/** The HTTP app over a test database, with a movable clock and the environment it is configured from. */
export function testApp(db: Database, now = () => new Date(), env: NodeJS.ProcessEnv = {}): TestApp {
  return createApp({ db, config: loadConfig(env), migrationVersion: 2, now });
}

export interface TestUser {
  orgId: string;
  userId: string;
  email: string;
  password: string;
  role: Role;
}

let cachedHash: Promise<string> | undefined;
const PASSWORD = "correct horse battery staple";

/** Adds a user with a known password (hashed once per test file to keep tests fast). */
export async function addUser(db: Database, orgId: string, role: Role): Promise<TestUser> {
  cachedHash ??= hashPassword(PASSWORD);
  const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
  const [row] = await db.withOrg(orgId, async (tx) =>
    tx
      .insert(users)
      .values({ orgId, email, name: `Test ${role}`, role, passwordHash: await cachedHash! })
      .returning({ id: users.id }),
  );
  return { orgId, userId: row!.id, email, password: PASSWORD, role };
}

export async function orgWithAdmin(db: Database): Promise<TestUser> {
  return addUser(db, await createTestOrg(db), "admin");
}

/** Signs in through the API and returns headers that carry the session cookie and CSRF token. */
export async function signedIn(app: TestApp, user: TestUser): Promise<Record<string, string>> {
  const res = await app.request("/api/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
}
