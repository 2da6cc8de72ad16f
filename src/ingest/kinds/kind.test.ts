import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/db.ts";
import { type Database, rows } from "../../db/client.ts";
import { isoText, pgArray } from "./kind.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("array parameters", () => {
  it("carry any text, the string NULL, empty strings and nulls through to PostgreSQL unchanged", async () => {
    const values = [
      'a "quoted" word',
      "back\\slash",
      "NULL",
      "",
      null,
      "{braces},commas",
      "line\nend",
      "é 😀",
    ];
    const back = await rows<{ v: string | null }>(
      db.owner,
      sql`select unnest(${pgArray(values)}::text[]) as v`,
    );
    expect(back.map((r) => r.v)).toEqual(values);
  });
});

describe("exported times", () => {
  it("drop zero fractions and keep significant ones", () => {
    expect(isoText("2024-03-01T09:30:00.000000Z")).toBe("2024-03-01T09:30:00Z");
    expect(isoText("2024-03-01T09:30:00.250000Z")).toBe("2024-03-01T09:30:00.25Z");
    expect(isoText("2024-03-01T09:30:10.123456Z")).toBe("2024-03-01T09:30:10.123456Z");
    expect(isoText(null)).toBeNull();
  });
});
