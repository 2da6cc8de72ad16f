import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../../test/db.ts";
import type { Database } from "../../db/client.ts";
import { accounts, people, productUsageEvents, supportTickets } from "../../db/schema/index.ts";
import { importTickets } from "../tickets/import-tickets.ts";
import { importUsage } from "./import-usage.ts";

let db: Database;
let orgId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  orgId = await createTestOrg(db);
  await db.withOrg(orgId, async (tx) => {
    const [acme] = await tx.insert(accounts).values({ orgId, name: "Acme", externalId: "A-1" }).returning();
    await tx.insert(accounts).values({ orgId, name: "Globex", externalId: "A-2" });
    await tx.insert(people).values({ orgId, accountId: acme!.id, email: "ann@acme.test", externalId: "P-1" });
  });
});
afterAll(async () => db.close());

const usageCsv = [
  "external_id,account,person,feature,time,guided",
  "u1,A-1,ann@acme.test,reports,2025-03-01T10:00:00Z,false",
  "u2,A-1,P-1,dashboards,2025-03-02T10:00:00+01:00,",
  "u3,A-2,,reports,2025-03-03T10:00:00Z,yes",
].join("\n");

describe("product usage and support ticket imports", () => {
  it("imports usage and is idempotent by external id", async () => {
    const first = await importUsage(db, orgId, usageCsv, { fileName: "usage.csv" });
    expect(first).toMatchObject({
      status: "done",
      rowsTotal: 3,
      rowsInserted: 3,
      rowsUnchanged: 0,
      errors: [],
    });
    const again = await importUsage(db, orgId, usageCsv, { fileName: "usage.csv" });
    expect(again).toMatchObject({ status: "done", rowsInserted: 0, rowsUnchanged: 3 });
    const changed = await importUsage(db, orgId, usageCsv.replace("u3,A-2,,reports", "u3,A-2,,exports"), {
      fileName: "usage.csv",
    });
    expect(changed).toMatchObject({ rowsInserted: 1, rowsUpdated: 1, rowsUnchanged: 2 });
    const rows = await db.withOrg(orgId, (tx) =>
      tx.select().from(productUsageEvents).where(eq(productUsageEvents.orgId, orgId)),
    );
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.externalId === "u3")).toMatchObject({
      feature: "exports",
      guided: true,
      personId: null,
    });
    expect(rows.find((r) => r.externalId === "u2")!.occurredAt.toISOString()).toBe(
      "2025-03-02T09:00:00.000Z",
    );
  });

  it("refuses the whole file with row-numbered errors, or keeps the valid rows when asked", async () => {
    const bad = [
      "external_id,account,person,feature,time",
      "v1,A-1,,reports,2025-03-01T10:00:00Z",
      "v2,A-9,,reports,2025-03-01T10:00:00Z",
      "v3,A-1,nobody@x.test,reports,2025-03-01",
      "v1,A-1,,reports,2025-03-01T11:00:00Z",
    ].join("\n");
    const refused = await importUsage(db, orgId, bad, { fileName: "bad.csv" });
    expect(refused.status).toBe("refused");
    expect(refused.errors).toEqual([
      { row: 2, field: "account", reason: 'no account with external_id "A-9"' },
      {
        row: 3,
        field: "time",
        reason: 'not a date/time with a zone ("2025-03-01"); write e.g. 2025-03-01T14:30:00Z',
      },
      { row: 4, field: "external_id", reason: "repeats row 1" },
    ]);
    const kept = await importUsage(db, orgId, bad, { fileName: "bad.csv", mode: "keep_valid" });
    expect(kept).toMatchObject({ status: "done", rowsInserted: 1, rowsRejected: 3 });
    const header = await importUsage(db, orgId, "id,account\n1,A-1", { fileName: "h.csv" });
    expect(header.errors[0]).toEqual({
      row: 0,
      field: "external_id",
      reason: "required column missing from the header",
    });
  });

  it("imports support tickets with topics, idempotently", async () => {
    const csv = [
      "external_id,account,person,topic,subject,opened_at,closed_at",
      't1,A-1,ann@acme.test,Reports,"Export, then ""what""?",2025-03-05T09:00:00Z,2025-03-06T09:00:00Z',
      "t2,A-2,,Billing,,2025-03-07T09:00:00Z,",
      "t3,A-2,,Billing,,2025-03-07T09:00:00Z,2025-03-01T00:00:00Z",
    ].join("\n");
    const r = await importTickets(db, orgId, csv, { fileName: "t.csv", mode: "keep_valid" });
    expect(r).toMatchObject({
      rowsInserted: 2,
      rowsRejected: 1,
      errors: [{ row: 3, field: "closed_at", reason: "is before opened_at" }],
    });
    const again = await importTickets(db, orgId, csv, { fileName: "t.csv", mode: "keep_valid" });
    expect(again).toMatchObject({ rowsInserted: 0, rowsUnchanged: 2 });
    const rows = await db.withOrg(orgId, (tx) =>
      tx.select().from(supportTickets).where(eq(supportTickets.orgId, orgId)),
    );
    expect(rows.find((t) => t.externalId === "t1")!.subject).toBe('Export, then "what"?');
  });
});
