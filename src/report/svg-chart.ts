import { xmlAttr, xmlText } from "./xml.js";

/** One line of a chart: finite points only are drawn. */
export interface Series {
  name: string;
  points: Array<[number, number]>;
}

/** Titles, axis labels, the y range and an optional vertical marker of one chart. */
export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Fixed y range, e.g. [0, 1] for a CDF; otherwise 0 to the data's maximum. */
  yRange?: [number, number];
  /** Fixed right end of the x axis, so charts drawn one above the other line up in time. */
  xMax?: number;
  /** A vertical marker, e.g. the capacity at SLO. */
  marker?: { x: number; label: string };
  /** Labelled points beside the lines, e.g. a sweep's synchronous and saturation steps. */
  points?: Array<{ x: number; y: number; label: string }>;
}

const W = 640;
const H = 320;
const PAD = { left: 64, right: 16, top: 32, bottom: 48 };
const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/** Round, readable tick values from 0 to about `max`. */
function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => Number((i * step).toPrecision(6)));
}

const fmt = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : String(Number(x.toPrecision(3))));

/**
 * A line chart as one inline SVG element: axes with ticks, a polyline per series, a legend. Pure;
 * no script, no external resource, so the page stays self-contained. Empty string with no data.
 */
export function lineChart(series: Series[], o: ChartOptions): string {
  const drawn = series
    .map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)) }))
    .filter((s) => s.points.length > 0);
  const dots = (o.points ?? []).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (drawn.length === 0 && dots.length === 0) return "";
  const all = [...drawn.flatMap((s) => s.points), ...dots.map((p): [number, number] => [p.x, p.y])];
  const xMax = o.xMax ?? (Math.max(...all.map(([x]) => x), o.marker?.x ?? 0) || 1);
  const [yMin, yTop] = o.yRange ?? [0, Math.max(...all.map(([, y]) => y)) || 1];
  const sx = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - yMin) / (yTop - yMin || 1)) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${xmlAttr(o.title)}">`,
    `<text x="${W / 2}" y="18" text-anchor="middle" class="title">${xmlText(o.title)}</text>`,
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" class="axis"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" class="axis"/>`,
  ];
  for (const t of ticks(xMax)) {
    parts.push(
      `<text x="${sx(t).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  for (const t of ticks(yTop - yMin).map((t) => t + yMin)) {
    parts.push(
      `<line x1="${PAD.left}" y1="${sy(t).toFixed(1)}" x2="${W - PAD.right}" y2="${sy(t).toFixed(1)}" class="grid"/>`,
      `<text x="${PAD.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${xmlText(o.xLabel)}</text>`,
    `<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">${xmlText(o.yLabel)}</text>`,
  );
  if (o.marker) {
    const x = sx(o.marker.x).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${PAD.top}" x2="${x}" y2="${H - PAD.bottom}" class="marker"/>`,
      `<text x="${x}" y="${PAD.top - 4}" text-anchor="middle">${xmlText(o.marker.label)}</text>`,
    );
  }
  drawn.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"><title>${xmlText(s.name)}</title></polyline>`,
      `<rect x="${PAD.left + 8}" y="${PAD.top + 4 + i * 16}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${PAD.left + 22}" y="${PAD.top + 13 + i * 16}">${xmlText(s.name)}</text>`,
    );
  });
  for (const p of dots) {
    const [x, y] = [sx(p.x).toFixed(1), sy(p.y).toFixed(1)];
    parts.push(
      `<circle cx="${x}" cy="${y}" r="4" class="point"><title>${xmlText(p.label)}</title></circle>`,
      `<text x="${x}" y="${(sy(p.y) - 8).toFixed(1)}" text-anchor="middle">${xmlText(p.label)}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}
