import { sql } from "drizzle-orm";
import type { Database, Tx } from "../../db/client.ts";
import { productUsageEvents } from "../../db/schema/index.ts";
import {
  type ImportMode,
  importTable,
  lookup,
  type Numbered,
  parseBoolean,
  parseInstant,
  type RowError,
  type TableImportResult,
  type TableSpec,
  type WriteResult,
} from "./csv-table-import.ts";

/** One product usage event: who (account, optionally the person) used which feature when, on their own or guided. */
export interface UsageRow {
  externalId: string;
  account: string;
  /** The person's external id, or their e-mail address (contains "@"). */
  person: string | null;
  feature: string;
  at: Date;
  guided: boolean;
}

export const USAGE_COLUMNS = ["external_id", "account", "person", "feature", "time", "guided"] as const;

function cell(cells: Record<string, string | undefined>, name: string): string {
  return (cells[name] ?? "").trim();
}

/** Resolves references and upserts by external id: a row sent again unchanged counts as unchanged. */
export async function writeUsage(tx: Tx, orgId: string, batch: Numbered<UsageRow>[]): Promise<WriteResult> {
  const errors: RowError[] = [];
  const accounts = await lookup(
    tx,
    orgId,
    "accounts",
    "external_id",
    batch.map((r) => r.value.account),
  );
  const people = batch.map((r) => r.value.person).filter((p): p is string => p !== null);
  const byEmail = await lookup(
    tx,
    orgId,
    "people",
    "email",
    people.filter((p) => p.includes("@")),
  );
  const byExternal = await lookup(
    tx,
    orgId,
    "people",
    "external_id",
    people.filter((p) => !p.includes("@")),
  );
  const values = [];
  for (const { row, value } of batch) {
    const accountId = accounts.get(value.account);
    if (!accountId)
      errors.push({
        row,
        field: "account",
        reason: `no account with external_id ${JSON.stringify(value.account)}`,
      });
    let personId: string | null = null;
    if (value.person) {
      personId =
        (value.person.includes("@")
          ? byEmail.get(value.person.toLowerCase())
          : byExternal.get(value.person)) ?? null;
      if (!personId) {
        errors.push({
          row,
          field: "person",
          reason: `no person with ${value.person.includes("@") ? "e-mail" : "external_id"} ${JSON.stringify(value.person)}`,
        });
      }
    }
    if (!accountId || (value.person && !personId)) continue;
    values.push({
      orgId,
      externalId: value.externalId,
      accountId,
      personId,
      feature: value.feature,
      occurredAt: value.at,
      guided: value.guided,
    });
  }
  if (values.length === 0) return { errors, inserted: 0, updated: 0, unchanged: 0 };
  const t = productUsageEvents;
  const written = await tx
    .insert(t)
    .values(values)
    .onConflictDoUpdate({
      target: [t.orgId, t.externalId],
      set: {
        accountId: sql`excluded.account_id`,
        personId: sql`excluded.person_id`,
        feature: sql`excluded.feature`,
        occurredAt: sql`excluded.occurred_at`,
        guided: sql`excluded.guided`,
      },
      setWhere: sql`(${t.accountId}, ${t.personId}, ${t.feature}, ${t.occurredAt}, ${t.guided}) is distinct from (excluded.account_id, excluded.person_id, excluded.feature, excluded.occurred_at, excluded.guided)`,
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  const inserted = written.filter((w) => w.inserted).length;
  const updated = written.length - inserted;
  return { errors, inserted, updated, unchanged: values.length - written.length };
}

export const usageSpec: TableSpec<UsageRow> = {
  kind: "product-usage",
  columns: USAGE_COLUMNS,
  required: ["external_id", "account", "feature", "time"],
  parse(cells) {
    const errors: { field: string; reason: string }[] = [];
    for (const f of ["external_id", "account", "feature", "time"])
      if (cell(cells, f) === "") errors.push({ field: f, reason: "required" });
    const at = cell(cells, "time") === "" ? null : parseInstant(cell(cells, "time"));
    if (typeof at === "string") errors.push({ field: "time", reason: at });
    const guidedCell = cell(cells, "guided");
    const guided = guidedCell === "" ? false : parseBoolean(guidedCell);
    if (typeof guided === "string") errors.push({ field: "guided", reason: guided });
    if (errors.length > 0) return { errors };
    return {
      value: {
        externalId: cell(cells, "external_id"),
        account: cell(cells, "account"),
        person: cell(cells, "person") || null,
        feature: cell(cells, "feature"),
        at: at as Date,
        guided: guided as boolean,
      },
      errors,
    };
  },
  key: (r) => r.externalId,
  write: writeUsage,
};

/**
 * Imports a product usage CSV (external_id, account, person, feature, time, guided): row-numbered errors,
 * idempotent by external id (a file imported twice adds nothing), refuse_whole by default.
 */
export async function importUsage(
  db: Database,
  orgId: string,
  input: string | AsyncIterable<string | Uint8Array>,
  options: { fileName: string; mode?: ImportMode },
): Promise<TableImportResult> {
  return importTable(db, orgId, usageSpec, input, options);
}
