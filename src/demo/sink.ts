import { COLUMNS, TABLE_ORDER, type Table } from "./tables.ts";

const TABLE_INDEX = new Map<Table, number>(TABLE_ORDER.map((t, i) => [t, i]));

/**
 * CSV rows for each table, written straight into one growable buffer per table until the loader copies them. Rows
 * are encoded as they arrive, so the millions of short strings a large world builds die young (cheap to collect)
 * instead of being held until the copy.
 */
export class Sink {
  private readonly buffers: Buffer[];
  private readonly used: Int32Array;
  private readonly counts: Int32Array;
  private readonly prefix: string;
  /** Rows held now, all tables together. */
  rows = 0;

  constructor(org: string) {
    this.prefix = `${org},`;
    this.buffers = TABLE_ORDER.map(() => Buffer.allocUnsafe(64 * 1024));
    this.used = new Int32Array(TABLE_ORDER.length);
    this.counts = new Int32Array(TABLE_ORDER.length);
  }

  /** Adds one row: the CSV fields after org_id, already escaped, without the line break. */
  add(table: Table, fields: string): void {
    const t = TABLE_INDEX.get(table)!;
    let buf = this.buffers[t]!;
    let pos = this.used[t]!;
    const need = pos + this.prefix.length + 3 * fields.length + 1;
    if (need > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
      buf.copy(bigger, 0, 0, pos);
      this.buffers[t] = bigger;
      buf = bigger;
    }
    pos += buf.write(this.prefix, pos, "latin1");
    pos += buf.write(fields, pos, "utf8");
    buf[pos++] = 10;
    this.used[t] = pos;
    this.counts[t]!++;
    this.rows++;
  }

  /** Takes everything held, in load order, and empties the sink (its buffers are reused). */
  drain(): { table: Table; columns: readonly string[]; csv: string; rows: number }[] {
    const out: { table: Table; columns: readonly string[]; csv: string; rows: number }[] = [];
    for (let t = 0; t < TABLE_ORDER.length; t++) {
      if (this.counts[t] === 0) continue;
      const table = TABLE_ORDER[t]!;
      out.push({
        table,
        columns: COLUMNS[table],
        csv: this.buffers[t]!.toString("utf8", 0, this.used[t]),
        rows: this.counts[t]!,
      });
      this.used[t] = 0;
      this.counts[t] = 0;
    }
    this.rows = 0;
    return out;
  }
}
