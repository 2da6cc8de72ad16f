import { type SQL, sql } from "drizzle-orm";

/**
 * A statement a hot path runs over and over with different values: its text with `$1`…`$n` placeholders (each
 * written with the cast it needs, or compared with a typed column, so that its type is known), and a name unique in
 * the product.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** A value for a placeholder: text (arrays as PostgreSQL array literals, JSON as its text) or null. */
export type StatementValue = string | null;

const NAME = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER = /\$(\d+)/g;

export function statement(name: string, text: string): Statement {
  if (!NAME.test(name)) throw new Error(`statement name "${name}": lower-case letters, digits and _ only`);
  return { name, text };
}

/** The statement with its placeholders bound to the values, as one query with parameters. */
export function bound(statement: Statement, values: readonly StatementValue[]): SQL {
  const chunks: SQL[] = [];
  let from = 0;
  for (const match of statement.text.matchAll(PLACEHOLDER)) {
    chunks.push(sql.raw(statement.text.slice(from, match.index)));
    chunks.push(sql`${valueAt(statement, values, Number(match[1]))}`);
    from = match.index + match[0].length;
  }
  chunks.push(sql.raw(statement.text.slice(from)));
  return sql.join(chunks);
}

/** `execute name(…)` with the values written as literals: EXECUTE takes no bound parameters. */
export function execution(statement: Statement, values: readonly StatementValue[]): SQL {
  const count = Math.max(0, ...[...statement.text.matchAll(PLACEHOLDER)].map((m) => Number(m[1])));
  const literals = Array.from({ length: count }, (_, i) => {
    const value = valueAt(statement, values, i + 1);
    return value === null ? "null" : literal(value);
  });
  return sql.raw(`execute ${statement.name}(${literals.join(", ")})`);
}

/**
 * A string as an SQL literal: quotes doubled, and backslashes doubled in an E'' literal, so it reads back the same
 * whatever `standard_conforming_strings` is. (Native replaces: a batch's JSON is tens of kilobytes, and building it
 * character by character, as node-postgres's escapeLiteral does, cost more than the planning the statement saves.)
 */
export function literal(value: string): string {
  if (value.includes("\0")) throw new Error("a statement value cannot contain a NUL character");
  const quoted = value.replaceAll("'", "''");
  return value.includes("\\") ? ` E'${quoted.replaceAll("\\", "\\\\")}'` : `'${quoted}'`;
}

export function preparation(statement: Statement): SQL {
  return sql.raw(`prepare ${statement.name} as ${statement.text}`);
}

function valueAt(statement: Statement, values: readonly StatementValue[], n: number): StatementValue {
  if (n < 1 || n > values.length) {
    throw new Error(`statement ${statement.name}: no value for $${n} (${values.length} given)`);
  }
  return values[n - 1]!;
}
