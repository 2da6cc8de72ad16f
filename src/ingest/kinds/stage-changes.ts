import { sql } from "drizzle-orm";
import { z } from "zod";
import { opportunityStages } from "../../db/schema/vocabulary.ts";
import { batchWrite } from "./batch-write.ts";
import { cell, isoSql, isoText } from "./export-cells.ts";
import { oneOf, optional, required, text, timestamp } from "./fields.ts";
import type { KindSpec, RowError } from "./kind.ts";
import { ReferenceLookup } from "./reference-lookup.ts";

const rowSchema = z.object({
  external_id: required(text),
  opportunity_external_id: required(text),
  from_stage: optional(oneOf(opportunityStages)),
  to_stage: required(oneOf(opportunityStages)),
  changed_at: required(timestamp),
});
export type StageChangeRow = z.output<typeof rowSchema>;

/** Stage history: history is not rewritten, so a stage change already imported (same external_id) is left alone. */
export const stageChangesKind: KindSpec<StageChangeRow> = {
  kind: "stage-changes",
  columns: ["external_id", "opportunity_external_id", "from_stage", "to_stage", "changed_at"],
  required: ["external_id", "opportunity_external_id", "to_stage", "changed_at"],
  rowSchema,
  keyField: "external_id",
  writer(orgId) {
    const opportunities = new ReferenceLookup(orgId, "opportunities", "external_id");
    return {
      async prepare(tx, batch) {
        await opportunities.load(
          tx,
          batch.map((r) => r.value.opportunity_external_id),
        );
        const errors: RowError[] = [];
        const ok = batch.filter((r) => {
          if (opportunities.get(r.value.opportunity_external_id) !== null) return true;
          errors.push({
            row: r.row,
            field: "opportunity_external_id",
            reason: `no opportunity with external_id "${r.value.opportunity_external_id}"`,
          });
          return false;
        });
        if (ok.length === 0) return { errors, write: null };
        return {
          errors,
          write: batchWrite(tx, {
            table: "stage_changes",
            orgId,
            conflict: ["external_id"],
            update: false,
            columns: [
              { name: "external_id", type: "text", values: ok.map((r) => r.value.external_id) },
              {
                name: "opportunity_id",
                type: "uuid",
                values: ok.map((r) => opportunities.get(r.value.opportunity_external_id)),
              },
              { name: "from_stage", type: "text", values: ok.map((r) => r.value.from_stage) },
              { name: "to_stage", type: "text", values: ok.map((r) => r.value.to_stage) },
              { name: "changed_at", type: "timestamptz", values: ok.map((r) => r.value.changed_at) },
            ],
          }),
        };
      },
    };
  },
  exportQuery: (orgId) =>
    sql`select coalesce(s.external_id, s.id::text) as external_id,
          coalesce(o.external_id, o.id::text) as opportunity_external_id, s.from_stage, s.to_stage,
          ${isoSql(sql`s.changed_at`)} as changed_at
        from stage_changes s join opportunities o on o.org_id = s.org_id and o.id = s.opportunity_id
        where s.org_id = ${orgId}::uuid order by s.external_id, s.id`,
  exportRow: (r) => [
    cell(r.external_id),
    cell(r.opportunity_external_id),
    cell(r.from_stage),
    cell(r.to_stage),
    isoText(r.changed_at),
  ],
};
