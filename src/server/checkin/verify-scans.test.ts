import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rawPublicKey, signToken, type TokenClaims, verifyToken } from "../../core/tickets/index.ts";
import { verifyTicketCode } from "./verify-scans.ts";

describe("checking a ticket code on the thread pool", () => {
  it("gives the same verdict, reason and message as verifyToken, also for a code seen before", async () => {
    const pair = generateKeyPairSync("ed25519");
    const stranger = generateKeyPairSync("ed25519");
    const pub = rawPublicKey(pair.publicKey);
    const eventId = randomUUID();
    const now = new Date("2030-03-01T10:00:00Z");
    const claims = (over: Partial<TokenClaims> = {}): TokenClaims => ({
      kind: "ticket",
      id: randomUUID(),
      eventId,
      subjectId: randomUUID(),
      expiresAt: new Date("2030-03-02T00:00:00Z"),
      ...over,
    });
    const good = signToken(claims(), pair.privateKey);
    const codes = [
      good,
      ` ${good} `,
      signToken(claims(), stranger.privateKey),
      signToken(claims({ kind: "kiosk" }), pair.privateKey),
      signToken(claims({ eventId: randomUUID() }), pair.privateKey),
      signToken(claims({ expiresAt: new Date("2030-03-01T09:00:00Z") }), pair.privateKey),
      `${good.slice(0, -4)}AAAA`,
      "hello",
      "TL1.AAAA",
    ];
    for (const round of [1, 2]) {
      for (const code of codes) {
        const expected = verifyToken(code, pair.publicKey, { now, kind: "ticket", eventId });
        const verdict = await verifyTicketCode(code, pub, eventId, now);
        if (expected.ok) {
          expect(verdict, `round ${round}`).toEqual({
            kind: "ticket",
            ticketId: expected.claims.id,
            personId: expected.claims.subjectId,
          });
        } else {
          expect(verdict, `round ${round}: ${code}`).toEqual({
            kind: "reject",
            reason: expected.reason,
            message: expected.message,
          });
        }
      }
    }
  });
});
