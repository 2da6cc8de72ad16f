import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
import { type Database, rows } from "./client.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("the embedded database", () => {
  it.skipIf(process.env.THROUGHLINE_TEST_DATABASE_URL)(
    "does not zero-fill new WAL segments, also inside an organization's transactions",
    async () => {
      expect(db.kind).toBe("pglite");
      const [owner] = await rows<{ wal_init_zero: string }>(db.owner, sql`show wal_init_zero`);
      expect(owner!.wal_init_zero).toBe("off");
      const [inOrg] = await db.withOrg(randomUUID(), (tx) =>
        rows<{ wal_init_zero: string }>(tx, sql`show wal_init_zero`),
      );
      expect(inOrg!.wal_init_zero).toBe("off");
    },
  );
});
