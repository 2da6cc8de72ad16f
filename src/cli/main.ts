import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config.ts";
import { AppError } from "../core/errors.ts";
import { type Command, type CommandIo, describeError, UsageError } from "./command.ts";

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), "commands");

/** The command table is the folder src/cli/commands: one file per command, named after it. */
export function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!commandNames().includes(name)) return undefined;
  const mod = (await import(join(commandsDir, `${name}.ts`))) as { command: Command };
  return mod.command;
}

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 bad usage. */
export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    const lines = ["usage: throughline <command> [flags]", "", "commands:"];
    for (const n of commandNames()) {
      const c = await loadCommand(n);
      if (c) lines.push(`  ${c.name.padEnd(14)} ${c.summary}`);
    }
    io.out(lines.join("\n"));
    return name ? 0 : 2;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.err(`unknown command "${name}"; commands: ${commandNames().join(", ")}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${command.name}: ${error.message}`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`${command.name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    if (error instanceof AppError && error.code === "bad_request") {
      io.err(`${command.name}: ${describeError(error)}`);
      return 2;
    }
    io.err(`${command.name}: ${describeError(error)}`);
    return 1;
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  });
  process.exitCode = code;
}
