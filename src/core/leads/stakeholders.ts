// People the buyer mentioned and the part they play in the purchase: "Mark (CRO) is the economic buyer",
// "his CTO Nadia needs to approve the integration", "CFO needs to sign". The person spoken to is not a stakeholder
// of their own lead, so whoever the note opens with is left out.

import { clauses, sentences } from "./text.ts";
import type { BuyingRole } from "./vocabulary.ts";

/** A stakeholder read from a note, with the words that gave their role away. */
export interface FoundStakeholder {
  name: string;
  role: BuyingRole;
  title: string | null;
  evidence: string;
}

/** Matches a lower-case phrase whether or not its first letter is capitalised ("head of" / "Head of"). */
function w(phrase: string): string {
  return phrase
    .split(" ")
    .map((word) => (/^[a-z]/.test(word) ? `[${word[0]!.toUpperCase()}${word[0]}]${word.slice(1)}` : word))
    .join("\\s+");
}
const alt = (list: string[]) => `(?:${list.map(w).join("|")})`;

const DEPT = alt([
  "IT security",
  "IT",
  "HR",
  "L&D",
  "analytics",
  "ops",
  "operations",
  "data",
  "engineering",
  "security",
  "marketing ops",
  "marketing",
  "field marketing",
  "sales",
  "finance",
  "training",
  "medical",
  "department",
  "tech",
  "technical",
  "product",
  "partner programs",
  "partnerships",
  "partner",
  "customer success",
  "procurement",
  "purchasing",
  "revenue",
  "enablement",
  "learning",
]);
const C_SUITE = "(?:CEO|CFO|CTO|CIO|CISO|CMO|CRO|COO|CHRO|C[A-Z]{1,2}O)";
const ROLE_WORD = alt([
  "head",
  "director",
  "manager",
  "mgr",
  "lead",
  "chair",
  "team",
  "tech",
  "cofounder",
  "co-founder",
]);
const TITLE_CORE = `(?:${C_SUITE}|(?:[A-Z]{2,4}|[A-Z][a-z]+)\\s+(?:S|E)?VP|(?:S|E)?VP(?:\\s+(?:of\\s+)?${DEPT})?|${alt(["vice president"])}(?:\\s+(?:of\\s+)?${DEPT})?|${alt(["head of"])}\\s+${DEPT}|${DEPT}\\s+${ROLE_WORD}|${alt(["director"])}(?:\\s+(?:of\\s+)?${DEPT})?|${alt(["manager", "controller", "architect", "boss", "chair", "cofounder", "co-founder", "founder", "procurement", "purchasing", "finance"])}|HQ)`;
const NAME = "(?:Dr\\.?\\s+)?[A-Z][a-z]+(?:['’][A-Z][a-z]+)?(?:\\s+[A-Z][a-z]+(?:['’][A-Z][a-z]+)?)?";

const NOT_NAME = new Set(
  (
    "The Their Her His Our Send Next Demo Call Budget Head Director Manager Lead Chief Officer Vice President " +
    "Sales Marketing Finance Ops Operations Partnerships Partner Programs Data Engineering Customer Success " +
    "Security Product People Legal Procurement Purchasing Department Chair Tech Contact Champion Loop Book " +
    "Intro Follow Meeting Exec Briefing Workshop Trial Kickoff Ping Reach Monday Tuesday Wednesday Thursday " +
    "Friday Saturday Sunday January February March April May June July August September October November " +
    "December Q1 Q2 Q3 Q4 IT HQ Finance Will Needs Wants Is And Or With From In On At By For Works Runs Met " +
    "Spoke Talked Said Asked Has Had Looking Interested Uses Using Also Then Both"
  ).split(" "),
);

interface Mention {
  start: number;
  end: number;
  name: string | null;
  title: string | null;
}

const PATTERNS: { re: RegExp; name: number; title: number }[] = [
  // Mark (CRO), Dr. Patel (medical director)
  { re: new RegExp(`(${NAME})\\s*\\((${TITLE_CORE}[^)]*)\\)`, "g"), name: 1, title: 2 },
  // Finance (Greg), Head of Partner Programs (Omar), SVP Sales (Victor)
  { re: new RegExp(`(${TITLE_CORE}(?:\\s+[A-Z][a-z]+){0,2})\\s*\\((${NAME})\\)`, "g"), name: 2, title: 1 },
  // manager is Bill Lumbergh, marketing head: Sofia Rossi
  { re: new RegExp(`\\b(${TITLE_CORE})\\s*(?:is|:)\\s+(${NAME})`, "g"), name: 2, title: 1 },
  // Her VP Commercial Excellence, Mark, is …
  { re: new RegExp(`\\b((?:S|E)?VP(?:\\s+[A-Z][a-z]+){1,3}),\\s+(${NAME}),`, "g"), name: 2, title: 1 },
  // Jess, their CS VP, holds …
  {
    re: new RegExp(`(${NAME}),\\s+(?:their\\s+|his\\s+|her\\s+|the\\s+)?(${TITLE_CORE})\\b`, "g"),
    name: 1,
    title: 2,
  },
  // Olga (champion), Raj (economic buyer)
  {
    re: new RegExp(
      `(${NAME})\\s*\\((champion|economic buyer|exec(?:utive)? sponsor|sponsor|decision[- ]maker|technical evaluator|day[- ]to[- ]day user|end user)\\)`,
      "g",
    ),
    name: 1,
    title: 2,
  },
  // CIO Angela, VP Sales Derek, their analytics lead Sven, Department chair Dr. Kim
  { re: new RegExp(`\\b(${TITLE_CORE})\\s+(${NAME})`, "g"), name: 2, title: 1 },
  // Erik, COO
  { re: new RegExp(`(${NAME}),\\s+(${C_SUITE}|(?:S|E)?VP\\s+${DEPT})\\b`, "g"), name: 1, title: 2 },
  // Priya from IT, Lisa in purchasing
  { re: new RegExp(`(${NAME})\\s+(?:from|in)\\s+(${DEPT})\\b`, "g"), name: 1, title: 2 },
  // The CFO, security team, HQ (unnamed)
  {
    re: new RegExp(`\\b(${C_SUITE}|HQ|Dean|the dean|(?:IT\\s+)?${w("security team")}|IT team)\\b`, "g"),
    name: 0,
    title: 1,
  },
];

const CUES: [BuyingRole, RegExp][] = [
  [
    "technical_evaluator",
    /\btechnical (?:review|evaluation|due diligence|validation)|\bsecurity review|\b(?:approve|review|test|own)s? the (?:integration|api|architecture)|\bmust review\b|\bwill review\b/i,
  ],
  [
    "economic_buyer",
    /\beconomic buyer|\bpurse strings\b|\bsigns?(?: off)?\b|\bsigned off\b|\bapproves?\b|\bhas to approve\b|\bdecision[- ]?maker\b|\bdecides\b|\bowns the budget|\bcontrols (?:the )?budget|\bholds the budget|\bbudget holder|\bfinal say/i,
  ],
  ["champion", /\bchampion\b|\bpush(?:ing)? (?:it |this |us )?internally\b|\binternal advocate\b/i],
  ["executive_sponsor", /\b(?:exec(?:utive)? )?sponsor(?:ing|s)?\b/i],
  ["operational_leader", /\b(?:owns|runs) it day[- ]to[- ]day\b|\bday[- ]to[- ]day owner\b/i],
  ["user", /\b(?:day[- ]to[- ]day|end) users?\b|\bwill (?:be )?(?:a |the )?(?:main |primary )?user\b/i],
];

const TITLE_DEFAULTS: [BuyingRole, RegExp][] = [
  ["finance", /\bCFO\b|\bcontroller\b|\bfinance\b|\bprocurement\b|\bpurchasing\b|\btreasurer\b/i],
  [
    "technical_evaluator",
    /\bCTO\b|\bCIO\b|\bCISO\b|\barchitect\b|\bIT\b|\bengineer\w*|\bsecurity\b|\bdeveloper\b|\btech\w*|\banalytics\b|\bdata\b/i,
  ],
  ["operational_leader", /\bCOO\b|\bops\b|\boperations\b/i],
  [
    "executive_sponsor",
    /\bCEO\b|\bCMO\b|\bCRO\b|\bCHRO\b|\bCPO\b|\bCDO\b|\b[SE]?VP\b|\bvice president\b|\bchief\b/i,
  ],
];

function cleanName(raw: string): string | null {
  const words = raw.trim().split(/\s+/);
  while (words.length > 0 && NOT_NAME.has(words.at(-1)!)) words.pop();
  while (words.length > 0 && NOT_NAME.has(words[0]!)) words.shift();
  const name = words.join(" ");
  return name && !/^Dr\.?$/.test(name) ? name : null;
}

function findMentions(note: string): Mention[] {
  const found: Mention[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(note); m; m = p.re.exec(note)) {
      const name = p.name ? cleanName(m[p.name]!) : null;
      const title = m[p.title]!.trim();
      if (p.name && !name) continue;
      const start = m.index;
      const end = m.index + m[0].length;
      const overlap = found.find((f) => start < f.end && end > f.start);
      if (overlap) {
        // "his boss Erik, COO": the same person seen twice gains the second title.
        if (name && overlap.name === name && overlap.title !== title) {
          overlap.title = `${overlap.title}, ${title}`;
          overlap.end = Math.max(overlap.end, end);
        }
        continue;
      }
      found.push({ start, end, name, title });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function cueIn(text: string): { role: BuyingRole; cue: string } | undefined {
  for (const [role, re] of CUES) {
    const m = re.exec(text);
    if (m) return { role, cue: m[0] };
  }
  return undefined;
}

/** Stakeholders named in a note, each with a role from the words around them or else from their title. */
export function extractStakeholders(note: string): FoundStakeholder[] {
  const list = sentences(note);
  const first = list[0];
  const firstClause = first ? clauses(first)[0] : undefined;
  const firstEnd = first ? first.start + first.text.length : 0;
  const mentions = findMentions(note);
  const out: FoundStakeholder[] = [];
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i]!;
    const sentence = list.find((s) => m.start >= s.start && m.start < s.start + s.text.length);
    if (!sentence) continue;
    const parts = clauses(sentence);
    const ci = parts.findIndex(
      (c, k) => m.start >= c.start && (k === parts.length - 1 || m.start < parts[k + 1]!.start),
    );
    const clause = parts[ci]!;
    // The words after the mention up to the end of its clause; "Jess, their CS VP, holds the purse strings" ends
    // the mention at a clause break, so the next clause is the one that says what they do.
    const endIdx = parts.findIndex((c) => c.start + c.text.length >= m.end);
    let clauseEnd =
      endIdx >= 0 ? parts[endIdx]!.start + parts[endIdx]!.text.length : clause.start + clause.text.length;
    const after = endIdx >= 0 ? parts[endIdx + 1] : undefined;
    if (clauseEnd - m.end <= 1 && after && endIdx > ci) clauseEnd = after.start + after.text.length;
    const nextStart =
      mentions[i + 1] && mentions[i + 1]!.start < clauseEnd ? mentions[i + 1]!.start : clauseEnd;
    const prevEnd =
      mentions[i - 1] && mentions[i - 1]!.end > clause.start ? mentions[i - 1]!.end : clause.start;
    let cue = cueIn(note.slice(m.end, Math.max(m.end, nextStart)));
    const following = parts[ci + 1];
    if (!cue && following && /^(?:she|he|they|who)\b/i.test(following.text)) cue = cueIn(following.text);
    if (!cue) cue = cueIn(note.slice(prevEnd, m.start));
    if (!cue && m.title) cue = cueIn(m.title);
    // The note opens with the person spoken to: leave them out, and keep only people with a stated role there.
    if (first && m.start < firstEnd) {
      if (firstClause && m.start < firstClause.start + firstClause.text.length) continue;
      if (!cue) continue;
    }
    // A bare title with no role stated ("data team") is not a stakeholder, except the C-suite.
    if (!m.name && !cue && !new RegExp(`^${C_SUITE}$`).test(m.title ?? "")) continue;
    const byTitle = TITLE_DEFAULTS.find(([, re]) => re.test(m.title ?? ""))?.[0] ?? "other";
    out.push({
      name: m.name ?? m.title!,
      role: cue?.role ?? byTitle,
      title: m.title,
      evidence: note.slice(m.start, Math.max(m.end, nextStart)).trim(),
    });
  }
  const merged = merge(out);
  // A bare title that a named person already holds ("CRO wants it" … "Mark (CRO)") is that person.
  return merged.filter(
    (s) =>
      s.name !== s.title ||
      !merged.some((o) => o !== s && o.name !== o.title && (o.title ?? "").split(/[\s,]+/).includes(s.name)),
  );
}

/** One entry per person: the same first name (or the same bare title) is one stakeholder. */
function merge(list: FoundStakeholder[]): FoundStakeholder[] {
  const out: FoundStakeholder[] = [];
  for (const s of list) {
    const key = s.name
      .replace(/^Dr\.?\s+/, "")
      .split(/\s+/)[0]!
      .toLowerCase();
    const same = out.find(
      (o) =>
        o.name
          .replace(/^Dr\.?\s+/, "")
          .split(/\s+/)[0]!
          .toLowerCase() === key ||
        (o.title && s.name === s.title && o.title.toLowerCase().includes(s.name.toLowerCase())),
    );
    if (!same) {
      out.push({ ...s });
      continue;
    }
    if (s.name.length > same.name.length && s.name !== s.title) same.name = s.name;
    // A stated role beats a role guessed from a title; a specific title beats "other".
    if (same.role === "other" || (s.evidence.length > 0 && s.role !== "other" && isStated(s)))
      same.role = s.role;
    if (!same.title || same.title.length < (s.title?.length ?? 0)) same.title = s.title;
  }
  return out;
}

function isStated(s: FoundStakeholder): boolean {
  return cueIn(s.evidence) !== undefined;
}
