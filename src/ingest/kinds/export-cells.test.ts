import { describe, expect, it } from "vitest";
import { isoText } from "./export-cells.ts";

describe("exported times", () => {
  it("drop zero fractions and keep significant ones", () => {
    expect(isoText("2024-03-01T09:30:00.000000Z")).toBe("2024-03-01T09:30:00Z");
    expect(isoText("2024-03-01T09:30:00.250000Z")).toBe("2024-03-01T09:30:00.25Z");
    expect(isoText("2024-03-01T09:30:10.123456Z")).toBe("2024-03-01T09:30:10.123456Z");
    expect(isoText(null)).toBeNull();
  });
});
