import { z } from "zod";
import { parseSlaHours } from "./core/leads/sla.ts";

/** Environment variables the product reads. Any other THROUGHLINE_* variable is a typo and refused. */
const envSchema = z
  .object({
    THROUGHLINE_DATA_DIR: z.string().min(1).default("./data"),
    THROUGHLINE_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    THROUGHLINE_PUBLIC_URL: z.url().optional(),
    THROUGHLINE_SMTP_URL: z.url().optional(),
    THROUGHLINE_MAIL_FROM: z.string().min(3).default("Throughline <events@throughline.local>"),
    THROUGHLINE_LOG: z.enum(["silent", "info", "debug"]).default("info"),
    // Lead capture (docs/leads.md): an optional OpenAI-compatible model, SLA hours per tier, target industries.
    THROUGHLINE_LLM_URL: z.url().optional(),
    THROUGHLINE_LLM_MODEL: z.string().min(1).optional(),
    THROUGHLINE_LLM_KEY: z.string().min(1).optional(),
    THROUGHLINE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    THROUGHLINE_LEAD_SLA_HOURS: z
      .string()
      .optional()
      .superRefine((text, ctx) => {
        if (text === undefined) return;
        try {
          parseSlaHours(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    THROUGHLINE_LEAD_TARGET_INDUSTRIES: z.string().optional(),
    THROUGHLINE_TEST_DATABASE_URL: z.string().optional(),
    THROUGHLINE_TEST_APP_DATABASE_URL: z.string().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    DATABASE_APP_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  })
  .strict();

export type Config = z.infer<typeof envSchema>;

/** Thrown for a bad environment variable; the CLI prints its one line and exits with 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads the product's environment variables, refusing unknown THROUGHLINE_* names and bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === "") continue;
    if (key.startsWith("THROUGHLINE_") || key in envSchema.shape) picked[key] = value;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") {
      throw new ConfigError(`unknown environment variable ${issue.keys.join(", ")}`);
    }
    throw new ConfigError(`environment variable ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}
