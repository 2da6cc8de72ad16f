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

/** One attending opportunity: where it stood at the event and how it moved after. */
export interface OpportunityMovement {
  id: string;
  name: string;
  amountMinor: number;
  currency: string;
  movement: {
    stageAtEvent: string;
    ageAtEventDays: number;
    closedAtEvent: boolean;
    changesWithin: { days: number; changes: number; complete: boolean }[];
    nextStage: { stage: string | null; days: number; observed: boolean } | null;
  } | null;
  unmeasurable: string | null;
  controlIds: string[];
}

/** Activation of an account within a window after the event. */
export interface Activation {
  days: number;
  complete: boolean;
  attendeesEngaged: number;
  attendees: number;
  othersEngaged: number;
  newStakeholders: number;
  meetings: number;
  stageChanges: number;
}

/** One buying-committee role of an account, before and after the event. */
export interface RoleCoverage {
  role: string;
  people: number;
  engagedBefore: number;
  engagedAfter: number;
  coveredBefore: boolean;
  coveredAfter: boolean;
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
    opportunities: OpportunityMovement[];
    activation: Activation[];
    stall: AccountStall[];
    coverage: {
      roles: RoleCoverage[];
      coveredBefore: number;
      coveredAfter: number;
      gained: string[];
      lost: string[];
    };
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

/** Win rate, cycle and won deal size of closed deals. */
export interface SellingStats {
  closed: number;
  won: number;
  winRate: number | null;
  meanCycleDays: number | null;
  meanDealSizeMinor: number | null;
}

/** A weekly curve of value minus baseline (treated minus comparison), its exponential fit, or why there is none. */
export type DecayResult =
  | {
      status: "estimated";
      comparedWith: "controls" | "own_baseline";
      note?: string;
      weeks: {
        week: number;
        estimate: number | null;
        ci: [number, number] | null;
        nTreated: number;
        nControl: number;
      }[];
      fit: { status: string; initial: number | null; rate: number | null; halfLife: number | null };
      halfLifeCi: [number, number | null] | null;
    }
  | { status: "insufficient"; message: string };

export interface KickoffReport {
  event: { id: string; name: string };
  asOf: string;
  windows: { beforeDays: number; afterDays: number; weeksBefore: number; weeksAfter: number };
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
          decay: DecayResult;
          reinforcedVsRest: DecayResult;
        };
    winRateDecay: DecayResult;
    winRateReinforcedVsRest: DecayResult;
  };
  teams: {
    team: string;
    reps: number;
    before: SellingStats;
    after: SellingStats;
    adoptionBefore: number | null;
    adoptionAfter: number | null;
  }[];
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
