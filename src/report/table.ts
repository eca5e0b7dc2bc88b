/** Renders rows as an aligned plain-text table (first column left, the rest right-aligned). */
export function renderTable(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c + pad(width[i]! - visible(c)) : pad(width[i]! - visible(c)) + c))
      .join("  ");
  return [line(header), width.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

// ANSI colour codes take no columns.
// eslint-disable-next-line no-control-regex -- matching ANSI escapes is the point
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").length;
const pad = (n: number) => " ".repeat(Math.max(0, n));
