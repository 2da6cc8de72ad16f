import type { Section } from "../ids.ts";
import type { UnitWriter } from "../writer.ts";

/** One part of the world, generated unit by unit (an account, a partner, a learner…), each from its own stream. */
export interface SectionPlan {
  /** Shown as the progress phase. */
  name: string;
  section: Section;
  /** Id block per unit: 2^shift ids per table and unit. */
  shift: number;
  units: number;
  run(out: UnitWriter, unit: number): void;
}
