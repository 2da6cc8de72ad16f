import { createHash, randomBytes } from "node:crypto";

/** A random bearer secret, URL-safe. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Only hashes of secrets are stored, so a database leak reveals no usable session or key. */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
