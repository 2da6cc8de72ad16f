import { sql } from "drizzle-orm";
import { AppError } from "../core/errors.ts";
import { type Database, rows, type Tx } from "../db/client.ts";
import { csvLine } from "./csv/write-csv.ts";
import { type ImportKind, importKinds, withKind } from "./kinds/index.ts";

export interface ExportOptions {
  /** Rows fetched per round trip (default 2,000). */
  pageSize?: number;
}

/**
 * Streams one kind of an organization's records as CSV text, in the same header the import reads, so an export
 * imports into another organization as the same rows. The rows come from one cursor in one transaction (one
 * consistent snapshot); stopping the iteration early closes it.
 */
export async function* exportCsv(
  db: Database,
  orgId: string,
  kind: ImportKind,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  if (!importKinds.includes(kind)) {
    throw new AppError("validation", `unknown kind "${kind}"; one of ${importKinds.join(", ")}`, "kind");
  }
  const spec = withKind(kind, {
    visit: (s) => ({ columns: s.columns, query: s.exportQuery(orgId), row: s.exportRow }),
  });
  const wanted = options.pageSize ?? 2000;
  const pageSize = Number.isFinite(wanted) ? Math.max(1, Math.floor(wanted)) : 2000;
  yield csvLine(spec.columns);
  yield* produceInTransaction<string>(db, orgId, async (tx, emit) => {
    await tx.execute(sql`declare throughline_export no scroll cursor for ${spec.query}`);
    for (;;) {
      const page = await rows<Record<string, unknown>>(
        tx,
        sql`fetch forward ${sql.raw(String(pageSize))} from throughline_export`,
      );
      if (page.length === 0) break;
      let text = "";
      for (const r of page) text += csvLine(spec.row(r));
      await emit(text);
    }
    await tx.execute(sql`close throughline_export`);
  });
}

class Cancelled extends Error {
  override name = "Cancelled";
}

interface Slot<T> {
  item: T;
  taken: () => void;
  dropped: (error: Error) => void;
}

/**
 * Turns a producer that runs inside a transaction into an async iterable: the producer hands over one item at a
 * time and may prepare the next while the consumer works on the current one. When the consumer stops early the
 * producer's pending hand-over fails, so its transaction ends.
 */
async function* produceInTransaction<T>(
  db: Database,
  orgId: string,
  produce: (tx: Tx, emit: (item: T) => Promise<void>) => Promise<void>,
): AsyncGenerator<T> {
  const state: {
    slot: Slot<T> | null;
    wake: (() => void) | null;
    finished: boolean;
    failure: { error: unknown } | null;
    cancelled: boolean;
  } = { slot: null, wake: null, finished: false, failure: null, cancelled: false };
  const wake = () => {
    const w = state.wake;
    state.wake = null;
    w?.();
  };
  const emit = (item: T) =>
    new Promise<void>((resolve, reject) => {
      if (state.cancelled) {
        reject(new Cancelled());
        return;
      }
      state.slot = { item, taken: resolve, dropped: reject };
      wake();
    });
  const done = db
    .withOrg(orgId, (tx) => produce(tx, emit))
    .then(
      () => {
        state.finished = true;
      },
      (error: unknown) => {
        state.failure = { error };
      },
    )
    .finally(wake);
  try {
    for (;;) {
      const slot = state.slot;
      if (slot) {
        state.slot = null;
        slot.taken();
        yield slot.item;
        continue;
      }
      if (state.failure) throw state.failure.error;
      if (state.finished) return;
      await new Promise<void>((resolve) => {
        state.wake = resolve;
      });
    }
  } finally {
    state.cancelled = true;
    if (state.slot) {
      state.slot.dropped(new Cancelled());
      state.slot = null;
    }
    await done;
  }
}
