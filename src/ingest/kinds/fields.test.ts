import { describe, expect, it } from "vitest";
import { fromMinorUnits, Invalid, minorDigits, name, timestamp, toMinorUnits } from "./fields.ts";

describe("timestamp cells", () => {
  it.each([
    "2024-03-01T09:30:00Z",
    "2024-03-01T09:30Z",
    "2024-03-01 09:30:00+01:00",
    "2024-03-01T09:30:00.123456-0530",
    "2024-03-01T09:30:00.5+01",
    "2024-02-29T23:59:59z",
  ])("accepts %s", (v) => {
    expect(timestamp(v)).toBe(v);
  });

  it.each([
    "2024-13-01",
    "2024-13-01T09:30:00Z",
    "2024-03-01",
    "2024-03-01T09:30:00",
    "2023-02-29T10:00:00Z",
    "2024-04-31T10:00:00Z",
    "2024-03-01T24:00:00Z",
    "2024-03-01T09:60:00Z",
    "2024-03-01T09:30:00+16:00",
    "2024-03-01T09:30:00Zjunk",
    "01/03/2024 09:30",
    "2024-03-01T09:30:00.Z",
  ])("refuses %s, naming the value", (v) => {
    const out = timestamp(v);
    expect(out).toBeInstanceOf(Invalid);
    expect((out as Invalid).reason).toBe(
      `not a date/time with a zone (${JSON.stringify(v)}); write e.g. 2024-03-01T09:30:00Z`,
    );
  });
});

describe("money", () => {
  it("converts major units to the currency's minor units exactly", () => {
    expect(toMinorUnits("1234.50", "USD")).toBe(123450);
    expect(toMinorUnits("0.1", "USD")).toBe(10);
    expect(toMinorUnits("19.99", "EUR")).toBe(1999);
    expect(toMinorUnits("1500", "JPY")).toBe(1500);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
    expect(minorDigits("KWD")).toBe(3);
  });

  it("refuses more decimals than the currency has", () => {
    expect((toMinorUnits("12.345", "USD") as Invalid).reason).toBe(
      'more than 2 decimal places for USD ("12.345")',
    );
    expect(toMinorUnits("1.5", "JPY")).toBeInstanceOf(Invalid);
  });

  it("formats minor units back as the same text", () => {
    expect(fromMinorUnits(123450, "USD")).toBe("1234.50");
    expect(fromMinorUnits(5, "USD")).toBe("0.05");
    expect(fromMinorUnits(1500, "JPY")).toBe("1500");
    expect(fromMinorUnits(1234, "KWD")).toBe("1.234");
  });
});

describe("names (a touch's kind and campaign)", () => {
  const kind = name(5);
  it("keeps a name of up to the limit, counting characters, not UTF-16 units", () => {
    expect(kind("visit")).toBe("visit");
    expect(kind("🎤🎤🎤🎤🎤")).toBe("🎤🎤🎤🎤🎤");
  });
  it("refuses a longer name and one holding a record or unit separator, saying which", () => {
    expect(kind("visits")).toEqual(new Invalid('longer than 5 characters ("visits")'));
    expect(kind("a\u001eb")).toEqual(
      new Invalid('holds a control character (record or unit separator) ("a\\u001eb")'),
    );
    expect(kind("a\u001fb")).toBeInstanceOf(Invalid);
    expect(kind("a\tb")).toBe("a\tb");
  });
});
