import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvFileError, CsvParser, parseCsv, readCsv } from "./parse-csv.ts";
import { csvLine } from "./write-csv.ts";

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

/** Feeds `text` in pieces cut at `cuts` and returns the records. */
function parseInPieces(text: string, cuts: number[]): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    for (const r of parser.push(text.slice(from, cut))) out.push(r.fields);
    from = cut;
  }
  for (const r of parser.push(text.slice(from))) out.push(r.fields);
  for (const r of parser.end()) out.push(r.fields);
  return out;
}

describe("CSV parser", () => {
  it("reads plain fields with LF, CRLF and lone CR line ends", () => {
    expect(fieldsOf("a,b\n1,2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fieldsOf("a,b\r\n1,2\r\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fieldsOf("a,b\r1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("reads the last record without a line end, and empty fields anywhere", () => {
    expect(fieldsOf("a,,c\n,,\nx,y,")).toEqual([
      ["a", "", "c"],
      ["", "", ""],
      ["x", "y", ""],
    ]);
  });

  it("unquotes quoted fields with escaped quotes, commas and embedded newlines", () => {
    expect(fieldsOf('"a ""quoted"" word","x,y","line1\nline2","crlf\r\ninside"\n')).toEqual([
      ['a "quoted" word', "x,y", "line1\nline2", "crlf\r\ninside"],
    ]);
    expect(fieldsOf('"",""""\n')).toEqual([["", '"']]);
  });

  it("drops a leading byte-order mark", () => {
    expect(fieldsOf("\uFEFFexternal_id,name\n1,A\n")[0]).toEqual(["external_id", "name"]);
  });

  it("keeps a quote inside an unquoted field as it is", () => {
    expect(fieldsOf('5" screen,x\n')).toEqual([['5" screen', "x"]]);
  });

  it("flags text after a closing quote, and a quote that is never closed", () => {
    const [bad] = parseCsv('"ab"c,d\n');
    expect(bad!.error).toBe("text after a closing quote in field 1");
    const records = parseCsv('a,b\n1,"never closed\n2,3\n');
    expect(records).toHaveLength(2);
    expect(records[1]!.error).toMatch(/quoted field is not closed/);
    expect(records[0]!.error).toBeUndefined();
  });

  it("gives a blank line as one empty field", () => {
    expect(fieldsOf("a\n\nb\n")).toEqual([["a"], [""], ["b"]]);
  });

  it("stops at a runaway field instead of holding the rest of the file", () => {
    const parser = new CsvParser({ maxFieldChars: 10 });
    expect(() => parser.push('"0123456789ABC')).toThrow(CsvFileError);
  });

  it("splits a CRLF across chunks without an extra empty record", () => {
    expect(parseInPieces("a,b\r\n1,2\r\n", [4, 10])).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("gives the same records wherever the text is cut (property)", () => {
    const cellText = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r", " ", "é", "😀") }),
      fc.string(),
    );
    const table = fc.array(fc.array(cellText, { minLength: 2, maxLength: 4 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(table, fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (rows, crlf, rawCuts) => {
        // The writer quotes what needs quoting; the parser must give back exactly the cells.
        let text = rows.map((r) => csvLine(r)).join("");
        if (crlf) text = text.replace(/\n$/, "\r\n");
        const cuts = rawCuts.map((c) => c % (text.length + 1));
        const whole = fieldsOf(text);
        expect(whole).toEqual(rows);
        expect(parseInPieces(text, cuts)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes UTF-8 split inside a character across byte chunks", async () => {
    const bytes = Buffer.from("name\nJosé 😀\n", "utf8");
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    const out: string[][] = [];
    let lastBytes = 0;
    for await (const batch of readCsv(chunks)) {
      out.push(...batch.records.map((r) => r.fields));
      lastBytes = batch.bytes;
    }
    expect(out).toEqual([["name"], ["José 😀"]]);
    expect(lastBytes).toBe(bytes.length);
  });

  it("refuses bytes that are not UTF-8", async () => {
    const read = async () => {
      for await (const _ of readCsv([Uint8Array.of(0x6e, 0x0a, 0xff, 0xfe, 0x0a)])) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow(/not UTF-8/);
  });
});
