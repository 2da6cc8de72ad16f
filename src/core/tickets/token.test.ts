import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildRevocationList, revokedChecker } from "./revocation.ts";
import {
  decodeToken,
  publicKeyFromRaw,
  rawPublicKey,
  signToken,
  type TokenClaims,
  verifyToken,
} from "./token.ts";

const pair = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
const claims: TokenClaims = {
  kind: "ticket",
  id: "6f1c2a3b-0000-4000-8000-000000000001",
  eventId: "6f1c2a3b-0000-4000-8000-0000000000e1",
  subjectId: "6f1c2a3b-0000-4000-8000-0000000000a1",
  expiresAt: new Date("2025-10-16T00:00:00Z"),
};
const now = new Date("2025-10-14T09:00:00Z");

describe("ticket tokens", () => {
  it("round-trips claims through a 160-character code", () => {
    const token = signToken(claims, pair.privateKey);
    expect(token).toMatch(/^TL1\.[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(160);
    expect(decodeToken(token)).toEqual(claims);
    const result = verifyToken(token, pair.publicKey, { now, kind: "ticket", eventId: claims.eventId });
    expect(result).toEqual({ ok: true, claims });
  });

  it("verifies with the raw public key a kiosk holds", () => {
    const token = signToken(claims, pair.privateKey);
    const kioskKey = publicKeyFromRaw(rawPublicKey(pair.publicKey));
    expect(verifyToken(token, kioskKey, { now, kind: "ticket" }).ok).toBe(true);
  });

  it("rejects a token signed by another key as forged", () => {
    const token = signToken(claims, other.privateKey);
    expect(verifyToken(token, pair.publicKey, { now, kind: "ticket" })).toMatchObject({
      ok: false,
      reason: "forged",
    });
  });

  it("rejects a token whose person was changed after signing as forged", () => {
    const token = signToken(claims, pair.privateKey);
    const buf = Buffer.from(token.slice(4), "base64url");
    buf[40] = (buf[40] ?? 0) ^ 0xff;
    const tampered = `TL1.${buf.toString("base64url")}`;
    expect(verifyToken(tampered, pair.publicKey, { now, kind: "ticket" })).toMatchObject({
      reason: "forged",
    });
  });

  it("rejects expired, revoked, wrong-event, wrong-kind and malformed tokens with their reason", () => {
    const token = signToken(claims, pair.privateKey);
    const later = new Date("2025-10-16T00:00:00Z");
    expect(verifyToken(token, pair.publicKey, { now: later, kind: "ticket" })).toMatchObject({
      reason: "expired",
    });
    const list = buildRevocationList(claims.eventId, [claims.id, claims.id], now);
    expect(list.ticketIds).toEqual([claims.id]);
    expect(
      verifyToken(token, pair.publicKey, { now, kind: "ticket", isRevoked: revokedChecker(list) }),
    ).toMatchObject({ reason: "revoked", message: "this ticket was cancelled" });
    expect(
      verifyToken(token, pair.publicKey, {
        now,
        kind: "ticket",
        eventId: "6f1c2a3b-0000-4000-8000-0000000000e2",
      }),
    ).toMatchObject({ reason: "wrong_event" });
    expect(verifyToken(token, pair.publicKey, { now, kind: "rsvp" })).toMatchObject({ reason: "wrong_kind" });
    for (const bad of ["", "hello", "TL1.abc", `TL2.${token.slice(4)}`]) {
      expect(verifyToken(bad, pair.publicKey, { now, kind: "ticket" })).toMatchObject({
        reason: "malformed",
      });
    }
  });
});
