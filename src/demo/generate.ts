import { setImmediate as yieldToLoop } from "node:timers/promises";
import { accountListSection, accountSection } from "./sections/account.ts";
import { learnerSection } from "./sections/learner.ts";
import { partnerListSection, partnerSection } from "./sections/partner.ts";
import type { SectionPlan } from "./sections/section.ts";
import { setupSection } from "./sections/setup.ts";
import { teamSection } from "./sections/team.ts";
import { Sink } from "./sink.ts";
import type { Table } from "./tables.ts";
import type { World } from "./world.ts";
import { UnitWriter } from "./writer.ts";

/** Progress of generation: the phase (section), units done of the phase's total. */
export interface DemoProgress {
  phase: string;
  done: number;
  total: number;
}

/** CSV for some tables, in load order: copying the parts one after the other never breaks a foreign key. */
export type Batch = { table: Table; columns: readonly string[]; csv: string; rows: number }[];

/** The sections in load order: each only refers to rows of earlier sections or of itself. */
export function sectionsOf(w: World): SectionPlan[] {
  return [
    setupSection(w),
    accountListSection(w),
    partnerListSection(w),
    accountSection(w),
    partnerSection(w),
    teamSection(w),
    learnerSection(w),
  ];
}

/**
 * Streams the world as batches of about `batchRows` rows (a batch never splits a unit). Memory stays flat: only
 * the batch being built is held. Between units the event loop gets a turn now and then, so a COPY of the previous
 * batch keeps streaming while this one is generated.
 */
export async function* generateBatches(
  w: World,
  batchRows: number,
  onProgress?: (p: DemoProgress) => void,
): AsyncGenerator<Batch> {
  const sink = new Sink(w.orgId);
  for (const section of sectionsOf(w)) {
    const out = new UnitWriter(w, sink, section.section, section.shift);
    const step = Math.max(1, Math.floor(section.units / 200));
    onProgress?.({ phase: section.name, done: 0, total: section.units });
    for (let unit = 0; unit < section.units; unit++) {
      out.begin(unit);
      section.run(out, unit);
      if (sink.rows >= batchRows) yield sink.drain();
      if ((unit + 1) % step === 0) {
        onProgress?.({ phase: section.name, done: unit + 1, total: section.units });
        await yieldToLoop();
      }
    }
    // A section ends with a batch boundary, so later sections may refer to any of its rows.
    if (sink.rows > 0) yield sink.drain();
    onProgress?.({ phase: section.name, done: section.units, total: section.units });
  }
}
