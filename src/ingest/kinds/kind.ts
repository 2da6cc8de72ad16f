import type { SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Tx } from "../../db/client.ts";

/** The kinds of CSV the product imports and exports, as named on the command line. */
export const importKinds = ["accounts", "people", "opportunities", "stage-changes", "touchpoints"] as const;
export type ImportKind = (typeof importKinds)[number];

/** One problem with one row. `row` counts data rows from 1 (the header is not counted; 0 is the header itself). */
export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export interface Numbered<T> {
  /** Data row number, from 1. */
  row: number;
  value: T;
}

/** What one batch wrote: rows inserted, and rows that existed and changed (upserted kinds only). */
export interface BatchWrite {
  inserted: number;
  updated: number;
}

/** A batch after its database-side checks: the errors of the rows that failed, and the write of the others. */
export interface PreparedBatch {
  errors: RowError[];
  /** Writes the rows that passed; null when none did. */
  write: (() => Promise<BatchWrite>) | null;
}

/** One import run's writer: holds the run's caches (references already looked up). */
export interface BatchWriter<Row> {
  /** Looks up references and other database-side checks for a batch (runs inside the import's transaction). */
  prepare(tx: Tx, batch: readonly Numbered<Row>[]): Promise<PreparedBatch>;
}

/** Everything the import and export services know about one kind. */
export interface KindSpec<Row> {
  kind: ImportKind;
  /** The documented header, in export order. */
  columns: readonly string[];
  /** Columns the header must have (the others may be left out). */
  required: readonly string[];
  /** Validates one row given as {column: cell}; columns missing from the header are undefined. */
  rowSchema: z.ZodType<Row>;
  /**
   * Upserted kinds: the identity of a row, which a file may hold once (two versions of one record in one file
   * are a mistake). Append-only kinds leave it out: a repeated key is left alone, as one already in the database
   * is (and the file is not held in memory to find repeats).
   */
  key?: (row: Row) => string;
  /** The field named when a key repeats. */
  keyField: string;
  /** A writer for one run, given the columns present in the file's header. */
  writer(orgId: string, present: ReadonlySet<string>): BatchWriter<Row>;
  /** The export query: one row per record, text columns named as the header, in a stable order. */
  exportQuery(orgId: string): SQL;
  /** Turns one exported row into the header's cells. */
  exportRow(row: Record<string, unknown>): (string | null)[];
}
