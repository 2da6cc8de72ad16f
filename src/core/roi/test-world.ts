import { DealSetBuilder, type StageInfo } from "./deal-set.ts";
import { DAY_MS } from "./horizons.ts";

/** The stage vocabulary of the tests (the same names and probabilities as the product's). */
export const testStages: StageInfo[] = [
  { name: "prospecting", probability: 0.1, closed: null },
  { name: "discovery", probability: 0.2, closed: null },
  { name: "evaluation", probability: 0.4, closed: null },
  { name: "proposal", probability: 0.6, closed: null },
  { name: "negotiation", probability: 0.8, closed: null },
  { name: "closed_won", probability: 1, closed: "won" },
  { name: "closed_lost", probability: 0, closed: "lost" },
];

/** The event of the tiny world ends at day 0 (2025-03-01T00:00Z); day n is n days later. */
export const T0 = Date.UTC(2025, 2, 1);
export const day = (n: number) => T0 + n * DAY_MS;
export const EVENT = "event-e";

export interface TinyDeal {
  id: string;
  amount: number;
  opened: number;
  closed?: number;
  segment?: string;
  stages: [number, string][];
  touches: [number, string, boolean, string?][];
}

/**
 * The tiny world of the worked examples (days relative to the event's end; E = the event, offline):
 * - D1 100,000: opened −30, prospecting → proposal at 60 → won at 120; touches web −40, E −1, email 10.
 * - D2 50,000: opened −10, prospecting → evaluation at 20 → negotiation at 200 (open); touches E −1, web 5.
 * - D3 100,000: opened −30, prospecting → won at 150; touch web −35 (never met the event: a control).
 * - D4 40,000: opened 5, prospecting → lost at 100; touches E −1, web 3 (sourced by the event).
 */
export const tinyDeals: TinyDeal[] = [
  {
    id: "D1",
    amount: 100_000,
    opened: -30,
    closed: 120,
    segment: "mid",
    stages: [
      [-30, "prospecting"],
      [60, "proposal"],
      [120, "closed_won"],
    ],
    touches: [
      [-40, "web", true],
      [-1, "event", false, EVENT],
      [10, "email", true],
    ],
  },
  {
    id: "D2",
    amount: 50_000,
    opened: -10,
    segment: "mid",
    stages: [
      [-10, "prospecting"],
      [20, "evaluation"],
      [200, "negotiation"],
    ],
    touches: [
      [-1, "event", false, EVENT],
      [5, "web", true],
    ],
  },
  {
    id: "D3",
    amount: 100_000,
    opened: -30,
    closed: 150,
    segment: "mid",
    stages: [
      [-30, "prospecting"],
      [150, "closed_won"],
    ],
    touches: [[-35, "web", true]],
  },
  {
    id: "D4",
    amount: 40_000,
    opened: 5,
    closed: 100,
    segment: "mid",
    stages: [
      [5, "prospecting"],
      [100, "closed_lost"],
    ],
    touches: [
      [-1, "event", false, EVENT],
      [3, "web", true],
    ],
  },
];

/** Builds a DealSet from tiny deals. */
export function buildTinyWorld(
  deals: readonly TinyDeal[] = tinyDeals,
  lookbackDays = 365,
  options: { shared?: boolean } = {},
) {
  const b = new DealSetBuilder(testStages, lookbackDays);
  for (const d of deals) {
    b.addDeal({
      id: d.id,
      amount: d.amount,
      openedAt: day(d.opened),
      closedAt: d.closed === undefined ? null : day(d.closed),
      segment: d.segment ?? null,
    });
    for (const [at, stage] of d.stages) b.addStage(day(at), stage);
    for (const [at, channel, online, eventId] of d.touches) {
      b.addTouch({ at: day(at), channel, online, eventId: eventId ?? null });
    }
  }
  return b.build(options);
}
