import { describe, expect, it } from "vitest";
import {
  dataCodewords,
  encodeQr,
  formatBits,
  type QrCode,
  rawDataModules,
  reedSolomon,
  versionBits,
} from "./qr.ts";

/**
 * Reads a code back: the mask from the format bits, data modules in zigzag order, blocks de-interleaved and their
 * Reed–Solomon codewords checked, then the byte-mode segment. An independent path through the structure.
 */
function decode(code: QrCode): string {
  const { size, modules, reserved, version: ver } = code;
  let fmt = 0;
  for (let i = 0; i <= 5; i++) fmt |= (modules[i]![8] ? 1 : 0) << i;
  fmt |= (modules[7]![8] ? 1 : 0) << 6;
  fmt |= (modules[8]![8] ? 1 : 0) << 7;
  fmt |= (modules[8]![7] ? 1 : 0) << 8;
  for (let i = 9; i < 15; i++) fmt |= (modules[8]![14 - i] ? 1 : 0) << i;
  const mask = [0, 1, 2, 3, 4, 5, 6, 7].find((m) => formatBits(0, m) === fmt);
  if (mask === undefined) throw new Error(`format bits ${fmt.toString(2)} are not level M`);
  const masks = [
    (x: number, y: number) => (x + y) % 2 === 0,
    (_x: number, y: number) => y % 2 === 0,
    (x: number) => x % 3 === 0,
    (x: number, y: number) => (x + y) % 3 === 0,
    (x: number, y: number) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
    (x: number, y: number) => ((x * y) % 2) + ((x * y) % 3) === 0,
    (x: number, y: number) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
    (x: number, y: number) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
  ];
  const bits: number[] = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert;
        if (!reserved[y]![x]) bits.push(modules[y]![x]! !== masks[mask]!(x, y) ? 1 : 0);
      }
    }
  }
  const raw = Math.floor(rawDataModules(ver) / 8);
  const codewords: number[] = [];
  for (let i = 0; i < raw * 8; i += 8) codewords.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  const blocksByVersion = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
  const numBlocks = blocksByVersion[ver - 1]!;
  const eccLen = (raw - dataCodewords(ver)) / numBlocks;
  const numShort = numBlocks - (raw % numBlocks);
  const shortData = Math.floor(raw / numBlocks) - eccLen;
  const blocks = Array.from({ length: numBlocks }, (_, b) => ({
    data: new Array<number>(shortData + (b < numShort ? 0 : 1)),
    ecc: new Array<number>(eccLen),
  }));
  let k = 0;
  for (let i = 0; i < shortData + 1; i++) {
    for (const [b, block] of blocks.entries()) {
      if (i < shortData || b >= numShort) block.data[i] = codewords[k++]!;
    }
  }
  for (let i = 0; i < eccLen; i++) for (const block of blocks) block.ecc[i] = codewords[k++]!;
  for (const block of blocks) expect(reedSolomon(block.data, eccLen)).toEqual(block.ecc);
  const data = blocks.flatMap((b) => b.data);
  const stream = data.flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (byte >>> i) & 1));
  const read = (at: number, n: number) => stream.slice(at, at + n).reduce((a, b) => (a << 1) | b, 0);
  expect(read(0, 4)).toBe(0b0100);
  const countBits = ver < 10 ? 8 : 16;
  const length = read(4, countBits);
  const bytes = Array.from({ length }, (_, i) => read(4 + countBits + i * 8, 8));
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

describe("QR codes", () => {
  it("computes Reed–Solomon codewords of the standard HELLO WORLD 1-M example", () => {
    const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
    expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it("produces the standard format and version information bits", () => {
    expect(formatBits(1, 0).toString(2).padStart(15, "0")).toBe("111011111000100"); // L, mask 0
    expect(formatBits(0, 0).toString(2).padStart(15, "0")).toBe("101010000010010"); // M, mask 0
    expect(versionBits(7).toString(2).padStart(18, "0")).toBe("000111110010010100");
  });

  it("knows the capacities of level M", () => {
    expect([1, 2, 7, 9, 10].map(dataCodewords)).toEqual([16, 28, 124, 182, 216]);
  });

  it("puts a 160-character ticket code in a version 9 symbol that reads back", () => {
    const ticket = `TL1.${"AbCd-_09".repeat(19)}xyzw`;
    expect(ticket).toHaveLength(160);
    const code = encodeQr(ticket);
    expect(code.version).toBe(9);
    expect(code.size).toBe(53);
    expect(decode(code)).toBe(ticket);
    // Finder pattern corners and the timing line.
    expect(code.modules[0]!.slice(0, 7)).toEqual([true, true, true, true, true, true, true]);
    expect(code.modules[6]!.slice(8, 16)).toEqual([true, false, true, false, true, false, true, false]);
  });

  it("reads back under every mask and for short and non-ASCII text", () => {
    for (let mask = 0; mask < 8; mask++)
      expect(decode(encodeQr("https://example.test/t/abc", mask))).toBe("https://example.test/t/abc");
    expect(decode(encodeQr("Grüße, 東京"))).toBe("Grüße, 東京");
    expect(encodeQr("x").version).toBe(1);
  });
});
