import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/**
 * Signed tokens carried by QR codes and links. Layout (53 bytes, then a 64-byte Ed25519 signature over them):
 *   kind (1) · id (16) · event id (16) · subject id (16) · expiry, unix seconds (4, big-endian)
 * and the whole is written as "TL1." + base64url, 160 characters: small enough for a dense-free QR code and for a
 * keyboard-wedge scanner to type. A kiosk holding the event's public key verifies it with no server.
 */
export const tokenKinds = { ticket: 1, rsvp: 2, kiosk: 3 } as const;
export type TokenKind = keyof typeof tokenKinds;

export interface TokenClaims {
  kind: TokenKind;
  /** Ticket id, invitation id, or (kiosk) the user id. */
  id: string;
  eventId: string;
  /** Person id, or (kiosk) the organization id. */
  subjectId: string;
  expiresAt: Date;
}

export type RejectReason = "malformed" | "forged" | "expired" | "revoked" | "wrong_event" | "wrong_kind";

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: RejectReason; message: string; claims?: TokenClaims };

const PREFIX = "TL1.";
const BODY = 53;
const SIG = 64;

function uuidBytes(id: string, into: Buffer, at: number): void {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a uuid: ${id}`);
  into.write(hex, at, 16, "hex");
}

function bytesUuid(buf: Buffer, at: number): string {
  const h = buf.toString("hex", at, at + 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Encodes and signs claims with the event's private key. */
export function signToken(claims: TokenClaims, privateKey: KeyObject): string {
  const body = Buffer.alloc(BODY);
  body[0] = tokenKinds[claims.kind];
  uuidBytes(claims.id, body, 1);
  uuidBytes(claims.eventId, body, 17);
  uuidBytes(claims.subjectId, body, 33);
  body.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 49);
  const signature = sign(null, body, privateKey);
  return PREFIX + Buffer.concat([body, signature]).toString("base64url");
}

/** Reads the claims without checking the signature (to say which ticket a rejected token names). */
export function decodeToken(token: string): TokenClaims | undefined {
  const raw = token.trim();
  if (!raw.startsWith(PREFIX)) return undefined;
  const buf = Buffer.from(raw.slice(PREFIX.length), "base64url");
  if (buf.length !== BODY + SIG) return undefined;
  const kind = (Object.keys(tokenKinds) as TokenKind[]).find((k) => tokenKinds[k] === buf[0]);
  if (!kind) return undefined;
  return {
    kind,
    id: bytesUuid(buf, 1),
    eventId: bytesUuid(buf, 17),
    subjectId: bytesUuid(buf, 33),
    expiresAt: new Date(buf.readUInt32BE(49) * 1000),
  };
}

export interface VerifyOptions {
  now: Date;
  kind: TokenKind;
  /** When given, a token for another event is refused. */
  eventId?: string;
  /** Ids (ticket or invitation) that were revoked. */
  isRevoked?: (id: string) => boolean;
}

/** Checks shape, signature, kind, event, expiry and revocation, in that order, and says which one failed. */
export function verifyToken(token: string, publicKey: KeyObject, options: VerifyOptions): VerifyResult {
  const claims = decodeToken(token);
  if (!claims) return { ok: false, reason: "malformed", message: "this is not a Throughline code" };
  const buf = Buffer.from(token.trim().slice(PREFIX.length), "base64url");
  if (!verify(null, buf.subarray(0, BODY), publicKey, buf.subarray(BODY))) {
    return {
      ok: false,
      reason: "forged",
      message: "the code's signature is not valid for this event",
      claims,
    };
  }
  if (claims.kind !== options.kind) {
    return {
      ok: false,
      reason: "wrong_kind",
      message: `this is a ${claims.kind} code, not a ${options.kind}`,
      claims,
    };
  }
  if (options.eventId && claims.eventId !== options.eventId) {
    return { ok: false, reason: "wrong_event", message: "this code is for another event", claims };
  }
  if (claims.expiresAt.getTime() <= options.now.getTime()) {
    return {
      ok: false,
      reason: "expired",
      message: `the code expired at ${claims.expiresAt.toISOString()}`,
      claims,
    };
  }
  if (options.isRevoked?.(claims.id)) {
    return { ok: false, reason: "revoked", message: "this ticket was cancelled", claims };
  }
  return { ok: true, claims };
}

/**
 * The digest a code is recorded under when it is issued: SHA-256 of the code, base64url. A presented code with the
 * recorded digest is the very code that was signed, so a server that recorded it need not check the signature again.
 */
export function tokenDigest(code: string): string {
  return createHash("sha256").update(code.trim()).digest("base64url");
}

const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();

/** The public key from its raw 32 bytes in base64url (the form kiosks and WebCrypto import). */
export function publicKeyFromRaw(raw: string): KeyObject {
  let key = publicKeys.get(raw);
  if (!key) {
    key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw }, format: "jwk" });
    publicKeys.set(raw, key);
  }
  return key;
}

/** The private key from its PKCS#8 PEM. */
export function privateKeyFromPem(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) {
    key = createPrivateKey(pem);
    privateKeys.set(pem, key);
  }
  return key;
}

/** Raw 32-byte public key in base64url. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" }) as { x?: string };
  if (!jwk.x) throw new Error("not an Ed25519 public key");
  return jwk.x;
}
