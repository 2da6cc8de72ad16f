import type { costCategories, EventFormat, EventType } from "../../../src/db/schema/vocabulary.ts";

// Response shapes of the event routes the event pages use (src/server/events, registration, engagement are the
// source of truth; their zod schemas are in the OpenAPI document at /api/openapi.json).

export type EventStatus = "draft" | "published" | "completed" | "cancelled";
export type CostCategory = (typeof costCategories)[number];

export interface EventSession {
  id: string;
  eventId: string;
  title: string;
  track: string | null;
  room: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  speakers: string[];
  learningObjectives: string[];
  topics: string[];
  features: string[];
  creditHours: number | null;
}

export interface EventCost {
  id: string;
  eventId: string;
  category: CostCategory;
  description: string | null;
  amountMinor: number;
  currency: string;
  incurredAt: string | null;
}

export interface EventRecord {
  id: string;
  name: string;
  slug: string;
  type: EventType;
  format: EventFormat;
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string | null;
  virtualUrl: string | null;
  capacity: number | null;
  inviteOnly: boolean;
  ownerUserId: string | null;
  description: string | null;
  hasTicketKey: boolean;
  createdAt: string;
}

export interface EventDetail extends EventRecord {
  sessions: EventSession[];
  costs: EventCost[];
  costTotals: { currency: string; amountMinor: number }[];
}

export type RegistrationStatus = "registered" | "waitlisted" | "cancelled";

export interface Registration {
  id: string;
  personId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  status: RegistrationStatus;
  source: string;
  waitlistedAt: string | null;
  createdAt: string;
  ticketId: string | null;
  ticketRevoked: boolean;
  checkedInAt: string | null;
  emailStatus: EmailStatus | null;
}

export interface Invitation {
  id: string;
  personId: string;
  email: string | null;
  name: string;
  status: "nominated" | "approved" | "declined" | "sent" | "accepted" | "regretted" | "cancelled";
  reason: string | null;
  nominatedBy: string | null;
  nominatedByName: string | null;
  decidedBy: string | null;
  respondedAt: string | null;
  registrationStatus: RegistrationStatus | null;
  waitlistPosition: number | null;
}

export type EmailStatus = "queued" | "sending" | "sent" | "failed";

export interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  purpose: string;
  refId: string | null;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
  createdAt: string;
}

export interface Poll {
  id: string;
  sessionId: string | null;
  question: string;
  options: string[];
  status: "draft" | "open" | "closed";
  counts: number[];
  respondents: number;
}

export interface Question {
  id: string;
  sessionId: string | null;
  text: string;
  answered: boolean;
  votes: number;
  createdAt: string;
}

export interface Ratio {
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface Satisfaction {
  responses: number;
  mean: number | null;
  topTwoBox: Ratio;
  distribution: number[];
}

export interface Indicators {
  registrations: { registered: number; waitlisted: number; cancelled: number; total: number };
  showRate: Ratio;
  attendees: number;
  sessions: {
    sessionId: string;
    title: string;
    attendees: number;
    capacity: number | null;
    fill: Ratio | null;
    satisfaction: Satisfaction;
  }[];
  pollParticipation: Ratio;
  satisfaction: Satisfaction;
}

export interface ImportResult {
  runId: string;
  rowsRead: number;
  people: number;
  registrationsCreated: number;
  registrationsUpdated: number;
  registrationsUnchanged: number;
  touchpointsAdded: number;
  errors: { row: number; field: string; reason: string }[];
  webinarId?: string | null;
  topic?: string | null;
}
