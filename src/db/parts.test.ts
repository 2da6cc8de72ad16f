import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../test/db.ts";
import { type Database, rows, transactionsUnderWay } from "./client.ts";

let db: Database;
let a: string;
let b: string;
beforeAll(async () => {
  db = await openTestDatabase();
  a = await createTestOrg(db, "Alpha");
  b = await createTestOrg(db, "Beta");
  await db.withOrg(a, (tx) =>
    tx.execute(sql`insert into accounts (org_id, name) values (${a}, 'A1'), (${a}, 'A2')`),
  );
  await db.withOrg(b, (tx) => tx.execute(sql`insert into accounts (org_id, name) values (${b}, 'B1')`));
});
afterAll(async () => {
  await db.close();
});

const names = (tx: Parameters<Parameters<Database["withOrg"]>[1]>[0]) =>
  rows<{ name: string }>(tx, sql`select name from accounts order by name`).then((r) => r.map((x) => x.name));

describe("a read split in parts", () => {
  it("gives each part's answer in order, every part under the caller's organization", async () => {
    const [one, two, three] = await db.withOrgParts(a, [
      names,
      (tx) => rows<{ n: number }>(tx, sql`select count(*)::int as n from accounts`).then((r) => r[0]!.n),
      async (tx) => (await names(tx)).join("+"),
    ]);
    expect(one).toEqual(["A1", "A2"]);
    expect(two).toBe(2);
    expect(three).toBe("A1+A2");
    expect(await db.withOrgParts(b, [names, names])).toEqual([["B1"], ["B1"]]);
  });

  it("refuses writes: the parts only read", async () => {
    await expect(
      db.withOrgParts(a, [
        names,
        (tx) => tx.execute(sql`insert into accounts (org_id, name) values (${a}, 'X')`),
      ]),
    ).rejects.toThrow();
    expect(await db.withOrg(a, names)).toEqual(["A1", "A2"]);
  });

  it("fails as a whole when one part fails, and the connections serve the next read", async () => {
    for (let i = 0; i < 6; i++) {
      await expect(
        db.withOrgParts(a, [names, () => Promise.reject(new Error("part failed")), names]),
      ).rejects.toThrow("part failed");
    }
    expect(await db.withOrgParts(a, [names, names, names, names, names])).toHaveLength(5);
  });

  // Embedded, the parts run one after the other in one transaction; on a server each has its own connection, and
  // they must still see one snapshot.
  it.runIf(process.env.THROUGHLINE_TEST_DATABASE_URL)(
    "shows every part the same snapshot, even when rows are committed while the parts run",
    async () => {
      let committed!: () => void;
      const done = new Promise<void>((resolve) => {
        committed = resolve;
      });
      const [before, after] = await db.withOrgParts(a, [
        async (tx) => {
          const seen = await names(tx);
          await db.withOrg(a, (w) => w.execute(sql`insert into accounts (org_id, name) values (${a}, 'A3')`));
          committed();
          return seen;
        },
        async (tx) => {
          await done;
          return names(tx);
        },
      ]);
      expect(before).toEqual(["A1", "A2"]);
      expect(after).toEqual(["A1", "A2"]);
      expect(await db.withOrg(a, names)).toEqual(["A1", "A2", "A3"]);
      await db.withOrg(a, (w) => w.execute(sql`delete from accounts where name = 'A3'`));
    },
  );

  it("is refused inside a transaction or a part, where it could wait for ever, and the next read still works", async () => {
    await expect(db.withOrg(a, () => db.withOrgParts(a, [names]))).rejects.toThrow(/inside a transaction/);
    await expect(db.withOrgParts(a, [names, () => db.withOrgParts(a, [names])])).rejects.toThrow(
      /inside a part/,
    );
    if (db.withOrgEach) {
      const each = db.withOrgEach;
      await expect(db.withOrg(a, () => each(a, [names]))).rejects.toThrow(/inside a transaction/);
      await expect(each(a, [() => each(b, [names])])).rejects.toThrow(/inside a part/);
    }
    expect(await db.withOrgParts(a, [names, names])).toEqual([
      ["A1", "A2"],
      ["A1", "A2"],
    ]);
  });

  it("stays refused in a transaction that began before another one ended (the guard is off only when nothing is under way)", async () => {
    expect(transactionsUnderWay()).toBe(0);
    let endFirst!: () => void;
    let first!: Promise<void>;
    await new Promise<void>((entered) => {
      first = db.withOrg(
        a,
        () =>
          new Promise<void>((resolve) => {
            endFirst = resolve;
            entered();
          }),
      );
    });
    expect(transactionsUnderWay()).toBe(1);
    // The second begins while the first is under way (embedded, it waits for it), and reads split only after the
    // first has ended.
    const second = db.withOrg(b, async () => {
      await first;
      return db.withOrgParts(b, [names]);
    });
    expect(transactionsUnderWay()).toBe(2);
    endFirst();
    await expect(second).rejects.toThrow(/inside a transaction/);
    expect(transactionsUnderWay()).toBe(0);
    // Off, and on again for the next transaction.
    await expect(db.withOrg(a, () => db.withOrgParts(a, [names]))).rejects.toThrow(/inside a transaction/);
    expect(await db.withOrgParts(a, [names])).toEqual([["A1", "A2"]]);
    expect(transactionsUnderWay()).toBe(0);
  });

  it.runIf(process.env.THROUGHLINE_TEST_DATABASE_URL)(
    "runs independent reads side by side on connections of their own, under the organization, read only",
    async () => {
      const each = db.withOrgEach!;
      expect(await each(b, [names, names, names, names, names, names])).toEqual(Array(6).fill(["B1"]));
      expect(await each(a, [names])).toEqual([["A1", "A2"]]);
      await expect(
        each(a, [(tx) => tx.execute(sql`insert into accounts (org_id, name) values (${a}, 'X')`)]),
      ).rejects.toThrow();
    },
  );
});
