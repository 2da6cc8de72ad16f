/**
 * RFC 4180 CSV, read chunk by chunk: quoted fields, "" escapes, CRLF / LF / CR line ends, newlines inside quotes,
 * a leading byte-order mark. The parser keeps its state between chunks, so a chunk may end anywhere (inside a
 * quote, between \r and \n, inside a multi-byte character when fed bytes) and the records are the same.
 */

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

// Parser states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: either an escaped quote ("") or the closing quote. */
const QUOTE_IN_QUOTED = 3;
/** After the closing quote: only a comma or a line end may follow. */
const AFTER_QUOTED = 4;

/** One record: its fields, and what is wrong with it if the text broke the format (the record is still returned). */
export interface CsvRecord {
  fields: string[];
  error: string | undefined;
}

/** The file cannot be read as CSV at all (not UTF-8, a runaway quote): nothing after this point can be trusted. */
export class CsvFileError extends Error {
  override name = "CsvFileError";
}

export interface CsvParserOptions {
  /** Longest field accepted, in characters; a longer one is almost always a quote that is never closed. */
  maxFieldChars?: number;
}

/** Incremental parser: `push` chunks, `end` once; each returns the records completed so far. */
export class CsvParser {
  private readonly maxFieldChars: number;
  private state = FIELD_START;
  private fields: string[] = [];
  private field = "";
  private error: string | undefined = undefined;
  private started = false;
  private skipLf = false;
  private recordCount = 0;
  private out: CsvRecord[] = [];

  constructor(options: CsvParserOptions = {}) {
    this.maxFieldChars = options.maxFieldChars ?? 16 * 1024 * 1024;
  }

  /** Parses one chunk and returns the records it completed. */
  push(s: string): CsvRecord[] {
    const n = s.length;
    let i = 0;
    if (n === 0) return [];
    if (!this.started) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (s.charCodeAt(i) === LF) i++;
    }
    while (i < n) {
      const state = this.state;
      if (state === QUOTED) {
        const q = s.indexOf('"', i);
        if (q === -1) {
          this.append(s, i, n);
          i = n;
        } else {
          this.append(s, i, q);
          i = q + 1;
          this.state = QUOTE_IN_QUOTED;
        }
        continue;
      }
      if (state === QUOTE_IN_QUOTED) {
        if (s.charCodeAt(i) === QUOTE) {
          this.field += '"';
          i++;
          this.state = QUOTED;
          continue;
        }
        this.state = AFTER_QUOTED;
        continue;
      }
      if (state === FIELD_START) {
        if (s.charCodeAt(i) === QUOTE) {
          this.state = QUOTED;
          i++;
          continue;
        }
        this.state = UNQUOTED;
      }
      // UNQUOTED or AFTER_QUOTED: run to the next comma or line end.
      let j = i;
      let c = 0;
      while (j < n) {
        c = s.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      if (j > i) {
        if (this.state === AFTER_QUOTED && this.error === undefined) {
          this.error = `text after a closing quote in field ${this.fields.length + 1}`;
        }
        this.append(s, i, j);
      }
      if (j === n) {
        i = n;
        break;
      }
      this.fields.push(this.field);
      this.field = "";
      this.state = FIELD_START;
      if (c === COMMA) {
        // A comma at the very end of the text still opens a field: end() closes it as empty.
        i = j + 1;
        continue;
      }
      this.endRecord();
      if (c === CR) {
        if (j + 1 < n) i = s.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
        else {
          this.skipLf = true;
          i = j + 1;
        }
      } else i = j + 1;
    }
    return this.take();
  }

  /** Finishes the text: returns the last record if the file did not end with a line end. */
  end(): CsvRecord[] {
    if (this.state === QUOTED) {
      this.error ??= `a quoted field is not closed (field ${this.fields.length + 1} has no closing ")`;
      this.fields.push(this.field);
      this.endRecord();
    } else if (this.state !== FIELD_START || this.fields.length > 0 || this.field !== "") {
      this.fields.push(this.field);
      this.endRecord();
    }
    this.state = FIELD_START;
    this.field = "";
    return this.take();
  }

  private append(s: string, from: number, to: number): void {
    const piece = s.slice(from, to);
    this.field = this.field === "" ? piece : this.field + piece;
    if (this.field.length > this.maxFieldChars) {
      throw new CsvFileError(
        `a field is longer than ${this.maxFieldChars} characters (record ${this.recordCount + 1}); a quote that is never closed?`,
      );
    }
  }

  private endRecord(): void {
    this.out.push({ fields: this.fields, error: this.error });
    this.recordCount++;
    this.fields = [];
    this.error = undefined;
  }

  private take(): CsvRecord[] {
    const records = this.out;
    this.out = [];
    return records;
  }
}

/** Parses a whole string (tests, small inputs). */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** A batch of records and the bytes read so far (for progress). */
export interface CsvBatch {
  records: CsvRecord[];
  bytes: number;
}

/**
 * Streams records from text or byte chunks. Bytes are decoded as UTF-8 (a character split across chunks is
 * joined); bytes that are not UTF-8 end the file with a CsvFileError.
 */
export async function* readCsv(
  input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: CsvParserOptions = {},
): AsyncGenerator<CsvBatch> {
  const parser = new CsvParser(options);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let bytes = 0;
  let decoding = false;
  for await (const chunk of input) {
    let text: string;
    if (typeof chunk === "string") {
      bytes += Buffer.byteLength(chunk);
      text = chunk;
    } else {
      bytes += chunk.byteLength;
      decoding = true;
      text = decode(decoder, chunk, true);
    }
    const records = parser.push(text);
    if (records.length > 0) yield { records, bytes };
  }
  const tail = decoding ? decode(decoder, undefined, false) : "";
  const records = [...parser.push(tail), ...parser.end()];
  yield { records, bytes };
}

function decode(decoder: TextDecoder, chunk: Uint8Array | undefined, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    throw new CsvFileError('the file is not UTF-8 text (save it as "CSV UTF-8")');
  }
}
