import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
import { type Database, rows } from "./client.ts";
import { bound, literal, statement } from "./statements.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("statement values written as literals", () => {
  it("read back as the same text, whatever standard_conforming_strings is", async () => {
    const text = fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0"));
    const tricky = fc.constantFrom("'", "''", "\\", "\\'", "'\\", "E'x'", "$1", "\\\\'--", "ø'\\n", "");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(text, tricky), { minLength: 1, maxLength: 8 }), async (parts) => {
        const value = parts.join("");
        for (const conforming of ["on", "off"]) {
          const [row] = await db.asApp(async (tx) => {
            await tx.execute(sql.raw(`set local standard_conforming_strings = ${conforming}`));
            return rows<{ v: string }>(tx, sql.raw(`select ${literal(value)}::text as v`));
          });
          expect(row!.v, `standard_conforming_strings ${conforming}`).toBe(value);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a NUL character, which no PostgreSQL text can hold", () => {
    expect(() => literal("a\0b")).toThrow(/NUL/);
  });
});

describe("running a statement", () => {
  const echo = statement(
    "test_statement_echo",
    "select $1::text as a, $2::int + 1 as b, $1::text || '|' || coalesce($3::text, 'none') as c",
  );

  it("gives the rows bound parameters give, run after run, with quotes and nulls in the values", async () => {
    for (const values of [
      ["plain", "1", null],
      ["it's", "41", "back\\slash"],
      ["", "-2", "'; drop table people; --"],
    ] as const) {
      const expected = await db.asApp((tx) => rows(tx, bound(echo, values)));
      const ran = await db.asApp((tx) => db.run(tx, echo, values));
      expect(ran).toEqual(expected);
      expect(ran).toEqual([
        { a: values[0], b: Number(values[1]) + 1, c: `${values[0]}|${values[2] ?? "none"}` },
      ]);
    }
  });

  it("refuses a second text under a name already used, and a missing value", async () => {
    await db.asApp((tx) => db.run(tx, echo, ["x", "1", null]));
    const other = statement("test_statement_echo", "select 1 as a");
    if (db.kind === "pglite") {
      await expect(db.asApp((tx) => db.run(tx, other, []))).rejects.toThrow(/two statements are named/);
    }
    await expect(db.asApp((tx) => db.run(tx, echo, ["x"]))).rejects.toThrow(/no value for \$2/);
    expect(() => statement("Bad-Name", "select 1")).toThrow(/lower-case/);
  });
});
