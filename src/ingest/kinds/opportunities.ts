import { sql } from "drizzle-orm";
import { z } from "zod";
import { opportunityStages } from "../../db/schema/vocabulary.ts";
import { type BatchColumn, batchWrite } from "./batch-write.ts";
import { boolCell, cell, isoSql, isoText } from "./export-cells.ts";
import {
  boolean,
  currency,
  decimal,
  fromMinorUnits,
  Invalid,
  oneOf,
  optional,
  required,
  text,
  timestamp,
  toMinorUnits,
} from "./fields.ts";
import type { KindSpec, RowError } from "./kind.ts";
import { ReferenceLookup } from "./reference-lookup.ts";

const rowSchema = z
  .object({
    external_id: required(text),
    account_external_id: required(text),
    name: required(text),
    amount: optional(decimal),
    currency: optional(currency),
    stage: required(oneOf(opportunityStages)),
    opened_at: required(timestamp),
    closed_at: optional(timestamp),
    is_won: optional(boolean),
    source: optional(text),
  })
  .transform((row, ctx) => {
    const code = row.currency ?? "USD";
    const amountMinor = row.amount ? toMinorUnits(row.amount, code) : 0;
    if (amountMinor instanceof Invalid) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: amountMinor.reason });
      return z.NEVER;
    }
    return { ...row, currency: code, amountMinor };
  });
export type OpportunityRow = z.output<typeof rowSchema>;

/**
 * Opportunities: upserted by external_id, the account found by its external id. The amount is written in major
 * units ("1234.50") and stored in the currency's minor units; an empty amount is 0 and an empty currency USD.
 */
export const opportunitiesKind: KindSpec<OpportunityRow> = {
  kind: "opportunities",
  columns: [
    "external_id",
    "account_external_id",
    "name",
    "amount",
    "currency",
    "stage",
    "opened_at",
    "closed_at",
    "is_won",
    "source",
  ],
  // Amount and currency travel together: without the currency the amount's decimals mean nothing.
  required: ["external_id", "account_external_id", "name", "amount", "currency", "stage", "opened_at"],
  rowSchema,
  key: (row) => row.external_id,
  keyField: "external_id",
  writer(orgId, present) {
    const accounts = new ReferenceLookup(orgId, "accounts", "external_id");
    return {
      async prepare(tx, batch) {
        await accounts.load(
          tx,
          batch.map((r) => r.value.account_external_id),
        );
        const errors: RowError[] = [];
        const ok = batch.filter((r) => {
          if (accounts.get(r.value.account_external_id) !== null) return true;
          errors.push({
            row: r.row,
            field: "account_external_id",
            reason: `no account with external_id "${r.value.account_external_id}"`,
          });
          return false;
        });
        if (ok.length === 0) return { errors, write: null };
        const columns: BatchColumn[] = [
          { name: "external_id", type: "text", values: ok.map((r) => r.value.external_id) },
          {
            name: "account_id",
            type: "uuid",
            values: ok.map((r) => accounts.get(r.value.account_external_id)),
          },
          { name: "name", type: "text", values: ok.map((r) => r.value.name) },
          { name: "amount_minor", type: "bigint", values: ok.map((r) => r.value.amountMinor) },
          { name: "currency", type: "text", values: ok.map((r) => r.value.currency) },
          { name: "stage", type: "text", values: ok.map((r) => r.value.stage) },
          { name: "opened_at", type: "timestamptz", values: ok.map((r) => r.value.opened_at) },
        ];
        if (present.has("closed_at")) {
          columns.push({ name: "closed_at", type: "timestamptz", values: ok.map((r) => r.value.closed_at) });
        }
        if (present.has("is_won")) {
          columns.push({ name: "is_won", type: "boolean", values: ok.map((r) => r.value.is_won) });
        }
        if (present.has("source")) {
          columns.push({ name: "source", type: "text", values: ok.map((r) => r.value.source) });
        }
        return {
          errors,
          write: batchWrite(tx, {
            table: "opportunities",
            orgId,
            columns,
            conflict: ["external_id"],
            update: true,
          }),
        };
      },
    };
  },
  exportQuery: (orgId) =>
    sql`select coalesce(o.external_id, o.id::text) as external_id,
          coalesce(a.external_id, a.id::text) as account_external_id, o.name, o.amount_minor, o.currency, o.stage,
          ${isoSql(sql`o.opened_at`)} as opened_at, ${isoSql(sql`o.closed_at`)} as closed_at, o.is_won, o.source
        from opportunities o join accounts a on a.org_id = o.org_id and a.id = o.account_id
        where o.org_id = ${orgId}::uuid order by o.external_id, o.id`,
  exportRow: (r) => [
    cell(r.external_id),
    cell(r.account_external_id),
    cell(r.name),
    fromMinorUnits(Number(r.amount_minor), String(r.currency)),
    cell(r.currency),
    cell(r.stage),
    isoText(r.opened_at),
    isoText(r.closed_at),
    boolCell(r.is_won),
    cell(r.source),
  ],
};
