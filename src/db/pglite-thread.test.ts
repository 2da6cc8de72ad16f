import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../core/errors.ts";
import { isUniqueViolation } from "../server/events/event-json.ts";
import { type Database, openDatabase, pgliteOf, rows, type Tx } from "./client.ts";
import { PGliteThread } from "./pglite-thread.ts";
import { THREAD_FIXTURE } from "./pglite-thread-fixture.ts";

describe("the embedded database on its own thread", () => {
  let client: PGliteThread;
  beforeAll(async () => {
    client = await PGliteThread.open({});
    await client.exec("create table items (id int primary key, name text unique)");
  });
  afterAll(() => client.close());

  it("parses rows with the caller's parsers, as PGlite does", async () => {
    const text = `select 7::int as n, '2025-03-30 01:30:00+00'::timestamptz as at, array[1, 2]::int[] as list,
      '{"a": [1, "x"]}'::json as doc, null::text as nothing`;
    const { rows: objects } = await client.query<Record<string, unknown>>(text);
    expect(objects).toEqual([
      { n: 7, at: new Date("2025-03-30T01:30:00Z"), list: [1, 2], doc: { a: [1, "x"] }, nothing: null },
    ]);
    // Arrays of rows, and a parser of the caller's for one type (timestamptz kept as text).
    const { rows: arrays } = await client.query<unknown[]>(text, [], {
      rowMode: "array",
      parsers: { 1184: (value: string) => `text:${value}` },
    });
    expect(arrays).toEqual([[7, "text:2025-03-30 01:30:00+00", [1, 2], { a: [1, "x"] }, null]]);
    // Parameters go with the statement.
    const { rows: echoed } = await client.query<{ a: number; b: string }>(
      "select $1::int + 1 as a, $2::text as b",
      [41, "é"],
    );
    expect(echoed).toEqual([{ a: 42, b: "é" }]);
  });

  it("refuses a parameter that cannot be sent to the thread, and goes on", async () => {
    await expect(client.query("select $1::text as a", [() => "not a value"])).rejects.toThrow();
    expect((await client.query<{ a: string }>("select $1::text as a", ["still here"])).rows).toEqual([
      { a: "still here" },
    ]);
  });

  it("keeps a database error's fields, so a unique violation is still recognized", async () => {
    await client.query("insert into items values (1, 'one')");
    const failure = await client.query("insert into items values (2, 'one')").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: "23505", constraint: "items_name_key", table: "items" });
    expect(isUniqueViolation(failure, "items_name_key")).toBe(true);
    expect(isUniqueViolation(failure, "another")).toBe(false);
  });

  it("commits a transaction whole or not at all", async () => {
    await client.exec("delete from items");
    await expect(
      client.transaction(async (tx) => {
        await tx.query("insert into items values (10, 'ten')");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const rolledBack = await client.transaction(async (tx) => {
      await tx.query("insert into items values (11, 'eleven')");
      await tx.rollback();
      return "rolled back";
    });
    expect(rolledBack).toBe("rolled back");
    // A failed statement inside leaves nothing of the transaction either.
    await expect(
      client.transaction(async (tx) => {
        await tx.query("insert into items values (12, 'twelve')");
        await tx.query("insert into items values (12, 'again')");
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(
      await client.transaction(
        async (tx) => (await tx.query("insert into items values (13, 'x')")).affectedRows,
      ),
    ).toBe(1);
    const { rows: left } = await client.query<{ id: number }>("select id from items order by id");
    expect(left).toEqual([{ id: 13 }]);
  });

  it("runs a statement from outside only after the open transaction ends", async () => {
    await client.exec("delete from items");
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writing = client.transaction(async (tx) => {
      await tx.query("insert into items values (20, 'twenty')");
      await held;
    });
    const counting = client.query<{ n: number }>("select count(*)::int as n from items");
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    await writing;
    expect((await counting).rows).toEqual([{ n: 1 }]);
  });

  it("lets this thread go on while a long statement runs there", async () => {
    // A timer every 5 ms on this thread: with the database on this thread, none would fire until the statement ended.
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const { rows: sum } = await client.query<{ n: number }>(
      "select count(*)::int as n from generate_series(1, 4000000) g where g % 7 = 0",
    );
    const took = performance.now() - started;
    clearInterval(timer);
    expect(sum).toEqual([{ n: 571428 }]);
    expect(took).toBeGreaterThan(150); // long enough to tell
    expect(longestGap).toBeLessThan(took / 2);
  });
});

describe("functions run in the database's thread", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
    await db.owner.execute(sql`create table thread_calls (label text not null)`);
    // The application role, which a transaction of an organization switches to (the migrations create it).
    await db.owner.execute(sql`create role throughline_app`);
  });
  afterAll(() => db.close());

  it("runs each call there, alone, and returns its result", async () => {
    const [first, second] = await Promise.all([
      db.callInThread!<object, { count: number; threadId: number }>(THREAD_FIXTURE, "appendAndCount", {
        label: "a",
        pauseMs: 40,
      }),
      db.callInThread!<object, { count: number; threadId: number }>(THREAD_FIXTURE, "appendAndCount", {
        label: "b",
        pauseMs: 0,
      }),
    ]);
    // The second transaction began only when the first had committed: it saw both rows, the first only its own.
    expect([first!.count, second!.count]).toEqual([1, 2]);
    expect(first!.threadId).toBeGreaterThan(0);
    expect(second!.threadId).toBe(first!.threadId);
    // What the thread wrote is what this side reads.
    const stored = await rows<{ label: string }>(
      db.owner,
      sql`select label from thread_calls order by label`,
    );
    expect(stored.map((r) => r.label)).toEqual(["a", "b"]);
  });

  it("brings the product's errors back as they were thrown", async () => {
    const failure = await db.callInThread!(THREAD_FIXTURE, "refuse", { field: "name" }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "conflict", field: "name", message: "that name is taken" });
    await expect(db.callInThread!(THREAD_FIXTURE, "missing", {})).rejects.toThrow(
      "exports no function missing",
    );
  });

  it("plans a transaction's prepared statements once when asked to, and only that transaction's", async () => {
    const mode = (tx: Tx) => rows<{ m: string }>(tx, sql`select current_setting('plan_cache_mode') as m`);
    const org = "00000000-0000-0000-0000-000000000000";
    expect(await db.withOrg(org, mode, { genericPlans: true })).toEqual([{ m: "force_generic_plan" }]);
    expect(await db.withOrg(org, mode)).toEqual([{ m: "auto" }]);
  });

  it("sends a transaction's settings as one simple query, through PGlite's own transaction under drizzle's", async () => {
    const org = "00000000-0000-0000-0000-000000000000";
    const seen = await db.withOrg(org, async (tx) => {
      const raw = pgliteOf(tx);
      expect(raw).toBeDefined(); // drizzle still keeps it where pgliteOf looks
      const [settings] = await raw!.exec("select current_user as role, current_setting('app.org_id') as org");
      return settings!.rows;
    });
    expect(seen).toEqual([{ role: "throughline_app", org }]);
  });

  it("is refused inside a transaction, which it would wait for", async () => {
    await expect(
      db.withOrg("00000000-0000-0000-0000-000000000000", () =>
        db.callInThread!(THREAD_FIXTURE, "appendAndCount", { label: "c", pauseMs: 0 }),
      ),
    ).rejects.toThrow("cannot run inside a transaction");
  });
});

describe("the database's thread and the process", () => {
  it("keeps the process alive while a statement runs, and not once it is idle", () => {
    // The script prints the statement's answer (so it waited for it) and never closes the database: it must still
    // exit on its own, also after a statement that could not be sent.
    const module = fileURLToPath(new URL("./pglite-thread.ts", import.meta.url));
    const script = `const { PGliteThread } = await import(${JSON.stringify(module)});
      const db = await PGliteThread.open({});
      await db.query("select $1::text", [() => 1]).catch(() => console.log("refused"));
      db.query("select count(*)::int as n from generate_series(1, 300000)").then((r) => console.log("rows", r.rows[0].n));`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stdout.trim().split("\n")).toEqual(["refused", "rows 300000"]);
    expect(child.signal).toBeNull(); // not stopped by the timeout
    expect(child.status).toBe(0);
  }, 70_000);
});
