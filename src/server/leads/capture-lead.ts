import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { mergeFields } from "../../core/leads/merge-fields.ts";
import { DEFAULT_PRIORITY, type PriorityConfig, scoreLead } from "../../core/leads/priority.ts";
import { routeLead } from "../../core/leads/routing.ts";
import { DEFAULT_SLA_HOURS, type SlaHours, slaDueAt } from "../../core/leads/sla.ts";
import type { LeadFields } from "../../core/leads/vocabulary.ts";
import { decodeToken, publicKeyFromRaw, verifyToken } from "../../core/tickets/index.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import { accounts, conversations, leads, people, touchpoints } from "../../db/schema/index.ts";
import { scheduleLeadDigest } from "../../jobs/lead-digest.ts";
import type { Caller } from "../context.ts";
import { requireEvent } from "../events/event-json.ts";
import { type Extraction, extractFields } from "./extract-fields.ts";
import {
  conversationFields,
  conversationJson,
  type LeadView,
  leadJson,
  loadLeadViews,
} from "./lead-views.ts";
import type { LlmConfig } from "./llm-client.ts";
import type { CaptureInput } from "./schemas.ts";

/** What the capture service needs besides the request: the clock and the organization's settings. */
export interface LeadSettings {
  now: Date;
  llm?: LlmConfig | undefined;
  fetchImpl?: typeof fetch;
  slaHours?: SlaHours;
  priority?: PriorityConfig;
}

type MatchedBy = "badge" | "search" | "typed" | "unknown_badge";

/** Phones may replay captures made offline up to this long ago; other times are replaced by the server's clock. */
const MAX_REPLAY_AGE_MS = 30 * 86_400_000;
const FREE_MAIL =
  /^(?:gmail|googlemail|outlook|hotmail|live|yahoo|icloud|me|aol|proton|protonmail|gmx|web)\./i;

function captureTime(input: CaptureInput, now: Date): Date {
  if (!input.occurredAt) return now;
  const at = new Date(input.occurredAt);
  const age = now.getTime() - at.getTime();
  return age < -10 * 60_000 || age > MAX_REPLAY_AGE_MS ? now : at;
}

async function replayOf(tx: Tx, orgId: string, nonce: string, eventId: string, now: Date) {
  const [existing] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.captureNonce, nonce)));
  if (!existing) return undefined;
  if (existing.eventId !== eventId) {
    throw new AppError("conflict", "this capture nonce was already used for another event", "nonce");
  }
  const [lead] = await loadLeadViews(
    tx,
    orgId,
    sql`l.event_id = ${eventId} and l.person_id = ${existing.personId}`,
    now,
  );
  return {
    replay: true,
    merged: false,
    personCreated: false,
    matchedBy: "badge" as MatchedBy,
    routing: null,
    lead: leadJson(lead!),
    conversation: conversationJson(existing),
  };
}

/**
 * Records one conversation at an event: finds or creates the person (badge, search, or typed), proposes fields
 * from the note and applies the rep's confirmations, adds the conversation as an offline touchpoint, and creates
 * or merges the lead (one per person and event), scored, routed and given its SLA. A replayed nonce adds nothing.
 */
export async function captureLead(
  db: Database,
  caller: Caller,
  eventId: string,
  input: CaptureInput,
  settings: LeadSettings,
) {
  const { now } = settings;
  const orgId = caller.orgId;
  const first = await db.withOrg(orgId, async (tx) => {
    const event = await requireEvent(tx, orgId, eventId);
    return { event, replay: await replayOf(tx, orgId, input.nonce, eventId, now) };
  });
  if (first.replay) return first.replay;

  const occurredAt = captureTime(input, now);
  // The model (if any) is called outside the transaction so no row lock waits on the network.
  const extraction = await extractFields(
    input.note,
    { now: occurredAt, timeZone: first.event.timeZone },
    settings.llm,
    settings.fetchImpl,
  );
  const fields = applyConfirmed(extraction.fields, input.fields);

  return db.withOrg(orgId, async (tx) => {
    // Two replays of one capture arriving together: the second waits here, then finds the first.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`capture:${orgId}:${input.nonce}`}, 0))`,
    );
    const replay = await replayOf(tx, orgId, input.nonce, eventId, now);
    if (replay) return replay;
    const event = first.event;
    const person = await resolvePerson(tx, orgId, event, input, now);

    const conversationId = randomUUID();
    const [touchpoint] = await tx
      .insert(touchpoints)
      .values({
        orgId,
        source: "capture",
        externalId: input.nonce,
        occurredAt,
        channel: "conversation",
        kind: "conversation",
        online: false,
        personId: person.id,
        accountId: person.accountId,
        eventId,
        metadata: {
          conversationId,
          repUserId: caller.userId,
          // The qualification, so attribution and exports see what the conversation established.
          problem: fields.problem,
          useCase: fields.useCase,
          urgency: fields.urgency,
          buyingStage: fields.buyingStage,
          budget: fields.budget,
          timeline: fields.timeline,
          stakeholders: fields.stakeholders,
          nextStep: fields.nextStep,
          nextStepDate: fields.nextStepDate,
        },
      })
      .onConflictDoNothing()
      .returning({ id: touchpoints.id });
    const [conversation] = await tx
      .insert(conversations)
      .values({
        orgId,
        id: conversationId,
        eventId,
        personId: person.id,
        accountId: person.accountId,
        repUserId: caller.userId,
        touchpointId: touchpoint?.id ?? null,
        captureNonce: input.nonce,
        occurredAt,
        rawNote: input.note,
        ...fields,
        extraction: extractionRecord(extraction, input.fields),
      })
      .returning();

    const lead = await upsertLead(tx, orgId, eventId, person.id, caller.userId, occurredAt, settings);
    await scheduleLeadDigest(tx, orgId, now);
    const [view] = await loadLeadViews(tx, orgId, sql`l.id = ${lead.id}`, now);
    return {
      replay: false,
      merged: lead.merged,
      personCreated: person.created,
      matchedBy: person.matchedBy,
      routing: lead.routing,
      lead: leadJson(view as LeadView),
      conversation: conversationJson(conversation!),
    };
  });
}

/** The rep's confirmed values over the proposal: a field sent wins (null clears it), a field left out is proposed. */
export function applyConfirmed(proposed: LeadFields, confirmed: Partial<LeadFields> | undefined): LeadFields {
  const out: LeadFields = { ...proposed, stakeholders: [...proposed.stakeholders] };
  if (!confirmed) return out;
  for (const [k, v] of Object.entries(confirmed)) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

function extractionRecord(extraction: Extraction, confirmed: Partial<LeadFields> | undefined) {
  return {
    extractor: extraction.extractor,
    ...(extraction.model ? { model: extraction.model } : {}),
    ...(extraction.fallbackReason ? { fallbackReason: extraction.fallbackReason } : {}),
    proposed: extraction.fields,
    evidence: extraction.evidence,
    confirmed: Object.keys(confirmed ?? {})
      .filter((k) => (confirmed as Record<string, unknown>)[k] !== undefined)
      .sort(),
  };
}

interface ResolvedPerson {
  id: string;
  accountId: string | null;
  created: boolean;
  matchedBy: MatchedBy;
}

type EventRow = Awaited<ReturnType<typeof requireEvent>>;

async function personById(tx: Tx, orgId: string, id: string) {
  const [p] = await tx
    .select({ id: people.id, accountId: people.accountId })
    .from(people)
    .where(and(eq(people.orgId, orgId), eq(people.id, id)));
  return p;
}

/** The person on a badge: a signed ticket token of this event, or a ticket id; undefined when unknown. */
async function personFromBadge(tx: Tx, orgId: string, event: EventRow, badge: string, now: Date) {
  if (badge.startsWith("TL1.")) {
    if (!event.ticketPublicKey || !decodeToken(badge)) return undefined;
    const check = verifyToken(badge, publicKeyFromRaw(event.ticketPublicKey), {
      now,
      kind: "ticket",
      eventId: event.id,
    });
    // An expired or cancelled ticket still names its holder truthfully (the signature is good): a rep may talk to them.
    const claims = check.ok
      ? check.claims
      : check.reason === "expired" || check.reason === "revoked"
        ? check.claims
        : null;
    return claims ? personById(tx, orgId, claims.subjectId) : undefined;
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(badge)) return undefined;
  const [row] = await rows<{ person_id: string }>(
    tx,
    sql`select r.person_id from tickets t join registrations r on r.org_id = t.org_id and r.id = t.registration_id
        where t.org_id = ${orgId} and t.id = ${badge}`,
  );
  return row ? personById(tx, orgId, row.person_id) : undefined;
}

async function resolvePerson(
  tx: Tx,
  orgId: string,
  event: EventRow,
  input: CaptureInput,
  now: Date,
): Promise<ResolvedPerson> {
  if (input.badge) {
    const found = await personFromBadge(tx, orgId, event, input.badge, now);
    if (found) return { id: found.id, accountId: found.accountId, created: false, matchedBy: "badge" };
    if (!input.person) {
      throw new AppError(
        "validation",
        "this badge is not a ticket of this organization; type the person's name (and company or email) to capture them",
        "badge",
      );
    }
    return { ...(await typedPerson(tx, orgId, input.person)), matchedBy: "unknown_badge" };
  }
  if (input.personId) {
    const found = await personById(tx, orgId, input.personId);
    if (!found) throw new AppError("not_found", `no person ${input.personId}`, "personId");
    return { id: found.id, accountId: found.accountId, created: false, matchedBy: "search" };
  }
  return { ...(await typedPerson(tx, orgId, input.person!)), matchedBy: "typed" };
}

/** A typed person: the existing one with that email, or with that name at that company; otherwise a new one. */
async function typedPerson(
  tx: Tx,
  orgId: string,
  typed: NonNullable<CaptureInput["person"]>,
): Promise<{ id: string; accountId: string | null; created: boolean }> {
  const email = typed.email?.toLowerCase();
  if (email) {
    const [p] = await rows<{ id: string; account_id: string | null }>(
      tx,
      sql`select id, account_id from people where org_id = ${orgId} and lower(email) = ${email}`,
    );
    if (p) return { id: p.id, accountId: p.account_id, created: false };
  }
  const accountId = await findOrCreateAccount(tx, orgId, typed.company, email);
  if (typed.firstName && typed.lastName) {
    const [p] = await rows<{ id: string; account_id: string | null }>(
      tx,
      sql`select id, account_id from people where org_id = ${orgId}
            and lower(first_name) = lower(${typed.firstName}) and lower(last_name) = lower(${typed.lastName})
            and account_id is not distinct from ${accountId}::uuid
          order by created_at limit 1`,
    );
    if (p) return { id: p.id, accountId: p.account_id, created: false };
  }
  const [created] = await tx
    .insert(people)
    .values({
      orgId,
      firstName: typed.firstName ?? null,
      lastName: typed.lastName ?? null,
      email: typed.email ?? null,
      title: typed.title ?? null,
      accountId,
    })
    .returning({ id: people.id });
  return { id: created!.id, accountId, created: true };
}

async function findOrCreateAccount(
  tx: Tx,
  orgId: string,
  company: string | undefined,
  email: string | undefined,
): Promise<string | null> {
  const domain = email?.split("@")[1];
  const corporate = domain && !FREE_MAIL.test(domain) ? domain : undefined;
  if (company) {
    const [a] = await rows<{ id: string }>(
      tx,
      sql`select id from accounts where org_id = ${orgId} and lower(name) = lower(${company}) order by created_at limit 1`,
    );
    if (a) return a.id;
  }
  if (corporate) {
    const [a] = await rows<{ id: string }>(
      tx,
      sql`select id from accounts where org_id = ${orgId} and lower(domain) = ${corporate} order by created_at limit 1`,
    );
    if (a) return a.id;
  }
  if (!company) return null;
  const [created] = await tx
    .insert(accounts)
    .values({ orgId, name: company, domain: corporate ?? null })
    .returning({ id: accounts.id });
  return created!.id;
}

/** Creates the lead or merges into it, then (re)scores it over all its conversations and routes it if unowned. */
async function upsertLead(
  tx: Tx,
  orgId: string,
  eventId: string,
  personId: string,
  repUserId: string,
  occurredAt: Date,
  settings: LeadSettings,
): Promise<{ id: string; merged: boolean; routing: string | null }> {
  await tx
    .insert(leads)
    .values({ orgId, eventId, personId, capturedBy: repUserId, capturedAt: occurredAt, status: "new" })
    .onConflictDoNothing();
  const [lead] = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.orgId, orgId), eq(leads.eventId, eventId), eq(leads.personId, personId)));
  const convs = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.orgId, orgId),
        eq(conversations.eventId, eventId),
        eq(conversations.personId, personId),
      ),
    )
    .orderBy(asc(conversations.occurredAt));
  const fields = mergeFields(convs.map((c) => ({ occurredAt: c.occurredAt, fields: conversationFields(c) })));
  const [fit] = await rows<{
    segment: string | null;
    employees: number | null;
    industry: string | null;
    territory: string | null;
    owner_user_id: string | null;
    title: string | null;
    buying_role: LeadFields["stakeholders"][number]["role"] | null;
    account_id: string | null;
  }>(
    tx,
    sql`select a.segment, a.employees, a.industry, a.territory, p.title, p.buying_role, p.account_id,
          (select u.id from users u where u.org_id = a.org_id and u.id = a.owner_user_id and u.disabled_at is null)
            as owner_user_id
        from people p left join accounts a on a.org_id = p.org_id and a.id = p.account_id
        where p.org_id = ${orgId} and p.id = ${personId}`,
  );
  const priority = scoreLead(
    {
      segment: fit?.segment ?? null,
      employees: fit?.employees ?? null,
      industry: fit?.industry ?? null,
      title: fit?.title ?? null,
      buyingRole: fit?.buying_role ?? null,
    },
    fields,
    settings.priority ?? DEFAULT_PRIORITY,
  );
  // The first capture starts the clock; a second conversation can change the tier, and so the deadline.
  const capturedAt = convs[0]?.occurredAt ?? lead!.capturedAt;
  let ownerUserId = lead!.ownerUserId;
  let routing: string | null = null;
  if (!ownerUserId) {
    const reps = await rows<{ id: string; name: string; territory: string | null }>(
      tx,
      sql`select id, name, territory from users where org_id = ${orgId} and role = 'rep' and disabled_at is null`,
    );
    const load = await rows<{ owner_user_id: string; n: number }>(
      tx,
      sql`select owner_user_id, count(*)::int as n from leads
          where org_id = ${orgId} and event_id = ${eventId} and owner_user_id is not null group by owner_user_id`,
    );
    const route = routeLead({
      accountOwnerId: fit?.owner_user_id ?? null,
      territory: fit?.territory ?? null,
      reps,
      load: new Map(load.map((r) => [r.owner_user_id, Number(r.n)])),
    });
    ownerUserId = route.ownerUserId;
    routing = route.reason;
  }
  await tx
    .update(leads)
    .set({
      accountId: fit?.account_id ?? null,
      tier: priority.tier,
      score: priority.score,
      signals: priority.signals,
      ownerUserId,
      capturedAt,
      slaDueAt: slaDueAt(capturedAt, priority.tier, settings.slaHours ?? DEFAULT_SLA_HOURS),
      status: lead!.status === "new" && ownerUserId ? "routed" : lead!.status,
    })
    .where(and(eq(leads.orgId, orgId), eq(leads.id, lead!.id)));
  return { id: lead!.id, merged: convs.length > 1, routing };
}
