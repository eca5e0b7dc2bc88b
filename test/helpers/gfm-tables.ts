/** A table as GitHub-flavoured Markdown reads it: header cells and body rows of cells. */
export interface GfmTable {
  header: string[];
  rows: string[][];
}

/** Splits a table line into cells on unescaped pipes, as the GFM spec (section 4.10) does. */
export function splitRow(line: string): string[] {
  const inner = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "\\" && inner[i + 1] === "|") {
      cell += "\\|";
      i++;
    } else if (inner[i] === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += inner[i];
  }
  cells.push(cell.trim());
  return cells;
}

const DELIMITER = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Finds every table in a Markdown text and checks what GitHub needs to render it: a delimiter row
 * right under the header with as many cells, a blank line (or the start) before the header, and
 * every body row with exactly the header's cell count (GitHub pads or drops cells otherwise,
 * which shifts columns). Throws naming the line when a table is malformed.
 */
export function parseGfmTables(md: string): GfmTable[] {
  const lines = md.split("\n");
  const tables: GfmTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("|")) continue;
    const header = splitRow(lines[i]!);
    const delimiter = lines[i + 1] ?? "";
    if (!DELIMITER.test(delimiter)) throw new Error(`line ${i + 2}: no delimiter row under the header`);
    if (splitRow(delimiter).length !== header.length)
      throw new Error(
        `line ${i + 2}: delimiter has ${splitRow(delimiter).length} cells, header ${header.length}`,
      );
    if (i > 0 && lines[i - 1]!.trim() !== "")
      throw new Error(`line ${i + 1}: a table needs a blank line before it`);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith("|"); j++) {
      const cells = splitRow(lines[j]!);
      if (cells.length !== header.length)
        throw new Error(`line ${j + 1}: ${cells.length} cells, header has ${header.length}`);
      rows.push(cells);
    }
    tables.push({ header, rows });
    i = j - 1;
  }
  return tables;
}
