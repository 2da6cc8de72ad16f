import { sql } from "drizzle-orm";
import type { Database, Tx } from "../../db/client.ts";
import { supportTickets } from "../../db/schema/index.ts";
import {
  type ImportMode,
  importTable,
  lookup,
  type Numbered,
  parseInstant,
  type RowError,
  type TableImportResult,
  type TableSpec,
  type WriteResult,
} from "../usage/csv-table-import.ts";

/** One support ticket: the account (and optionally the person) that opened it, its topic, and when. */
export interface TicketRow {
  externalId: string;
  account: string;
  person: string | null;
  topic: string;
  subject: string | null;
  openedAt: Date;
  closedAt: Date | null;
}

export const TICKET_COLUMNS = [
  "external_id",
  "account",
  "person",
  "topic",
  "subject",
  "opened_at",
  "closed_at",
] as const;

const cell = (cells: Record<string, string | undefined>, name: string) => (cells[name] ?? "").trim();

export async function writeTickets(
  tx: Tx,
  orgId: string,
  batch: Numbered<TicketRow>[],
): Promise<WriteResult> {
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
      if (!personId)
        errors.push({ row, field: "person", reason: `no person ${JSON.stringify(value.person)}` });
    }
    if (!accountId || (value.person && !personId)) continue;
    values.push({
      orgId,
      externalId: value.externalId,
      accountId,
      personId,
      topic: value.topic,
      subject: value.subject,
      openedAt: value.openedAt,
      closedAt: value.closedAt,
    });
  }
  if (values.length === 0) return { errors, inserted: 0, updated: 0, unchanged: 0 };
  const t = supportTickets;
  const written = await tx
    .insert(t)
    .values(values)
    .onConflictDoUpdate({
      target: [t.orgId, t.externalId],
      set: {
        accountId: sql`excluded.account_id`,
        personId: sql`excluded.person_id`,
        topic: sql`excluded.topic`,
        subject: sql`excluded.subject`,
        openedAt: sql`excluded.opened_at`,
        closedAt: sql`excluded.closed_at`,
      },
      setWhere: sql`(${t.accountId}, ${t.personId}, ${t.topic}, ${t.subject}, ${t.openedAt}, ${t.closedAt}) is distinct from (excluded.account_id, excluded.person_id, excluded.topic, excluded.subject, excluded.opened_at, excluded.closed_at)`,
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  const inserted = written.filter((w) => w.inserted).length;
  return { errors, inserted, updated: written.length - inserted, unchanged: values.length - written.length };
}

export const ticketSpec: TableSpec<TicketRow> = {
  kind: "support-tickets",
  columns: TICKET_COLUMNS,
  required: ["external_id", "account", "topic", "opened_at"],
  parse(cells) {
    const errors: { field: string; reason: string }[] = [];
    for (const f of ["external_id", "account", "topic", "opened_at"])
      if (cell(cells, f) === "") errors.push({ field: f, reason: "required" });
    const opened = cell(cells, "opened_at") === "" ? null : parseInstant(cell(cells, "opened_at"));
    if (typeof opened === "string") errors.push({ field: "opened_at", reason: opened });
    const closed = cell(cells, "closed_at") === "" ? null : parseInstant(cell(cells, "closed_at"));
    if (typeof closed === "string") errors.push({ field: "closed_at", reason: closed });
    if (opened instanceof Date && closed instanceof Date && closed < opened) {
      errors.push({ field: "closed_at", reason: "is before opened_at" });
    }
    if (errors.length > 0) return { errors };
    return {
      value: {
        externalId: cell(cells, "external_id"),
        account: cell(cells, "account"),
        person: cell(cells, "person") || null,
        topic: cell(cells, "topic"),
        subject: cell(cells, "subject") || null,
        openedAt: opened as Date,
        closedAt: closed as Date | null,
      },
      errors,
    };
  },
  key: (r) => r.externalId,
  write: writeTickets,
};

/**
 * Imports a support ticket CSV (external_id, account, person, topic, subject, opened_at, closed_at): row-numbered
 * errors, idempotent by external id, refuse_whole by default.
 */
export async function importTickets(
  db: Database,
  orgId: string,
  input: string | AsyncIterable<string | Uint8Array>,
  options: { fileName: string; mode?: ImportMode },
): Promise<TableImportResult> {
  return importTable(db, orgId, ticketSpec, input, options);
}
