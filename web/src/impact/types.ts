// Response shapes of the impact API (src/server/impact/schemas.ts). Money is in minor units (cents).
import type { OutcomeEntry } from "../../../src/server/movement/movement-outcomes.ts";

export type ModelName =
  | "first_touch"
  | "last_touch"
  | "linear"
  | "time_decay"
  | "u_shaped"
  | "w_shaped"
  | "full_path"
  | "custom"
  | "markov"
  | "shapley";

export const modelLabels: Record<ModelName, string> = {
  first_touch: "First touch",
  last_touch: "Last touch",
  linear: "Linear",
  time_decay: "Time decay",
  u_shaped: "U-shaped",
  w_shaped: "W-shaped",
  full_path: "Full path",
  custom: "Custom",
  markov: "Markov (data-driven)",
  shapley: "Shapley (data-driven)",
};

export const horizons = [0, 30, 90, 180, 365] as const;

export interface OutcomeLine {
  opportunities: number;
  amount: number;
  attributed: number;
}

export interface RoiPoint {
  horizon: number;
  asOf: string;
  known: boolean;
  reason?: string;
  wonRevenue: number | null;
  weightedPipeline: number | null;
  acceleration: number | null;
  value: number | null;
  cost: number;
  roi: number | null;
}

/** One movement entry of the outcomes ledger, as the server builds it. */
export type MovementOutcome = Omit<OutcomeEntry, "ledger" | "eventId">;

export interface EventImpact {
  event: {
    id: string;
    name: string;
    type: string;
    format: "tactical" | "strategic";
    status: string;
    startsAt: string;
    endsAt: string;
  };
  model: ModelName;
  scope: "person" | "account";
  horizon: number;
  headlineHorizon: number;
  currency: string;
  indicators: {
    registrations: number;
    attended: number;
    attendanceRate: number | null;
    engagement: {
      pollAnswers: number;
      questions: number;
      sessionCheckIns: number;
      conversations: number;
      engagedPeople: number;
      engagedShare: number | null;
    };
    leads: { captured: number; tierA: number; tierB: number; tierC: number; converted: number };
    satisfaction: { responses: number; averageRating: number | null };
  };
  outcomes: {
    asOf: string;
    sourcedPipeline: OutcomeLine;
    influencedPipeline: OutcomeLine;
    wonRevenue: OutcomeLine;
    weightedPipeline: OutcomeLine;
    acceleration: {
      status: string;
      treated: number;
      controls: number;
      matched: number;
      daysSavedMean: number | null;
      estimate: number;
      interval: [number, number] | null;
      counted: boolean;
      value: number;
      message?: string;
    };
    /** Pipeline movement and behaviour change against comparable accounts, partners or reps (by event type). */
    movement: MovementOutcome[];
    byModel: Record<
      string,
      { sourcedPipeline: number; influencedPipeline: number; wonRevenue: number; weightedPipeline: number }
    >;
  };
  /** What the ROI curve's acceleration measures: executive roundtables on open pipeline, others on won deals. */
  accelerationBasis: "won_deals_days_to_close" | "open_pipeline_days_to_next_stage";
  roi: RoiPoint[];
  offlineVsOnline: {
    model: string;
    asOf: string;
    event: Record<"all" | "onlineOnly" | "difference", { wonRevenue: number; weightedPipeline: number }>;
    byChannel: {
      all: Record<string, number>;
      onlineOnly: Record<string, number>;
      difference: Record<string, number>;
      unattributedOnlineOnly: number;
    };
  };
  warnings: string[];
}

export interface PortfolioEntry {
  rank: number | null;
  eventId: string;
  name: string;
  type: string;
  format: "tactical" | "strategic";
  endsAt: string;
  horizon: number;
  asOf: string;
  known: boolean;
  reason?: string;
  value: number | null;
  cost: number;
  roi: number | null;
  outcomes: { wonRevenue: number | null; weightedPipeline: number | null; acceleration: number | null };
  indicators: { registrations: number; leads: number };
}

export interface Portfolio {
  horizon: number | null;
  model: ModelName;
  asOf: string;
  events: PortfolioEntry[];
  warnings: string[];
}
