// Shapes of the learning and adoption report routes this area reads (src/server/learning is the source of truth).

export type Gain =
  | {
      kind: "gain";
      basis: string;
      value: number;
      preMean?: number;
      postMean?: number;
      matched?: number;
      included?: number;
    }
  | { kind: "no_baseline" | "no_matched_learners" | "no_headroom" };

export interface PhaseMean {
  n: number;
  meanPercent: number | null;
}

export interface Calibration {
  n: number;
  brier: number | null;
  ece: number | null;
  overconfidence: number | null;
  bins: { step: number; probability: number; n: number; accuracy: number | null }[];
  confidentWrong: { count: number; share: number | null };
}

export interface Knowledge {
  pre: PhaseMean;
  post: PhaseMean;
  delayed: (PhaseMean & { delayDays: number })[];
  matchedPrePost: number;
  gainOfClassAverages: Gain;
  meanOfLearnerGains: Gain;
  effectSize: { value?: number | null; n?: number } | Record<string, unknown>;
  retention: { delayDays: number; ratio: number | null; matched: { n: number; ratio: number | null } }[];
  calibration: { pre: Calibration; post: Calibration; delayed: Calibration };
}

export interface MooreLevel {
  level: string;
  reached: boolean;
  evidence: string;
}

export interface LearningReportView {
  eventId: string;
  eventName: string;
  eventType: string;
  baseline: string;
  headline: {
    gainOfClassAverages: number | null;
    gainLabel: string;
    meanOfLearnerGains: number | null;
    retention: { delayDays: number; ratio: number | null; matchedRatio: number | null }[];
    confidentWrongShare: number | null;
    highestMooreLevel: MooreLevel | null;
  } | null;
  report: {
    indicators: {
      participation: {
        attended: number;
        participants: number;
        preTakers: number;
        postTakers: number;
        satisfactionRatings: number;
        commitmentsMade: number;
      };
      satisfaction: { n: number; mean: number | null };
    };
    outcomes: {
      knowledge: Knowledge;
      misconceptions: {
        share: number | null;
        byItem: { itemId: string; objectiveId: string; count: number; rated: number; share: number }[];
        byObjective: { objectiveId: string; count: number; rated: number; share: number }[];
      };
      reliability: { post: { alpha: number | null; k: number; completeLearners: number } };
      commitments: {
        total: number;
        followedUp: number;
        implementedShare: number | null;
        barriers: { barrier: string; count: number }[];
      };
      moore: { highest: MooreLevel | null; levels: MooreLevel[] };
    };
    items: {
      itemId: string;
      objectiveId: string;
      kind: string;
      level: string;
      answered: Record<string, number>;
      facility: Record<string, number | null>;
      discrimination: number | null;
      confidentWrong: { count: number; rated: number; share: number | null };
    }[];
  } | null;
  itemText: { itemId: string; prompt: string; objective: string }[];
  reinforcement: {
    note: string;
    learners: number;
    cards: number;
    reviews: number;
    correctShare: number | null;
    dueNow: number;
  };
}

export interface Lift {
  horizonDays: number;
  status: "measured" | "not_yet" | "no_comparison";
  note?: string;
  trainedShare?: number;
  controlShare?: number;
  trainedPairs?: number;
  controlPairs?: number;
  matchedSets?: number;
  lift?: { estimate: number; ci: [number, number]; level: number };
}

export interface AdoptionView {
  eventId: string;
  eventName: string;
  trainedFeatures: string[];
  trainedTopics: string[];
  indicators: { trainedPeople: number; trainedAccounts: number; candidateControlAccounts: number };
  matching: { status: string; note?: string };
  outcomes: {
    independentUse: Lift[];
    supportTickets: {
      status: string;
      note?: string;
      estimate?: number;
      ci?: [number, number];
      windowDays?: number;
      cells?: Record<string, { n: number; mean: number }>;
    };
    learners: {
      independentUse: { horizonDays: number; eligible: number; usedByShare: number | null }[];
      timeToFirstIndependentUse: {
        trained: number;
        used: number;
        medianDays: number | null;
        meanDays: number | null;
      };
    };
    clarity: { n: number; score: number | null };
  };
  sessions: {
    sessionId: string;
    title: string;
    topics: number;
    hours: number;
    topicsPerHour: number | null;
    overloaded: boolean;
    outcomes: {
      postMeanPercent: number | null;
      gain: number | null;
      independentUse: { horizonDays: number; share: number | null } | null;
    };
  }[];
}

export const pct = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? "–" : `${(x * 100).toFixed(digits)}%`;
export const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? "–" : x.toFixed(digits);
