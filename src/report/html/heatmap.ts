import { xmlAttr, xmlText } from "../xml.js";

/**
 * A confusion matrix as a heat map: rows are expected labels, columns what the outputs were read
 * as, each cell shaded by its share of its row and printed with its count. Inline SVG with the
 * same data attributes as xyChart (`data-chart`, `data-plot-area`, `data-axis-label`).
 */
export function heatmap(o: {
  id: string;
  title: string;
  rows: string[];
  columns: string[];
  counts: number[][];
}): string {
  const CHAR_W = 6.6;
  const left = Math.min(200, 40 + Math.max(...o.rows.map((r) => r.length)) * CHAR_W);
  const cell = Math.max(34, Math.min(64, (600 - left) / Math.max(1, o.columns.length)));
  const top = 52;
  const W = Math.max(640, left + cell * o.columns.length + 24);
  const plotH = cell * o.rows.length;
  const H = top + plotH + 48;
  const parts: string[] = [
    `<rect data-plot-area="" x="${left}" y="${top}" width="${cell * o.columns.length}" height="${plotH}" class="plot"/>`,
  ];
  o.columns.forEach((c, j) =>
    parts.push(
      `<text x="${left + cell * (j + 0.5)}" y="${top - 6}" text-anchor="middle">${xmlText(c)}</text>`,
    ),
  );
  o.rows.forEach((r, i) => {
    const total = (o.counts[i] ?? []).reduce((a, b) => a + b, 0);
    parts.push(
      `<text x="${left - 6}" y="${top + cell * (i + 0.5) + 4}" text-anchor="end">${xmlText(r)}</text>`,
    );
    o.columns.forEach((c, j) => {
      const n = o.counts[i]?.[j] ?? 0;
      const share = total > 0 ? n / total : 0;
      // Darker is more: a blue ramp (no series colour), white text on the darker half.
      const light = Math.round(97 - share * 62);
      parts.push(
        `<g data-cell="${xmlAttr(`${r}→${c}`)}"><rect x="${left + cell * j}" y="${top + cell * i}" width="${cell}" height="${cell}" fill="hsl(210 60% ${light}%)" stroke="#fff"/>` +
          `<text x="${left + cell * (j + 0.5)}" y="${top + cell * (i + 0.5) + 4}" text-anchor="middle" style="fill:${share > 0.5 ? "#fff" : "#111"}">${n}</text>` +
          `<title>${xmlText(`expected ${r}, read as ${c}: ${n} of ${total}`)}</title></g>`,
      );
    });
  });
  const mid = top + plotH / 2;
  parts.push(
    `<text data-axis-label="x" x="${left + (cell * o.columns.length) / 2}" y="${top + plotH + 28}" text-anchor="middle">output read as (label; cell: cases, shade: share of row)</text>`,
    `<text data-axis-label="y" x="14" y="${mid}" text-anchor="middle" transform="rotate(-90 14 ${mid})">expected (label)</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${xmlAttr(o.id)}-title" data-chart="${xmlAttr(o.id)}" class="chart">`,
    `<title id="${xmlAttr(o.id)}-title">${xmlText(o.title)}</title>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" class="title">${xmlText(o.title)}</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
