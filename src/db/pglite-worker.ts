/**
 * The embedded database's own thread (see `pglite-thread.ts`): it holds the PGlite instance and runs the statements
 * the main thread sends, one message each, so that the database's work never holds up the thread serving HTTP.
 * Rows go back as the text PostgreSQL sent (every type's parser is the identity here); the main thread parses them
 * with the caller's parsers. One transaction at a time, as the main thread asks: BEGIN opens it, END commits it or
 * rolls it back.
 */
import { parentPort } from "node:worker_threads";
import { PGlite, type QueryOptions, type Transaction } from "@electric-sql/pglite";
import { importOnce } from "../threads/import-once.ts";
import type { Database } from "./client.ts";

export interface OpenRequest {
  dataDir?: string;
  loadDataDir?: Blob;
  pgliteWasmModule?: WebAssembly.Module;
  initdbWasmModule?: WebAssembly.Module;
}

export type Request =
  | { id: number; op: "open"; options: OpenRequest }
  | {
      id: number;
      op: "query";
      text: string;
      params: unknown[];
      paramTypes?: number[];
      blob?: Blob;
      inTransaction: boolean;
    }
  | { id: number; op: "exec"; text: string; blob?: Blob; inTransaction: boolean }
  | { id: number; op: "begin" }
  | { id: number; op: "rollback" }
  | { id: number; op: "end"; commit: boolean }
  | { id: number; op: "call"; module: string; name: string; args: unknown }
  | { id: number; op: "dump" }
  | { id: number; op: "close" };

/** A query's result as sent back: rows of text (or null), parsed on the main thread. */
export interface RawResults {
  rows: (string | null)[][];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
  command?: string;
  rowCount?: number;
  blob?: Blob;
}

/** An error's name, message and every property that is a plain value (a DatabaseError's code, constraint, detail…). */
export interface ErrorShape {
  name: string;
  message: string;
  props: Record<string, string | number | boolean | null>;
}

export type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: ErrorShape };

let pg: PGlite | undefined;
/** The `Database` over this thread's instance, for the functions the main thread calls here. */
let threadDb: Database | undefined;
/** The identity parser for every type the database knows: rows leave this thread as text. */
let raw: Record<number, (value: string) => string> = {};
let open: { tx: Transaction; finish: (commit: boolean) => void; settled: Promise<unknown> } | undefined;

const ROLLBACK = Symbol("rollback");

function shape(error: unknown): ErrorShape {
  const e = error instanceof Error ? error : new Error(String(error));
  const props: ErrorShape["props"] = {};
  for (const [key, value] of Object.entries(e)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value))
      props[key] = value as string | number | boolean | null;
  }
  return { name: e.name, message: e.message, props };
}

/** Where a statement goes: the open transaction, or the database (which waits for any transaction to end). */
function target(inTransaction: boolean): Pick<Transaction, "query" | "exec"> {
  const to = inTransaction ? open?.tx : pg;
  if (!to) throw new Error(inTransaction ? "no transaction is open" : "the database is not open");
  return to;
}

/** Rows as text (results are plain objects, copied to the main thread as they are). */
function rawOptions(blob: Blob | undefined): QueryOptions {
  return { rowMode: "array", parsers: raw, ...(blob ? { blob } : {}) };
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "open": {
      const { dataDir, ...rest } = request.options;
      pg = new PGlite({ ...(dataDir ? { dataDir } : {}), ...rest });
      await pg.waitReady;
      // A new WAL segment is otherwise zero-filled first: 16 MB written at once, a 20–40 ms stall every few thousand
      // writes. The embedded database runs with fsync off, so the zeros reserve nothing anyway.
      await pg.exec("set wal_init_zero = off");
      // The array types, so that the main thread parses arrays as PGlite does.
      const types = await pg.query<{ oid: number; typarray: number }>(
        `select b.oid, b.typarray from pg_catalog.pg_type a
         left join pg_catalog.pg_type b on b.oid = a.typelem
         where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid`,
      );
      raw = {};
      for (const key of Object.keys(pg.parsers)) raw[Number(key)] = (value) => value;
      for (const t of types.rows) raw[t.typarray] = (value) => value;
      return types.rows;
    }
    case "query": {
      const options = rawOptions(request.blob);
      if (request.paramTypes) options.paramTypes = request.paramTypes;
      return target(request.inTransaction).query(request.text, request.params, options);
    }
    case "exec":
      return target(request.inTransaction).exec(request.text, rawOptions(request.blob));
    case "begin": {
      if (open) throw new Error("a transaction is already open");
      let begun!: () => void;
      const started = new Promise<void>((resolve) => {
        begun = resolve;
      });
      // The transaction's callback runs once BEGIN is done (so after `settled` is set) and lasts until END.
      const settled: Promise<unknown> = pg!
        .transaction(
          (tx) =>
            new Promise((resolve, reject) => {
              open = { tx, finish: (commit) => (commit ? resolve(undefined) : reject(ROLLBACK)), settled };
              begun();
            }),
        )
        .catch((error: unknown) => {
          if (error !== ROLLBACK) throw error;
        })
        .finally(() => {
          open = undefined;
        });
      // Open, or BEGIN itself failed (then the callback never ran and `settled` rejects).
      await Promise.race([started, settled]);
      return undefined;
    }
    case "rollback": {
      if (!open) throw new Error("no transaction is open");
      await open.tx.rollback();
      return undefined;
    }
    case "end": {
      if (!open) throw new Error("no transaction is open");
      const { finish, settled } = open;
      finish(request.commit);
      await settled;
      return undefined;
    }
    case "call": {
      const mod = await importOnce(request.module);
      const fn = mod[request.name];
      if (typeof fn !== "function") throw new Error(`${request.module} exports no function ${request.name}`);
      if (!threadDb) {
        const { pgliteDatabase } = await import("./client.ts");
        // Closed by the main thread's `close`, which closes the instance itself.
        threadDb = pgliteDatabase(pg!, async () => {});
      }
      return (fn as (db: Database, args: unknown) => Promise<unknown>)(threadDb, request.args);
    }
    case "dump":
      return pg!.dumpDataDir("none");
    case "close":
      await pg?.close();
      return undefined;
  }
}

parentPort!.on("message", (request: Request) => {
  handle(request).then(
    (value) => parentPort!.postMessage({ id: request.id, ok: true, value } satisfies Reply),
    (error: unknown) =>
      parentPort!.postMessage({ id: request.id, ok: false, error: shape(error) } satisfies Reply),
  );
});
parentPort!.postMessage({ id: 0, ok: true } satisfies Reply);
