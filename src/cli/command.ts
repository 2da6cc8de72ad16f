import type { z } from "zod";
import { AppError } from "../core/errors.ts";

/** One CLI command: `throughline <name> …`. Each lives in src/cli/commands/<name>.ts and exports `command`. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code; only `main` calls process.exit. */
  run(args: string[], io: CommandIo): Promise<number>;
}

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Thrown for a bad flag or environment variable: main prints one line and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parses `--flag value`, `--flag=value` and bare `--switch` into an object, then validates it with a strict zod
 * schema, so an unknown or misspelt flag is an error naming it, never a silent default.
 */
export function parseFlags<S extends z.ZodType>(
  args: string[],
  schema: S,
  booleans: readonly string[] = [],
): { flags: z.infer<S>; positional: string[] } {
  const raw: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = toCamel(eq >= 0 ? arg.slice(2, eq) : arg.slice(2));
    if (eq >= 0) raw[name] = arg.slice(eq + 1);
    else if (booleans.includes(name)) raw[name] = true;
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--"))
        throw new UsageError(`flag --${toKebab(name)} needs a value`);
      raw[name] = value;
      i++;
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") {
      throw new UsageError(`unknown flag ${issue.keys.map((k) => `--${toKebab(k)}`).join(", ")}`);
    }
    const path = issue.path.map(String).join(".");
    throw new UsageError(path ? `flag --${toKebab(path)}: ${issue.message}` : issue.message);
  }
  return { flags: parsed.data, positional };
}

function toCamel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
function toKebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Turns a domain error into a CLI line. */
export function describeError(error: unknown): string {
  if (error instanceof AppError)
    return `${error.code}: ${error.message}${error.field ? ` (field ${error.field})` : ""}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
