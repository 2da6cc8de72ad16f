import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { adoptionSummary } from "./adoption.ts";
import { learningSummary } from "./learning-summary.ts";

/**
 * Recovery of the demo world's planted learning and adoption effects (src/demo/effects.json, defined in
 * docs/demo-world.md). This is not the default demo: it is the small scale, seed 1, with 2,000 CME learners instead
 * of the default 300 (so the planted CME figures are within reach of 0.02: their sampling error is about 0.006,
 * against about 0.017 at 300 learners) and the marketing volumes turned down (not read here, and they only slow the
 * load). The customer-training part of the world is the small scale's own.
 */
/** The widest 95% interval of the 90-day lift that still tells the planted lift (0.3) from half of it. */
const MAX_LIFT_INTERVAL_WIDTH = 0.15;
const loader = fileURLToPath(new URL("../../demo/load-demo.ts", import.meta.url));
const effectsFile = fileURLToPath(new URL("../../demo/effects.json", import.meta.url));
const hasDemo = existsSync(loader) && existsSync(effectsFile);

let db: Database;
let orgId: string;
const now = new Date("2025-06-01T00:00:00Z");

describe.skipIf(!hasDemo)("planted effects of the demo organization", () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    const { loadDemo } = (await import(/* @vite-ignore */ loader)) as {
      loadDemo: (db: Database, o: Record<string, unknown>) => Promise<{ orgId: string }>;
    };
    ({ orgId } = await loadDemo(db, {
      seed: 1,
      scale: "small",
      now,
      sizes: {
        cmeLearners: 2000,
        onlineTouchesPerPersonYear: 0,
        leadSlots: 1,
        partners: 5,
        partnerEvents: 1,
        oppRateScale: 0.2,
        leadsPerAccountYear: 0.2,
        webinarsPerPersonYear: 0.1,
        inPersonPerPersonYear: 0.1,
        offlineTouchesPerFieldAccountYear: 0,
      },
    }));
  }, 120_000);
  afterAll(async () => db?.close());

  it("recovers the planted CME gain, 30/90-day retention and confident-and-wrong share within 0.02", async () => {
    const planted = JSON.parse(readFileSync(effectsFile, "utf8")) as Record<string, number>;
    const s = await learningSummary(db, orgId, "cme_activity", now);
    const p = s.pooled!;
    expect(p.gainOfClassAverages.kind).toBe("gain");
    const gain = p.gainOfClassAverages.kind === "gain" ? p.gainOfClassAverages.value : Number.NaN;
    expect(Math.abs(gain - planted.cme_normalized_gain!)).toBeLessThan(0.02);
    const ret = Object.fromEntries(p.retention.map((r) => [r.delayDays, r.ratio]));
    expect(Math.abs(ret[30]! - planted.cme_retention_30!)).toBeLessThan(0.02);
    expect(Math.abs(ret[90]! - planted.cme_retention_90!)).toBeLessThan(0.02);
    expect(Math.abs(p.confidentWrongPostShare! - planted.cme_confident_wrong_share!)).toBeLessThan(0.02);
  });

  it("puts the planted independent-use lift inside the reported 95% interval at 90 days", async () => {
    const planted = JSON.parse(readFileSync(effectsFile, "utf8")) as Record<string, number>;
    const a = await adoptionSummary(db, orgId, now, { resamples: 2000 });
    const h90 = a.outcomes.independentUse.find((u) => u.horizonDays === 90)!;
    expect(h90.status).toBe("measured");
    if (h90.status !== "measured") return;
    expect(h90.lift.level).toBe(0.95);
    expect(h90.lift.ci[0]).toBeLessThanOrEqual(planted.training_independent_use_lift!);
    expect(h90.lift.ci[1]).toBeGreaterThanOrEqual(planted.training_independent_use_lift!);
    // Covering the planted value proves little if the interval is wide: it must also be narrow enough to exclude
    // no lift and half the planted lift.
    expect(h90.lift.ci[1] - h90.lift.ci[0]).toBeLessThanOrEqual(MAX_LIFT_INTERVAL_WIDTH);
    expect(h90.lift.ci[0]).toBeGreaterThan(planted.training_independent_use_lift! / 2);
  });
});
