import type { Tx } from "../db/client.ts";
import { emailOutbox } from "../db/schema/index.ts";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the email is for (ticket, waitlist, invitation…), shown with its delivery status. */
  purpose: string;
  /** The row it is about (registration, invitation). */
  refId?: string;
}

/**
 * Queues an email in the caller's transaction: it is sent only if the work that asked for it commits, and the
 * outbox worker delivers it (with retries) even if this process stops.
 */
export async function enqueueEmail(tx: Tx, orgId: string, email: OutgoingEmail, now: Date): Promise<string> {
  const [row] = await tx
    .insert(emailOutbox)
    .values({
      orgId,
      toAddress: email.to,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html ?? null,
      purpose: email.purpose,
      refId: email.refId ?? null,
      nextAttemptAt: now,
    })
    .returning({ id: emailOutbox.id });
  return row!.id;
}
