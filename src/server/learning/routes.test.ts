import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signedIn, testApp } from "../../../test/app.ts";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { addAccount, addEvent } from "./test-world.ts";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by shape in tests
type Json = any;

let db: Database;
let orgId: string;
let app: ReturnType<typeof testApp>;
let educator: Record<string, string>;
let viewer: Record<string, string>;

beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  app = testApp(db);
  educator = await signedIn(app, await addUser(db, orgId, "educator"));
  viewer = await signedIn(app, await addUser(db, orgId, "viewer"));
  await addAccount(db, orgId, { name: "Acme", externalId: "A-1" });
});
afterAll(async () => db.close());

async function call(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("learning routes at the HTTP edge", () => {
  it("imports usage CSV and tickets CSV, takes usage events as JSON, and keeps roles", async () => {
    const csv = "external_id,account,feature,time\nx1,A-1,reports,2025-03-01T10:00:00Z\n";
    const r = await call(
      "POST",
      "/api/imports/product-usage?fileName=u.csv",
      { ...educator, "content-type": "text/csv" },
      csv,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: "product-usage", status: "done", rowsInserted: 1 });
    const forbidden = await call(
      "POST",
      "/api/imports/product-usage",
      { ...viewer, "content-type": "text/csv" },
      csv,
    );
    expect(forbidden.status).toBe(403);
    const t = await call(
      "POST",
      "/api/imports/support-tickets?mode=keep_valid",
      { ...educator, "content-type": "text/csv" },
      "external_id,account,topic,opened_at\nt1,A-1,Reports,2025-03-02T10:00:00Z\nt2,A-404,Reports,2025-03-02T10:00:00Z\n",
    );
    expect(t.body).toMatchObject({
      status: "done",
      rowsInserted: 1,
      rowsRejected: 1,
      errors: [{ row: 2, field: "account" }],
    });
    const events = (n: string, account = "A-1") =>
      JSON.stringify({
        events: [{ externalId: n, account, feature: "reports", time: "2025-03-03T10:00:00Z" }],
      });
    expect((await call("POST", "/api/product-usage", educator, events("j1"))).body).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
    expect((await call("POST", "/api/product-usage", educator, events("j1"))).body).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
    const bad = await call("POST", "/api/product-usage", educator, events("j2", "nope"));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('events.0.account: no account with external_id "nope"');
  });

  it("serves the adoption report, the summaries, and an OpenAPI document that lists the learning routes", async () => {
    const { eventId } = await addEvent(db, orgId, {
      type: "customer_training",
      startsAt: "2025-03-10T09:00:00Z",
      endsAt: "2025-03-10T10:00:00Z",
      sessions: [
        {
          title: "Reports",
          startsAt: "2025-03-10T09:00:00Z",
          endsAt: "2025-03-10T10:00:00Z",
          features: ["reports"],
          topics: ["Reports"],
        },
      ],
    });
    const a = await call("GET", `/api/events/${eventId}/adoption`, viewer);
    expect(a.status).toBe(200);
    expect(a.body.indicators).toEqual({ trainedPeople: 0, trainedAccounts: 0, candidateControlAccounts: 0 });
    expect(a.body.matching.status).toBe("no_comparison");
    expect((await call("GET", "/api/adoption", viewer)).status).toBe(200);
    const s = await call("GET", "/api/learning/summary", viewer);
    expect(s.body).toMatchObject({ type: "cme_activity", activities: 0, pooled: null });
    const learning = await call("GET", `/api/events/${eventId}/learning`, viewer);
    expect(learning.body).toMatchObject({ baseline: "no baseline", report: null });
    const doc = await call("GET", "/api/openapi.json", {});
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/events/{id}/learning",
        "/api/events/{id}/adoption",
        "/api/learn/{token}",
        "/api/journeys",
      ]),
    );
  });
});
