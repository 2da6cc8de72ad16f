import { z } from "zod";
import { DEFAULT_PRIORITY, type PriorityConfig } from "../../core/leads/priority.ts";
import { DEFAULT_SLA_HOURS, parseSlaHours, type SlaHours } from "../../core/leads/sla.ts";
import { type LlmConfig, llmConfigFromEnv } from "./llm-client.ts";

/** Lead settings read from the environment: the optional model, SLA hours per tier, and target industries. */
export interface LeadEnvSettings {
  llm: LlmConfig | undefined;
  slaHours: SlaHours;
  priority: PriorityConfig;
}

const envSchema = z.object({
  /** e.g. "A=24,B=48,C=120" */
  THROUGHLINE_LEAD_SLA_HOURS: z.string().optional(),
  /** Comma-separated industries that earn the fit points for a target industry. */
  THROUGHLINE_LEAD_TARGET_INDUSTRIES: z.string().optional(),
});

/** Reads THROUGHLINE_LEAD_* and THROUGHLINE_LLM_* settings (see docs/leads.md); throws a one-line message naming a bad variable. */
export function leadSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LeadEnvSettings {
  const e = envSchema.parse({
    THROUGHLINE_LEAD_SLA_HOURS: env.THROUGHLINE_LEAD_SLA_HOURS,
    THROUGHLINE_LEAD_TARGET_INDUSTRIES: env.THROUGHLINE_LEAD_TARGET_INDUSTRIES,
  });
  let slaHours = DEFAULT_SLA_HOURS;
  if (e.THROUGHLINE_LEAD_SLA_HOURS) {
    try {
      slaHours = parseSlaHours(e.THROUGHLINE_LEAD_SLA_HOURS);
    } catch (error) {
      throw new Error(`environment variable THROUGHLINE_LEAD_SLA_HOURS: ${(error as Error).message}`);
    }
  }
  const industries = (e.THROUGHLINE_LEAD_TARGET_INDUSTRIES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    llm: llmConfigFromEnv(env),
    slaHours,
    priority: { ...DEFAULT_PRIORITY, targetIndustries: industries },
  };
}
