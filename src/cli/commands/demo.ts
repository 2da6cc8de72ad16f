import { readFileSync } from "node:fs";
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { openDatabase } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import {
  DEFAULT_EFFECTS,
  describeEffectsIssue,
  type Effects,
  effectsOverrideSchema,
  resolveEffects,
} from "../../demo/effects.ts";
import { type DemoProgress, loadDemo, scales } from "../../demo/load-demo.ts";
import { type Command, type CommandIo, parseFlags, UsageError } from "../command.ts";

const flagsSchema = z
  .object({
    seed: z.coerce
      .number()
      .int()
      .refine((n) => Number.isSafeInteger(n), "must be a safe integer"),
    scale: z.enum(scales),
    /** JSON file with any subset of the planted effects (src/demo/effects.json lists them with their defaults). */
    effects: z.string().min(1).optional(),
    orgSlug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "lowercase letters, digits and dashes")
      .optional(),
    /** End of the generated history (YYYY-MM-DD, midnight UTC); default today. */
    now: z.iso.date().optional(),
  })
  .strict();

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATABASE_APP_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  THROUGHLINE_DATA_DIR: z.string().min(1).default("./data"),
});

/** Reads and validates an effects override file; every problem is a usage error naming the file and the effect. */
export function readEffectsFile(path: string): Partial<Effects> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`flag --effects: cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`flag --effects: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = effectsOverrideSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`flag --effects: ${path}: ${describeEffectsIssue(parsed.error)}`);
  try {
    // Combinations (e.g. more confidently wrong answers than wrong answers) are checked with the defaults applied.
    resolveEffects(parsed.data as Partial<Effects>);
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(`flag --effects: ${path}: ${error.message}`);
    throw error;
  }
  return parsed.data as Partial<Effects>;
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** A progress line on stderr: a redrawn bar on a terminal, one line per phase otherwise. */
function progressReporter(io: CommandIo): (p: DemoProgress & { rows: number }) => void {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let lastPhase = "";
  return (p) => {
    const now = Date.now();
    const seconds = Math.max(0.001, (now - started) / 1000);
    const rate = Math.round(p.rows / seconds);
    if (!tty) {
      if (p.phase !== lastPhase) io.err(`demo: ${p.phase} (${fmt(p.rows)} rows so far, ${fmt(rate)} rows/s)`);
      lastPhase = p.phase;
      return;
    }
    if (now - lastDraw < 100 && p.done < p.total && p.phase === lastPhase) return;
    lastDraw = now;
    lastPhase = p.phase;
    const width = 24;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
    process.stderr.write(
      `\r\x1b[2K${p.phase.padEnd(18)} ${bar} ${fmt(p.done)}/${fmt(p.total)}  ${fmt(p.rows)} rows  ${fmt(rate)} rows/s`,
    );
  };
}

export const command: Command = {
  name: "demo",
  summary: "Load the demo organization: a seeded synthetic year with planted, documented effects",
  usage:
    "throughline demo --seed <n> --scale small|medium|large [--effects <effects.json>] [--org-slug demo] [--now YYYY-MM-DD]",
  async run(args, io) {
    const { flags } = parseFlags(args, flagsSchema);
    const overrides = flags.effects ? readEffectsFile(flags.effects) : {};
    const env = envSchema.safeParse(process.env);
    if (!env.success) {
      const issue = env.error.issues[0]!;
      throw new UsageError(`environment variable ${issue.path.join(".")}: ${issue.message}`);
    }
    const db = await openDatabase({
      databaseUrl: env.data.DATABASE_URL,
      appDatabaseUrl: env.data.DATABASE_APP_URL,
      dataDir: env.data.THROUGHLINE_DATA_DIR,
      // The owner pool gets a quarter: four connections for the four COPY lanes, one for the rest.
      poolSize: 20,
    });
    const started = Date.now();
    try {
      await migrate(db);
      const result = await loadDemo(db, {
        seed: flags.seed,
        scale: flags.scale,
        effects: overrides,
        orgSlug: flags.orgSlug,
        now: flags.now ? new Date(`${flags.now}T00:00:00Z`) : undefined,
        onProgress: progressReporter(io),
      });
      if (process.stderr.isTTY) process.stderr.write("\n");
      const seconds = (Date.now() - started) / 1000;
      const total = Object.values(result.counts).reduce((s, n) => s + n, 0);
      const changed = Object.entries(overrides).filter(([k, v]) => DEFAULT_EFFECTS[k as keyof Effects] !== v);
      const lines = [
        `Loaded "Northwind Demo" (slug ${flags.orgSlug ?? "demo"}, id ${result.orgId}) into ${db.kind} in ${seconds.toFixed(1)} s`,
        `seed ${flags.seed}, scale ${flags.scale}; ${fmt(total)} rows (${fmt(Math.round(total / seconds))} rows/s)`,
        `admin: ${result.adminEmail} (no password yet: set one before signing in)`,
        `effects: ${changed.length === 0 ? "defaults (src/demo/effects.json)" : changed.map(([k, v]) => `${k}=${v}`).join(", ")}; definitions in docs/demo-world.md`,
        "rows per table:",
        ...Object.entries(result.counts)
          .sort((a, b) => b[1] - a[1])
          .map(([table, n]) => `  ${table.padEnd(22)} ${fmt(n).padStart(12)}`),
      ];
      io.out(lines.join("\n"));
      return 0;
    } finally {
      await db.close();
    }
  },
};
