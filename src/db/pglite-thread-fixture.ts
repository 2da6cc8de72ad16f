/**
 * Functions for the tests of `callInThread`: the database's thread imports this module and runs them there.
 */
import { sql } from "drizzle-orm";
import { AppError } from "../core/errors.ts";
import { type Database, rows } from "./client.ts";

export const THREAD_FIXTURE = new URL(import.meta.url).href;

/**
 * In one transaction: adds a row, waits `pauseMs`, and counts the rows, with the thread's own id (so a test can see
 * where it ran and whether another call's row came in between).
 */
export async function appendAndCount(
  db: Database,
  args: { label: string; pauseMs: number },
): Promise<{ count: number; threadId: number }> {
  const { threadId } = await import("node:worker_threads");
  return db.owner.transaction(async (tx) => {
    await tx.execute(sql`insert into thread_calls (label) values (${args.label})`);
    await new Promise((resolve) => setTimeout(resolve, args.pauseMs));
    const [row] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from thread_calls`);
    return { count: row!.n, threadId };
  });
}

/** Fails the way the product fails: with an `AppError`. */
export async function refuse(_db: Database, args: { field: string }): Promise<never> {
  throw new AppError("conflict", "that name is taken", args.field);
}
