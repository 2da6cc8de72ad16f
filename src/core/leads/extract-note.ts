// The built-in note extractor: a lexicon and patterns over the rep's free text, no network. It proposes fields;
// the rep confirms them. The raw note is returned untouched beside the proposal.

import { type DateMention, endOfQuarter, findDates, localDay, parseIsoDay } from "./dates.ts";
import { extractStakeholders } from "./stakeholders.ts";
import { clauses, type Span, sentences, tidy } from "./text.ts";
import {
  type BuyingStage,
  emptyFields,
  type LeadFieldName,
  type LeadFields,
  type Urgency,
} from "./vocabulary.ts";

/** When and where the note was taken: relative dates ("next Tuesday") are resolved against them. */
export interface ExtractContext {
  now: Date;
  /** IANA time zone of the capture (the event's), e.g. America/New_York. */
  timeZone: string;
}

/** A proposal of fields for one note, with the sentence each field came from. */
export interface NoteExtraction {
  rawNote: string;
  fields: LeadFields;
  /** For each field filled, the text of the note it was read from. */
  evidence: Partial<Record<LeadFieldName, string>>;
}

interface Sentence extends Span {
  dates: DateMention[];
}

/** Reads problem, use case, urgency, stage, budget, timeline, stakeholders and next step from a note. */
export function extractNote(rawNote: string, context: ExtractContext): NoteExtraction {
  const today = localDay(context.now, context.timeZone);
  const list: Sentence[] = sentences(rawNote).map((s) => ({ ...s, dates: findDates(s.text, today) }));
  const fields = emptyFields();
  const evidence: NoteExtraction["evidence"] = {};

  const next = findNextStep(list);
  if (next) {
    fields.nextStep = next.text;
    evidence.nextStep = next.sentence.text;
    if (next.date) {
      fields.nextStepDate = next.date.date;
      evidence.nextStepDate = next.date.text;
    }
  }
  // Sentences that are the next step say what the rep will do, not what the buyer needs or when.
  const others = list.filter((s) => s !== next?.sentence);

  const problem = findProblem(others);
  if (problem) {
    fields.problem = problem.text;
    evidence.problem = problem.sentence.text;
  }
  const useCase = findUseCase(others);
  if (useCase) {
    fields.useCase = useCase.text;
    evidence.useCase = useCase.sentence.text;
  }
  const budget = findBudget(others.filter((s) => s !== problem?.sentence));
  if (budget) {
    fields.budget = budget.text;
    evidence.budget = budget.sentence.text;
  }
  // Dates inside the problem describe the pain ("forget it within a month"), not when they buy.
  const buyerSentences = others.filter((s) => s !== problem?.sentence);
  const timeline = findTimeline(buyerSentences, today);
  if (timeline) {
    fields.timeline = timeline.text;
    evidence.timeline = timeline.sentence.text;
  }
  const urgency = findUrgency(list, buyerSentences, today);
  if (urgency) {
    fields.urgency = urgency.value;
    evidence.urgency = urgency.evidence;
  }
  const stage = findStage(rawNote);
  if (stage) {
    fields.buyingStage = stage.value;
    evidence.buyingStage = stage.evidence;
  }
  const people = extractStakeholders(rawNote);
  if (people.length > 0) {
    fields.stakeholders = people.map(({ name, role }) => ({ name, role }));
    evidence.stakeholders = people.map((p) => p.evidence).join(" | ");
  }
  return { rawNote, fields, evidence };
}

// ---------------------------------------------------------------- next step

const NEXT_LABEL = /\b(?:next steps?|next|follow[- ]?up|action items?|todo|to do)\s*(?:is|:|-|–|—|=)\s*/i;
const ACTION_START =
  /^(?!follow[- ]?up (?:from|after|on the)\b)(?:(?:me|i|we) to\s+|agreed (?:to|on)\s+(?:an?\s+)?|(?:i|we)(?:'ll| will)\s+|will\s+|(?:said|says|promised)\s+(?:to|(?:he|she|they)(?:'d| would| will)|(?:he|she|they)'ll)\s+|asked (?:for|us for|me for)\s+|please\s+)?(?=(?:send|book|schedule|set up|follow[- ]?up|call|demo|scoping call|email|ping|reach out|introduce|intro|meet|share|connect|propose|submit|deliver|get back|arrange|invite|trial|workshop|exec briefing|briefing|kickoff|deep dive|circle back|check in|referred|refer|read|review|a proposal|proposal|references|pricing|quote)\b)/i;
const ACTION_PREFIX =
  /^(?:(?:me|i|we) to\s+|agreed (?:to|on)\s+(?:an?\s+)?|(?:i|we)(?:'ll| will)\s+|will\s+|(?:said|says|promised)\s+(?:to|(?:he|she|they)(?:'d| would| will)|(?:he|she|they)'ll)\s+|asked (?:for|us for|me for)\s+|please\s+)/i;

interface NextStep {
  sentence: Sentence;
  text: string;
  date: DateMention | undefined;
}

function findNextStep(list: Sentence[]): NextStep | undefined {
  // A labelled next step wins ("Next step: demo for Mark next Tuesday").
  for (const s of list) {
    const m = NEXT_LABEL.exec(s.text);
    if (m && m[0].trim().length > 0 && /[:\-–—=]|\bis\b/.test(m[0])) {
      const from = m.index + m[0].length;
      if (/^(?:no|none|tbd|unknown)\b/i.test(s.text.slice(from))) continue;
      return nextStepFrom(s, from);
    }
  }
  // Else the first sentence or clause that starts with an action ("Send deck", "Demo on 5/27", "Will email…").
  for (const s of list) {
    for (const c of clauses(s)) {
      if (ACTION_START.test(c.text)) return nextStepFrom(s, c.start - s.start);
    }
  }
  return undefined;
}

function nextStepFrom(s: Sentence, from: number): NextStep {
  // A quarter or a year is a timeline, not the date of a step.
  const date = s.dates.find(
    (d) => d.start >= from && (d.precision === "day" || d.precision === "week" || d.precision === "month"),
  );
  let text = s.text.slice(from);
  // The step is the first clause: "Kickoff of the POC in 2 weeks, owner: Sven" -> "Kickoff of the POC".
  text = text.split(/\s*(?:[,;]\s+|\s[-–—]\s|\s*[–—]\s*|,?\s+then\s+)/)[0]!;
  // "Send him the case study tomorrow and set up a call" -> the first action only.
  text = text.replace(
    /\s+and\s+(?:then\s+)?(?:set up|send|book|schedule|call|follow up|propose|email|ping|share|arrange)\b.*$/i,
    "",
  );
  text = text.replace(ACTION_PREFIX, "");
  text = stripDates(text, s.dates, s.start, from);
  text = text.replace(/\b(?:at\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\bat\s+\d{1,2}(?::\d\d)?\b/gi, "");
  text = text.replace(/\b(?:starts?|starting|begins?|on|by|for|in|at|until|before|due)\s*$/i, "");
  return { sentence: s, text: tidy(text), date };
}

/** Removes date phrases from a piece of a sentence that begins `from` characters into the sentence. */
function stripDates(text: string, dates: DateMention[], _sentenceStart: number, from: number): string {
  let out = text;
  for (const d of [...dates].sort((a, b) => b.start - a.start)) {
    const a = d.start - from;
    const b = d.end - from;
    if (a < 0 || b > out.length) continue;
    out = `${out.slice(0, a).replace(/\b(?:on|by|for|in|at|until|before|due|starting|from)\s*$/i, "")}${out.slice(b)}`;
  }
  return out.replace(/\s{2,}/g, " ");
}

// ---------------------------------------------------------------- problem

const PROBLEM_LABEL = /\b(?:problem|pain(?: point)?|issue|challenge)s?\s*(?:is|are|:|-|–|=)\s*(?:that\s+)?/i;
const PROBLEM_LABEL_NOT = /^(?:clear|defined|urgent|real|known|big|the same)\b/i;
const STRUGGLE = /\b(?:struggl\w*|trouble|problems?|issues?)\s+with\s+/i;
const PAIN_CUES: RegExp[] = [
  /\bcan'?t\b|\bcannot\b|\bcan not\b|\bunable\b/i,
  /\bnever\b/i,
  /\bno (?:way|visibility|idea|clue|data|credit|insight)\b/i,
  /\bzero\b/i,
  /\bmanual(?:ly)?\b|\bby hand\b|\bpaper[- ]based\b|\bspreadsheets?\b/i,
  /\bbreaks?\b|\bbroken\b|\bfail(?:s|ed|ing)?\b/i,
  /\blost\b|\blos(?:e|es|ing)\b|\bwastes?\b/i,
  /\bdrop(?:s|ped)?\b|\bspikes?\b|\bstall(?:s|ed|ing)?\b|\bforget(?:s|ting)?\b|\bforgot\b/i,
  /\bignores\b|\bignored\b|\bhates?\b|\bmess\b|\btoo slow\b|\bflat\b|\binconsistent\b|\bnobody\b|\bnothing (?:happens|changes|sticks)\b/i,
  /\bdrowning\b|\bcomplaints?\b|\bnowhere\b|\b(?:doesn'?t|don'?t) (?!know\b)[a-z]+|\bbelow\b|\bkeeps? asking\b|\brepeat\b/i,
  /\bdip(?:s|ped)?\b|\bdeclin\w+|\boff-script\b|\bonly ~?\d+\b/i,
  /\bone-and-done\b|\bstruggl\w*\b|\bonly \d+%|\d+% response\b|\btakes? \d+ (?:weeks|months|days|hours)\b/i,
  /\bspends? \d+ (?:days|hours|weeks)\b|\bhits \d+/i,
];
const NOT_A_PROBLEM = /\b(?:no (?:real |specific )?(?:problem|need|project)|no new needs|didn'?t say)\b/i;

interface Found {
  sentence: Sentence;
  text: string;
}

function findProblem(list: Sentence[]): Found | undefined {
  for (const s of list) {
    const m = PROBLEM_LABEL.exec(s.text);
    if (m && !PROBLEM_LABEL_NOT.test(s.text.slice(m.index + m[0].length))) {
      const text = tidy(s.text.slice(m.index + m[0].length));
      if (text.split(/\s+/).length >= 2) return { sentence: s, text };
    }
  }
  for (const s of list) {
    const m = STRUGGLE.exec(s.text);
    if (m) {
      const rest = s.text.slice(m.index + m[0].length);
      // "trouble with invoice approvals, not our space" -> up to the comma; "struggling with X - Y" keeps Y.
      const text = tidy(/^[^,;]+/.exec(rest)?.[0] ?? rest);
      if (text) return { sentence: s, text };
    }
  }
  let best: { s: Sentence; score: number; from: number } | undefined;
  for (const s of list) {
    if (NOT_A_PROBLEM.test(s.text)) continue;
    const parts = clauses(s);
    let score = 0;
    let from = -1;
    for (const c of parts) {
      const hits = PAIN_CUES.filter((re) => re.test(c.text)).length;
      if (hits > 0 && from < 0 && !/^(?:budget|no budget)\b/i.test(c.text)) from = c.start - s.start;
      score += hits;
    }
    if (score > 0 && from >= 0 && (!best || score > best.score)) best = { s, score, from };
  }
  if (!best) return undefined;
  let text = best.s.text.slice(best.from);
  text = text.replace(/^(?:their|they have|they are|they're|its|our)\s+/i, "");
  return { sentence: best.s, text: tidy(text) };
}

// ---------------------------------------------------------------- use case

const USE_LABEL = /\b(?:use[- ]cases?|goal|objective)\s*(?:is|:|-|–|=)\s*/i;
const WANT =
  /\b(?:wants?|(?:would|'d) like|(?:would|'d) love|hoping|hopes)\s+(?:to\s+use\s+(?:us|it|the product|the platform)\s+for\s+|to\s+(?!(?:go live|move|decide|buy|sign|start|see|know|have|get|talk|meet|fix|be)\b))?(?!(?:it|a decision|them|that|this|us|me|him|her|to)\b)/i;
const INTEREST =
  /\b(?:looking for|looking at(?! (?:\d+|two|three|a couple of|several|other|some)\s+(?:\S+\s+)?vendors?\b)|interested in|curious (?:about|if|whether)|exploring options for|would use|would replace (?:it|them|this) with us for|to use us for|(?:rfp|rfi|tender) for)\s+/i;
const NEED =
  /(?<!\bno (?:specific |real |immediate )?)\bneeds?\s+(?!(?:to|it|the|a|an|this|that|something|by|budget|approval|sign|more|us|them|him|her|rn|now|right now|yet)\b)/i;
const DELIVERABLE =
  /\b(?:report|docs?|documentation|pricing|quote|contract|order form|questionnaire|credentials|proposal|references?|deck|case study|info|tier)\s*$/i;

function findUseCase(list: Sentence[]): Found | undefined {
  for (const s of list) {
    const m = USE_LABEL.exec(s.text);
    if (m) return { sentence: s, text: cutObject(s, m.index + m[0].length) };
  }
  for (const re of [WANT, INTEREST, NEED]) {
    for (const s of list) {
      const m = re.exec(s.text);
      if (!m) continue;
      const text = cutObject(s, m.index + m[0].length);
      if (text.split(/\s+/).length < 1 || !text || DELIVERABLE.test(text)) continue;
      return { sentence: s, text };
    }
  }
  return undefined;
}

/** The object of a "wants X" phrase: up to a clause break, a reason, or a date. */
function cutObject(s: Sentence, from: number): string {
  let end = s.text.length;
  for (const d of s.dates) if (d.start >= from && d.start < end) end = d.start;
  let text = s.text.slice(from, end);
  text = text.split(
    /\s*(?:[,;]\s+|\s[-–—]\s|\s*[–—]\s*|\s+(?:but|because|so that|since|if|once|when|before|by end)\s+)/i,
  )[0]!;
  text = text.replace(/\b(?:the\s+)?(?:in|by|for|within|until|before|at|on)\s*$/i, "");
  return tidy(text);
}

// ---------------------------------------------------------------- budget

const MONEY =
  /(?:[$€£]\s?\d[\d,.]*(?:\s?-\s?\d[\d,.]*)?\s?(?:k|m|mm|million|thousand)?\+?|\b\d[\d,.]*(?:\s?-\s?\d[\d,.]*)?\s?(?:k|m|mm|million|thousand)?\+?\s?(?:eur|usd|gbp|euros?|dollars?)\b|\b\d[\d,.]*(?:\s?-\s?\d[\d,.]*)?\s?k\b\+?)/i;
const BUDGET_WORD = /\bbudget(?:ed|s)?\b|\bno money\b|\bearmarked\b|\bset aside\b|\bfunded\b/i;
const BUDGET_NOT =
  /\b(?:event|marketing|annual|travel)\s+budget\b|\b(?:owns|controls|holds|decides|approves)\s+(?:the\s+)?budgets?\b|\bbudget holder\b|\bbudget planning\b/i;
const MONEY_CUE =
  /\b(?:approved|available|budgeted|earmarked|set aside|approx\w*|around|about|~|signed off|allocated)\b|~/i;
const MONEY_NOT = /\b(?:costs?|spent|spend|revenue|arr|worth|over|above|under|cost\s+\$)\s*\S*$/i;

function findBudget(list: Sentence[]): Found | undefined {
  for (const s of list) {
    if (!BUDGET_WORD.test(s.text) || BUDGET_NOT.test(s.text)) continue;
    return { sentence: s, text: budgetSpan(s, BUDGET_WORD) };
  }
  for (const s of list) {
    const m = MONEY.exec(s.text);
    if (!m) continue;
    const before = s.text.slice(0, m.index);
    if (MONEY_NOT.test(before)) continue;
    const hasCurrency = /[$€£]|eur|usd|gbp|euro|dollar/i.test(m[0]);
    if (!hasCurrency && !MONEY_CUE.test(s.text)) continue;
    return { sentence: s, text: budgetSpan(s, MONEY) };
  }
  return undefined;
}

function budgetSpan(s: Sentence, cue: RegExp): string {
  const words = s.text.split(/\s+/).length;
  if (words <= 7) return tidy(s.text);
  const parts = clauses(s);
  const i = parts.findIndex((c) => cue.test(c.text));
  if (i < 0) return tidy(s.text);
  let text = parts[i]!.text.split(/\s+(?:but|and|so)\s+(?!\d)/i)[0]!;
  if (!MONEY.test(text)) {
    const neighbour = [parts[i + 1], parts[i - 1]].find((c) => c && MONEY.test(c.text));
    if (neighbour)
      text = neighbour.start > parts[i]!.start ? `${text}, ${neighbour.text}` : `${neighbour.text}, ${text}`;
  }
  return tidy(text);
}

// ---------------------------------------------------------------- timeline

const TIMELINE_LABEL = /\b(?:timeline|timeframe|time frame|deadline)\s*(?:is|:|-|–|=)?\s*/i;

function findTimeline(list: Sentence[], today: number): Found | undefined {
  for (const s of list) {
    if (/\bno (?:timeline|timeframe|deadline)\b/i.test(s.text)) {
      return { sentence: s, text: /\bno (?:timeline|timeframe|deadline)\b/i.exec(s.text)![0] };
    }
    const m = TIMELINE_LABEL.exec(s.text);
    if (m) {
      // "Timeline: select a vendor by end of Q3" or "timeline 2026"
      const rest = s.text.slice(m.index + m[0].length);
      const labelled = /[:=–-]\s*$/.test(m[0]) || s.dates.some((d) => d.start >= m.index);
      if (labelled && rest.trim()) return { sentence: s, text: tidy(rest) };
    }
  }
  for (const s of list) {
    const d = s.dates.find((x) => !isImmediate(x, today));
    if (!d) continue;
    return { sentence: s, text: timelineSpan(s, d) };
  }
  return undefined;
}

/** Today and tomorrow are when a rep acts, not a buying timeline. */
function isImmediate(d: DateMention, today: number): boolean {
  return (
    d.precision === "day" &&
    parseIsoDay(d.date) - today <= 1 &&
    /today|tonight|tomorrow|eod|end of day/i.test(d.text)
  );
}

/** The date phrase and up to three words before it, inside its clause. */
function timelineSpan(s: Sentence, d: DateMention): string {
  const clause = clauses(s)
    .filter((c) => c.start - s.start <= d.start)
    .at(-1);
  const clauseStart = clause ? clause.start - s.start : 0;
  const before = s.text.slice(clauseStart, d.start).trim().split(/\s+/).filter(Boolean);
  const lead = before.slice(-3).join(" ");
  return tidy(`${lead} ${d.text}`.replace(/^(?:and|but|so|then|maybe|wants?|it)\s+/i, ""));
}

// ---------------------------------------------------------------- urgency

const URGENT = /\b(?:asap|urgent(?:ly)?|immediately|right away|right now|burning|critical|move fast)\b/i;
const NOT_URGENT =
  /\b(?:no rush|not urgent|no urgency|no timeline|no (?:real |specific )?(?:need|project|plans?)|no purchase|just browsing|no new needs|not a priority(?! until))\b/i;
const NOW_WORDS = /\b(?:this month|this week|(?:the )?next 30 days|within (?:a|one) month|within 30 days)\b/i;
const QUARTER_WORDS = /\b(?:this quarter|end of (?:the |this )?quarter|eoq|within 90 days|next 90 days)\b/i;
const LATER_WORDS =
  /\b(?:next year|next quarter|later this year|this year|next (?:fiscal year|fy)|h2|in the fall|not a priority until|maybe later)\b/i;

function findUrgency(
  all: Sentence[],
  others: Sentence[],
  today: number,
): { value: Urgency; evidence: string } | undefined {
  const whole = all.map((s) => s.text).join(" ");
  const text = others.map((s) => s.text).join(" ");
  const notUrgent = NOT_URGENT.exec(whole);
  if (notUrgent && /not urgent/i.test(notUrgent[0])) return { value: "none", evidence: notUrgent[0] };
  const urgent = URGENT.exec(whole);
  if (urgent) return { value: "now", evidence: urgent[0] };
  const now = NOW_WORDS.exec(text);
  if (now) return { value: "now", evidence: now[0] };
  const quarter = QUARTER_WORDS.exec(text);
  if (quarter) return { value: "this_quarter", evidence: quarter[0] };
  const later = LATER_WORDS.exec(text);
  if (later) return { value: "later", evidence: later[0] };
  // Else the first date the buyer named (not the rep's own next step) says how soon.
  const dated = byDate(others, today);
  // "No rush, decide by Feb": a far date keeps it later rather than none.
  if (notUrgent) return dated?.value === "later" ? dated : { value: "none", evidence: notUrgent[0] };
  return dated;
}

function byDate(list: Sentence[], today: number): { value: Urgency; evidence: string } | undefined {
  for (const s of list) {
    for (const d of s.dates) {
      if (isImmediate(d, today)) continue;
      const day = parseIsoDay(d.date);
      if (day < today) continue;
      const value: Urgency =
        day - today <= 30 ? "now" : day <= endOfQuarter(today) ? "this_quarter" : "later";
      return { value, evidence: d.text };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- buying stage

const STAGE_CUES: [BuyingStage, RegExp][] = [
  [
    "purchasing",
    /\bprocurement (?:is )?(?:already )?(?:engaged|involved|started|running)|\blegal (?:is )?review\w*|\bMSA\b|\bredlin\w*|\b(?:final|contract|price|pricing) negotiations?\b|\bin negotiations?\b|\bcontract (?:draft|negotiation|today|sent|review)|\bneeds? the contract\b|\bin contract\b|\bpurchase order\b|\bPO\b|\border form\b|\bready to (?:sign|buy|purchase)\b|\bfinal quote\b/,
  ],
  [
    "selecting",
    /\bPOC\b|\bproof of concept\b|\bpilot\b|\bdown to (?:us|two|2)\b|\bfinal (?:two|2|round)\b|\bfinalists?\b|\bshortlist(?:ed)?\b|\bpreferred vendor\b|\b(?:selected|chose|picked) us\b|\bbake-?off\b/i,
  ],
  [
    "evaluating_vendors",
    /\bevaluat(?:ing|e|ion)\b|\bcompar(?:ing|ed)\b|\bonly talking to us\b|\b(?:piloting|pilot with|poc with|trialling|trialing) (?:a |one )?competitor|\blooking at (?:\d+|two|three|a couple of|several|other|some)\s+(?:\S+\s+)?vendors?\b|\bus (?:vs\.?|versus)\s|\b(?:vs\.?|versus) us\b|\btalking to us and\b|\bconsidering (?:us|options|vendors)\b|\bRFP\b|\bRFI\b|\btender\b|\bone of them\b|\bother vendors?\b|\btrial\b|\bsandbox\b/i,
  ],
  [
    "problem_defined",
    /\bproblem (?:is )?(?:clear|defined)\b|\bknows? (?:they|we) need\b|\bmandate\b|\bhas a pain\b|\bneeds? a (?:tool|solution)\b/i,
  ],
  [
    "learning",
    /\bjust browsing\b|\bbrowsing\b|\bcurious\b|\bresearch(?:ing)?\b|\bearly days\b|\bjust started (?:thinking|looking)\b|\bexploring\b|\bfiguring out\b|\bnot sure (?:yet )?what\b|\bstudent\b|\bthesis\b|\bjust learning\b|\bgathering (?:info|information|requirements)\b|\bresearch stage\b/i,
  ],
];
const NOT_EVALUATING =
  /\b(?:not|no|hasn'?t|haven'?t|isn'?t|aren'?t)\b[^.;]{0,25}?\b(?:evaluat\w*|looking at vendors|looked at|vendors|talked to (?:other )?vendors)\b[^.;]*|\b(?:will|'ll|to) start evaluating\b[^.;]*|\bevaluating (?:in|from|after|next) (?:20\d\d|q[1-4]|h[12]|january|february|march|april|may|june|july|august|september|october|november|december|the fall|next)\b[^.;]*/gi;

function findStage(note: string): { value: BuyingStage; evidence: string } | undefined {
  // Negated or future evaluation ("not looking at vendors yet") means the problem is defined, not that they evaluate.
  const negated = note.match(NOT_EVALUATING);
  const text = note.replace(NOT_EVALUATING, " ");
  for (const [stage, re] of STAGE_CUES) {
    if (stage === "problem_defined" && negated) return { value: stage, evidence: negated[0]!.trim() };
    // "vs Clari": a named competitor (capitalised, so outside the case-insensitive list).
    const m =
      re.exec(text) ?? (stage === "evaluating_vendors" ? /\b(?:vs\.?|versus) [A-Z]\w+/.exec(text) : null);
    if (m) return { value: stage, evidence: m[0] };
  }
  return undefined;
}
