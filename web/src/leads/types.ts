import type { LeadFields } from "../../../src/core/leads/vocabulary.ts";
import type { OpportunityStage } from "../../../src/db/schema/vocabulary.ts";

// Response shapes of src/server/leads/routes.ts that the pages use (the server's zod schemas are the source of truth).

export interface LeadItem {
  id: string;
  eventId: string;
  person: { id: string; name: string; email: string | null; title: string | null; company: string | null };
  accountId: string | null;
  ownerUserId: string | null;
  ownerName: string | null;
  capturedBy: string | null;
  tier: "A" | "B" | "C" | null;
  score: number | null;
  signals: { signal: string; points: number }[];
  status: string;
  capturedAt: string;
  slaDueAt: string | null;
  slaState: "due" | "overdue" | "met" | "missed" | null;
  firstFollowUpAt: string | null;
  opportunityId: string | null;
  conversations: number;
  fields: LeadFields;
}

export interface Conversation {
  id: string;
  occurredAt: string;
  rawNote: string | null;
  repUserId: string | null;
  fields: LeadFields;
}

export type FollowUpChannel = "email" | "call" | "meeting" | "task";

export interface FollowUp {
  id: string;
  channel: FollowUpChannel;
  contextual: boolean;
  subject: string | null;
  body: string | null;
  status: "draft" | "scheduled" | "sent" | "done" | "cancelled";
  dueAt: string | null;
  sentAt: string | null;
  respondedAt: string | null;
  outboxId: string | null;
}

/** A draft from POST /api/leads/{id}/follow-up-draft. */
export interface FollowUpDraft extends FollowUp {
  /** What the template cited (empty when the model wrote it). */
  cites: string[];
  writer: "template" | "llm";
  fallbackReason?: string;
}

/** GET /api/leads/{id}. */
export interface LeadDetail extends LeadItem {
  conversationList: Conversation[];
  followUps: FollowUp[];
  /** Meetings recorded with the buyer (the buyer's answer, not a follow-up), oldest first. */
  meetings: { at: string; notes: string | null }[];
  /** Titles of the sessions the person checked into at the event. */
  sessions: string[];
  eventName: string;
  eventTimeZone: string;
  /** The opportunity the lead led to, with its current stage; null before there is one. */
  opportunity: {
    id: string;
    name: string;
    stage: string;
    amountMinor: number;
    currency: string;
    openedAt: string;
  } | null;
}

/** The bodies POST /api/leads/{id}/outcomes accepts. */
export type OutcomeRequest =
  | { kind: "reply"; at?: string; followUpId?: string }
  | { kind: "meeting"; at?: string; notes?: string }
  | {
      kind: "opportunity";
      at?: string;
      opportunityId?: string;
      name?: string;
      amountMinor?: number;
      currency?: string;
      stage?: OpportunityStage;
    }
  | { kind: "stage_change"; at?: string; toStage: OpportunityStage };

export interface CaptureResult {
  replay: boolean;
  merged: boolean;
  personCreated: boolean;
  matchedBy: string;
  routing: string | null;
  lead: LeadItem;
}

export interface PersonHit {
  id: string;
  name: string;
  email: string | null;
  title: string | null;
  company: string | null;
  registered: boolean;
}

export interface Extraction {
  fields: LeadFields;
  extractor: "builtin" | "llm";
  fallbackReason?: string;
}

export interface FunnelLink {
  step: string;
  reached: number;
  passed: number;
  shareOfCaptured: number;
  conversionFromPrevious: number;
  dropped: number;
}

export interface GroupConversion {
  leads: number;
  followedUpWithinSla: number;
  responded: number;
  opportunities: number;
  responseRate: number;
  opportunityRate: number;
}

export interface LiftRate {
  leads: number;
  opportunities: number;
  rate: number;
}

/** GET /api/events/{id}/lead-funnel. */
export interface Funnel {
  eventId: string;
  eventName: string;
  asOf: string;
  captured: number;
  links: FunnelLink[];
  timeToFollowUp: {
    followedUp: number;
    never: number;
    hours: { p10: number; p25: number; p50: number; p75: number; p90: number; mean: number } | null;
    buckets: { label: string; leads: number }[];
  };
  byTier: { A: GroupConversion; B: GroupConversion; C: GroupConversion; untiered: GroupConversion };
  byFollowUp: { contextual: GroupConversion; generic: GroupConversion; none: GroupConversion };
  contextualLift: {
    horizonDays: number;
    treated: LiftRate;
    control: LiftRate;
    neverFollowedUp: number;
    tooRecent: number;
    difference: {
      estimate: number;
      ci: [number, number];
      level: number;
      se: number;
      resamples: number;
      seed: number;
      invalidResamples: number;
    } | null;
  };
}
