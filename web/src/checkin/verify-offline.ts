// Verifies a ticket code in the browser with the event's public key (WebCrypto Ed25519), so the kiosk can say
// "forged", "expired" or "cancelled" with no server. The layout is the server's (src/core/tickets/token.ts):
// "TL1." + base64url(kind · ticket id · event id · person id · expiry u32) + 64-byte signature.

export interface OfflineVerdict {
  ok: boolean;
  reason?: "malformed" | "forged" | "expired" | "revoked" | "wrong_event" | "unchecked";
  message: string;
  ticketId?: string;
  personId?: string;
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | null {
  try {
    const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    const out = new Uint8Array(new ArrayBuffer(b.length));
    for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

function uuidAt(bytes: Uint8Array, at: number): string {
  const h = [...bytes.subarray(at, at + 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(raw: string): Promise<CryptoKey> {
  let key = keys.get(raw);
  if (!key) {
    const bytes = fromBase64Url(raw) ?? new Uint8Array(new ArrayBuffer(0));
    key = crypto.subtle.importKey("raw", bytes, { name: "Ed25519" }, false, ["verify"]);
    keys.set(raw, key);
  }
  return key;
}

export async function verifyOffline(
  code: string,
  publicKey: string,
  eventId: string,
  revoked: ReadonlySet<string>,
  now: Date,
): Promise<OfflineVerdict> {
  const text = code.trim();
  const bytes = text.startsWith("TL1.") ? fromBase64Url(text.slice(4)) : null;
  if (bytes?.length !== 117 || bytes[0] !== 1) {
    return { ok: false, reason: "malformed", message: "this is not a Throughline ticket" };
  }
  const ticketId = uuidAt(bytes, 1);
  const personId = uuidAt(bytes, 33);
  try {
    const key = await importKey(publicKey);
    const valid = await crypto.subtle.verify(
      { name: "Ed25519" },
      key,
      bytes.subarray(53),
      bytes.subarray(0, 53),
    );
    if (!valid)
      return { ok: false, reason: "forged", message: "the code's signature is not valid for this event" };
  } catch {
    // A browser without Ed25519 in WebCrypto: the server checks the signature when the scan is sent.
    return {
      ok: true,
      reason: "unchecked",
      message: "signature not checked on this device",
      ticketId,
      personId,
    };
  }
  if (uuidAt(bytes, 17) !== eventId)
    return { ok: false, reason: "wrong_event", message: "this code is for another event" };
  const expires = new DataView(bytes.buffer, bytes.byteOffset + 49, 4).getUint32(0) * 1000;
  if (expires <= now.getTime()) return { ok: false, reason: "expired", message: "this ticket has expired" };
  if (revoked.has(ticketId)) return { ok: false, reason: "revoked", message: "this ticket was cancelled" };
  return { ok: true, message: "valid", ticketId, personId };
}
