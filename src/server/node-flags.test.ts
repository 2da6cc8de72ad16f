import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "./node-flags.ts";

describe("the server's Node flags", () => {
  it("are the ones npm start gives the server", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      scripts: Record<string, string>;
    };
    const start = pkg.scripts.start!;
    // tsx passes Node's flags on when they come before the entry point.
    const server = start.slice(start.indexOf("tsx "), start.indexOf("src/cli/main.ts"));
    for (const flag of SERVER_NODE_FLAGS) expect(server.split(/\s+/)).toContain(flag);
  });

  it("are accepted by this Node and enlarge the young generation", () => {
    const run = spawnSync(
      process.execPath,
      [
        ...SERVER_NODE_FLAGS,
        "-e",
        `let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 2e5) keep = []; }
         console.log(require("node:v8").getHeapSpaceStatistics().find((x) => x.space_name === "new_space").space_size)`,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // Up to two semi-spaces of 64 MB once the thread allocates quickly; the default stops at two of 16 MB.
    expect(Number(run.stdout.trim())).toBeGreaterThan(2 * 16 * 2 ** 20);
  });
});
