import { type SQL, sql } from "drizzle-orm";

/**
 * A statement a hot path runs over and over with different values: its text with `$1`…`$n` placeholders (each
 * written with the cast it needs, or compared with a typed column, so that its type is known), and a name unique in
 * the product.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
  /** The text between placeholders (one more piece than placeholders), split once when the statement is made. */
  readonly pieces: readonly string[];
  /** The value number of each placeholder, in order of appearance. */
  readonly slots: readonly number[];
  /** The highest placeholder number: how many values a run takes. */
  readonly arity: number;
}

/** A value for a placeholder: text (arrays as PostgreSQL array literals, JSON as its text) or null. */
export type StatementValue = string | null;

const NAME = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER = /\$(\d+)/g;

export function statement(name: string, text: string): Statement {
  if (!NAME.test(name)) throw new Error(`statement name "${name}": lower-case letters, digits and _ only`);
  const pieces: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    pieces.push(text.slice(from, match.index));
    slots.push(Number(match[1]));
    from = match.index + match[0].length;
  }
  pieces.push(text.slice(from));
  return { name, text, pieces, slots, arity: Math.max(0, ...slots) };
}

/** The statement with its placeholders bound to the values, as one query with parameters. */
export function bound(statement: Statement, values: readonly StatementValue[]): SQL {
  const chunks: SQL[] = [sql.raw(statement.pieces[0]!)];
  statement.slots.forEach((slot, i) => {
    chunks.push(sql`${valueAt(statement, values, slot)}`, sql.raw(statement.pieces[i + 1]!));
  });
  return sql.join(chunks);
}

/** `execute name(…)` with the values written as literals: EXECUTE takes no bound parameters. */
export function execution(statement: Statement, values: readonly StatementValue[]): SQL {
  return sql.raw(executionText(statement, values));
}

/** The text of `execution`, for the simple query protocol. */
export function executionText(statement: Statement, values: readonly StatementValue[]): string {
  const literals = Array.from({ length: statement.arity }, (_, i) => {
    const value = valueAt(statement, values, i + 1);
    return value === null ? "null" : literal(value);
  });
  return `execute ${statement.name}(${literals.join(", ")})`;
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
