import type { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import { AppError } from "../core/errors.ts";
import type { Database, Tx } from "../db/client.ts";
import { importRuns } from "../db/schema/index.ts";
import { CsvFileError, readCsv } from "./csv/parse-csv.ts";
import {
  type BatchWrite,
  type ImportKind,
  importKinds,
  type KindSpec,
  type Numbered,
  type PreparedBatch,
  type RowError,
  withKind,
} from "./kinds/index.ts";
import { linkLeadOutcomes } from "./link-lead-outcomes.ts";

export type ImportMode = "refuse_whole" | "keep_valid";

/** The file: a byte or text stream (an upload, a file stream) or, for small inputs, an array of chunks. */
export type ImportInput = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | Readable;

/** Progress of a running import: data rows read and bytes read so far. */
export interface ImportProgress {
  rows: number;
  bytes: number;
}

export interface ImportOptions {
  /** refuse_whole (default): one bad row and nothing is written. keep_valid: write the good rows, report the rest. */
  mode?: ImportMode;
  /** Recorded in import_runs (the uploaded file's name). */
  fileName: string;
  /** Called after every batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Rows per insert statement (default 5,000). */
  batchSize?: number;
  /** Errors kept in the report (default 10,000); rowsRejected still counts every bad row. */
  maxErrors?: number;
}

/**
 * The outcome of one run. done: the rows were written (with keep_valid, all but the rejected ones). refused:
 * nothing was written, `errors` says why. rowsInserted counts rows written, new or changed; rowsUpdated says how
 * many of them changed an existing row (accounts, people, opportunities); rowsUnchanged were already there as they
 * are. rowsTotal = rowsInserted + rowsUnchanged + rowsRejected.
 */
export interface ImportResult {
  runId: string;
  kind: ImportKind;
  status: "done" | "refused";
  rowsTotal: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  /** Row numbers count data rows from 1 (the header is not counted); row 0 is the file or its header. */
  errors: RowError[];
}

/** Rolls the data transaction back and carries the report out of it. */
class Refusal extends Error {
  constructor(readonly result: ImportResult) {
    super("import refused");
  }
}

/** "row 7, field occurred_at: not a date/time with a zone ("2024-13-01")"; row 0 is the header or the file. */
export function formatRowError(e: RowError): string {
  const where = e.row === 0 ? (e.field ? "header" : "file") : `row ${e.row}`;
  return e.field ? `${where}, field ${e.field}: ${e.reason}` : `${where}: ${e.reason}`;
}

/**
 * Imports one CSV file of one kind into an organization, streaming: the file is parsed chunk by chunk, validated
 * row by row and written in batches, all in one transaction under the organization's row-level security. The run
 * is recorded in import_runs first (status running), and the final status and counts are written in the same
 * transaction as the rows, so a run is either done with its rows, refused or failed with none, or, if the process
 * died, still "running" with none.
 */
export async function importCsv(
  db: Database,
  orgId: string,
  kind: ImportKind,
  input: ImportInput,
  options: ImportOptions,
): Promise<ImportResult> {
  if (!importKinds.includes(kind)) {
    throw new AppError("validation", `unknown kind "${kind}"; one of ${importKinds.join(", ")}`, "kind");
  }
  const mode = options.mode ?? "refuse_whole";
  const [run] = await db.withOrg(orgId, (tx) =>
    tx
      .insert(importRuns)
      .values({ orgId, kind, fileName: options.fileName, mode, status: "running" })
      .returning({ id: importRuns.id }),
  );
  const runId = run!.id;
  try {
    return await db.withOrg(orgId, (tx) =>
      withKind(kind, { visit: (spec) => new ImportRun(tx, orgId, runId, spec, mode, options).run(input) }),
    );
  } catch (error) {
    if (error instanceof Refusal) {
      await db.withOrg(orgId, (tx) => updateRun(tx, orgId, runId, finished("refused", error.result)));
      return error.result;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const failed: RunUpdate = {
      status: "failed",
      errors: [{ row: 0, field: "", reason }],
      finishedAt: new Date(),
    };
    // Best effort: the database may be what failed. The run then stays "running", with nothing written.
    await db.withOrg(orgId, (tx) => updateRun(tx, orgId, runId, failed)).catch(() => undefined);
    throw error;
  }
}

type RunUpdate = Partial<typeof importRuns.$inferInsert>;

function updateRun(tx: Tx, orgId: string, runId: string, values: RunUpdate) {
  return tx
    .update(importRuns)
    .set(values)
    .where(and(eq(importRuns.orgId, orgId), eq(importRuns.id, runId)));
}

/** The final record of a run that was read to the end. */
function finished(status: "done" | "refused", result: ImportResult): RunUpdate {
  return {
    status,
    rowsTotal: result.rowsTotal,
    rowsInserted: result.rowsInserted,
    rowsUpdated: result.rowsUpdated,
    rowsUnchanged: result.rowsUnchanged,
    rowsRejected: result.rowsRejected,
    errors: result.errors,
    finishedAt: new Date(),
  };
}

type Settled = { ok: true; value: BatchWrite } | { ok: false; error: unknown };

/** One run inside its transaction. */
class ImportRun<Row> {
  private readonly batchSize: number;
  private readonly maxErrors: number;
  private header: string[] | null = null;
  private readonly seen = new Map<string, number>();
  private batch: Numbered<Row>[] = [];
  private inflight: Promise<Settled> | null = null;
  private readonly errors: RowError[] = [];
  private errorsOmitted = 0;
  private rowNumber = 0;
  private rowsTotal = 0;
  private rowsRejected = 0;
  private inserted = 0;
  private updated = 0;
  private bytes = 0;
  private writer: ReturnType<KindSpec<Row>["writer"]> | null = null;

  constructor(
    private readonly tx: Tx,
    private readonly orgId: string,
    private readonly runId: string,
    private readonly spec: KindSpec<Row>,
    private readonly mode: ImportMode,
    private readonly options: ImportOptions,
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.maxErrors = options.maxErrors ?? 10_000;
  }

  async run(input: ImportInput): Promise<ImportResult> {
    try {
      return await this.readAndWrite(input);
    } finally {
      // Never leave a write running behind a failure: the transaction ends after it.
      if (this.inflight) await this.inflight;
    }
  }

  private async readAndWrite(input: ImportInput): Promise<ImportResult> {
    try {
      for await (const { records, bytes } of readCsv(input as AsyncIterable<string | Uint8Array>)) {
        this.bytes = bytes;
        for (const record of records) {
          if (this.header === null) {
            this.readHeader(record.fields);
            continue;
          }
          this.rowNumber++;
          const fields = record.fields;
          if (fields.length === 1 && fields[0]!.trim() === "" && record.error === undefined) continue;
          this.rowsTotal++;
          if (record.error !== undefined) {
            this.reject([{ row: this.rowNumber, field: "", reason: record.error }]);
            continue;
          }
          this.readRow(fields);
          if (this.batch.length >= this.batchSize) await this.flush();
        }
      }
    } catch (error) {
      if (!(error instanceof CsvFileError)) throw error;
      await this.settle().catch(() => undefined);
      this.rowsRejected++;
      this.addErrors([
        { row: this.header === null ? 0 : this.rowNumber + 1, field: "", reason: error.message },
      ]);
      throw new Refusal(this.result("refused"));
    }
    if (this.header === null) {
      this.addErrors([
        {
          row: 0,
          field: "",
          reason: `the file is empty; the first line must be the header: ${this.spec.columns.join(",")}`,
        },
      ]);
      throw new Refusal(this.result("refused"));
    }
    await this.flush();
    await this.settle();
    if (this.refusing()) throw new Refusal(this.result("refused"));
    // Opportunities and replies or meetings from a CRM reach the leads they follow (see link-lead-outcomes.ts).
    if (this.spec.kind === "opportunities" || this.spec.kind === "touchpoints") {
      await linkLeadOutcomes(this.tx, this.orgId);
    }
    const result = this.result("done");
    await updateRun(this.tx, this.orgId, this.runId, finished("done", result));
    return result;
  }

  /** Checks the header: every column known, none twice, every required one there. Refuses the file if not. */
  private readHeader(fields: string[]): void {
    const names = fields.map((f) => f.trim().toLowerCase());
    const known = new Set(this.spec.columns);
    const errors: RowError[] = [];
    const seen = new Set<string>();
    for (const [i, name] of names.entries()) {
      if (name === "") {
        errors.push({ row: 0, field: `column ${i + 1}`, reason: "has no name" });
      } else if (!known.has(name)) {
        errors.push({
          row: 0,
          field: name,
          reason: `unknown column; the ${this.spec.kind} columns are ${this.spec.columns.join(",")}`,
        });
      } else if (seen.has(name)) errors.push({ row: 0, field: name, reason: "column appears twice" });
      seen.add(name);
    }
    for (const name of this.spec.required) {
      if (!seen.has(name)) errors.push({ row: 0, field: name, reason: "required column is missing" });
    }
    if (errors.length > 0) {
      this.addErrors(errors);
      throw new Refusal(this.result("refused"));
    }
    this.header = names;
    this.writer = this.spec.writer(this.orgId, seen);
  }

  /** Validates one row and adds it to the batch, or records why it is rejected. */
  private readRow(fields: string[]): void {
    const header = this.header!;
    const row = this.rowNumber;
    if (fields.length !== header.length) {
      this.reject([
        { row, field: "", reason: `has ${fields.length} fields, the header has ${header.length}` },
      ]);
      return;
    }
    const cells: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) cells[header[i]!] = fields[i]!;
    const parsed = this.spec.rowSchema.safeParse(cells);
    if (!parsed.success) {
      this.reject(
        parsed.error.issues.map((issue) => ({
          row,
          field: String(issue.path[0] ?? ""),
          reason: issue.message,
        })),
      );
      return;
    }
    if (this.spec.key) {
      const key = this.spec.key(parsed.data);
      const first = this.seen.get(key);
      if (first !== undefined) {
        this.reject([{ row, field: this.spec.keyField, reason: `the same record as row ${first}` }]);
        return;
      }
      this.seen.set(key, row);
    }
    this.batch.push({ row, value: parsed.data });
  }

  /**
   * Checks the batch against the database and starts its write without waiting for it, so the next batch is
   * parsed while the database works. One write is in flight at a time. The checks of the next batch are sent
   * behind it on the same connection, so they see the rows it wrote.
   */
  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (batch.length > 0) {
      let prepared: PreparedBatch;
      try {
        prepared = await this.writer!.prepare(this.tx, batch);
      } finally {
        // A failed write aborts the transaction and so the checks after it: its own error is the one to report.
        await this.settle();
      }
      if (prepared.errors.length > 0) this.reject(prepared.errors);
      if (prepared.write && !this.refusing()) {
        this.inflight = prepared.write().then(
          (value): Settled => ({ ok: true, value }),
          (error: unknown): Settled => ({ ok: false, error }),
        );
      }
    }
    this.options.onProgress?.({ rows: this.rowsTotal, bytes: this.bytes });
  }

  private async settle(): Promise<void> {
    const inflight = this.inflight;
    if (!inflight) return;
    this.inflight = null;
    const settled = await inflight;
    if (!settled.ok) throw settled.error;
    this.inserted += settled.value.inserted;
    this.updated += settled.value.updated;
  }

  private refusing(): boolean {
    return this.mode === "refuse_whole" && this.rowsRejected > 0;
  }

  /** Rejects the rows named in `errors` (several errors may name one row). */
  private reject(errors: RowError[]): void {
    this.rowsRejected += errors.length === 1 ? 1 : new Set(errors.map((e) => e.row)).size;
    this.addErrors(errors);
  }

  private addErrors(errors: RowError[]): void {
    for (const e of errors) {
      if (this.errors.length < this.maxErrors) this.errors.push(e);
      else this.errorsOmitted++;
    }
  }

  private result(status: "done" | "refused"): ImportResult {
    // Checks against the database come a batch later than the row's own checks: report in row order.
    const errors = [...this.errors].sort((a, b) => a.row - b.row);
    if (this.errorsOmitted > 0) {
      errors.push({ row: 0, field: "", reason: `${this.errorsOmitted} more errors not listed` });
    }
    const written = status === "done" ? this.inserted + this.updated : 0;
    return {
      runId: this.runId,
      kind: this.spec.kind,
      status,
      rowsTotal: this.rowsTotal,
      rowsInserted: written,
      rowsUpdated: status === "done" ? this.updated : 0,
      rowsUnchanged: status === "done" ? this.rowsTotal - this.rowsRejected - written : 0,
      rowsRejected: this.rowsRejected,
      errors,
    };
  }
}
