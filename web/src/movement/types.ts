// Shapes of the movement API answers the pages read (a subset; see src/server/movement for the full reports).

export interface Interval {
  estimate: number | null;
  ci: [number, number] | null;
  note?: string;
}

export interface StallShare {
  days: number;
  stalled: number;
  moved: number;
  pending: number;
  notApplicable: number;
  share: number | null;
  ci: [number, number] | null;
}

export interface LinkCheck {
  link: string;
  held: boolean;
  evidence: string;
}

export interface AccountStall {
  days: number;
  status: "moved" | "stalled" | "pending" | "not_applicable";
  missingLink?: string | null;
  explanation?: string;
  reason?: string;
  chain?: LinkCheck[];
}

export interface RoundtableReport {
  event: { id: string; name: string; type: string; startsAt: string };
  asOf: string;
  indicators: { attendees: number; attendingAccounts: number; attendingOpportunities: number };
  outcomes: {
    velocity:
      | {
          status: "compared";
          match: { matched: number; treated: number; controls: number };
          survival: {
            horizons: number[];
            medianDifference: Interval;
            probabilityByDifference: Interval[];
            treated: { median: number | null };
            control: { median: number | null };
          };
        }
      | { status: "insufficient_controls"; message: string };
    velocityLift: Interval & { windowDays: number };
    daysSaved: Interval & { horizonDays: number };
    stallShare: StallShare[];
    missingLinks: { days: number; counts: Record<string, number> }[];
    coverage: {
      accounts: number;
      meanRolesBefore: number | null;
      meanRolesAfter: number | null;
      gained: number;
    };
  };
  accounts: {
    accountId: string;
    name: string;
    owner: { name: string | null } | null;
    attendees: { name: string; role: string | null }[];
    stall: AccountStall[];
    coverage: { coveredBefore: number; coveredAfter: number; gained: string[] };
  }[];
  unmeasurable: { opportunityId: string; accountId: string; reason: string }[];
  accountsWithoutOpportunities: string[];
}

export type DidResult =
  | {
      status: "estimated";
      estimate: number;
      ci: [number, number];
      nTreatedUnits: number;
      nControlUnits: number;
    }
  | { status: "insufficient"; message: string };

export interface Friction {
  closed: number;
  won: number;
  winRate: number | null;
  meanCycleDays: number | null;
  meanDiscountPct: number | null;
}

export interface PartnerReport {
  event: { id: string; name: string };
  asOf: string;
  months: { before: number; after: number };
  indicators: {
    attendingPartners: number;
    partnerAttendees: number;
    partners: number;
    excludedControls: number;
  };
  outcomes: {
    registrations: DidResult;
    sourcedPipeline: DidResult;
    timeToFirstRegistration:
      | {
          status: "compared";
          medianDifference: Interval;
          treated: { median: number | null };
          control: { median: number | null };
        }
      | { status: "insufficient"; message: string };
  };
  overall: { partnerDeals: Friction; directDeals: Friction };
  partners: {
    partnerId: string;
    name: string;
    attended: boolean;
    registrationsBefore: number[];
    registrationsAfter: number[];
    daysToFirstRegistration: number | null;
    friction: { before: Friction; after: Friction; allTime: Friction };
  }[];
}

export type Change =
  | { status: "estimated"; design: string; estimate: number; ci: [number, number] | null }
  | { status: "insufficient"; message: string };

export interface KickoffReport {
  event: { id: string; name: string };
  asOf: string;
  indicators: {
    reps: number;
    attendingReps: number;
    reinforcedReps: number;
    certifiedReps: number;
    meanCertificationScore: number | null;
  };
  outcomes: {
    winRate: { before: number | null; after: number | null; change: Change; reinforcedVsAbsent: Change };
    cycleDays: { before: number | null; after: number | null; change: Change };
    dealSizeMinor: { before: number | null; after: number | null; change: Change };
    liftHalfLife:
      | {
          status: "estimated";
          lift: number;
          liftCi: [number, number] | null;
          halfLifeWeeks: number;
          halfLifeCi: [number, number | null];
        }
      | { status: "insufficient"; message: string };
    adoption:
      | { status: "no_glossary"; message: string }
      | {
          status: "measured";
          glossary: string[];
          before: number | null;
          after: number | null;
          weekly: { week: number; adoption: number | null; notes: number; complete: boolean }[];
          reinforcedVsRest:
            | { status: "estimated"; weeks: { week: number; estimate: number | null }[] }
            | { status: "insufficient"; message: string };
        };
  };
  reps: {
    userId: string;
    name: string;
    team: string;
    attended: boolean;
    reinforced: boolean;
    certificationScore: number | null;
    before: { winRate: number | null; closed: number };
    after: { winRate: number | null; closed: number };
    adoption: { before: number | null; after: number | null };
  }[];
  alerts: { repId: string; name: string; team: string; adoption: number; weeks: [number, number] }[];
}
