/**
 * Coverage of the matched velocity comparison's intervals when no effect is planted.
 *
 *   npx tsx bench/velocity-coverage.ts [--seeds 1000] [--resamples 2000] [--opportunities 400]
 *
 * Each seed builds a world of opportunities around an event (src/server/movement/velocity-coverage.ts): time to
 * next stage depends on segment and stage, bigger deals attend more often, attending changes nothing. The product's
 * comparison runs on it (exact on segment and stage at the event, nearest on log amount and age, k = 1 without
 * replacement, bootstrap over matched sets) and we count how often each headline 95% interval contains 0: the share
 * moved by day 14/30/60/90 (attending − matched), the median days to next stage, and days saved within 90 days.
 * A second run plants a speed-up (attendees' hazard × 1.5) to show how often the same intervals then exclude 0.
 */
import { velocityCoverage } from "../src/server/movement/velocity-coverage.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SEEDS = arg("seeds", 1000);
const RESAMPLES = arg("resamples", 2000);
const N = arg("opportunities", 400);

for (const [title, speedup, seeds] of [
  ["no effect: share of 95% intervals containing 0", 1, SEEDS],
  [
    "attendees' hazard × 1.5: share of 95% intervals containing 0 (lower = more power)",
    1.5,
    Math.ceil(SEEDS / 4),
  ],
] as const) {
  const t0 = performance.now();
  const rows = velocityCoverage(seeds, { speedup, opportunities: N }, { resamples: RESAMPLES });
  const ms = Math.round(performance.now() - t0);
  console.log(`\n${title} (${seeds} worlds of ${N} opportunities, ${RESAMPLES} resamples, ${ms} ms)`);
  console.log(
    `${"measure".padEnd(30)} ${"coverage".padStart(9)} ${"worlds".padStart(7)} ${"no interval".padStart(12)}`,
  );
  for (const r of rows)
    console.log(
      `${r.measure.padEnd(30)} ${r.coverage.toFixed(3).padStart(9)} ${String(r.runs).padStart(7)} ${String(r.noInterval).padStart(12)}`,
    );
}
const se = Math.sqrt((0.95 * 0.05) / SEEDS);
console.log(`\nMonte Carlo SE of a coverage near 0.95 with ${SEEDS} worlds: ±${se.toFixed(4)}`);
