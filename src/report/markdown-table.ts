/**
 * One GitHub-flavoured Markdown table cell: pipes escaped, line breaks flattened, and `<`, `>`, `&`
 * written as entities so a model's output can neither break the table nor inject HTML.
 */
export function mdCell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim();
}

/** A GFM table; `align` per column: "l" (default) or "r" for numbers. Cells are escaped here. */
export function mdTable(header: string[], rows: string[][], align: Array<"l" | "r"> = []): string {
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(" | ")} |`;
  const rule = `|${header.map((_, i) => (align[i] === "r" ? " ---: " : " --- ")).join("|")}|`;
  return [line(header), rule, ...rows.map((r) => line(header.map((_, i) => r[i] ?? "")))].join("\n");
}

/**
 * Cuts Markdown to at most `maxBytes` UTF-8 bytes at a line boundary, with a closing note; tables
 * stay well formed because only whole rows go. GitHub rejects step summaries over 1 MiB.
 */
export function fitMarkdown(md: string, maxBytes: number): string {
  if (Buffer.byteLength(md, "utf8") <= maxBytes) return md;
  const note =
    "\n\n_The summary was cut to fit its size limit; run.json and the other reports hold everything._\n";
  const budget = maxBytes - Buffer.byteLength(note, "utf8");
  if (budget <= 0) return "";
  const bytes = Buffer.from(md, "utf8").subarray(0, budget);
  // Decoding may end in half a character; the cut goes back to the last whole line anyway.
  const text = bytes.toString("utf8");
  const end = text.lastIndexOf("\n");
  return (end > 0 ? text.slice(0, end) : "") + note;
}
