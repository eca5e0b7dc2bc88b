import { xmlText } from "../xml.js";

/** A status as a word on a coloured badge: it reads without colour and without an emoji font. */
export function badge(pass: boolean, text = pass ? "PASS" : "FAIL"): string {
  return `<span class="badge ${pass ? "pass" : "fail"}">${xmlText(text)}</span>`;
}

/** An HTML table: cells are HTML already; rows with `fail` set are shaded. */
export function htmlTable(
  header: string[],
  rows: Array<{ cells: string[]; fail?: boolean }>,
  numeric: number[] = [],
): string {
  const cls = (j: number) => (numeric.includes(j) ? ' class="num"' : "");
  return [
    '<div class="table-wrap"><table>',
    `<thead><tr>${header.map((h, j) => `<th${cls(j)}>${xmlText(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map(
      (r) =>
        `<tr${r.fail ? ' class="fail"' : ""}>${r.cells.map((c, j) => `<td${cls(j)}>${c}</td>`).join("")}</tr>`,
    ),
    "</tbody></table></div>",
  ].join("");
}

/** A section of the page: its heading, then its content; `id` names it for links and screenshots. */
export function section(id: string, title: string, content: string[]): string {
  const body = content.filter(Boolean);
  if (body.length === 0) return "";
  return `<section id="${id}" data-section="${id}"><h2>${xmlText(title)}</h2>\n${body.join("\n")}\n</section>`;
}

/** Charts side by side: two per row on a wide screen, one when narrow or printed. */
export function chartGrid(charts: string[]): string {
  const drawn = charts.filter(Boolean);
  if (drawn.length === 0) return "";
  return `<div class="charts">${drawn.map((c) => `<figure>${c}</figure>`).join("\n")}</div>`;
}
