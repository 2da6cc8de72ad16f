import { verify } from "node:crypto";
import { decodeToken, publicKeyFromRaw, type TokenClaims } from "../../core/tickets/index.ts";

/** What a scan's code says before the database is asked: whose ticket it is, or why it is refused. */
export type Verdict =
  | { kind: "reject"; reason: string; message: string }
  | { kind: "ticket"; ticketId: string; personId: string }
  | { kind: "person"; personId: string };

// Event public keys never change once made (ticket-keys only fills empty columns), so they are kept for the life of
// the process. An event without a key yet is not remembered: its first ticket makes one.
const publicKeys = new Map<string, string>();

export function knownPublicKey(orgId: string, eventId: string): string | undefined {
  return publicKeys.get(`${orgId}/${eventId}`);
}

export function rememberPublicKey(orgId: string, eventId: string, publicKeyRaw: string): void {
  if (publicKeys.size > 100_000) publicKeys.clear();
  publicKeys.set(`${orgId}/${eventId}`, publicKeyRaw);
}

// Codes whose signature was found valid, per event key: the same ticket scanned again (the door, then each session,
// an offline kiosk replaying its queue, "already checked in") skips the signature check. Kind, event and expiry are
// still checked on every scan; revocation is the database's answer. Bounded (about 300 bytes an entry, enough for
// two 20,000-attendee events): cleared when full.
const validSignatures = new Set<string>();
const MAX_REMEMBERED = 50_000;

const PREFIX = "TL1.";
const BODY = 53;

/** Signatures checked by this process (for the benchmark and monitoring). */
let signaturesChecked = 0;
export function signatureChecks(): number {
  return signaturesChecked;
}
/** Adds signatures checked elsewhere for this process (the embedded database's thread checks its batches'). */
export function countSignatureChecks(n: number): void {
  signaturesChecked += n;
}

function signatureValid(code: string, publicKeyRaw: string): Promise<boolean> {
  const key = `${publicKeyRaw}|${code}`;
  if (validSignatures.has(key)) return Promise.resolve(true);
  signaturesChecked++;
  const buf = Buffer.from(code.slice(PREFIX.length), "base64url");
  return new Promise((resolve) => {
    // With a callback the signature is checked on libuv's thread pool, off the event loop: the thread serving HTTP
    // (and, embedded, the database) goes on meanwhile.
    verify(null, buf.subarray(0, BODY), publicKeyFromRaw(publicKeyRaw), buf.subarray(BODY), (error, ok) => {
      const valid = !error && ok;
      if (valid) {
        if (validSignatures.size >= MAX_REMEMBERED) validSignatures.clear();
        validSignatures.add(key);
      }
      resolve(valid);
    });
  });
}

/**
 * Checks a ticket code for an event the way `verifyToken` does (shape, signature, kind, event, expiry, in that order,
 * with the same reasons and messages), with the signature checked on the thread pool. Revocation is left to the
 * caller, which reads it from the database.
 */
export async function verifyTicketCode(
  code: string,
  publicKeyRaw: string,
  eventId: string,
  now: Date,
): Promise<Verdict> {
  const raw = code.trim();
  const claims = decodeToken(raw);
  if (!claims) return malformed;
  if (!(await signatureValid(raw, publicKeyRaw))) {
    return { kind: "reject", reason: "forged", message: "the code's signature is not valid for this event" };
  }
  return judgeClaims(claims, eventId, now);
}

/**
 * The verdict on a code known to be the one the server issued for its ticket (its digest is the ticket's
 * `code_digest`), so its signature is known good: the same checks as `verifyTicketCode` after the signature.
 */
export function verdictOnIssuedCode(code: string, eventId: string, now: Date): Verdict {
  const claims = decodeToken(code.trim());
  return claims ? judgeClaims(claims, eventId, now) : malformed;
}

const malformed: Verdict = { kind: "reject", reason: "malformed", message: "this is not a Throughline code" };

function judgeClaims(claims: TokenClaims, eventId: string, now: Date): Verdict {
  if (claims.kind !== "ticket") {
    return { kind: "reject", reason: "wrong_kind", message: `this is a ${claims.kind} code, not a ticket` };
  }
  if (claims.eventId !== eventId) {
    return { kind: "reject", reason: "wrong_event", message: "this code is for another event" };
  }
  if (claims.expiresAt.getTime() <= now.getTime()) {
    return {
      kind: "reject",
      reason: "expired",
      message: `the code expired at ${claims.expiresAt.toISOString()}`,
    };
  }
  return { kind: "ticket", ticketId: claims.id, personId: claims.subjectId };
}

/** A code's verdict when the event has issued no tickets, so has no key to check it with. */
export const noKeyVerdict: Verdict = {
  kind: "reject",
  reason: "forged",
  message: "no tickets were issued for this event, so this code cannot be one of its tickets",
};
