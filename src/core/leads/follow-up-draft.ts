// Follow-up drafts that continue the conversation instead of restarting it: they cite the buyer's problem, the
// agreed next step and its date, the people mentioned and the sessions attended. With nothing to cite, the draft is
// generic and says so. A follow-up counts as contextual only if it cites the problem or the next step.

import { contentTokens } from "./text.ts";
import type { LeadFields } from "./vocabulary.ts";

/** Everything a draft may cite. */
export interface DraftContext {
  recipient: { firstName: string | null; lastName?: string | null };
  repName: string;
  eventName: string;
  fields: LeadFields;
  /** Titles of the sessions the person attended at the event (from check-ins). */
  sessions: string[];
}

export type Citation = "problem" | "use_case" | "next_step" | "stakeholders" | "sessions";

/** A draft ready for the rep to edit and send. */
export interface FollowUpDraft {
  subject: string;
  body: string;
  cites: Citation[];
  /** Cites the problem or the next step. */
  contextual: boolean;
  template: "contextual" | "generic";
}

/** "2025-05-20" -> "Tuesday 20 May". */
export function formatDay(isoDate: string): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  const weekday = d.toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" });
  const dayMonth = d.toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });
  return `${weekday} ${dayMonth}`;
}

/** Rep notes speak of the buyer in the third person; an email speaks to them. */
function toSecondPerson(text: string): string {
  return text
    .replace(/\bthey're\b/gi, "you're")
    .replace(/\bthey've\b/gi, "you've")
    .replace(/\btheir\b/gi, "your")
    .replace(/\bthemselves\b/gi, "yourselves")
    .replace(/\bthem\b/gi, "you")
    .replace(/\bthey\b/gi, "you");
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function quoteList(titles: string[]): string {
  return listNames(titles.map((t) => `"${t}"`));
}

function shorten(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/\s+\S*$/, "")}…`;
}

/** Drafts a follow-up email from the template that fits what is known. Pure: the same context gives the same text. */
export function draftFollowUp(ctx: DraftContext): FollowUpDraft {
  const { fields } = ctx;
  const hello = `Hi ${ctx.recipient.firstName?.trim() || "there"},`;
  const cites: Citation[] = [];
  const paragraphs: string[] = [];

  const opening: string[] = [`Thank you for the conversation at ${ctx.eventName}.`];
  if (fields.problem) {
    opening.push(`You mentioned that ${lowerFirst(toSecondPerson(fields.problem))}.`);
    cites.push("problem");
  }
  if (fields.useCase) {
    opening.push(
      `You are looking at ${lowerFirst(toSecondPerson(fields.useCase))}, which is exactly what we help with.`,
    );
    cites.push("use_case");
  }
  paragraphs.push(opening.join(" "));

  if (ctx.sessions.length > 0) {
    const shown = ctx.sessions.slice(0, 3);
    paragraphs.push(
      `I saw you joined ${quoteList(shown)}${ctx.sessions.length > 3 ? " and more" : ""}; I am happy to go deeper on any of it.`,
    );
    cites.push("sessions");
  }

  if (fields.nextStep) {
    const when = fields.nextStepDate ? ` on ${formatDay(fields.nextStepDate)}` : "";
    paragraphs.push(`As agreed, our next step is ${lowerFirst(fields.nextStep)}${when}.`);
    cites.push("next_step");
  }

  const people = fields.stakeholders.map((s) => s.name).filter(Boolean);
  if (people.length > 0) {
    paragraphs.push(
      `Please feel free to bring in ${listNames(people.slice(0, 4))}; I can tailor it for them.`,
    );
    cites.push("stakeholders");
  }

  const contextual = cites.includes("problem") || cites.includes("next_step");
  if (!contextual) {
    paragraphs.push(
      "I would like to hear more about what you are working on. Would you have 20 minutes in the coming days?",
    );
  }
  const subject = fields.nextStep
    ? `${ctx.eventName}: ${shorten(fields.nextStep)}`
    : fields.problem
      ? `${ctx.eventName}: following up on ${shorten(lowerFirst(toSecondPerson(fields.problem)), 50)}`
      : `Great to meet you at ${ctx.eventName}`;
  const body = [hello, "", paragraphs.join("\n\n"), "", "Best regards,", ctx.repName].join("\n");
  return { subject, body, cites, contextual, template: contextual ? "contextual" : "generic" };
}

/** Share of a field's content words that appear in the text. */
function coverage(field: string, text: Set<string>): number {
  const words = contentTokens(toSecondPerson(field));
  if (words.length === 0) return 0;
  return words.filter((w) => text.has(w)).length / words.length;
}

/**
 * Whether a (possibly edited) follow-up still cites the conversation: at least 60% of the content words of the
 * problem or of the next step appear in its subject or body.
 */
export function citesConversation(subjectAndBody: string, fields: LeadFields): boolean {
  const words = new Set(contentTokens(subjectAndBody));
  return (
    (fields.problem !== null && coverage(fields.problem, words) >= 0.6) ||
    (fields.nextStep !== null && coverage(fields.nextStep, words) >= 0.6)
  );
}
