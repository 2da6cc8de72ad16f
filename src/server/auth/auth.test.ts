import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, orgWithAdmin, signedIn, type TestApp, type TestUser, testApp } from "../../../test/app.ts";
import { openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";

let db: Database;
let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  db = await openTestDatabase();
  app = testApp(db);
  admin = await orgWithAdmin(db);
});
afterAll(async () => {
  await db.close();
});

describe("sign-in", () => {
  it("sets an HttpOnly session cookie and answers /me with the user and organization", async () => {
    const res = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: admin.email.toUpperCase(), password: admin.password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/tl_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await app.request("/api/auth/me", { headers: { cookie: cookie.split(";")[0]! } });
    const body = (await me.json()) as { user: { email: string; role: string }; organization: { id: string } };
    expect(body.user.email).toBe(admin.email);
    expect(body.user.role).toBe("admin");
    expect(body.organization.id).toBe(admin.orgId);
  });

  it("lists the organization's users to any signed-in role, and no other organization's", async () => {
    const rep = await addUser(db, admin.orgId, "rep");
    const stranger = await orgWithAdmin(db);
    const res = await app.request("/api/users", { headers: await signedIn(app, rep) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { users: { id: string; email: string; role: string }[] };
    const ids = body.users.map((u) => u.id);
    expect(ids).toContain(admin.userId);
    expect(ids).toContain(rep.userId);
    expect(ids).not.toContain(stranger.userId);
    expect(body.users.find((u) => u.id === rep.userId)).toMatchObject({ email: rep.email, role: "rep" });
    expect((await app.request("/api/users")).status).toBe(401);
  });

  it("refuses a wrong password and an unknown email with the same message", async () => {
    const wrong = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: admin.email, password: "nope" }),
    });
    const unknown = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ghost@example.test", password: "nope" }),
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      ((await unknown.json()) as { error: { message: string } }).error.message,
    );
  });

  it("names the field of a malformed sign-in body", async () => {
    const res = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not-an-email", password: "x" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; field: string } };
    expect(body.error).toMatchObject({ code: "validation", field: "email" });
  });

  it("rate-limits repeated failures for one email", async () => {
    const victim = await addUser(db, admin.orgId, "viewer");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await app.request("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: victim.email, password: `wrong-${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe("access", () => {
  it("requires the CSRF token for cookie-authenticated writes", async () => {
    const headers = await signedIn(app, admin);
    const withoutToken = await app.request("/api/api-keys", {
      method: "POST",
      headers: { cookie: headers.cookie!, "content-type": "application/json" },
      body: JSON.stringify({ name: "ci" }),
    });
    expect(withoutToken.status).toBe(403);
    const withToken = await app.request("/api/api-keys", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "ci" }),
    });
    expect(withToken.status).toBe(201);
  });

  it("accepts an API key shown once, stores only its hash, and refuses it after revocation", async () => {
    const headers = await signedIn(app, admin);
    const created = (await (
      await app.request("/api/api-keys", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "export" }),
      })
    ).json()) as { id: string; secret: string };
    expect(created.secret).toMatch(/^tl_/);
    const listed = await (await app.request("/api/api-keys", { headers })).text();
    expect(listed).not.toContain(created.secret);
    const viaKey = await app.request("/api/events", {
      headers: { authorization: `Bearer ${created.secret}` },
    });
    expect(viaKey.status).toBe(200);
    await app.request(`/api/api-keys/${created.id}`, { method: "DELETE", headers });
    const revoked = await app.request("/api/events", {
      headers: { authorization: `Bearer ${created.secret}` },
    });
    expect(revoked.status).toBe(401);
  });

  it("checks the role on every route", async () => {
    const viewer = await addUser(db, admin.orgId, "viewer");
    const headers = await signedIn(app, viewer);
    expect((await app.request("/api/events", { headers })).status).toBe(200);
    const res = await app.request("/api/api-keys", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "x" }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("admin");
  });

  it("declares allowed roles for every signed-in route in the OpenAPI document", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; "x-roles"?: string[] }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(4);
    const publicOps = new Set(["get /api/health", "post /api/auth/sign-in"]);
    for (const { path, method, op } of operations) {
      // Public pages (no sign-in) live under /api/public/; learner links under /api/learn/ carry a signed token.
      if (
        publicOps.has(`${method} ${path}`) ||
        path.startsWith("/api/public/") ||
        path.startsWith("/api/learn/")
      ) {
        continue;
      }
      expect({ path, method, roles: op["x-roles"]?.length ?? 0 }).toMatchObject({
        roles: expect.any(Number),
      });
      expect(op["x-roles"]!.length).toBeGreaterThan(0);
    }
  });

  it("answers unknown API paths and bad JSON with the error shape", async () => {
    const missing = await app.request("/api/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
    const bad = await app.request("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: expect.stringMatching(/bad_request|validation/) },
    });
  });

  it("reports the database kind and migration version on /api/health", async () => {
    const res = await app.request("/api/health");
    expect(await res.json()).toEqual({
      status: "ok",
      database: { kind: db.kind, migrationVersion: 2, ok: true },
    });
  });
});
