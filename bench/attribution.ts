/**
 * Attribution engine benchmark: `npx tsx bench/attribution.ts [journeys]` (default 1,000,000).
 * A seeded generator builds ~20 touches per journey over 12 channels straight into typed arrays, then the bench
 * times the floor (one counting pass over the same touch column) and every model on that table, and all models
 * together. Figures are printed, never asserted (see STYLE.md: benchmarks are not timed tests).
 */
import {
  createModel,
  type JourneyTable,
  journeyTableFromColumns,
  modelNames,
  runAttribution,
} from "../src/core/attribution/index.ts";
import { seededRandom } from "../src/core/attribution/random.ts";

const JOURNEYS = Number(process.argv[2] ?? 1_000_000);
const CHANNELS = ["display", "email", "event", "organic", "paid_search", "partner", "podcast", "referral"]
  .concat(["social", "video", "webinar", "direct_mail"])
  .slice(0, 12);

/** Journeys of 1..39 touches (mean 20), skewed channel mix, 30% converting with value 50..150. */
function generate(journeys: number, seed: number): JourneyTable {
  const random = seededRandom(seed);
  const lengths = new Int32Array(journeys);
  let touches = 0;
  for (let j = 0; j < journeys; j++) {
    lengths[j] = 1 + Math.floor(random() * 39);
    touches += lengths[j]!;
  }
  // Cumulative channel popularity: channel i weighs 1/(i+1).
  const cumulative = CHANNELS.map((_, i) => 1 / (i + 1));
  const total = cumulative.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = acc += cumulative[i]! / total;
  const offsets = new Int32Array(journeys + 1);
  const touchChannel = new Int32Array(touches);
  const conversions = new Float64Array(journeys);
  const value = new Float64Array(journeys);
  const nulls = new Float64Array(journeys);
  let t = 0;
  for (let j = 0; j < journeys; j++) {
    for (let k = 0; k < lengths[j]!; k++) {
      const u = random();
      let c = 0;
      while (cumulative[c]! < u && c < CHANNELS.length - 1) c++;
      touchChannel[t++] = c;
    }
    offsets[j + 1] = t;
    if (random() < 0.3) {
      conversions[j] = 1;
      value[j] = 50 + Math.round(random() * 10_000) / 100;
    } else nulls[j] = 1;
  }
  return journeyTableFromColumns({ channels: CHANNELS, offsets, touchChannel, conversions, value, nulls });
}

/** Median wall time in ms of `runs` runs after one warm-up run. */
function time(fn: () => unknown, runs = 5): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(runs / 2)]!;
}

/** The floor: one counting pass over the touch column, the least any touch-level model must do. */
function countingPass(table: JourneyTable): Float64Array {
  const counts = new Float64Array(table.channels.length);
  const ch = table.touchChannel;
  for (let t = 0; t < table.touchCount; t++) counts[ch[t]!]!++;
  return counts;
}

const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

/** Times the floor, each model and all models on one table, and prints the table of figures. */
function benchTable(label: string, table: JourneyTable): void {
  const floorMs = time(() => countingPass(table), 9);
  const rows: { name: string; ms: number }[] = [{ name: "floor (count pass)", ms: floorMs }];
  for (const name of modelNames) {
    const model = createModel(name);
    rows.push({ name, ms: time(() => model.run(table)) });
  }
  rows.push({ name: "all models (runAttribution)", ms: time(() => runAttribution(table, "all"), 3) });
  let converting = 0;
  for (let j = 0; j < table.journeyCount; j++) if (table.conversions[j]! > 0) converting++;
  console.log(
    `\n${label}: ${fmt(table.journeyCount, 0)} journeys (${fmt((100 * converting) / table.journeyCount, 0)}% ` +
      `converting), ${fmt(table.touchCount, 0)} touches, ${table.channels.length} channels, shapley ` +
      `${createModel("shapley").run(table).method}; median of 5 runs (floor 9, all models 3)`,
  );
  console.log(
    `${"step".padEnd(30)} ${"ms".padStart(9)} ${"x floor".padStart(8)} ${"Mtouches/s".padStart(11)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(30)} ${fmt(row.ms).padStart(9)} ${fmt(row.ms / floorMs, 2).padStart(8)} ${fmt(
        table.touchCount / row.ms / 1000,
      ).padStart(11)}`,
    );
  }
  const modelsSum = rows.slice(1, -1).reduce((s, r) => s + r.ms, 0);
  console.log(
    `${"sum of the ten models".padEnd(30)} ${fmt(modelsSum).padStart(9)} ${fmt(modelsSum / floorMs, 2).padStart(8)}`,
  );
}

const buildStart = performance.now();
const table = generate(JOURNEYS, 42);
console.log(`node ${process.version}; generated in ${fmt(performance.now() - buildStart, 0)} ms`);
benchTable("A. realistic mix", table);
// Worst case for the rule-based models, which skip journeys without conversions: every journey converts.
const allConverting = journeyTableFromColumns({
  channels: table.channels,
  offsets: table.offsets,
  touchChannel: table.touchChannel,
  conversions: new Float64Array(table.journeyCount).fill(1),
  value: table.value.map((v, j) => (v > 0 ? v : 50 + (j % 100))),
  nulls: new Float64Array(table.journeyCount),
});
benchTable("B. every journey converts (worst case)", allConverting);
const mem = process.memoryUsage();
console.log(
  `\nmemory: rss ${fmt(mem.rss / 2 ** 20, 0)} MiB, array buffers ${fmt(mem.arrayBuffers / 2 ** 20, 0)} MiB`,
);
