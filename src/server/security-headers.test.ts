import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
import { loadConfig } from "../config.ts";
import type { Database } from "../db/client.ts";
import { createApp } from "./app.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("same-origin");
}

describe("security headers", () => {
  it("go with JSON answers, errors, the web app's files and responses a handler builds itself", async () => {
    const webDir = mkdtempSync(join(tmpdir(), "throughline-web-"));
    mkdirSync(join(webDir, "assets"));
    writeFileSync(join(webDir, "index.html"), "<!doctype html><title>Throughline</title>");
    writeFileSync(join(webDir, "assets", "app.js"), "console.log(1)");
    const app = createApp(
      { db, config: loadConfig({}), migrationVersion: 2, now: () => new Date() },
      { webDir },
    );
    const plain = createApp({ db, config: loadConfig({}), migrationVersion: 2, now: () => new Date() });
    plain.get("/built-by-hand", () => new Response("made by the handler", { headers: { "x-made": "1" } }));

    const time = await app.request("/api/public/time");
    expect(time.status).toBe(200);
    expect(((await time.json()) as { now: string }).now).toMatch(/^\d{4}-/);
    expectSecurityHeaders(time);

    const missing = await app.request("/api/no-such-route");
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);

    const unauthenticated = await app.request("/api/users");
    expect(unauthenticated.status).toBe(401);
    expectSecurityHeaders(unauthenticated);

    const asset = await app.request("/assets/app.js");
    expect(await asset.text()).toBe("console.log(1)");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expectSecurityHeaders(asset);

    const page = await app.request("/events/123");
    expect(await page.text()).toContain("<title>Throughline</title>");
    expectSecurityHeaders(page);

    const byHand = await plain.request("/built-by-hand");
    expect(await byHand.text()).toBe("made by the handler");
    expect(byHand.headers.get("x-made")).toBe("1");
    expectSecurityHeaders(byHand);
  });
});
