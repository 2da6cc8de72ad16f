// Test support: builds small worlds (accounts, people, opportunities with stage histories, events, attendance,
// touchpoints, partners, reps) in a test database with readable, deterministic ids.
import type { Database } from "../../db/client.ts";
import {
  accounts,
  checkIns,
  dealRegistrations,
  events,
  opportunities,
  partners,
  people,
  registrations,
  stageChanges,
  touchpoints,
  users,
} from "../../db/schema/index.ts";

export const DAY = 86_400_000;

/** A fixed uuid from a small number and a tag digit, so matching order (by id) is readable in tests. */
export function uid(tag: number, n: number): string {
  return `00000000-0000-4000-8${tag.toString(16).padStart(3, "0")}-${n.toString(16).padStart(12, "0")}`;
}

/** Inserts rows as the owner (tests only): every row carries the organization id. */
export class World {
  private seq = 0;
  constructor(
    readonly db: Database,
    readonly orgId: string,
  ) {}

  private next(): number {
    this.seq += 1;
    return this.seq;
  }

  async user(
    id: string,
    role: "rep" | "admin" | "marketer" | "partner_manager" = "rep",
    territory: string | null = null,
  ): Promise<string> {
    await this.db.owner.insert(users).values({
      orgId: this.orgId,
      id,
      email: `${id}@example.test`,
      name: `User ${id.slice(-4)}`,
      role,
      territory,
    });
    return id;
  }

  async account(id: string, segment: string | null, ownerUserId: string | null = null): Promise<string> {
    await this.db.owner
      .insert(accounts)
      .values({ orgId: this.orgId, id, name: `Account ${id.slice(-4)}`, segment, ownerUserId });
    return id;
  }

  async partner(id: string, name = `Partner ${id.slice(-4)}`): Promise<string> {
    await this.db.owner.insert(partners).values({ orgId: this.orgId, id, name });
    return id;
  }

  async person(
    id: string,
    fields: {
      accountId?: string | null;
      partnerId?: string | null;
      role?: (typeof people.$inferInsert)["buyingRole"];
      email?: string;
    } = {},
  ): Promise<string> {
    await this.db.owner.insert(people).values({
      orgId: this.orgId,
      id,
      accountId: fields.accountId ?? null,
      partnerId: fields.partnerId ?? null,
      buyingRole: fields.role ?? null,
      email: fields.email ?? `${id}@people.test`,
      firstName: "P",
      lastName: id.slice(-4),
    });
    return id;
  }

  async event(
    id: string,
    type: (typeof events.$inferInsert)["type"],
    startsAt: Date,
    endsAt = new Date(startsAt.getTime() + 3 * 3_600_000),
  ): Promise<string> {
    await this.db.owner.insert(events).values({
      orgId: this.orgId,
      id,
      name: `Event ${id.slice(-4)}`,
      slug: `e-${id.slice(-6)}`,
      type,
      format: "strategic",
      status: "completed",
      startsAt,
      endsAt,
      timeZone: "UTC",
    });
    return id;
  }

  /** Attendance by a door check-in (`how` "checkin") or an import's attended flag ("import"). */
  async attend(
    eventId: string,
    personId: string,
    at: Date,
    how: "checkin" | "import" = "import",
  ): Promise<void> {
    if (how === "checkin") {
      await this.db.owner.insert(checkIns).values({
        orgId: this.orgId,
        eventId,
        personId,
        direction: "entry",
        method: "search",
        scanNonce: `n-${this.next()}`,
        occurredAt: at,
      });
    } else {
      await this.db.owner.insert(registrations).values({
        orgId: this.orgId,
        eventId,
        personId,
        status: "registered",
        source: "test",
        attended: true,
      });
    }
  }

  /** An opportunity with its stage history [stage, at][] (the first entry is its opening). */
  async opportunity(
    id: string,
    accountId: string,
    history: [string, Date][],
    fields: {
      amountMinor?: number;
      ownerUserId?: string | null;
      partnerId?: string | null;
      source?: string | null;
      discountPct?: number | null;
      openedAt?: Date;
    } = {},
  ): Promise<string> {
    const last = history[history.length - 1];
    const closed = last && (last[0] === "closed_won" || last[0] === "closed_lost");
    await this.db.owner.insert(opportunities).values({
      orgId: this.orgId,
      id,
      accountId,
      name: `Opp ${id.slice(-4)}`,
      amountMinor: fields.amountMinor ?? 1_000_000,
      stage: last ? last[0] : "prospecting",
      ownerUserId: fields.ownerUserId ?? null,
      partnerId: fields.partnerId ?? null,
      source: fields.source ?? null,
      discountPct: fields.discountPct ?? null,
      openedAt: fields.openedAt ?? history[0]?.[1] ?? new Date(0),
      closedAt: closed ? last[1] : null,
      isWon: closed ? last[0] === "closed_won" : null,
    });
    if (history.length > 0) {
      await this.db.owner.insert(stageChanges).values(
        history.map(([stage, at], i) => ({
          orgId: this.orgId,
          opportunityId: id,
          fromStage: i === 0 ? null : history[i - 1]![0],
          toStage: stage,
          changedAt: at,
        })),
      );
    }
    return id;
  }

  async touch(fields: {
    at: Date;
    channel: string;
    kind?: string;
    personId?: string | null;
    accountId?: string | null;
    eventId?: string | null;
    opportunityId?: string | null;
    metadata?: Record<string, unknown>;
  }): Promise<void> {
    await this.db.owner.insert(touchpoints).values({
      orgId: this.orgId,
      source: "test",
      externalId: `t-${this.next()}`,
      occurredAt: fields.at,
      channel: fields.channel,
      kind: fields.kind ?? fields.channel,
      online: false,
      personId: fields.personId ?? null,
      accountId: fields.accountId ?? null,
      eventId: fields.eventId ?? null,
      opportunityId: fields.opportunityId ?? null,
      metadata: fields.metadata ?? null,
    });
  }

  async registration(
    partnerId: string,
    at: Date,
    amountMinor = 1_000_000,
    status: "submitted" | "approved" = "approved",
  ): Promise<void> {
    await this.db.owner
      .insert(dealRegistrations)
      .values({ orgId: this.orgId, partnerId, status, amountMinor, registeredAt: at });
  }
}
