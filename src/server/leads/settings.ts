import type { Config } from "../../config.ts";
import { DEFAULT_PRIORITY, type PriorityConfig } from "../../core/leads/priority.ts";
import { DEFAULT_SLA_HOURS, parseSlaHours, type SlaHours } from "../../core/leads/sla.ts";
import type { LlmConfig } from "./llm-client.ts";

/** Lead settings from the configuration (docs/leads.md): the optional model, SLA hours per tier, target industries. */
export interface LeadSettings {
  llm: LlmConfig | undefined;
  slaHours: SlaHours;
  priority: PriorityConfig;
}

/**
 * The lead settings of a configuration src/config.ts has already checked (a bad SLA string or model URL stopped the
 * program at start-up). The model is used only when both its URL and its name are set.
 */
export function leadSettings(config: Config): LeadSettings {
  const url = config.THROUGHLINE_LLM_URL;
  const model = config.THROUGHLINE_LLM_MODEL;
  return {
    llm:
      url && model
        ? { url, model, key: config.THROUGHLINE_LLM_KEY, timeoutMs: config.THROUGHLINE_LLM_TIMEOUT_MS }
        : undefined,
    slaHours: config.THROUGHLINE_LEAD_SLA_HOURS
      ? parseSlaHours(config.THROUGHLINE_LEAD_SLA_HOURS)
      : DEFAULT_SLA_HOURS,
    priority: {
      ...DEFAULT_PRIORITY,
      targetIndustries: (config.THROUGHLINE_LEAD_TARGET_INDUSTRIES ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    },
  };
}
