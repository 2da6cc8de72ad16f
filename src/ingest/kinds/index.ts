import { assertUnreachable } from "../../core/errors.ts";
import { accountsKind } from "./accounts.ts";
import type { ImportKind, KindSpec } from "./kind.ts";
import { opportunitiesKind } from "./opportunities.ts";
import { peopleKind } from "./people.ts";
import { stageChangesKind } from "./stage-changes.ts";
import { touchpointsKind } from "./touchpoints.ts";

export * from "./batch-write.ts";
export * from "./export-cells.ts";
export * from "./kind.ts";
export * from "./reference-lookup.ts";

/** A caller that works with any kind's row type. */
export interface KindVisitor<R> {
  visit<Row>(spec: KindSpec<Row>): R;
}

/** Calls `visitor` with the spec of `kind`, keeping each kind's row type. */
export function withKind<R>(kind: ImportKind, visitor: KindVisitor<R>): R {
  switch (kind) {
    case "accounts":
      return visitor.visit(accountsKind);
    case "people":
      return visitor.visit(peopleKind);
    case "opportunities":
      return visitor.visit(opportunitiesKind);
    case "stage-changes":
      return visitor.visit(stageChangesKind);
    case "touchpoints":
      return visitor.visit(touchpointsKind);
    default:
      return assertUnreachable(kind);
  }
}

/** The documented header of a kind and which of its columns are required. */
export function headerOf(kind: ImportKind): { columns: readonly string[]; required: readonly string[] } {
  return withKind(kind, { visit: (spec) => ({ columns: spec.columns, required: spec.required }) });
}
