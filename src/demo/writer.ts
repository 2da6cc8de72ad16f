import { ts } from "./format.ts";
import type { IdGen, Section } from "./ids.ts";
import type { Sink } from "./sink.ts";
import { TABLE_ORDER, type Table } from "./tables.ts";
import type { World } from "./world.ts";

const TABLE_INDEX = new Map<Table, number>(TABLE_ORDER.map((t, i) => [t, i]));
const SECTION_LETTER: Record<Section, string> = {
  setup: "s",
  account: "a",
  partner: "p",
  team: "t",
  learner: "l",
};

/**
 * Writes the rows of one unit (an account, a partner, a learner…) of one section. Ids are
 * section prefix + (unit · 2^shift + a per-table counter), so they depend only on the unit and its own draws.
 */
export class UnitWriter {
  private readonly gens: IdGen[];
  private readonly counters: Int32Array;
  private base = 0;
  private readonly letter: string;

  constructor(
    readonly w: World,
    readonly sink: Sink,
    readonly section: Section,
    private readonly shift: number,
  ) {
    this.gens = TABLE_ORDER.map((t) => w.ids.gen(t, section));
    this.counters = new Int32Array(TABLE_ORDER.length);
    this.letter = SECTION_LETTER[section];
  }

  /** Starts a unit: counters restart, ids move to the unit's block. */
  begin(unit: number): void {
    this.base = unit * 2 ** this.shift;
    this.counters.fill(0);
  }

  /** The next id of a table within the current unit. */
  id(table: Table): string {
    const i = TABLE_INDEX.get(table)!;
    return this.gens[i]!.id(this.base + this.counters[i]!++);
  }

  /** Adds a row (fields after org_id). */
  row(table: Table, fields: string): void {
    this.sink.add(table, fields);
  }

  /** Adds a touchpoint and returns its id. `online` is the flag analytics use to tell offline touches apart. */
  touch(
    at: number,
    channel: string,
    kind: string,
    online: boolean,
    personId: string | null,
    accountId: string | null,
    eventId: string | null = null,
    sessionId: string | null = null,
    opportunityId: string | null = null,
    campaign: string | null = null,
  ): string {
    const i = TABLE_INDEX.get("touchpoints")!;
    const tail = this.base + this.counters[i]!++;
    const id = this.gens[i]!.id(tail);
    this.sink.add(
      "touchpoints",
      `${id},demo,${this.letter}${tail.toString(16)},${ts(at)},${channel},${kind},${online ? "t" : "f"},${personId ?? ""},${accountId ?? ""},${eventId ?? ""},${sessionId ?? ""},${opportunityId ?? ""},${campaign ?? ""}`,
    );
    return id;
  }
}
