import { describe, expect, it } from "vitest";
import { certificatePdf, pdfString } from "./certificate-pdf.ts";

/** A small structural reader: every xref offset must land on its "n 0 obj", and startxref on "xref". */
function checkStructure(bytes: Uint8Array) {
  const text = Buffer.from(bytes).toString("latin1");
  expect(text.startsWith("%PDF-1.4\n")).toBe(true);
  expect(text.endsWith("%%EOF\n")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
  expect(text.slice(startxref, startxref + 5)).toBe("xref\n");
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  expect(Number(first)).toBe(0);
  const entries = text
    .slice(startxref)
    .split("\n")
    .slice(2, 2 + Number(count));
  expect(entries[0]).toBe("0000000000 65535 f ");
  entries.slice(1).forEach((e, i) => {
    expect(e).toMatch(/^\d{10} 00000 n $/);
    const at = Number(e.slice(0, 10));
    expect(text.slice(at, at + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R >>/.exec(text)!;
  expect(Number(trailer[1])).toBe(Number(count));
  // The content stream's /Length is its exact byte length.
  const stream = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(text)!;
  expect(Buffer.byteLength(stream[2]!, "latin1")).toBe(Number(stream[1]));
  return text;
}

describe("certificate PDF", () => {
  it("writes a structurally valid PDF whose cross-reference offsets point at each object", () => {
    const text = checkStructure(
      certificatePdf({
        lines: [
          { text: "Certificate of Attendance", size: 28, bold: true },
          { text: "Dr. Zoë Müller (MD)", size: 20 },
          { text: "3.25 AMA PRA Category 1 Credits(TM)", size: 14 },
        ],
      }),
    );
    expect(text).toContain("(Dr. Zo\xeb M\xfcller \\(MD\\))");
    expect(text).toContain("/BaseFont /Helvetica-Bold");
  });

  it("escapes parentheses and backslashes and replaces characters outside Latin-1", () => {
    expect(pdfString("a(b)c\\d")).toBe("(a\\(b\\)c\\\\d)");
    expect(pdfString("€5 ✓")).toBe("(?5 ?)");
  });

  it("stays valid with no lines at all", () => {
    checkStructure(certificatePdf({ lines: [] }));
  });
});
