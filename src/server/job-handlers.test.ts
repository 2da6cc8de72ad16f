import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/db.ts";
import type { Database } from "../db/client.ts";
import { JobRunner } from "../jobs/job-runner.ts";
import { registerJobHandlers } from "./job-handlers.ts";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe("job handlers", () => {
  it("registers the learning, movement and lead-digest handlers on the server's runner", () => {
    const runner = new JobRunner(
      db,
      () => new Date(),
      () => {},
    );
    const kinds: string[] = [];
    const register = runner.register.bind(runner);
    runner.register = (kind, handler) => {
      kinds.push(kind);
      return register(kind, handler);
    };
    registerJobHandlers(runner);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.some((k) => k.includes("digest"))).toBe(true);
    expect(kinds.some((k) => k.includes("stall"))).toBe(true);
    // The daily sweep that books the stall checks of every roundtable that ends.
    expect(kinds).toContain("movement.stall_sweep");
    expect(kinds.length).toBeGreaterThanOrEqual(5);
  });
});
