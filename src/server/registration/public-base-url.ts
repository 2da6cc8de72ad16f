import type { Context } from "hono";
import type { AppEnv } from "../context.ts";

/** Where links in emails point: the configured public URL, or the origin the request came to. */
export function publicBaseUrl(c: Context<AppEnv>): string {
  return (c.get("services").config.THROUGHLINE_PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, "");
}
