import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { Mutex, type QueryOptions, type Results, type Transaction, types } from "@electric-sql/pglite";
import { AppError, type ErrorCode } from "../core/errors.ts";
import { workerEntry } from "../threads/worker-entry.ts";
import type { ErrorShape, OpenRequest, RawResults, Reply, Request } from "./pglite-worker.ts";

type Parser = (value: string, typeId?: number) => unknown;
type Outgoing = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/**
 * The embedded database on a thread of its own. PGlite runs PostgreSQL compiled to WebAssembly on the thread that
 * calls it, so on the main thread every statement held up HTTP for as long as it ran: under a check-in rush the
 * transaction of one batch (10–30 ms) stopped the server from reading the next requests, and a long report stopped
 * every kiosk. Here the instance lives in a worker thread (`pglite-worker.ts`): a statement is one message there and
 * one back, and this thread serves requests meanwhile.
 *
 * It offers what the product uses of PGlite's interface (`query`, `exec`, `transaction`, `dumpDataDir`, `close`),
 * with the same semantics: one statement or transaction at a time, in order; a statement outside a transaction waits
 * for the open one; rows parsed with the caller's parsers (`rowMode`, `parsers`), from the text PostgreSQL sent.
 * Errors keep their fields (`code`, `constraint`, `detail`…).
 */
export class PGliteThread {
  /** Parsers by type id: PGlite's own, and its array parsers for every array type of the database. */
  readonly parsers: Record<number, Parser> = { ...(types.parsers as Record<number, Parser>) };
  private readonly mutex = new Mutex();
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  private next = 1;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(revive(reply.error));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on("error", (error) => fail(new Error(`the embedded database's thread failed: ${error.message}`)));
    worker.on("exit", (code) =>
      fail(new Error(`the embedded database's thread stopped (exit code ${code})`)),
    );
  }

  /** Starts the thread and opens the database in it (`dataDir` absent: in memory). */
  static async open(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGliteThread> {
    const worker = new Worker(workerEntry(new URL("./pglite-worker.ts", import.meta.url).href), {
      eval: true,
    });
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
      worker.once("exit", (code) =>
        reject(new Error(`the embedded database's thread stopped (exit code ${code})`)),
      );
    });
    const db = new PGliteThread(worker);
    try {
      const open: OpenRequest = { ...(await modules()), ...options };
      const arrays = (await db.send({ op: "open", options: open })) as { oid: number; typarray: number }[];
      for (const { oid, typarray } of arrays) {
        db.parsers[typarray] = (value) => types.arrayParser(value, db.parsers[oid] as never, typarray);
      }
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return db;
  }

  private send(message: Outgoing): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      try {
        this.worker.postMessage({ ...message, id });
      } catch (error) {
        // A value that cannot be copied to the thread (a function, say): nothing was sent.
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        reject(error);
      }
    });
  }

  private parse(result: RawResults, options?: QueryOptions): Results {
    const parsers = options?.parsers
      ? { ...this.parsers, ...(options.parsers as Record<number, Parser>) }
      : this.parsers;
    const fields = result.fields;
    const cellParsers = fields.map((f) => parsers[f.dataTypeID]);
    const cell = (value: string | null, i: number) => {
      if (value === null) return null;
      const p = cellParsers[i];
      return p ? p(value, fields[i]!.dataTypeID) : value;
    };
    const rows =
      options?.rowMode === "array"
        ? result.rows.map((row) => row.map(cell))
        : result.rows.map((row) => {
            const out: Record<string, unknown> = {};
            for (let i = 0; i < row.length; i++) out[fields[i]!.name] = cell(row[i]!, i);
            return out;
          });
    return { ...result, rows } as Results;
  }

  private async runQuery<T>(
    text: string,
    params: unknown[] = [],
    options: QueryOptions | undefined,
    tx: boolean,
  ) {
    if (options?.serializers) throw new Error("custom serializers are not supported by the database thread");
    const result = (await this.send({
      op: "query",
      text,
      params,
      ...(options?.paramTypes ? { paramTypes: options.paramTypes } : {}),
      ...(options?.blob ? { blob: options.blob } : {}),
      inTransaction: tx,
    })) as RawResults;
    return this.parse(result, options) as Results<T>;
  }

  private async runExec(text: string, options: QueryOptions | undefined, tx: boolean): Promise<Results[]> {
    const results = (await this.send({
      op: "exec",
      text,
      ...(options?.blob ? { blob: options.blob } : {}),
      inTransaction: tx,
    })) as RawResults[];
    return results.map((r) => this.parse(r, options));
  }

  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.mutex.runExclusive(() => this.runQuery<T>(text, params, options, false));
  }

  exec(text: string, options?: QueryOptions): Promise<Results[]> {
    return this.mutex.runExclusive(() => this.runExec(text, options, false));
  }

  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(async () => {
      await this.send({ op: "begin" });
      let closed = false;
      const check = () => {
        if (closed) throw new Error("Transaction is closed");
      };
      const tx = {
        query: <R>(text: string, params?: unknown[], options?: QueryOptions) => {
          check();
          return this.runQuery<R>(text, params, options, true);
        },
        exec: (text: string, options?: QueryOptions) => {
          check();
          return this.runExec(text, options, true);
        },
        sql: () => {
          throw new Error("tx.sql is not supported by the database thread");
        },
        rollback: async () => {
          check();
          await this.send({ op: "rollback" });
          closed = true;
        },
        listen: () => {
          throw new Error("listen is not supported by the database thread");
        },
        get closed() {
          return closed;
        },
      } as unknown as Transaction;
      try {
        const result = await callback(tx);
        if (!closed) {
          closed = true;
          await this.send({ op: "end", commit: true });
        } else {
          await this.send({ op: "end", commit: false });
        }
        return result;
      } catch (error) {
        if (!closed) {
          closed = true;
          await this.send({ op: "end", commit: false });
        }
        throw error;
      }
    });
  }

  /**
   * See `Database.callInThread`. Sent at once, without waiting for this side's statements: in the thread the
   * function's transactions queue on PGlite's own lock like everything else there, so several calls may wait there,
   * each starting the moment the one before commits.
   */
  call<A, R>(module: string, name: string, args: A): Promise<R> {
    return this.send({ op: "call", module, name, args }) as Promise<R>;
  }

  /** The data folder as an uncompressed tarball (a template to clone). */
  dumpDataDir(): Promise<File | Blob> {
    return this.mutex.runExclusive(() => this.send({ op: "dump" }) as Promise<File | Blob>);
  }

  async close(): Promise<void> {
    await this.mutex.runExclusive(() => this.send({ op: "close" }));
    await this.worker.terminate();
  }
}

/** The error thrown in the thread, here: the product's own errors as `AppError`, others with their fields. */
function revive(shape: ErrorShape): Error {
  if (shape.name === "AppError" && typeof shape.props.code === "string") {
    const field = typeof shape.props.field === "string" ? shape.props.field : undefined;
    return new AppError(shape.props.code as ErrorCode, shape.message, field);
  }
  const error = new Error(shape.message);
  Object.assign(error, shape.props);
  if (shape.name && shape.name !== "Error") Object.defineProperty(error, "name", { value: shape.name });
  return error;
}

/**
 * PostgreSQL's two WebAssembly modules, compiled once per process and handed to every database thread (a compiled
 * module is shared, not copied): opening a database then skips the compilation.
 */
let compiled:
  | Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module }>
  | undefined;
function modules() {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve("@electric-sql/pglite"));
    const compile = async (file: string) => WebAssembly.compile(await readFile(join(dist, file)));
    compiled = Promise.all([compile("pglite.wasm"), compile("initdb.wasm")]).then(
      ([pgliteWasmModule, initdbWasmModule]) => ({ pgliteWasmModule, initdbWasmModule }),
    );
    // A failed compilation is tried again by the next database opened.
    compiled.catch(() => {
      compiled = undefined;
    });
  }
  return compiled;
}
