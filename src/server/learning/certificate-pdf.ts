/**
 * A minimal, valid PDF 1.4 written by hand (no package): one Letter landscape page, the standard Helvetica fonts
 * (no embedding needed), text lines and a border. The cross-reference table holds the byte offset of every
 * object, so readers open it without repair. Text is encoded as WinAnsi (Latin-1); other characters become "?".
 */

export interface CertificateText {
  /** Lines top to bottom: size in points, bold or not, centred. */
  lines: { text: string; size: number; bold?: boolean }[];
}

const WIDTH = 792;
const HEIGHT = 612;

/** PDF string literal: backslash, parentheses escaped; non-Latin-1 characters replaced. */
export function pdfString(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === "(" || ch === ")") out += `\\${ch}`;
    else if (code < 32 || code > 255) out += "?";
    else out += ch;
  }
  return `(${out})`;
}

/** Helvetica advance widths are not embedded; centre by an average glyph width (0.5 em), good enough for a title. */
function approxWidth(text: string, size: number, bold: boolean): number {
  return text.length * size * (bold ? 0.56 : 0.5);
}

function contentStream(cert: CertificateText): string {
  const parts: string[] = ["0.2 0.3 0.5 RG 3 w 36 36 720 540 re S", "1 w 46 46 700 520 re S"];
  let y = HEIGHT - 150;
  for (const line of cert.lines) {
    const bold = line.bold ?? false;
    const x = Math.max(50, (WIDTH - approxWidth(line.text, line.size, bold)) / 2);
    parts.push(
      `BT /${bold ? "F2" : "F1"} ${line.size} Tf ${x.toFixed(1)} ${y.toFixed(1)} Td ${pdfString(line.text)} Tj ET`,
    );
    y -= line.size * 1.9;
  }
  return parts.join("\n");
}

/** The certificate as PDF bytes. */
export function certificatePdf(cert: CertificateText): Uint8Array {
  const content = contentStream(cert);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${WIDTH} ${HEIGHT}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
  ];
  // Latin-1 throughout, so one character is one byte and offsets are string lengths.
  let pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, "latin1"));
}
