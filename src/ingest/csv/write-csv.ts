const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field: quoted (with "" escapes) when it holds a comma, quote, line end or edge whitespace; null is empty. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line ending in \n. */
export function csvLine(values: readonly (string | null | undefined)[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += (i === 0 ? "" : ",") + csvField(values[i]);
  return `${line}\n`;
}
