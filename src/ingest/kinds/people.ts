import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows } from "../../db/client.ts";
import { buyingRoles } from "../../db/schema/vocabulary.ts";
import { type BatchColumn, batchWrite, pgArray } from "./batch-write.ts";
import { cell } from "./export-cells.ts";
import { email, oneOf, optional, required, text } from "./fields.ts";
import type { KindSpec, RowError } from "./kind.ts";
import { ReferenceLookup } from "./reference-lookup.ts";

const rowSchema = z.object({
  external_id: required(text),
  email: optional(email),
  first_name: optional(text),
  last_name: optional(text),
  title: optional(text),
  account_external_id: optional(text),
  buying_role: optional(oneOf(buyingRoles)),
});
export type PersonRow = z.output<typeof rowSchema>;

const textColumns = ["email", "first_name", "last_name", "title", "buying_role"] as const;

/**
 * People: upserted by external_id; the account is found by its external id. An e-mail address belongs to one
 * person in an organization, so a row whose address another person already has is refused.
 */
export const peopleKind: KindSpec<PersonRow> = {
  kind: "people",
  columns: ["external_id", "email", "first_name", "last_name", "title", "account_external_id", "buying_role"],
  required: ["external_id"],
  rowSchema,
  key: (row) => row.external_id,
  keyField: "external_id",
  writer(orgId, present) {
    const accounts = new ReferenceLookup(orgId, "accounts", "external_id");
    /** E-mail (lower case) -> the row of this file that has it. */
    const emailsInFile = new Map<string, { row: number; externalId: string }>();
    return {
      async prepare(tx, batch) {
        const errors: RowError[] = [];
        const bad = new Set<number>();
        const refs = batch.flatMap((r) => (r.value.account_external_id ? [r.value.account_external_id] : []));
        await accounts.load(tx, refs);
        const emails: string[] = [];
        for (const r of batch) {
          const ref = r.value.account_external_id;
          if (ref && accounts.get(ref) === null) {
            errors.push({
              row: r.row,
              field: "account_external_id",
              reason: `no account with external_id "${ref}"`,
            });
            bad.add(r.row);
          }
          if (r.value.email) {
            const key = r.value.email.toLowerCase();
            const first = emailsInFile.get(key);
            if (first && first.externalId !== r.value.external_id) {
              errors.push({ row: r.row, field: "email", reason: `also the e-mail of row ${first.row}` });
              bad.add(r.row);
            } else {
              emailsInFile.set(key, { row: r.row, externalId: r.value.external_id });
              emails.push(key);
            }
          }
        }
        if (emails.length > 0) {
          const holders = await rows<{ key: string; external_id: string | null }>(
            tx,
            sql`select lower(email) as key, external_id from people
                where org_id = ${orgId}::uuid and lower(email) = any(${pgArray(emails)}::text[])`,
          );
          const holderOf = new Map(holders.map((h) => [h.key, h.external_id]));
          for (const r of batch) {
            if (!r.value.email || bad.has(r.row)) continue;
            const key = r.value.email.toLowerCase();
            if (!holderOf.has(key)) continue;
            const holder = holderOf.get(key) ?? null;
            if (holder !== r.value.external_id) {
              errors.push({
                row: r.row,
                field: "email",
                reason:
                  holder === null
                    ? "another person (without an external_id) already has this e-mail address"
                    : `person "${holder}" already has this e-mail address`,
              });
              bad.add(r.row);
            }
          }
        }
        const ok = bad.size === 0 ? batch : batch.filter((r) => !bad.has(r.row));
        if (ok.length === 0) return { errors, write: null };
        const columns: BatchColumn[] = [
          { name: "external_id", type: "text", values: ok.map((r) => r.value.external_id) },
        ];
        for (const c of textColumns) {
          if (present.has(c)) columns.push({ name: c, type: "text", values: ok.map((r) => r.value[c]) });
        }
        if (present.has("account_external_id")) {
          columns.push({
            name: "account_id",
            type: "uuid",
            values: ok.map((r) =>
              r.value.account_external_id ? accounts.get(r.value.account_external_id) : null,
            ),
          });
        }
        return {
          errors,
          write: batchWrite(tx, { table: "people", orgId, columns, conflict: ["external_id"], update: true }),
        };
      },
    };
  },
  exportQuery: (orgId) =>
    sql`select coalesce(p.external_id, p.id::text) as external_id, p.email, p.first_name, p.last_name, p.title,
          coalesce(a.external_id, a.id::text) as account_external_id, p.buying_role
        from people p left join accounts a on a.org_id = p.org_id and a.id = p.account_id
        where p.org_id = ${orgId}::uuid order by p.external_id, p.id`,
  exportRow: (r) => [
    cell(r.external_id),
    cell(r.email),
    cell(r.first_name),
    cell(r.last_name),
    cell(r.title),
    cell(r.account_external_id),
    cell(r.buying_role),
  ],
};
