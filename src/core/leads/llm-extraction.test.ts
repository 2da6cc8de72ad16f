import { describe, expect, it } from "vitest";
import { extractionMessages, parseLlmFields } from "./llm-extraction.ts";

const good = {
  problem: "forecasts in spreadsheets",
  useCase: null,
  urgency: "now",
  buyingStage: "selecting",
  budget: "",
  timeline: null,
  stakeholders: [{ name: "Mark", role: "economic_buyer" }],
  nextStep: "demo",
  nextStepDate: "2025-05-20",
  extra: "ignored",
};

describe("parseLlmFields", () => {
  it("accepts a valid reply, also inside a code fence, and drops unknown keys", () => {
    for (const content of [JSON.stringify(good), `\`\`\`json\n${JSON.stringify(good)}\n\`\`\``]) {
      const r = parseLlmFields(content);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.fields.budget).toBeNull();
        expect(r.fields.urgency).toBe("now");
        expect(r.fields).not.toHaveProperty("extra");
      }
    }
  });

  it.each([
    ["not JSON", "Sure! Here are the fields:", /did not return JSON/],
    ["an unknown urgency", JSON.stringify({ ...good, urgency: "yesterday" }), /urgency/],
    ["a bad date", JSON.stringify({ ...good, nextStepDate: "next Tuesday" }), /nextStepDate/],
    [
      "an unknown role",
      JSON.stringify({ ...good, stakeholders: [{ name: "X", role: "boss" }] }),
      /stakeholders/,
    ],
    ["a missing field", JSON.stringify({ problem: "x" }), /invalid/],
  ])("refuses %s", (_label, content, reason) => {
    const r = parseLlmFields(content);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("extractionMessages", () => {
  it("tells the model today's date and weekday in the capture's zone, and passes the note unchanged", () => {
    const msgs = extractionMessages("raw note", {
      now: new Date("2025-05-14T22:30:00Z"),
      timeZone: "Europe/Berlin",
    });
    expect(msgs[0]!.content).toContain("Today is Thursday 2025-05-15 in Europe/Berlin");
    expect(msgs[1]).toEqual({ role: "user", content: "raw note" });
  });
});
