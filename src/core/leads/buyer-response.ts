// Which touchpoints on a lead's person are the buyer answering a follow-up. A CRM or marketing system exports them
// as touchpoints with its own kinds; this is the vocabulary the product reads as a reply or a meeting.

/** Touchpoint kinds (case-insensitive; "-" and spaces read as "_") that are the buyer replying. */
export const replyTouchKinds = [
  "reply",
  "replied",
  "email_reply",
  "inbound_reply",
  "response",
  "inbound_call",
  "call_back",
] as const;

/** Touchpoint kinds that are a meeting whatever the channel says (the `meeting` channel always is one). */
export const meetingTouchKinds = ["meeting", "meeting_held", "meeting_completed"] as const;

/** The touchpoint sources the product writes itself: a capture is not an answer, and a recorded meeting is read apart. */
export const ownTouchSources = ["capture", "lead_meeting"] as const;

/** The kind as compared with the lists: lower case, "-" and spaces as "_". */
export function normalTouchKind(kind: string): string {
  return kind
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/** "reply" or "meeting" when a touchpoint of this channel and kind is the buyer answering, else null. */
export function buyerResponseOf(channel: string, kind: string): "reply" | "meeting" | null {
  const k = normalTouchKind(kind);
  if (channel === "meeting" || (meetingTouchKinds as readonly string[]).includes(k)) return "meeting";
  if ((replyTouchKinds as readonly string[]).includes(k)) return "reply";
  return null;
}
