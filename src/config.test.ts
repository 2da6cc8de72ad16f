import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("reads the lead settings under the product's prefix", () => {
    const config = loadConfig({
      THROUGHLINE_LEAD_SLA_HOURS: "A=12,C=72",
      THROUGHLINE_LLM_URL: "http://127.0.0.1:11434/v1",
      THROUGHLINE_LLM_MODEL: "llama3",
      THROUGHLINE_LLM_TIMEOUT_MS: "2000",
    });
    expect(config.THROUGHLINE_LEAD_SLA_HOURS).toBe("A=12,C=72");
    expect(config.THROUGHLINE_LLM_TIMEOUT_MS).toBe(2000);
  });

  it("refuses a bad SLA setting at start-up, naming the variable and the expected shape", () => {
    expect(() => loadConfig({ THROUGHLINE_LEAD_SLA_HOURS: "A=soon" })).toThrow(ConfigError);
    expect(() => loadConfig({ THROUGHLINE_LEAD_SLA_HOURS: "A=soon" })).toThrow(
      /THROUGHLINE_LEAD_SLA_HOURS: SLA hours must look like A=24,B=48,C=120; got "A=soon"/,
    );
  });

  it("refuses a model URL that is not a URL, and a misspelt name under the prefix", () => {
    expect(() => loadConfig({ THROUGHLINE_LLM_URL: "localhost" })).toThrow(/THROUGHLINE_LLM_URL/);
    expect(() => loadConfig({ THROUGHLINE_LLM_MODLE: "x" })).toThrow(
      /unknown environment variable THROUGHLINE_LLM_MODLE/,
    );
  });

  it("ignores variables outside the prefix it does not know", () => {
    expect(loadConfig({ HOME: "/root", LEADS_LLM_URL: "x" }).PORT).toBe(3000);
  });
});
