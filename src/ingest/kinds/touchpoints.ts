import { sql } from "drizzle-orm";
import { z } from "zod";
import { TOUCH_CAMPAIGN_MAX, TOUCH_NAME_MAX } from "../../db/schema/crm.ts";
import { touchpointChannels } from "../../db/schema/vocabulary.ts";
import { type BatchColumn, batchWrite } from "./batch-write.ts";
import { boolCell, cell, isoSql, isoText } from "./export-cells.ts";
import { boolean, email, jsonObject, name, oneOf, optional, required, text, timestamp } from "./fields.ts";
import type { KindSpec, RowError } from "./kind.ts";
import { ReferenceLookup } from "./reference-lookup.ts";

const rowSchema = z.object({
  external_id: required(text),
  source: required(text),
  occurred_at: required(timestamp),
  channel: required(oneOf(touchpointChannels)),
  kind: required(name(TOUCH_NAME_MAX)),
  online: required(boolean),
  person_email: optional(email),
  person_external_id: optional(text),
  account_external_id: optional(text),
  event_external_id: optional(text),
  campaign: optional(name(TOUCH_CAMPAIGN_MAX)),
  metadata: optional(jsonObject),
});
export type TouchpointRow = z.output<typeof rowSchema>;

/**
 * The touchpoint timeline is append-only: a row whose (source, external_id) is already there is left alone, even
 * if it differs. The person is found by person_external_id, or by person_email when that is empty.
 */
export const touchpointsKind: KindSpec<TouchpointRow> = {
  kind: "touchpoints",
  columns: [
    "external_id",
    "source",
    "occurred_at",
    "channel",
    "kind",
    "online",
    "person_email",
    "person_external_id",
    "account_external_id",
    "event_external_id",
    "campaign",
    "metadata",
  ],
  required: ["external_id", "source", "occurred_at", "channel", "kind", "online"],
  rowSchema,
  keyField: "external_id",
  writer(orgId, present) {
    const peopleById = new ReferenceLookup(orgId, "people", "external_id");
    const peopleByEmail = new ReferenceLookup(orgId, "people", "email");
    const accounts = new ReferenceLookup(orgId, "accounts", "external_id");
    const events = new ReferenceLookup(orgId, "events", "external_id");
    const hasPerson = present.has("person_email") || present.has("person_external_id");
    const hasAccount = present.has("account_external_id");
    const hasEvent = present.has("event_external_id");
    return {
      async prepare(tx, batch) {
        const errors: RowError[] = [];
        let ok = batch;
        if (hasPerson || hasAccount || hasEvent) {
          const personIds: string[] = [];
          const personEmails: string[] = [];
          const accountIds: string[] = [];
          const eventIds: string[] = [];
          for (const { value: v } of batch) {
            if (v.person_external_id) personIds.push(v.person_external_id);
            else if (v.person_email) personEmails.push(v.person_email);
            if (v.account_external_id) accountIds.push(v.account_external_id);
            if (v.event_external_id) eventIds.push(v.event_external_id);
          }
          await peopleById.load(tx, personIds);
          await peopleByEmail.load(tx, personEmails);
          await accounts.load(tx, accountIds);
          await events.load(tx, eventIds);
          ok = batch.filter(({ row, value: v }) => {
            let good = true;
            if (v.person_external_id) {
              if (peopleById.get(v.person_external_id) === null) {
                errors.push({
                  row,
                  field: "person_external_id",
                  reason: `no person with external_id "${v.person_external_id}"`,
                });
                good = false;
              }
            } else if (v.person_email && peopleByEmail.get(v.person_email) === null) {
              errors.push({
                row,
                field: "person_email",
                reason: `no person with e-mail "${v.person_email}"`,
              });
              good = false;
            }
            if (v.account_external_id && accounts.get(v.account_external_id) === null) {
              errors.push({
                row,
                field: "account_external_id",
                reason: `no account with external_id "${v.account_external_id}"`,
              });
              good = false;
            }
            if (v.event_external_id && events.get(v.event_external_id) === null) {
              errors.push({
                row,
                field: "event_external_id",
                reason: `no event with external_id "${v.event_external_id}"`,
              });
              good = false;
            }
            return good;
          });
        }
        if (ok.length === 0) return { errors, write: null };
        const columns: BatchColumn[] = [
          { name: "external_id", type: "text", values: ok.map((r) => r.value.external_id) },
          { name: "source", type: "text", values: ok.map((r) => r.value.source) },
          { name: "occurred_at", type: "timestamptz", values: ok.map((r) => r.value.occurred_at) },
          { name: "channel", type: "text", values: ok.map((r) => r.value.channel) },
          { name: "kind", type: "text", values: ok.map((r) => r.value.kind) },
          { name: "online", type: "boolean", values: ok.map((r) => r.value.online) },
        ];
        if (hasPerson) {
          columns.push({
            name: "person_id",
            type: "uuid",
            values: ok.map(({ value: v }) =>
              v.person_external_id
                ? peopleById.get(v.person_external_id)
                : v.person_email
                  ? peopleByEmail.get(v.person_email)
                  : null,
            ),
          });
        }
        if (hasAccount) {
          columns.push({
            name: "account_id",
            type: "uuid",
            values: ok.map((r) =>
              r.value.account_external_id ? accounts.get(r.value.account_external_id) : null,
            ),
          });
        }
        if (hasEvent) {
          columns.push({
            name: "event_id",
            type: "uuid",
            values: ok.map((r) => (r.value.event_external_id ? events.get(r.value.event_external_id) : null)),
          });
        }
        if (present.has("campaign")) {
          columns.push({ name: "campaign", type: "text", values: ok.map((r) => r.value.campaign) });
        }
        if (present.has("metadata")) {
          columns.push({ name: "metadata", type: "jsonb", values: ok.map((r) => r.value.metadata) });
        }
        return {
          errors,
          write: batchWrite(tx, {
            table: "touchpoints",
            orgId,
            columns,
            conflict: ["source", "external_id"],
            update: false,
          }),
        };
      },
    };
  },
  exportQuery: (orgId) =>
    sql`select coalesce(t.external_id, t.id::text) as external_id, t.source, ${isoSql(sql`t.occurred_at`)} as occurred_at,
          t.channel, t.kind, t.online, p.email as person_email,
          coalesce(p.external_id, p.id::text) as person_external_id,
          coalesce(a.external_id, a.id::text) as account_external_id,
          coalesce(e.external_id, e.id::text) as event_external_id, t.campaign, t.metadata::text as metadata
        from touchpoints t
        left join people p on p.org_id = t.org_id and p.id = t.person_id
        left join accounts a on a.org_id = t.org_id and a.id = t.account_id
        left join events e on e.org_id = t.org_id and e.id = t.event_id
        where t.org_id = ${orgId}::uuid
        order by t.occurred_at, t.source, t.external_id, t.id`,
  exportRow: (r) => [
    cell(r.external_id),
    cell(r.source),
    isoText(r.occurred_at),
    cell(r.channel),
    cell(r.kind),
    boolCell(r.online),
    cell(r.person_email),
    cell(r.person_external_id),
    cell(r.account_external_id),
    cell(r.event_external_id),
    cell(r.campaign),
    cell(r.metadata),
  ],
};
