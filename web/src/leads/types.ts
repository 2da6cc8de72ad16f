import type { LeadFields } from "../../../src/core/leads/vocabulary.ts";

// Response shapes of src/server/leads/routes.ts that the pages use (the server's zod schemas are the source of truth).

export interface LeadItem {
  id: string;
  eventId: string;
  person: { id: string; name: string; email: string | null; title: string | null; company: string | null };
  ownerUserId: string | null;
  ownerName: string | null;
  tier: "A" | "B" | "C" | null;
  score: number | null;
  signals: { signal: string; points: number }[];
  status: string;
  capturedAt: string;
  slaDueAt: string | null;
  slaState: "due" | "overdue" | "met" | "missed" | null;
  conversations: number;
  fields: LeadFields;
}

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
  dropped: number;
}

export interface Funnel {
  captured: number;
  links: FunnelLink[];
  timeToFollowUp: { followedUp: number; never: number; hours: { p50: number; p90: number } | null };
  contextualLift: {
    treated: { leads: number; rate: number };
    control: { leads: number; rate: number };
    difference: { estimate: number; ci: [number, number] } | null;
  };
}
