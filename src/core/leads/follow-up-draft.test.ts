import { describe, expect, it } from "vitest";
import { citesConversation, draftFollowUp, formatDay } from "./follow-up-draft.ts";
import { mergeFields } from "./merge-fields.ts";
import { emptyFields } from "./vocabulary.ts";

const base = {
  recipient: { firstName: "Dana" },
  repName: "Sam Rep",
  eventName: "RevOps Summit",
  sessions: [],
};

describe("draftFollowUp", () => {
  it("cites the problem, next step with its date, stakeholders and sessions", () => {
    const draft = draftFollowUp({
      ...base,
      sessions: ["Forecasting without spreadsheets"],
      fields: {
        ...emptyFields(),
        problem: "their forecasts live in spreadsheets",
        nextStep: "demo for Mark",
        nextStepDate: "2025-05-20",
        stakeholders: [
          { name: "Mark", role: "economic_buyer" },
          { name: "Priya", role: "technical_evaluator" },
        ],
      },
    });
    expect(draft.contextual).toBe(true);
    expect(draft.template).toBe("contextual");
    expect(draft.cites).toEqual(["problem", "sessions", "next_step", "stakeholders"]);
    expect(draft.subject).toBe("RevOps Summit: demo for Mark");
    expect(draft.body).toContain("You mentioned that your forecasts live in spreadsheets.");
    expect(draft.body).toContain('I saw you joined "Forecasting without spreadsheets"');
    expect(draft.body).toContain("As agreed, our next step is demo for Mark on Tuesday 20 May.");
    expect(draft.body).toContain("Mark and Priya");
    expect(draft.body.startsWith("Hi Dana,")).toBe(true);
    expect(draft.body.endsWith("Sam Rep")).toBe(true);
  });

  it("is generic, and says so, when there is nothing to cite", () => {
    const draft = draftFollowUp({ ...base, recipient: { firstName: null }, fields: emptyFields() });
    expect(draft).toMatchObject({ contextual: false, template: "generic", cites: [] });
    expect(draft.subject).toBe("Great to meet you at RevOps Summit");
    expect(draft.body.startsWith("Hi there,")).toBe(true);
  });

  it("does not count sessions or stakeholders alone as context", () => {
    const draft = draftFollowUp({
      ...base,
      sessions: ["Keynote"],
      fields: { ...emptyFields(), stakeholders: [{ name: "CFO", role: "finance" }] },
    });
    expect(draft.contextual).toBe(false);
  });
});

describe("citesConversation", () => {
  const fields = {
    ...emptyFields(),
    problem: "badge scans sit in a spreadsheet nobody opens",
    nextStep: "pricing call",
  };
  it("recognises an edited follow-up that still cites the problem or the next step", () => {
    expect(citesConversation("Re: your badge scans that sit in a spreadsheet nobody opens", fields)).toBe(
      true,
    );
    expect(citesConversation("Looking forward to our pricing call on Monday", fields)).toBe(true);
  });
  it("refuses a generic one", () => {
    expect(citesConversation("Great to meet you! Let me know if you want a demo.", fields)).toBe(false);
    expect(citesConversation("anything", emptyFields())).toBe(false);
  });
});

describe("mergeFields", () => {
  it("keeps the latest value of each field and the union of stakeholders", () => {
    const merged = mergeFields([
      {
        occurredAt: new Date("2025-05-14T16:00:00Z"),
        fields: { ...emptyFields(), problem: "later problem", nextStep: "demo", nextStepDate: "2025-05-20" },
      },
      {
        occurredAt: new Date("2025-05-14T10:00:00Z"),
        fields: {
          ...emptyFields(),
          problem: "first problem",
          budget: "$60k",
          stakeholders: [{ name: "Mark", role: "other" }],
        },
      },
      {
        occurredAt: new Date("2025-05-14T18:00:00Z"),
        fields: {
          ...emptyFields(),
          nextStep: "send deck",
          stakeholders: [{ name: "mark", role: "economic_buyer" }],
        },
      },
    ]);
    expect(merged).toMatchObject({
      problem: "later problem",
      budget: "$60k",
      nextStep: "send deck",
      nextStepDate: null,
      stakeholders: [{ name: "mark", role: "economic_buyer" }],
    });
  });
});

describe("formatDay", () => {
  it("names the weekday", () => {
    expect(formatDay("2025-05-20")).toBe("Tuesday 20 May");
  });
});
