/**
 * Benchmark: matched-control stage velocity on 1M opportunities with 6M stage changes.
 *
 *   npx tsx bench/movement.ts [--opportunities 1000000] [--resamples 2000] [--seed 1]
 *
 * A seeded generator builds typed-array stage histories with a planted effect (attendees' opportunities move 25%
 * faster after the event: hazard × 1.25) and confounding (bigger deals attend more often). The timed pipeline is the
 * one the product runs: measure movement → match (exact segment + stage at event, nearest amount + age, k = 2
 * without replacement, caliper 0.5 SD) → Kaplan–Meier per group → 2,000-resample bootstrap over matched sets →
 * log-rank. A baseline single pass over the same entries (naive mean days to next stage, no censoring, no matching)
 * is timed in the same run for scale. Budget: the pipeline must finish in under 10 s.
 */
import { compareVelocity } from "../src/core/movement/compare-velocity.ts";
import { DAY_MS, measureMovementColumns, movementStatuses } from "../src/core/movement/measure-movement.ts";
import { createRng } from "../src/core/stats/prng.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg("opportunities", 1_000_000);
const RESAMPLES = arg("resamples", 2000);
const SEED = arg("seed", 1);
const ENTRIES_PER_OPP = 6;
const EVENT = Date.UTC(2024, 5, 1);
const AS_OF = EVENT + 120 * DAY_MS;
const STAGES = [
  "prospect",
  "discovery",
  "evaluation",
  "proposal",
  "negotiation",
  "closed_won",
  "closed_lost",
];
const TERMINAL = Uint8Array.from([0, 0, 0, 0, 0, 1, 1]);
const SPEEDUP = 1.25; // planted: treated hazard after the event

function generate() {
  const rng = createRng(SEED);
  const total = N * ENTRIES_PER_OPP;
  // Entry counts 6 ± δ in pairs keep the total at exactly 6 per opportunity; 0.5% lose their history.
  const counts = new Int32Array(N);
  for (let i = 0; i < N; i += 2) {
    const delta = rng.int(9) - 4;
    counts[i] = ENTRIES_PER_OPP + delta;
    if (i + 1 < N) counts[i + 1] = ENTRIES_PER_OPP - delta;
    else counts[i] = ENTRIES_PER_OPP;
  }
  for (let i = 0; i < N; i++) {
    if (rng.next() < 0.005) {
      counts[(i + 1) % N]! += counts[i]!;
      counts[i] = 0;
    }
  }
  const offsets = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) offsets[i + 1] = offsets[i]! + counts[i]!;
  const stage = new Uint8Array(total);
  const enteredAtMs = new Float64Array(total);
  const segment = new Int32Array(N);
  const amount = new Float64Array(N);
  const treated = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    const seg = rng.int(4);
    segment[i] = seg;
    const a = Math.exp(9 + 0.6 * seg + rng.normal());
    amount[i] = a;
    // Confounding: bigger deals attend more often and move faster anyway.
    const size = a / 20_000;
    treated[i] = rng.next() < Math.min(0.3, 0.06 * Math.sqrt(size)) ? 1 : 0;
    const meanGapDays = 30 * (1 + 0.25 * seg) * size ** -0.12;
    let t = EVENT - (rng.next() * 350 - 20) * DAY_MS; // a few open after the event
    let s = rng.int(2);
    const from = offsets[i]!;
    const to = offsets[i + 1]!;
    for (let e = from; e < to; e++) {
      if (e > from) {
        const next = t + rng.exponential(1 / meanGapDays) * DAY_MS;
        // Memoryless gaps: for attendees, the part of a gap after the event runs SPEEDUP times faster.
        if (treated[i] && next > EVENT) t = Math.max(t, EVENT) + (next - Math.max(t, EVENT)) / SPEEDUP;
        else t = next;
        if (e === to - 1 && rng.next() < 0.45) s = rng.next() < 0.4 ? 5 : 6;
        else s = rng.next() < 0.85 ? Math.min(s + 1, 4) : Math.max(s - 1, 0);
      }
      stage[e] = s;
      enteredAtMs[e] = t;
    }
  }
  return { offsets, stage, enteredAtMs, segment, amount, treated, total };
}

/** Baseline: one pass over every entry, naive mean days to the first change after the event per group. */
function baselinePass(data: ReturnType<typeof generate>) {
  const sum = [0, 0];
  const cnt = [0, 0];
  const { offsets, stage, enteredAtMs, treated } = data;
  for (let i = 0; i < N; i++) {
    let current = -1;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const t = enteredAtMs[e]!;
      if (t <= EVENT) current = stage[e]!;
      else if (current >= 0 && t <= AS_OF && stage[e] !== current) {
        const g = treated[i]!;
        sum[g]! += (t - EVENT) / DAY_MS;
        cnt[g]! += 1;
        break;
      }
    }
  }
  return { treatedMean: sum[1]! / cnt[1]!, controlMean: sum[0]! / cnt[0]! };
}

const ms = (t0: number) => Math.round(performance.now() - t0);
const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? "n/a" : x.toFixed(d));
const ci = (c: [number, number] | null) => (c ? `[${fmt(c[0])}, ${fmt(c[1])}]` : "n/a");

let t0 = performance.now();
const data = generate();
const generateMs = ms(t0);
console.log(
  `generated ${N.toLocaleString()} opportunities, ${data.total.toLocaleString()} stage changes in ${generateMs} ms`,
);

t0 = performance.now();
const baseline = baselinePass(data);
const baselineMs = ms(t0);

t0 = performance.now();
const movement = measureMovementColumns(
  { offsets: data.offsets, stage: data.stage, enteredAtMs: data.enteredAtMs },
  { eventAtMs: EVENT, asOfMs: AS_OF, terminal: TERMINAL },
);
const measureMs = ms(t0);
t0 = performance.now();
const logAmount = data.amount.map(Math.log);
const result = compareVelocity(
  {
    movement,
    treated: data.treated,
    exact: [data.segment, movement.stageAtEvent],
    numeric: [logAmount, movement.ageAtEventDays],
  },
  { k: 2, replacement: false, caliper: 0.5, resamples: RESAMPLES, seed: SEED },
);
const compareMs = ms(t0);
const pipelineMs = measureMs + compareMs;

console.log(`\nbaseline single pass (naive mean days to next stage): ${baselineMs} ms`);
console.log(
  `  treated ${fmt(baseline.treatedMean, 2)} d, control ${fmt(baseline.controlMean, 2)} d (no censoring, no matching)`,
);
console.log(`\nmeasure movement: ${measureMs} ms`);
const statusCounts = movementStatuses.map(
  (s, code) => `${s} ${movement.status.filter((v) => v === code).length}`,
);
console.log(`  ${statusCounts.join(", ")}`);
if (result.status !== "compared") {
  console.log(`insufficient controls: ${result.message}`);
} else {
  const m = result.match;
  console.log(`match + KM + ${RESAMPLES} bootstrap resamples + log-rank: ${compareMs} ms`);
  console.log(
    `  treated ${result.treated.total} (at risk ${result.treated.atRisk}, unmeasurable ${result.unmeasurableTreated.length}); ` +
      `eligible controls ${m.controls}; matched ${m.matched} × k=${m.k}; unmatched ${m.unmatched} ` +
      `${JSON.stringify(m.unmatchedByReason)}; distinct controls used ${m.controlsUsed}`,
  );
  const names = ["log amount", "age at event (days)"];
  result.balance.forEach((b, j) => {
    console.log(`  balance ${names[j]}: SMD before ${fmt(b.smdBefore)}, after ${fmt(b.smdAfter)}`);
  });
  const s = result.survival;
  console.log(
    `  median days to next stage: treated ${fmt(s.treated.median, 2)}, controls ${fmt(s.control.median, 2)}, ` +
      `difference ${fmt(s.medianDifference.estimate, 2)} ${ci(s.medianDifference.ci)}`,
  );
  s.horizons.forEach((h, i) => {
    const d = s.probabilityByDifference[i]!;
    console.log(
      `  P(moved by day ${h}): treated ${fmt(s.treated.probabilityBy[i])}, controls ${fmt(s.control.probabilityBy[i])}, ` +
        `difference ${fmt(d.estimate)} ${ci(d.ci)}`,
    );
  });
  // Ground truth from the generator: after the event an attendee's clock runs SPEEDUP times faster, so without
  // the event its time to next stage would have been SPEEDUP × the observed one (within the 120-day follow-up).
  const matchedTreated = result.sets.treated;
  const truthBy = s.horizons.map((h) => {
    let diff = 0;
    for (const i of matchedTreated) {
      if (!movement.moved[i]) continue;
      const t = movement.timeToNextDays[i]!;
      diff += (t <= h ? 1 : 0) - (t * SPEEDUP <= h ? 1 : 0);
    }
    return diff / matchedTreated.length;
  });
  console.log(
    `  truth (counterfactual from the generator): P(moved by ${s.horizons.join("/")}) difference ` +
      `${truthBy.map((x) => fmt(x)).join(" / ")}; median difference ${fmt((s.treated.median ?? Number.NaN) * (1 - SPEEDUP), 2)}`,
  );
  console.log(`  log-rank χ² ${fmt(s.logRank?.chiSquare, 1)}, p ${s.logRank?.pValue.toExponential(2)}`);
}
console.log(
  `\npipeline total (measure + match + KM + bootstrap): ${pipelineMs} ms ` +
    `(${(pipelineMs / Math.max(baselineMs, 1)).toFixed(1)}× the baseline pass); budget 10000 ms: ` +
    `${pipelineMs < 10_000 ? "OK" : "OVER"}`,
);
console.log(`planted effect: treated hazard × ${SPEEDUP} after the event; stages ${STAGES.join(" → ")}`);
