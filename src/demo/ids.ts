import { Rng } from "./rng.ts";
import type { Table } from "./tables.ts";

/** Where a row is generated; part of its id so two generators never hand out the same id. */
export const SECTION = { setup: 1, account: 2, partner: 3, team: 4, learner: 5 } as const;
export type Section = keyof typeof SECTION;

const TABLE_CODE: Record<Table, number> = {
  users: 1,
  accounts: 2,
  partners: 3,
  events: 4,
  event_sessions: 5,
  event_costs: 6,
  polls: 7,
  assessments: 8,
  assessment_items: 9,
  journeys: 10,
  journey_steps: 11,
  people: 12,
  opportunities: 13,
  stage_changes: 14,
  deal_registrations: 15,
  invitations: 16,
  registrations: 17,
  tickets: 18,
  check_ins: 19,
  poll_answers: 20,
  questions: 21,
  feedback: 22,
  conversations: 23,
  leads: 24,
  follow_ups: 25,
  assessment_attempts: 26,
  responses: 27,
  commitments: 28,
  credits: 29,
  product_usage_events: 30,
  support_tickets: 31,
  journey_enrollments: 32,
  touchpoints: 33,
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const ZEROS = "000000000000";

/**
 * UUID-shaped ids (RFC 9562 version 8, "custom") drawn from the seed: 80 bits fixed per world, table and section from
 * the seed's stream, then a 48-bit tail that increases in generation order. Increasing tails keep every primary-key
 * insert at the right edge of its B-tree, which is what makes bulk loads of millions of rows fast.
 */
export class IdSpace {
  private readonly world: string;
  private readonly bases = new Map<string, string>();

  constructor(private readonly seed: number) {
    this.world = hex(Rng.of(seed, "ids").u32(), 8);
  }

  /** The id prefix of one table within one section (20 hex digits and dashes). */
  base(table: Table, section: Section): string {
    const key = `${table}/${section}`;
    let b = this.bases.get(key);
    if (b === undefined) {
      const r = Rng.of(this.seed, "ids", table, section);
      const variant = (8 + r.int(4)).toString(16);
      b = `${this.world}-${hex(TABLE_CODE[table], 2)}${hex(SECTION[section], 2)}-8${hex(r.int(4096), 3)}-${variant}${hex(r.int(4096), 3)}-`;
      this.bases.set(key, b);
    }
    return b;
  }

  /** The generator of one table's ids within one section. */
  gen(table: Table, section: Section): IdGen {
    return new IdGen(this.base(table, section));
  }
}

/** Ids of one table in one section: `id(tail)` with tail < 2^48. */
export class IdGen {
  constructor(readonly prefix: string) {}
  id(tail: number): string {
    const s = tail.toString(16);
    return this.prefix + ZEROS.slice(s.length) + s;
  }
}

/** The organization's id: a version-8 UUID from the seed and the slug (so two demo organizations never collide). */
export function orgIdFor(seed: number, slug: string): string {
  const r = Rng.of(seed, "organization", slug);
  return `${hex(r.u32(), 8)}-${hex(r.int(65536), 4)}-8${hex(r.int(4096), 3)}-${(8 + r.int(4)).toString(16)}${hex(r.int(4096), 3)}-${hex(r.int(65536), 4)}${hex(r.u32(), 8)}`;
}
