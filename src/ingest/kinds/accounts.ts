import { sql } from "drizzle-orm";
import { z } from "zod";
import { type BatchColumn, batchWrite } from "./batch-write.ts";
import { cell } from "./export-cells.ts";
import { integer, optional, required, text } from "./fields.ts";
import type { KindSpec } from "./kind.ts";

const rowSchema = z.object({
  external_id: required(text),
  name: required(text),
  domain: optional(text),
  segment: optional(text),
  industry: optional(text),
  employees: optional(integer(0, 2_147_483_647)),
  territory: optional(text),
});
export type AccountRow = z.output<typeof rowSchema>;

const optionalColumns = ["domain", "segment", "industry", "employees", "territory"] as const;

/** Accounts: upserted by external_id. */
export const accountsKind: KindSpec<AccountRow> = {
  kind: "accounts",
  columns: ["external_id", "name", "domain", "segment", "industry", "employees", "territory"],
  required: ["external_id", "name"],
  rowSchema,
  key: (row) => row.external_id,
  keyField: "external_id",
  writer(orgId, present) {
    return {
      async prepare(tx, batch) {
        const columns: BatchColumn[] = [
          { name: "external_id", type: "text", values: batch.map((r) => r.value.external_id) },
          { name: "name", type: "text", values: batch.map((r) => r.value.name) },
        ];
        for (const c of optionalColumns) {
          if (!present.has(c)) continue;
          columns.push({
            name: c,
            type: c === "employees" ? "integer" : "text",
            values: batch.map((r) => r.value[c]),
          });
        }
        return {
          errors: [],
          write: batchWrite(tx, {
            table: "accounts",
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
    sql`select coalesce(external_id, id::text) as external_id, name, domain, segment, industry, employees, territory
        from accounts where org_id = ${orgId}::uuid order by external_id, id`,
  exportRow: (r) => [
    cell(r.external_id),
    cell(r.name),
    cell(r.domain),
    cell(r.segment),
    cell(r.industry),
    cell(r.employees),
    cell(r.territory),
  ],
};
