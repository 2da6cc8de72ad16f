import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
import { AppError } from "../core/errors.ts";
import type { Database } from "../db/client.ts";
import { wonRevenueByAccount } from "./deals.ts";
import { DEFAULT_EFFECTS, type Effects, effectsOverrideSchema, resolveEffects } from "./effects.ts";
import { loadDemo, planDemo } from "./load-demo.ts";
import { measureEffects, type RealisedEffects } from "./measure-effects.ts";
import type { ScaleSpec } from "./scale.ts";

/**
 * A world sized for measuring rather than for browsing: many accounts, deals and learners, few marketing touches,
 * so it loads in seconds on PGlite yet every effect's standard error is small enough for the test to fail when the
 * effect is missing. The kickoff lift is doubled: at the default 0.15 the half-life needs ~4× more closed deals to be
 * pinned down to ±1 week.
 */
const TEST_WORLD: Partial<ScaleSpec> = {
  accounts: 1200,
  partners: 250,
  cmeLearners: 350,
  reps: 100,
  trainings: 8,
  oppRateScale: 4.5,
  onlineTouchesPerPersonYear: 1,
  offlineTouchesPerFieldAccountYear: 1,
  webinarsPerPersonYear: 0.1,
  inPersonPerPersonYear: 0.05,
  coreUsesPerUserYear: 0,
  ticketsPerTopicYear: 2,
};
const TEST_EFFECTS: Partial<Effects> = { sko_win_rate_lift: 0.3 };
const NOW = new Date("2026-01-15T00:00:00Z");

/**
 * Per effect, the largest standard error that still lets the test fail when the effect is absent: 4 standard errors
 * must stay well inside the distance between the planted value and what a world without the effect would show.
 */
const MAX_SE: Record<keyof Effects, [number, string]> = {
  roundtable_velocity_lift: [0.06, "no lift would read 0, more than 4 SE below 0.35"],
  roundtable_stall_share: [0.04, "controls' own stall share differs by segment; 4 SE < 0.16"],
  contextual_followup_lift: [0.03, "no lift would read 0, 4 SE ≤ 0.12"],
  cme_normalized_gain: [0.05, "no learning would read 0"],
  cme_retention_30: [0.035, "no decay would read 1, 4 SE < 0.15"],
  cme_retention_90: [0.05, "no decay would read 1, 4 SE < 0.3"],
  cme_confident_wrong_share: [0.015, "4 SE < 0.06, half the planted share"],
  training_independent_use_lift: [0.05, "no lift would read 0, 4 SE < 0.3"],
  training_ticket_change: [0.09, "no change would read 0, 4 SE < 0.4"],
  partner_registration_lift: [0.3, "no lift would read 0, 4 SE < 1.5"],
  sko_win_rate_lift: [0.06, "no lift would read 0, 4 SE < 0.3"],
  sko_decay_half_life_weeks: [1.5, "no decay would push the fit to the grid's end (60 weeks)"],
  sko_reinforced_share: [0.1, "a share; 4 SE < 0.4"],
  offline_won_revenue_share: [0.05, "4 SE < 0.2, a third of the planted share"],
};

describe("planted effects, measured with plain SQL on a loaded world", () => {
  let db: Database;
  let realised: RealisedEffects;
  const planted = resolveEffects(TEST_EFFECTS);

  beforeAll(async () => {
    db = await openTestDatabase();
    const { orgId } = await loadDemo(db, {
      seed: 20260115,
      scale: "small",
      sizes: TEST_WORLD,
      effects: TEST_EFFECTS,
      now: NOW,
    });
    realised = await measureEffects(db, orgId, NOW);
  }, 240_000);
  afterAll(async () => {
    await db?.close();
  });

  // Tolerance: 4 standard errors of the estimate, each computed from the sample itself (binomial, delta method or
  // robust over units, see measure-effects.ts): a correct generator fails such a check about once in 15,000 worlds.
  for (const name of Object.keys(MAX_SE) as (keyof Effects)[]) {
    it(`realises ${name} within 4 standard errors`, () => {
      const r = realised[name];
      const [maxSe, why] = MAX_SE[name];
      expect(r.n, `${name}: no units measured`).toBeGreaterThan(0);
      expect(r.se, `${name}: standard error too large to detect the effect (${why})`).toBeLessThan(maxSe);
      expect(
        Math.abs(r.value - planted[name]),
        `${name}: planted ${planted[name]}, realised ${r.value.toFixed(4)} ± ${r.se.toFixed(4)}`,
      ).toBeLessThanOrEqual(4 * r.se);
    });
  }

  // Field accounts are chosen to hold the planted share of won revenue (docs/demo-world.md), so the share is not
  // left to sampling: it must land within 2 points whatever its standard error over accounts.
  it("realises offline_won_revenue_share within 2 points", () => {
    const r = realised.offline_won_revenue_share;
    expect(Math.abs(r.value - planted.offline_won_revenue_share)).toBeLessThanOrEqual(0.02);
  });
});

// The plan decides which accounts are field before anything is written, so the share they hold can be read from the
// plan of the small demo itself at many seeds without loading it. src/server/impact/demo-offline-share.test.ts loads
// two of these worlds and checks that the product's analytic reads the very same share from the database.
describe("offline_won_revenue_share in the plan of the small demo", () => {
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  for (const share of [DEFAULT_EFFECTS.offline_won_revenue_share, 0.35]) {
    it(`gives field accounts ${share} of won revenue within 2 points at seeds ${seeds[0]}-${seeds.at(-1)}`, () => {
      for (const seed of seeds) {
        const world = planDemo({
          seed,
          scale: "small",
          effects: { offline_won_revenue_share: share },
          now: NOW,
        });
        const won = wonRevenueByAccount(world);
        let total = 0;
        let field = 0;
        for (let a = 0; a < world.accounts.n; a++) {
          total += won[a]!;
          if (world.accounts.field[a]) field += won[a]!;
        }
        expect(total, `seed ${seed}: no won revenue`).toBeGreaterThan(0);
        expect(
          Math.abs(field / total - share),
          `seed ${seed}: field share ${field / total}`,
        ).toBeLessThanOrEqual(0.02);
      }
    });
  }
});

describe("effect parameters", () => {
  it("defaults to src/demo/effects.json", () => {
    expect(resolveEffects()).toEqual(DEFAULT_EFFECTS);
    expect(DEFAULT_EFFECTS.roundtable_velocity_lift).toBe(0.35);
  });

  it("applies overrides on top of the defaults", () => {
    const e = resolveEffects({ contextual_followup_lift: 0.2 });
    expect(e.contextual_followup_lift).toBe(0.2);
    expect(e.cme_retention_90).toBe(DEFAULT_EFFECTS.cme_retention_90);
  });

  it("rejects an unknown effect, naming it", () => {
    expect(effectsOverrideSchema.safeParse({ roundtable_lift: 0.3 }).success).toBe(false);
    expect(() => resolveEffects({ roundtable_lift: 0.3 } as Partial<Effects>)).toThrow(
      /unknown effect "roundtable_lift"/,
    );
  });

  it("rejects a value out of range, naming the effect", () => {
    expect(() => resolveEffects({ roundtable_stall_share: 1.5 })).toThrow(/roundtable_stall_share/);
    expect(() => resolveEffects({ contextual_followup_lift: 0.95 })).toThrow(AppError);
  });

  it("rejects more confidently wrong answers than wrong answers", () => {
    expect(() => resolveEffects({ cme_normalized_gain: 0.9, cme_confident_wrong_share: 0.2 })).toThrow(
      /cme_confident_wrong_share/,
    );
  });
});
