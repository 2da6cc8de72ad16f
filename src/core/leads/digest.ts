// The daily digest: for each owner, their leads past the follow-up SLA with no follow-up yet, most overdue first.

import type { Tier } from "./vocabulary.ts";

/** A lead as the digest sees it. */
export interface DigestLead {
  id: string;
  ownerUserId: string | null;
  personName: string;
  eventName: string;
  tier: Tier | null;
  slaDueAt: Date | null;
  /** True once any follow-up was sent or done. */
  followedUp: boolean;
  nextStep: string | null;
}

export interface DigestEntry extends DigestLead {
  hoursOverdue: number;
}

/** One owner's digest; `ownerUserId` null collects leads nobody owns. */
export interface OwnerDigest {
  ownerUserId: string | null;
  leads: DigestEntry[];
}

/** Leads past their SLA at `now` without a follow-up, grouped by owner (owners in id order, leads most overdue first). */
export function overdueDigests(leads: DigestLead[], now: Date): OwnerDigest[] {
  const byOwner = new Map<string | null, DigestEntry[]>();
  for (const lead of leads) {
    if (lead.followedUp || !lead.slaDueAt || lead.slaDueAt.getTime() >= now.getTime()) continue;
    const hoursOverdue = Math.floor((now.getTime() - lead.slaDueAt.getTime()) / 3_600_000);
    const list = byOwner.get(lead.ownerUserId) ?? [];
    list.push({ ...lead, hoursOverdue });
    byOwner.set(lead.ownerUserId, list);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([ownerUserId, list]) => ({
      ownerUserId,
      leads: list.sort((x, y) => y.hoursOverdue - x.hoursOverdue || x.id.localeCompare(y.id)),
    }));
}

function overdueText(hours: number): string {
  return hours < 48 ? `${hours} h overdue` : `${Math.floor(hours / 24)} days overdue`;
}

/** The digest as an email to its owner. */
export function renderDigest(digest: OwnerDigest, ownerName: string): { subject: string; text: string } {
  const n = digest.leads.length;
  const lines = digest.leads.map(
    (l) =>
      `- ${l.personName} (${l.eventName}, tier ${l.tier ?? "?"}): ${overdueText(l.hoursOverdue)}${l.nextStep ? `; agreed next step: ${l.nextStep}` : ""}`,
  );
  return {
    subject: `${n} lead${n === 1 ? "" : "s"} past the follow-up SLA`,
    text: [
      `Hi ${ownerName},`,
      "",
      `${n === 1 ? "This lead is" : "These leads are"} past the follow-up time agreed for ${n === 1 ? "its" : "their"} tier:`,
      "",
      ...lines,
      "",
      "Follow up with the context from the conversation: the buyer remembers what they told you.",
    ].join("\n"),
  };
}
