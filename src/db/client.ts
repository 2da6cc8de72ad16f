import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { AppError } from "../core/errors.ts";
import { lockDataDir } from "./lock.ts";
import { PGliteThread } from "./pglite-thread.ts";
import * as schema from "./schema/index.ts";
import {
  bound,
  execution,
  executionText,
  literal,
  preparation,
  type Statement,
  type StatementValue,
} from "./statements.ts";

export type Schema = typeof schema;
/** A drizzle handle or transaction, identical for both drivers. */
export type Tx = PgDatabase<PgQueryResultHKT, Schema>;

// node-postgres returns int8 and numeric as strings; PGlite returns numbers. Make them agree.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  /** Owner-level handle: migrations, demo loads, template set-up. Never used to serve a request. */
  owner: Tx;
  /** Runs `fn` in one transaction as the application role, scoped to one organization by row-level security. */
  withOrg<T>(orgId: string, fn: (tx: Tx) => Promise<T>, options?: WithOrgOptions): Promise<T>;
  /**
   * Runs each part in its own read transaction scoped to one organization, all on one snapshot (they see the same
   * data): on PostgreSQL at the same time on separate connections (the first exports its snapshot, the others
   * import it), embedded one after the other in one transaction. For long reads split in disjoint parts. Refused
   * inside a transaction or a part of another split read (it could wait for ever there, see `inside`).
   */
  withOrgParts<T extends readonly unknown[]>(
    orgId: string,
    parts: { [K in keyof T]: (tx: Tx) => Promise<T[K]> },
  ): Promise<T>;
  /**
   * PostgreSQL only: runs each part in its own read transaction (read committed, as every `withOrg`) scoped to one
   * organization, at the same time on connections of their own, never taken from the request pool. (Embedded, there
   * is one connection: callers read one after the other.) Like `withOrgParts`, it is refused inside a transaction or
   * a part: the caller would hold locks, and perhaps connections, while it waits.
   */
  withOrgEach?<T>(orgId: string, parts: readonly ((tx: Tx) => Promise<T>)[]): Promise<T[]>;
  /**
   * Runs a statement that a hot path repeats (see `Statement`) and returns its rows. Embedded, it is prepared once in
   * the process's one session and then executed, so it is planned once instead of on every run (planning was about
   * half of a check-in batch's fixed cost). On a server its text is sent with bound parameters: each pooled
   * connection would need a PREPARE of its own.
   */
  run<T>(tx: Tx, statement: Statement, values: readonly StatementValue[]): Promise<T[]>;
  /** Runs `fn` as the application role with no organization: only the narrow look-up functions answer. */
  asApp<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Bulk-loads CSV text into a table with COPY (owner-level; callers scope rows to one organization). With
   * `skipTriggers` the COPY runs in its own transaction with `session_replication_role = replica`, so per-row triggers
   * (the foreign-key checks among them) are skipped for it alone: the caller verifies keys afterwards, and the login
   * needs superuser or the SET privilege on that parameter (see `canSkipTriggers`).
   */
  copyIn(
    table: string,
    columns: string[],
    csv: AsyncIterable<string> | string,
    options?: { skipTriggers?: boolean },
  ): Promise<number>;
  close(): Promise<void>;
  /** PGlite only: the database's thread (for dumps in tests). */
  pglite?: PGliteThread;
  /**
   * PGlite only: runs the exported function `name` of `module` (a module URL) in the database's thread, as
   * `fn(db, args)` with a `Database` of that thread, alone (like a transaction: nothing else runs on the database
   * meanwhile), and returns its result. For a hot path of several statements with decisions between them: one
   * message each way instead of one per statement. Arguments and result are copied (structured clone).
   */
  callInThread?<A, R>(module: string, name: string, args: A): Promise<R>;
  /** PostgreSQL only: the owner pool (migrations take a session-level lock on one of its clients). */
  ownerPool?: pg.Pool;
}

export interface WithOrgOptions {
  /**
   * The transaction's prepared statements (`run`) use their generic plan, made once, instead of being planned again
   * for every run's values whenever the plan cache estimates that cheaper (as it does for small batches): for a hot
   * path whose statements' generic plans are tested to be good. Unnamed statements are planned as always.
   */
  genericPlans?: boolean;
}

const APP_ROLE = "throughline_app";

/**
 * Whether the running code is inside a transaction or a part of a split read. A split read started there could wait
 * for ever: embedded, on the one connection the caller holds; on a server, on the connections of a pool its caller
 * already drew from, or behind a schema change queued behind the caller's locks.
 */
const inside = new AsyncLocalStorage<"transaction" | "part">();
/**
 * Transactions and parts under way in this process. An AsyncLocalStorage in use makes Node run a hook for every
 * promise the process creates, wherever it is (10–20 µs of the thread serving HTTP per check-in, ~4 KB of garbage
 * per request): the storage is switched off whenever none is under way, and on again by the next.
 */
let underWay = 0;
function within<T>(where: "transaction" | "part", fn: () => Promise<T>): Promise<T> {
  underWay++;
  let running: Promise<T>;
  try {
    running = inside.run(where, fn);
  } catch (error) {
    settled();
    throw error;
  }
  return running.finally(settled);
}
function settled(): void {
  underWay--;
  // Nothing is inside any more: `disable` leaves no context that still needs the storage.
  if (underWay === 0) inside.disable();
}

/** Transactions and parts under way (tests). */
export function transactionsUnderWay(): number {
  return underWay;
}

function refuseNested(what: string): void {
  const where = inside.getStore();
  if (where)
    throw new AppError(
      "internal",
      `${what} cannot run inside ${where === "part" ? "a part of a split read" : "a transaction"}: start it outside`,
    );
}

/** The transaction's settings, by name: the role (unless the login is that role), the organization, and options. */
function settingsOf(orgId: string | null, setRole: boolean, options?: WithOrgOptions): [string, string][] {
  return [
    // set_config('role', …, true) is SET LOCAL ROLE, with the same membership check.
    ...(setRole ? [["role", APP_ROLE] as [string, string]] : []),
    ["app.org_id", orgId ?? ""],
    ...(options?.genericPlans ? [["plan_cache_mode", "force_generic_plan"] as [string, string]] : []),
  ];
}

/** Switches the transaction to the application role (unless the login is that role) and sets the organization. */
async function enter(
  tx: Tx,
  orgId: string | null,
  setRole: boolean,
  options?: WithOrgOptions,
): Promise<void> {
  const settings = settingsOf(orgId, setRole, options).map(
    ([name, value]) => sql`set_config(${name}, ${value}, true)`,
  );
  await tx.execute(sql`select ${sql.join(settings, sql`, `)}`);
}

/** PGlite's own transaction, as `pgliteOf` finds it. */
interface SimpleQuery {
  exec(text: string): Promise<{ rows: unknown[] }[]>;
}

/**
 * PGlite's own transaction under a drizzle transaction on the embedded database (drizzle keeps it as its session's
 * client), for statements without parameters sent with the simple query protocol: one exchange with PostgreSQL
 * instead of six (parse, describe, bind, describe, execute, sync), and no statement to parse and plan for the
 * parameters' types. Undefined if drizzle keeps it elsewhere: callers then go through drizzle.
 */
export function pgliteOf(tx: Tx): SimpleQuery | undefined {
  const client = (tx as unknown as { session?: { client?: Partial<SimpleQuery> } }).session?.client;
  return typeof client?.exec === "function" ? (client as SimpleQuery) : undefined;
}

/** `enter` on the embedded database: the same settings, written as literals and sent as one simple query. */
async function enterPglite(tx: Tx, orgId: string | null, options?: WithOrgOptions): Promise<void> {
  const raw = pgliteOf(tx);
  if (!raw) return enter(tx, orgId, true, options);
  const settings = settingsOf(orgId, true, options).map(
    ([name, value]) => `set_config(${literal(name)}, ${literal(value)}, true)`,
  );
  await raw.exec(`select ${settings.join(", ")}`);
}

export interface OpenOptions {
  /** PostgreSQL server URL (owner). Without it the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Optional login of the application role; without it transactions switch to the role with SET LOCAL ROLE. */
  appDatabaseUrl?: string | undefined;
  /** Embedded database folder; "memory://" for a throwaway one. */
  dataDir?: string | undefined;
  /** PGlite data to start from (a dump of a migrated template). */
  loadDataDir?: Blob | File | undefined;
  /** Skip the folder lock (only for a throwaway in-memory database). */
  poolSize?: number;
}

/** Opens the embedded database (locked to this process) or a PostgreSQL server. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl)
    return openPostgres(options.databaseUrl, options.appDatabaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? "./data", options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  let release = () => {};
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  let client: PGliteThread;
  try {
    client = await PGliteThread.open({
      ...(inMemory ? {} : { dataDir }),
      ...(loadDataDir ? { loadDataDir } : {}),
    });
  } catch (error) {
    release();
    throw error;
  }
  return {
    ...pgliteDatabase(client, async () => {
      await client.close();
      release();
    }),
    pglite: client,
    callInThread: (module, name, args) => {
      // The function's transaction would wait in the thread for the caller's, which waits for the function.
      refuseNested("a call to the database's thread");
      return client.call(module, name, args);
    },
  };
}

/** What `pgliteDatabase` needs of an embedded database: PGlite itself, or `PGliteThread`. */
export type PgliteClient = Pick<PGlite, "query" | "transaction">;

/**
 * The `Database` over one embedded database session: the database's thread builds one over its PGlite instance
 * for the functions it runs (`callInThread`), and the main thread one over the thread.
 */
export function pgliteDatabase(client: PgliteClient, close: () => Promise<void>): Database {
  const db = drizzlePglite(client as PGlite, { schema }) as unknown as Tx;
  // Statements prepared in the session, by name, with their text (prepared statements outlive a rolled-back
  // transaction, and the session lives as long as the database is open). Another `Database` over the same session
  // may have prepared one already: the session's own list says so.
  const prepared = new Map<string, string>();
  return {
    kind: "pglite",
    async run<T>(tx: Tx, statement: Statement, values: readonly StatementValue[]) {
      const text = prepared.get(statement.name);
      if (text === undefined) {
        const [known] = await rows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from pg_prepared_statements where name = ${statement.name}`,
        );
        if (!known?.n) await tx.execute(preparation(statement));
        prepared.set(statement.name, statement.text);
      } else if (text !== statement.text) {
        throw new Error(`two statements are named ${statement.name}`);
      }
      // EXECUTE with literals has no parameters: sent as a simple query (rows parsed with PGlite's own parsers).
      const raw = pgliteOf(tx);
      if (raw) return (await raw.exec(executionText(statement, values))).at(-1)!.rows as T[];
      return rows<T>(tx, execution(statement, values));
    },
    owner: db,
    withOrg: (orgId, fn, options) =>
      within("transaction", () =>
        db.transaction(async (tx) => {
          await enterPglite(tx as unknown as Tx, orgId, options);
          return fn(tx as unknown as Tx);
        }),
      ),
    withOrgParts: async <T extends readonly unknown[]>(
      orgId: string,
      parts: { [K in keyof T]: (tx: Tx) => Promise<T[K]> },
    ) => {
      refuseNested("a split read");
      return within("part", () =>
        db.transaction(
          async (tx) => {
            await enterPglite(tx as unknown as Tx, orgId);
            const out: unknown[] = [];
            for (const part of parts as readonly ((tx: Tx) => Promise<unknown>)[])
              out.push(await part(tx as unknown as Tx));
            return out as unknown as T;
          },
          { accessMode: "read only" },
        ),
      );
    },
    asApp: (fn) =>
      within("transaction", () =>
        db.transaction(async (tx) => {
          await enterPglite(tx as unknown as Tx, null);
          return fn(tx as unknown as Tx);
        }),
      ),
    async copyIn(table, columns, csv, options) {
      const text = typeof csv === "string" ? csv : await collect(csv);
      const blob = new Blob([text]);
      const copy = `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) from '/dev/blob' with (format csv)`;
      if (!options?.skipTriggers) return (await client.query(copy, [], { blob })).affectedRows ?? 0;
      return client.transaction(async (tx) => {
        await tx.query("set local session_replication_role = replica");
        return (await tx.query(copy, [], { blob })).affectedRows ?? 0;
      });
    },
    close,
  };
}

async function openPostgres(url: string, appUrl: string | undefined, max: number): Promise<Database> {
  const ownerPool = new pg.Pool({ connectionString: url, max: Math.max(2, Math.ceil(max / 4)) });
  const appPool = appUrl
    ? new pg.Pool({ connectionString: appUrl, max })
    : new pg.Pool({ connectionString: url, max });
  // Parts of a split read beyond the first run on a pool of their own (as large as the request pool): the first part
  // holds its connection until the others have imported its snapshot, so drawing them from the same pool could
  // exhaust it and wait for ever.
  const partPool = new pg.Pool({ connectionString: appUrl ?? url, max: Math.max(4, max) });
  const setRole = !appUrl;
  // An idle pooled connection can be ended by the server (restart, failover, a dropped database). The pool then
  // emits "error"; handled here, the next query simply opens a new connection instead of crashing the process.
  for (const pool of new Set([ownerPool, appPool, partPool])) {
    pool.on("error", (error) => {
      if (process.env.THROUGHLINE_LOG !== "silent")
        console.error(`database: idle connection ended: ${error.message}`);
    });
  }
  try {
    await ownerPool.query("select 1");
  } catch (error) {
    await Promise.allSettled([ownerPool.end(), appPool.end(), partPool.end()]);
    throw new AppError("unavailable", `cannot connect to DATABASE_URL: ${(error as Error).message}`);
  }
  const owner = drizzlePg(ownerPool, { schema }) as unknown as Tx;
  const app = drizzlePg(appPool, { schema }) as unknown as Tx;
  const side = drizzlePg(partPool, { schema }) as unknown as Tx;
  const readSnapshot = { isolationLevel: "repeatable read", accessMode: "read only" } as const;
  const readOnly = { accessMode: "read only" } as const;
  return {
    kind: "postgres",
    owner,
    run: <T>(tx: Tx, statement: Statement, values: readonly StatementValue[]) =>
      rows<T>(tx, bound(statement, values)),
    ownerPool,
    withOrg: (orgId, fn, options) =>
      within("transaction", () =>
        app.transaction(async (tx) => {
          await enter(tx as unknown as Tx, orgId, setRole, options);
          return fn(tx as unknown as Tx);
        }),
      ),
    async withOrgParts<T extends readonly unknown[]>(
      orgId: string,
      parts: { [K in keyof T]: (tx: Tx) => Promise<T[K]> },
    ): Promise<T> {
      refuseNested("a split read");
      const list = (parts as readonly ((tx: Tx) => Promise<unknown>)[]).map(
        (part) => (tx: Tx) => within("part", () => part(tx)),
      );
      if (list.length === 0) return [] as unknown as T;
      let exported!: (id: string) => void;
      let notExported!: (error: unknown) => void;
      const snapshot = new Promise<string>((resolve, reject) => {
        exported = resolve;
        notExported = reject;
      });
      snapshot.catch(() => undefined);
      // The exporting transaction stays open until every other part has imported its snapshot (or failed).
      let waiting = list.length - 1;
      let allImported!: () => void;
      const imported = new Promise<void>((resolve) => {
        allImported = resolve;
      });
      if (waiting === 0) allImported();
      const first = app.transaction(async (tx) => {
        try {
          await enter(tx as unknown as Tx, orgId, setRole);
          if (list.length > 1) {
            const [s] = await rows<{ id: string }>(
              tx as unknown as Tx,
              sql`select pg_export_snapshot() as id`,
            );
            exported(s!.id);
          }
        } catch (error) {
          notExported(error);
          throw error;
        }
        try {
          return await list[0]!(tx as unknown as Tx);
        } finally {
          await imported;
        }
      }, readSnapshot);
      const others = list.slice(1).map((part) => {
        let counted = false;
        const count = () => {
          if (counted) return;
          counted = true;
          if (--waiting === 0) allImported();
        };
        // A part asks for its connection only once the snapshot exists: it never holds one while it waits.
        return snapshot
          .then((id) =>
            side.transaction(async (tx) => {
              try {
                if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
                await tx.execute(sql.raw(`set transaction snapshot '${id}'`));
              } finally {
                count();
              }
              await enter(tx as unknown as Tx, orgId, setRole);
              return part(tx as unknown as Tx);
            }, readSnapshot),
          )
          .finally(count);
      });
      return (await Promise.all([first, ...others])) as unknown as T;
    },
    withOrgEach: async <T>(orgId: string, parts: readonly ((tx: Tx) => Promise<T>)[]) => {
      refuseNested("a split read");
      return Promise.all(
        parts.map((part) =>
          within("part", () =>
            side.transaction(async (tx) => {
              await enter(tx as unknown as Tx, orgId, setRole);
              return part(tx as unknown as Tx);
            }, readOnly),
          ),
        ),
      );
    },
    asApp: (fn) =>
      within("transaction", () =>
        app.transaction(async (tx) => {
          await enter(tx as unknown as Tx, null, setRole);
          return fn(tx as unknown as Tx);
        }),
      ),
    async copyIn(table, columns, csv, options) {
      const { from } = await import("pg-copy-streams");
      const { pipeline } = await import("node:stream/promises");
      const { Readable } = await import("node:stream");
      const conn = await ownerPool.connect();
      let open = false;
      try {
        if (options?.skipTriggers) {
          await conn.query("begin");
          open = true;
          await conn.query("set local session_replication_role = replica");
        }
        const stream = conn.query(
          from(
            `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) from stdin with (format csv)`,
          ),
        );
        await pipeline(typeof csv === "string" ? Readable.from([csv]) : Readable.from(csv), stream);
        if (open) {
          await conn.query("commit");
          open = false;
        }
        return Number(stream.rowCount ?? 0);
      } finally {
        // A failed COPY leaves the transaction aborted: roll it back before the connection goes back to the pool.
        if (open) await conn.query("rollback").catch(() => undefined);
        conn.release();
      }
    },
    async close() {
      await Promise.all([ownerPool.end(), appPool.end(), partPool.end()]);
    },
  };
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const c of chunks) parts.push(c);
  return parts.join("");
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Rows of a raw query, the same shape on both drivers. */
export async function rows<T>(tx: Tx, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
