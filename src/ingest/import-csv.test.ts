import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestOrg, openTestDatabase } from "../../test/db.ts";
import { type Database, rows } from "../db/client.ts";
import { exportCsv } from "./export-csv.ts";
import { formatRowError, type ImportOptions, importCsv } from "./import-csv.ts";
import { type ImportKind, pgArray } from "./kinds/index.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const lines = (...l: string[]) => `${l.join("\r\n")}\r\n`;

function load(orgId: string, kind: ImportKind, text: string, options: Partial<ImportOptions> = {}) {
  // Chunks of 7 characters: every import also exercises records cut across chunks.
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 7) chunks.push(text.slice(i, i + 7));
  return importCsv(db, orgId, kind, chunks, { fileName: `${kind}.csv`, ...options });
}

async function exported(orgId: string, kind: ImportKind): Promise<string> {
  let out = "";
  for await (const chunk of exportCsv(db, orgId, kind, { pageSize: 2 })) out += chunk;
  return out;
}

const count = async (orgId: string, table: string) =>
  (
    await db.withOrg(orgId, (tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.raw(table)}`),
    )
  )[0]!.n;

const ACCOUNTS = lines(
  "external_id,name,domain,segment,industry,employees,territory",
  "A-1,Acme,acme.test,enterprise,manufacturing,5200,EMEA",
  'A-2,"Globex, Inc.",globex.test,mid_market,,120,',
  'A-3,"The ""Best"" Co","","","","",""',
);
const PEOPLE = lines(
  "external_id,email,first_name,last_name,title,account_external_id,buying_role",
  "P-1,ann@acme.test,Ann,Lee,VP Finance,A-1,economic_buyer",
  "P-2,Bob@Globex.test,Bob,Ng,,A-2,champion",
  'P-3,cy@example.test,Cy,"O\'Neil","Head of\nOperations",,',
);
const OPPORTUNITIES = lines(
  "external_id,account_external_id,name,amount,currency,stage,opened_at,closed_at,is_won,source",
  "O-1,A-1,Acme expansion,1234.50,USD,proposal,2024-01-10T09:00:00Z,,,event",
  "O-2,A-2,Globex new logo,250000,JPY,closed_won,2024-02-01T00:00:00+09:00,2024-05-01T12:30:00.25Z,true,inbound",
  "O-3,A-1,Acme renewal,,,closed_lost,2024-03-01T10:00:00Z,2024-04-01T10:00:00Z,false,",
);
const STAGE_CHANGES = lines(
  "external_id,opportunity_external_id,from_stage,to_stage,changed_at",
  "S-1,O-1,,prospecting,2024-01-10T09:00:00Z",
  "S-2,O-1,prospecting,proposal,2024-02-10T09:00:00Z",
  "S-3,O-2,negotiation,closed_won,2024-05-01T12:30:00Z",
);
const TOUCHPOINTS = lines(
  "external_id,source,occurred_at,channel,kind,online,person_email,person_external_id,account_external_id,event_external_id,campaign,metadata",
  'T-1,marketo,2024-01-05T10:00:00Z,email,open,true,ANN@acme.test,,A-1,,spring,"{""utm"":""news"",""n"":1}"',
  "T-2,marketo,2024-01-06T10:00:00Z,web,visit,true,,P-2,,,,",
  "T-3,booth,2024-01-07T15:00:00+01:00,event,scan,false,,P-1,A-1,EV-1,,",
  "T-1,segment,2024-01-08T10:00:00Z,web,visit,true,,,,,,",
);

/** Loads the five kinds in dependency order (plus one event for touchpoints to point at). */
async function loadAll(
  orgId: string,
  texts = { ACCOUNTS, PEOPLE, OPPORTUNITIES, STAGE_CHANGES, TOUCHPOINTS },
) {
  await db.withOrg(orgId, (tx) =>
    tx.execute(sql`insert into events (org_id, external_id, name, slug, type, format, starts_at, ends_at, time_zone)
      values (${orgId}, 'EV-1', 'Summit', 'summit', 'conference', 'tactical', now(), now(), 'UTC')`),
  );
  return {
    accounts: await load(orgId, "accounts", texts.ACCOUNTS),
    people: await load(orgId, "people", texts.PEOPLE),
    opportunities: await load(orgId, "opportunities", texts.OPPORTUNITIES),
    stageChanges: await load(orgId, "stage-changes", texts.STAGE_CHANGES),
    touchpoints: await load(orgId, "touchpoints", texts.TOUCHPOINTS),
  };
}

describe("importCsv", () => {
  it("imports each kind, resolving references by external id and e-mail", async () => {
    const org = await createTestOrg(db);
    const results = await loadAll(org);
    for (const r of Object.values(results)) {
      expect({ kind: r.kind, status: r.status, errors: r.errors }).toEqual({
        kind: r.kind,
        status: "done",
        errors: [],
      });
      expect(r.rowsInserted).toBe(r.rowsTotal);
    }
    expect(results.touchpoints.rowsTotal).toBe(4);
    const opps = await db.withOrg(org, (tx) =>
      rows<{
        external_id: string;
        amount_minor: number;
        currency: string;
        account: string;
        is_won: boolean | null;
      }>(
        tx,
        sql`select o.external_id, o.amount_minor, o.currency, a.external_id as account, o.is_won
            from opportunities o join accounts a on a.id = o.account_id order by o.external_id`,
      ),
    );
    expect(opps).toEqual([
      { external_id: "O-1", amount_minor: 123450, currency: "USD", account: "A-1", is_won: null },
      { external_id: "O-2", amount_minor: 250000, currency: "JPY", account: "A-2", is_won: true },
      { external_id: "O-3", amount_minor: 0, currency: "USD", account: "A-1", is_won: false },
    ]);
    const touches = await db.withOrg(org, (tx) =>
      rows<{ external_id: string; person: string | null; event: string | null; metadata: unknown }>(
        tx,
        sql`select t.external_id || '/' || t.source as external_id, p.external_id as person, e.external_id as event,
              t.metadata
            from touchpoints t left join people p on p.id = t.person_id left join events e on e.id = t.event_id
            order by t.occurred_at`,
      ),
    );
    expect(touches).toEqual([
      { external_id: "T-1/marketo", person: "P-1", event: null, metadata: { utm: "news", n: 1 } },
      { external_id: "T-2/marketo", person: "P-2", event: null, metadata: null },
      { external_id: "T-3/booth", person: "P-1", event: "EV-1", metadata: null },
      { external_id: "T-1/segment", person: null, event: null, metadata: null },
    ]);
    const [person] = await db.withOrg(org, (tx) =>
      rows<{ title: string; last_name: string }>(
        tx,
        sql`select title, last_name from people where external_id = 'P-3'`,
      ),
    );
    expect(person).toEqual({ title: "Head of\nOperations", last_name: "O'Neil" });
  });

  it("adds nothing when the same files are imported again", async () => {
    const org = await createTestOrg(db);
    await loadAll(org);
    const again = [
      await load(org, "accounts", ACCOUNTS),
      await load(org, "people", PEOPLE),
      await load(org, "opportunities", OPPORTUNITIES),
      await load(org, "stage-changes", STAGE_CHANGES),
      await load(org, "touchpoints", TOUCHPOINTS),
    ];
    for (const r of again) {
      expect({ kind: r.kind, inserted: r.rowsInserted, unchanged: r.rowsUnchanged }).toEqual({
        kind: r.kind,
        inserted: 0,
        unchanged: r.rowsTotal,
      });
    }
    expect(await count(org, "touchpoints")).toBe(4);
    expect(await count(org, "accounts")).toBe(3);
  });

  it("updates a changed account, leaves columns missing from the header alone, and keeps touchpoints append-only", async () => {
    const org = await createTestOrg(db);
    await loadAll(org);
    const changed = await load(
      org,
      "accounts",
      lines("external_id,name,employees", "A-1,Acme,6000", "A-2,Globex, Inc.,120"),
    );
    // A-2's name is unquoted here, so the row has 4 fields: rejected, the whole file refused.
    expect(changed.status).toBe("refused");
    const fixed = await load(
      org,
      "accounts",
      lines("external_id,name,employees", "A-1,Acme,6000", 'A-2,"Globex, Inc.",120'),
    );
    expect(fixed).toMatchObject({
      status: "done",
      rowsTotal: 2,
      rowsInserted: 1,
      rowsUpdated: 1,
      rowsUnchanged: 1,
    });
    const [run] = await db.withOrg(org, (tx) =>
      rows<{ rows_inserted: number; rows_updated: number; rows_unchanged: number }>(
        tx,
        sql`select rows_inserted, rows_updated, rows_unchanged from import_runs where id = ${fixed.runId}`,
      ),
    );
    expect(run).toEqual({ rows_inserted: 1, rows_updated: 1, rows_unchanged: 1 });
    const [acme] = await db.withOrg(org, (tx) =>
      rows<{ employees: number; domain: string }>(
        tx,
        sql`select employees, domain from accounts where external_id = 'A-1'`,
      ),
    );
    expect(acme).toEqual({ employees: 6000, domain: "acme.test" });
    const touch = await load(
      org,
      "touchpoints",
      lines(
        "external_id,source,occurred_at,channel,kind,online",
        "T-2,marketo,2030-01-01T00:00:00Z,ads,click,true",
      ),
    );
    expect(touch).toMatchObject({ status: "done", rowsInserted: 0, rowsUnchanged: 1 });
    const repeated = await load(
      org,
      "touchpoints",
      lines(
        "external_id,source,occurred_at,channel,kind,online",
        "T-50,web,2024-01-01T00:00:00Z,web,visit,true",
        "T-50,web,2024-01-02T00:00:00Z,web,visit,true",
      ),
    );
    expect(repeated).toMatchObject({ status: "done", rowsInserted: 1, rowsUnchanged: 1 });
  });

  it("refuses the whole file when one row is bad, writing nothing and listing every bad row", async () => {
    const org = await createTestOrg(db);
    await loadAll(org, {
      ACCOUNTS,
      PEOPLE,
      OPPORTUNITIES,
      STAGE_CHANGES,
      TOUCHPOINTS: lines("external_id,source,occurred_at,channel,kind,online"),
    });
    const header =
      "external_id,source,occurred_at,channel,kind,online,person_email,person_external_id,account_external_id,event_external_id,campaign,metadata";
    const good = (i: number) => `G-${i},web,2024-01-0${(i % 9) + 1}T10:00:00Z,web,visit,true,,,,,,`;
    const text = lines(
      header,
      good(1),
      good(2),
      good(3),
      good(4),
      good(5),
      good(6),
      "B-7,web,2024-13-01,web,visit,true,,,,,,",
      good(8),
      "B-9,web,2024-01-01T10:00:00Z,fax,visit,maybe,,P-404,,,,[1]",
      good(10),
      "",
      good(12),
    );
    const result = await load(org, "touchpoints", text, { batchSize: 3 });
    expect(result.status).toBe("refused");
    expect(result).toMatchObject({ rowsTotal: 11, rowsInserted: 0, rowsRejected: 2 });
    expect(result.errors.map(formatRowError)).toEqual([
      'row 7, field occurred_at: not a date/time with a zone ("2024-13-01"); write e.g. 2024-03-01T09:30:00Z',
      'row 9, field channel: not one of email, web, ads, content, social, event, conversation, meeting, call, webinar, partner, direct ("fax")',
      'row 9, field online: not true or false ("maybe")',
      'row 9, field metadata: not a JSON object {…} ("[1]")',
    ]);
    expect(await count(org, "touchpoints")).toBe(0);
    const [run] = await db.withOrg(org, (tx) =>
      rows<{ status: string; rows_rejected: number; errors: unknown[] }>(
        tx,
        sql`select status, rows_rejected, errors from import_runs where id = ${result.runId}`,
      ),
    );
    expect(run).toMatchObject({ status: "refused", rows_rejected: 2 });
    expect(run!.errors).toHaveLength(4);
  });

  it("refuses a kind or campaign that is too long or holds a separator, naming the row and field", async () => {
    const org = await createTestOrg(db);
    const header = "external_id,source,occurred_at,channel,kind,online,campaign";
    const text = lines(
      header,
      "G-1,web,2024-01-01T10:00:00Z,web,visit,true,spring",
      `B-2,web,2024-01-01T10:00:00Z,web,${"k".repeat(65)},true,`,
      "B-3,web,2024-01-01T10:00:00Z,web,visit,true,spring\u001epush",
      `G-4,web,2024-01-01T10:00:00Z,web,${"k".repeat(64)},true,${"c".repeat(255)}`,
    );
    const result = await load(org, "touchpoints", text);
    expect(result.status).toBe("refused");
    expect(result.errors.map(formatRowError)).toEqual([
      `row 2, field kind: longer than 64 characters ("${"k".repeat(57)}...")`,
      'row 3, field campaign: holds a control character (record or unit separator) ("spring\\u001epush")',
    ]);
    expect(await count(org, "touchpoints")).toBe(0);
    // The database refuses them too, whatever writes them.
    await expect(
      db.withOrg(org, (tx) =>
        tx.execute(sql`insert into touchpoints (org_id, source, occurred_at, channel, kind, online, campaign)
          values (${org}, 'web', now(), 'web', 'visit', true, ${"a\u001fb"})`),
      ),
    ).rejects.toMatchObject({ cause: { constraint: "touchpoints_names_check" } });
    await expect(
      db.withOrg(org, (tx) =>
        tx.execute(sql`insert into touchpoints (org_id, source, occurred_at, channel, kind, online, campaign)
          values (${org}, 'web', now(), 'web', 'visit', true, ${"c".repeat(256)})`),
      ),
    ).rejects.toMatchObject({ cause: { constraint: "touchpoints_name_lengths_check" } });
    const fine = lines(header, "G-1,web,2024-01-01T10:00:00Z,web,visit,true,spring", text.split("\n")[4]!);
    expect(await load(org, "touchpoints", fine)).toMatchObject({ status: "done", rowsInserted: 2 });
  });

  it("reports an unknown reference after the rows before it were written, and still writes nothing", async () => {
    const org = await createTestOrg(db);
    await load(org, "accounts", ACCOUNTS);
    const text = lines(
      "external_id,email,account_external_id",
      "P-1,a@x.test,A-1",
      "P-2,b@x.test,A-2",
      "P-3,c@x.test,A-404",
    );
    const result = await load(org, "people", text, { batchSize: 1 });
    expect(result.status).toBe("refused");
    expect(result.errors.map(formatRowError)).toEqual([
      'row 3, field account_external_id: no account with external_id "A-404"',
    ]);
    expect(await count(org, "people")).toBe(0);
  });

  it("keeps exactly the valid rows with keep_valid and reports the others", async () => {
    const org = await createTestOrg(db);
    await load(org, "accounts", ACCOUNTS);
    const text = lines(
      "external_id,account_external_id,name,amount,currency,stage,opened_at",
      "O-1,A-1,Good one,10.00,EUR,discovery,2024-01-01T00:00:00Z",
      "O-2,A-404,Unknown account,1,USD,discovery,2024-01-01T00:00:00Z",
      "O-3,A-2,Too precise,1.005,USD,discovery,2024-01-01T00:00:00Z",
      "O-4,A-2,,1,USD,discovery,2024-01-01T00:00:00Z",
      "O-1,A-2,Same id twice,1,USD,discovery,2024-01-01T00:00:00Z",
      "O-6,A-2,Good two,1,XXY,discovery,2024-01-01T00:00:00Z",
      "O-7,A-3,Good three,99.9,usd,won,2024-01-01T00:00:00Z",
      "O-8,A-3,Good four,99.9,usd,evaluation,2024-01-01T00:00:00+02:00",
    );
    const result = await load(org, "opportunities", text, { mode: "keep_valid", batchSize: 2 });
    expect(result).toMatchObject({
      status: "done",
      rowsTotal: 8,
      rowsInserted: 2,
      rowsRejected: 6,
      rowsUnchanged: 0,
    });
    expect(result.errors.map(formatRowError)).toEqual([
      'row 2, field account_external_id: no account with external_id "A-404"',
      'row 3, field amount: more than 2 decimal places for USD ("1.005")',
      "row 4, field name: required",
      "row 5, field external_id: the same record as row 1",
      'row 6, field currency: not an ISO 4217 currency code ("XXY")',
      'row 7, field stage: not one of prospecting, discovery, evaluation, proposal, negotiation, closed_won, closed_lost ("won")',
    ]);
    const kept = await db.withOrg(org, (tx) =>
      rows<{ external_id: string; amount_minor: number; currency: string }>(
        tx,
        sql`select external_id, amount_minor, currency from opportunities order by external_id`,
      ),
    );
    expect(kept).toEqual([
      { external_id: "O-1", amount_minor: 1000, currency: "EUR" },
      { external_id: "O-8", amount_minor: 9990, currency: "USD" },
    ]);
    const [run] = await db.withOrg(org, (tx) =>
      rows<{ status: string; rows_inserted: number; rows_rejected: number }>(
        tx,
        sql`select status, rows_inserted, rows_rejected from import_runs where id = ${result.runId}`,
      ),
    );
    expect(run).toEqual({ status: "done", rows_inserted: 2, rows_rejected: 6 });
  });

  it("refuses a header with an unknown or missing column before reading any row", async () => {
    const org = await createTestOrg(db);
    const result = await load(
      org,
      "accounts",
      lines("external_id,nmae,domain,domain", "A-1,Acme,a.test,a.test"),
    );
    expect(result).toMatchObject({ status: "refused", rowsTotal: 0 });
    expect(result.errors.map(formatRowError)).toEqual([
      "header, field nmae: unknown column; the accounts columns are external_id,name,domain,segment,industry,employees,territory",
      "header, field domain: column appears twice",
      "header, field name: required column is missing",
    ]);
    const unnamed = await load(org, "accounts", lines("external_id,name,", "A-1,Acme,"));
    expect(unnamed.errors.map(formatRowError)).toEqual(["header, field column 3: has no name"]);
    const empty = await load(org, "accounts", "");
    expect(empty.errors.map(formatRowError)[0]).toMatch(/^file: the file is empty/);
  });

  it("refuses rows whose field count is off, and a quote that is never closed", async () => {
    const org = await createTestOrg(db);
    const result = await load(org, "accounts", lines("external_id,name", "A-1,Acme,extra", 'A-2,"Globex'));
    expect(result.errors.map(formatRowError)).toEqual([
      "row 1: has 3 fields, the header has 2",
      'row 2: a quoted field is not closed (field 2 has no closing ")',
    ]);
  });

  it("does not let one organization reference another's external ids", async () => {
    const mine = await createTestOrg(db);
    const theirs = await createTestOrg(db);
    await loadAll(theirs);
    const people = await load(
      mine,
      "people",
      lines("external_id,email,account_external_id", "P-9,z@z.test,A-1"),
    );
    expect(people.errors.map(formatRowError)).toEqual([
      'row 1, field account_external_id: no account with external_id "A-1"',
    ]);
    const touches = await load(
      mine,
      "touchpoints",
      lines(
        "external_id,source,occurred_at,channel,kind,online,person_email,person_external_id",
        "T-9,web,2024-01-01T00:00:00Z,web,visit,true,ann@acme.test,",
        "T-10,web,2024-01-01T00:00:00Z,web,visit,true,,P-1",
      ),
    );
    expect(touches.errors.map(formatRowError)).toEqual([
      'row 1, field person_email: no person with e-mail "ann@acme.test"',
      'row 2, field person_external_id: no person with external_id "P-1"',
    ]);
    expect(await count(mine, "touchpoints")).toBe(0);
  });

  it("refuses a person whose e-mail address another person has", async () => {
    const org = await createTestOrg(db);
    await load(org, "accounts", ACCOUNTS);
    await load(org, "people", PEOPLE);
    const result = await load(
      org,
      "people",
      lines("external_id,email", "P-7,ann@ACME.test", "P-8,new@x.test", "P-9,NEW@x.test"),
      { mode: "keep_valid" },
    );
    expect(result.errors.map(formatRowError)).toEqual([
      'row 1, field email: person "P-1" already has this e-mail address',
      "row 3, field email: also the e-mail of row 2",
    ]);
    expect(result.rowsInserted).toBe(1);
  });

  it("records a run whose input breaks off as failed, with nothing written, and raises the error", async () => {
    const org = await createTestOrg(db);
    async function* brokenUpload() {
      yield "external_id,name\n";
      for (let i = 0; i < 20; i++) yield `A-${i},Account ${i}\n`;
      throw new Error("connection reset by peer");
    }
    await expect(
      importCsv(db, org, "accounts", brokenUpload(), { fileName: "upload.csv", batchSize: 5 }),
    ).rejects.toThrow("connection reset by peer");
    expect(await count(org, "accounts")).toBe(0);
    const runs = await db.withOrg(org, (tx) =>
      rows<{ status: string; errors: unknown }>(tx, sql`select status, errors from import_runs`),
    );
    expect(runs).toEqual([
      { status: "failed", errors: [{ row: 0, field: "", reason: "connection reset by peer" }] },
    ]);
  });

  it("reports progress in rows and bytes", async () => {
    const org = await createTestOrg(db);
    const progress: { rows: number; bytes: number }[] = [];
    const body = Array.from({ length: 10 }, (_, i) => `A-${i},Account ${i}`);
    const text = lines("external_id,name", ...body);
    await load(org, "accounts", text, { batchSize: 4, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.rows)).toEqual([4, 8, 10]);
    expect(progress.at(-1)!.bytes).toBe(Buffer.byteLength(text));
  });
});

describe("array parameters", () => {
  it("carry any text, the string NULL, empty strings and nulls through to PostgreSQL unchanged", async () => {
    const values = [
      'a "quoted" word',
      "back\\slash",
      "NULL",
      "",
      null,
      "{braces},commas",
      "line\nend",
      "é 😀",
    ];
    const back = await rows<{ v: string | null }>(
      db.owner,
      sql`select unnest(${pgArray(values)}::text[]) as v`,
    );
    expect(back.map((r) => r.v)).toEqual(values);
  });
});

describe("exportCsv", () => {
  it("round-trips every kind: export, import into another organization, export again gives the same text", async () => {
    const source = await createTestOrg(db);
    await loadAll(source);
    const target = await createTestOrg(db);
    await db.withOrg(target, (tx) =>
      tx.execute(sql`insert into events (org_id, external_id, name, slug, type, format, starts_at, ends_at, time_zone)
        values (${target}, 'EV-1', 'Summit', 'summit', 'conference', 'tactical', now(), now(), 'UTC')`),
    );
    for (const kind of ["accounts", "people", "opportunities", "stage-changes", "touchpoints"] as const) {
      const text = await exported(source, kind);
      const result = await importCsv(db, target, kind, [text], { fileName: `${kind}.csv` });
      expect({ kind, status: result.status, errors: result.errors }).toEqual({
        kind,
        status: "done",
        errors: [],
      });
      expect(await exported(target, kind)).toBe(text);
    }
    const opportunities = await exported(source, "opportunities");
    expect(opportunities.split("\n")[2]).toBe(
      "O-2,A-2,Globex new logo,250000,JPY,closed_won,2024-01-31T15:00:00Z,2024-05-01T12:30:00.25Z,true,inbound",
    );
    const touchpoints = await exported(source, "touchpoints");
    expect(touchpoints.split("\n")[1]).toBe(
      'T-1,marketo,2024-01-05T10:00:00Z,email,open,true,ann@acme.test,P-1,A-1,,spring,"{""n"": 1, ""utm"": ""news""}"',
    );
  });

  it("ends its transaction when the reader stops early", async () => {
    const org = await createTestOrg(db);
    await load(
      org,
      "accounts",
      lines("external_id,name", ...Array.from({ length: 50 }, (_, i) => `A-${i},N${i}`)),
    );
    let chunks = 0;
    for await (const _ of exportCsv(db, org, "accounts", { pageSize: 5 })) {
      if (++chunks === 3) break;
    }
    expect(chunks).toBe(3);
    expect(await count(org, "accounts")).toBe(50);
  });
});
