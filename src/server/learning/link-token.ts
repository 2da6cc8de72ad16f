import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import type { Database, Tx } from "../../db/client.ts";
import { learningLinkKeys } from "../../db/schema/index.ts";

/**
 * Signed learner links: no account, the link is the credential. A token is `<payload>.<mac>`, both base64url; the
 * payload names the organization, what the link opens and the row it opens, and the MAC is HMAC-SHA-256 under the
 * organization's own key (learning_link_keys). Reading the key needs the organization, which the payload names;
 * nothing else is read before the MAC checks out.
 */
export const linkKinds = ["attempt", "commitments", "follow_up", "drill", "credit"] as const;
export type LinkKind = (typeof linkKinds)[number];

const payloadSchema = z
  .object({
    v: z.literal(1),
    o: z.uuid(),
    k: z.enum(linkKinds),
    /** The row the link opens: attempt id, commitment id, or event id (commitments, drill, credit links). */
    i: z.uuid(),
    /** The learner (person id) for links that open an event on someone's behalf. */
    p: z.uuid().optional(),
  })
  .strict();
export type LinkPayload = z.infer<typeof payloadSchema>;

async function orgKey(tx: Tx, orgId: string, create: boolean): Promise<Buffer | null> {
  const [row] = await tx.select().from(learningLinkKeys).where(eq(learningLinkKeys.orgId, orgId));
  if (row) return Buffer.from(row.secret, "base64url");
  if (!create) return null;
  const secret = randomBytes(32).toString("base64url");
  await tx.insert(learningLinkKeys).values({ orgId, secret }).onConflictDoNothing();
  const [again] = await tx.select().from(learningLinkKeys).where(eq(learningLinkKeys.orgId, orgId));
  return Buffer.from(again!.secret, "base64url");
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

/** Signs a link for the caller's organization (creates the organization's key on first use). */
export async function signLink(tx: Tx, payload: Omit<LinkPayload, "v">): Promise<string> {
  const key = (await orgKey(tx, payload.o, true))!;
  const body = Buffer.from(JSON.stringify({ v: 1, ...payload })).toString("base64url");
  return `${body}.${mac(key, body).toString("base64url")}`;
}

const BAD_LINK =
  "this link is not valid: it may be incomplete or changed; open the link from your email again";

/** Checks a token and returns what it names; a malformed, foreign or altered token is refused. */
export async function verifyLink(db: Database, token: string, kind?: LinkKind): Promise<LinkPayload> {
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined || token.length > 1000) throw new AppError("not_found", BAD_LINK);
  let payload: LinkPayload;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    throw new AppError("not_found", BAD_LINK);
  }
  const key = await db.withOrg(payload.o, (tx) => orgKey(tx, payload.o, false));
  const given = Buffer.from(sig, "base64url");
  const expected = key ? mac(key, body) : null;
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError("not_found", BAD_LINK);
  }
  if (kind && payload.k !== kind)
    throw new AppError("not_found", `this link does not open ${kind.replace("_", " ")}`);
  return payload;
}

/** The web address a learner opens for a token. */
export function learnerUrl(publicUrl: string | undefined, token: string): string {
  return `${(publicUrl ?? "http://localhost:3000").replace(/\/$/, "")}/learn/${token}`;
}
