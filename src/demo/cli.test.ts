import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/main.ts";

const dir = mkdtempSync(join(tmpdir(), "demo-cli-"));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(["demo", ...args], {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

function effectsFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// Every case fails before the database is opened, so these run without one.
describe("throughline demo: bad input exits 2 with a line naming the problem", () => {
  it("names an unknown effect in the effects file", async () => {
    const file = effectsFile(
      "unknown.json",
      JSON.stringify({ roundtable_velocity_lift: 0.4, roundtable_lift: 1 }),
    );
    const { code, err } = await cli("--seed", "1", "--scale", "small", "--effects", file);
    expect(code).toBe(2);
    expect(err).toContain('unknown effect "roundtable_lift"');
    expect(err).toContain(file);
  });

  it("names an effect out of range", async () => {
    const file = effectsFile("range.json", JSON.stringify({ roundtable_stall_share: 2 }));
    const { code, err } = await cli("--seed", "1", "--scale", "small", "--effects", file);
    expect(code).toBe(2);
    expect(err).toContain('effect "roundtable_stall_share"');
  });

  it("refuses effects that contradict each other", async () => {
    const file = effectsFile(
      "combo.json",
      JSON.stringify({ cme_normalized_gain: 0.9, cme_confident_wrong_share: 0.3 }),
    );
    const { code, err } = await cli("--seed", "1", "--scale", "small", "--effects", file);
    expect(code).toBe(2);
    expect(err).toContain("cme_confident_wrong_share");
  });

  it("refuses a file that is not JSON, or missing", async () => {
    const bad = await cli("--seed", "1", "--scale", "small", "--effects", effectsFile("bad.json", "{ nope"));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("not valid JSON");
    const missing = await cli("--seed", "1", "--scale", "small", "--effects", join(dir, "none.json"));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot read");
  });

  it("refuses unknown flags, unknown scales, a missing seed and a bad slug", async () => {
    expect((await cli("--seed", "1", "--scale", "small", "--colour", "red")).err).toContain(
      "unknown flag --colour",
    );
    const scale = await cli("--seed", "1", "--scale", "huge");
    expect(scale.code).toBe(2);
    expect(scale.err).toContain("--scale");
    expect((await cli("--scale", "small")).code).toBe(2);
    const slug = await cli("--seed", "1", "--scale", "small", "--org-slug", "Not A Slug");
    expect(slug.code).toBe(2);
    expect(slug.err).toContain("--org-slug");
  });
});
