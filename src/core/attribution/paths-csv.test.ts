import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { readPathsCsv, splitCsvLine } from "./paths-csv.ts";

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("splitCsvLine", () => {
  it("splits plain and quoted fields, with doubled quotes inside quotes", () => {
    expect(splitCsvLine('a > b,1,"2,5",""', "row 2")).toEqual(["a > b", "1", "2,5", ""]);
    expect(splitCsvLine('"say ""hi"" > b",1', "row 2")).toEqual(['say "hi" > b', "1"]);
  });

  it("refuses an unterminated quote", () => {
    expect(() => splitCsvLine('"a > b,1', "row 4")).toThrow("row 4: unterminated quoted field");
  });
});

describe("readPathsCsv", () => {
  it("adds rows with the same path into one journey", () => {
    const table = readPathsCsv("path,conversions,value,nulls\na > b,1,10,2\nc,1,1,0\na>b,2,5,1\n");
    expect(table.journeyCount).toBe(2);
    expect([...table.conversions]).toEqual([3, 1]);
    expect([...table.value]).toEqual([15, 1]);
    expect([...table.nulls]).toEqual([3, 0]);
    expect(table.channels).toEqual(["a", "b", "c"]);
  });

  it("accepts columns in any order, optional value and nulls, CRLF, a BOM and blank lines", () => {
    const table = readPathsCsv("\uFEFFconversions,path\r\n2,x > y\r\n\r\n");
    expect([...table.conversions]).toEqual([2]);
    expect([...table.value]).toEqual([0]);
    expect(table.channels).toEqual(["x", "y"]);
  });

  it("reads a header-only file as an empty table", () => {
    expect(readPathsCsv("path,conversions,value,nulls\n").journeyCount).toBe(0);
  });

  it.each([
    ["", "row 1: missing header", undefined],
    ["path,conversion\n", 'row 1: unknown column "conversion"', "header"],
    ["path,value\n", 'row 1: missing column "conversions"', "header"],
    ["path,conversions,path\n", 'row 1: duplicate column "path"', "header"],
    ["path,conversions,value,nulls\na,1,2\n", "row 2: expected 4 fields, got 3", undefined],
    [
      "path,conversions,value,nulls\na,1,2,0\nb,x,2,0\n",
      'row 3: conversions must be a number >= 0, got "x"',
      "conversions",
    ],
    ["path,conversions,value,nulls\na,1,-2,0\n", "row 2: value must be a number >= 0", "value"],
    ["path,conversions,value,nulls\na,1,,0\n", "row 2: value must be a number >= 0", "value"],
    ["path,conversions,value,nulls\na,1,2,1e999\n", "row 2: nulls must be a number >= 0", "nulls"],
    ["path,conversions,value,nulls\na >  > b,1,2,0\n", "row 2: empty channel name at position 2", "path"],
    ["path,conversions,value,nulls\n\na > ,1,2,0\n", "row 3: empty channel name at position 2", "path"],
    ["path,conversions,value,nulls\na,0,2,0\n", "row 2: value 2 given with 0 conversions", "value"],
  ])("refuses %j", (text, message, field) => {
    const e = appError(() => readPathsCsv(text));
    expect(e.code).toBe("validation");
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.field).toBe(field);
  });
});
