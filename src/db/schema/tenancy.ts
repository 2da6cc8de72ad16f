import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, orgId, ts } from "./columns.ts";

/** A tenant. Its own row is visible only to its members (row-level security on id). */
export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    orgId: orgId().references(() => organizations.id),
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", {
      enum: ["admin", "marketer", "rep", "partner_manager", "educator", "viewer"],
    }).notNull(),
    territory: text("territory"),
    passwordHash: text("password_hash"),
    createdAt: createdAt(),
    disabledAt: ts("disabled_at"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // Sign-in is by email alone, so an email belongs to one organization.
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    check(
      "users_role_check",
      sql`${t.role} in ('admin','marketer','rep','partner_manager','educator','viewer')`,
    ),
  ],
);

/** Web sign-in sessions; only the SHA-256 of the cookie token is stored. */
export const userSessions = pgTable(
  "user_sessions",
  {
    orgId: orgId(),
    id: id(),
    userId: uuid("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: ts("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("user_sessions_token_key").on(t.tokenHash),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);

/** API keys for the HTTP API; the key is shown once, only its SHA-256 is kept. */
export const apiKeys = pgTable(
  "api_keys",
  {
    orgId: orgId(),
    id: id(),
    userId: uuid("user_id").notNull(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("api_keys_hash_key").on(t.keyHash),
    index("api_keys_user_idx").on(t.orgId, t.userId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete("cascade"),
  ],
);
