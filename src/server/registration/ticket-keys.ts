import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { sql } from "drizzle-orm";
import { privateKeyFromPem, publicKeyFromRaw, rawPublicKey } from "../../core/tickets/index.ts";
import { rows, type Tx } from "../../db/client.ts";

export interface EventKeys {
  /** Raw Ed25519 public key, base64url: what kiosks hold. */
  publicKeyRaw: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/**
 * The event's ticket key pair, generated and stored on first use. Two first uses at once both try to store a pair;
 * the update only fills empty columns, so exactly one pair wins and both callers return it.
 */
export async function eventKeys(tx: Tx, orgId: string, eventId: string): Promise<EventKeys> {
  const [current] = await rows<{ pub: string | null; priv: string | null }>(
    tx,
    sql`select ticket_public_key as pub, ticket_private_key as priv from events where org_id = ${orgId} and id = ${eventId}`,
  );
  if (current?.pub && current.priv) return toKeys(current.pub, current.priv);
  const pair = generateKeyPairSync("ed25519");
  const pub = rawPublicKey(pair.publicKey);
  const priv = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  await tx.execute(
    sql`update events set ticket_public_key = ${pub}, ticket_private_key = ${priv}
        where org_id = ${orgId} and id = ${eventId} and ticket_public_key is null`,
  );
  const [stored] = await rows<{ pub: string; priv: string }>(
    tx,
    sql`select ticket_public_key as pub, ticket_private_key as priv from events where org_id = ${orgId} and id = ${eventId}`,
  );
  return toKeys(stored!.pub, stored!.priv);
}

function toKeys(pub: string, priv: string): EventKeys {
  return { publicKeyRaw: pub, publicKey: publicKeyFromRaw(pub), privateKey: privateKeyFromPem(priv) };
}
