import { xmlAttr, xmlText } from "../xml.js";
import { MARKER_COLOUR } from "./palette.js";
import { createScale, type ScaleKind, tickText } from "./scale.js";

/**
 * report.html's one chart: lines and points with optional intervals, markers, and a legend below
 * the plot area (never over the data). Pure inline SVG, no script. Elements carry data attributes
 * the browser test reads: `data-chart` on the SVG, `data-plot-area`, `data-axis-label="x|y"`,
 * `data-series="<key>"` on each plotted series, `data-marker`, `data-legend` and
 * `data-legend-item`.
 */

/** One point; `*Low`/`*High` draw its interval as a bar, `title` is its tooltip. */
export interface XyPoint {
  x: number;
  y: number;
  xLow?: number;
  xHigh?: number;
  yLow?: number;
  yHigh?: number;
  label?: string;
  title?: string;
}

/** One plotted series: `key` names its target (or target and variant) for the colour check. */
export interface XySeries {
  key: string;
  label: string;
  colour: string;
  dash?: string;
  points: XyPoint[];
  /** Join the points (default true); false draws dots only. */
  line?: boolean;
  dots?: boolean;
}

/** A reference line across the plot (capacity at SLO, a margin, zero), in MARKER_COLOUR. */
export interface Marker {
  axis: "x" | "y";
  value: number;
  label: string;
}

export interface XyOptions {
  /** Unique on the page; names the chart for the browser test. */
  id: string;
  title: string;
  /** Axis labels end with their unit in parentheses, e.g. `TTFT (ms)`. */
  xLabel: string;
  yLabel: string;
  xScale?: ScaleKind;
  yScale?: ScaleKind;
  xRange?: [number, number];
  yRange?: [number, number];
  /** y is a category index: ticks show these names (a dot-and-interval chart). */
  yCategories?: string[];
  markers?: Marker[];
}

const W = 640;
const PLOT_H = 240;
const TOP = 40;
const RIGHT = 24;
const CHAR_W = 6.6;
const f = (v: number) => v.toFixed(1);

const finite = (p: XyPoint) => Number.isFinite(p.x) && Number.isFinite(p.y);

/** The legend's items laid out in rows under the axis label; returns its SVG and its height. */
function legend(
  items: Array<{ key: string; label: string; colour: string; dash?: string }>,
  left: number,
  top: number,
): { svg: string; height: number } {
  const parts: string[] = [];
  let [x, y] = [left, top];
  for (const item of items) {
    const width = 30 + item.label.length * CHAR_W + 16;
    if (x + width > W - RIGHT && x > left) [x, y] = [left, y + 18];
    const dash = item.dash ? ` stroke-dasharray="${item.dash}"` : "";
    parts.push(
      `<g data-legend-item="${xmlAttr(item.key)}"><line x1="${f(x)}" y1="${f(y - 4)}" x2="${f(x + 22)}" y2="${f(y - 4)}" stroke="${item.colour}" stroke-width="3"${dash}/>` +
        `<text x="${f(x + 28)}" y="${f(y)}">${xmlText(item.label)}</text></g>`,
    );
    x += width;
  }
  if (parts.length === 0) return { svg: "", height: 0 };
  return { svg: `<g data-legend="">${parts.join("")}</g>`, height: y - top + 22 };
}

/** One chart as an SVG element; an empty string when nothing finite is left to draw. */
export function xyChart(series: readonly XySeries[], o: XyOptions): string {
  const drawn = series
    .map((s) => ({ ...s, points: s.points.filter(finite) }))
    .filter((s) => s.points.length > 0);
  if (drawn.length === 0) return "";
  const pts = drawn.flatMap((s) => s.points);
  const markers = (o.markers ?? []).filter((m) => Number.isFinite(m.value));
  const xs = [
    ...pts.flatMap((p) => [p.x, p.xLow ?? p.x, p.xHigh ?? p.x]),
    ...markers.filter((m) => m.axis === "x").map((m) => m.value),
  ].filter(Number.isFinite);
  const ys = [
    ...pts.flatMap((p) => [p.y, p.yLow ?? p.y, p.yHigh ?? p.y]),
    ...markers.filter((m) => m.axis === "y").map((m) => m.value),
  ].filter(Number.isFinite);
  const cats = o.yCategories;
  const left = cats ? Math.min(220, 34 + Math.max(...cats.map((c) => c.length)) * CHAR_W) : 72;
  const bottom = TOP + PLOT_H;
  const sx = createScale(xs, o.xScale ?? "linear", left, W - RIGHT, o.xRange);
  const sy = cats
    ? { log: false, at: (v: number) => TOP + ((v + 0.5) / cats.length) * PLOT_H, ticks: [] as number[] }
    : createScale(ys, o.yScale ?? "linear", bottom, TOP, o.yRange);
  const scaleNote = (log: boolean) => (log ? ", log scale" : "");
  const xLabel = `${o.xLabel}${scaleNote(sx.log)}`;
  const yLabel = `${o.yLabel}${scaleNote(sy.log)}`;
  const body: string[] = [
    `<rect data-plot-area="" x="${left}" y="${TOP}" width="${W - RIGHT - left}" height="${PLOT_H}" class="plot"/>`,
  ];
  for (const t of sx.ticks) {
    const x = f(sx.at(t));
    body.push(
      `<line x1="${x}" y1="${TOP}" x2="${x}" y2="${bottom}" class="grid"/>`,
      `<text x="${x}" y="${bottom + 16}" text-anchor="middle">${tickText(t)}</text>`,
    );
  }
  const yTicks = cats ? cats.map((_, i) => i) : sy.ticks;
  for (const t of yTicks) {
    const y = f(sy.at(t));
    const text = cats ? (cats[t] ?? "") : tickText(t);
    body.push(
      `<line x1="${left}" y1="${y}" x2="${W - RIGHT}" y2="${y}" class="grid"/>`,
      `<text x="${left - 6}" y="${f(sy.at(t) + 4)}" text-anchor="end">${xmlText(text)}</text>`,
    );
  }
  body.push(
    `<line x1="${left}" y1="${bottom}" x2="${W - RIGHT}" y2="${bottom}" class="axis"/>`,
    `<line x1="${left}" y1="${TOP}" x2="${left}" y2="${bottom}" class="axis"/>`,
    `<text data-axis-label="x" x="${f((left + W - RIGHT) / 2)}" y="${bottom + 36}" text-anchor="middle">${xmlText(xLabel)}</text>`,
    `<text data-axis-label="y" x="14" y="${f(TOP + PLOT_H / 2)}" text-anchor="middle" transform="rotate(-90 14 ${f(TOP + PLOT_H / 2)})">${xmlText(yLabel)}</text>`,
  );
  // Several vertical markers are numbered above the plot; the legend says which is which.
  const numbered = markers.filter((m) => m.axis === "x").length > 1;
  markers.forEach((m, i) => {
    const label = `<title>${xmlText(m.label)}</title>`;
    if (m.axis === "x") {
      const x = f(sx.at(m.value));
      const number = numbered
        ? `<text x="${x}" y="${TOP - 4}" text-anchor="middle" class="marker-label">${i + 1}</text>`
        : "";
      body.push(
        `<g data-marker="${xmlAttr(m.label)}"><line x1="${x}" y1="${TOP}" x2="${x}" y2="${bottom}" stroke="${MARKER_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3"/>${number}${label}</g>`,
      );
    } else {
      const y = f(sy.at(m.value));
      body.push(
        `<g data-marker="${xmlAttr(m.label)}"><line x1="${left}" y1="${y}" x2="${W - RIGHT}" y2="${y}" stroke="${MARKER_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3"/>${label}</g>`,
      );
    }
  });
  for (const s of drawn) {
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    const g: string[] = [];
    const sorted = s.points;
    if (s.line !== false && sorted.length > 1) {
      const path = sorted.map((p) => `${f(sx.at(p.x))},${f(sy.at(p.y))}`).join(" ");
      g.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2"${dash} points="${path}"/>`);
    }
    for (const p of sorted) {
      const [x, y] = [sx.at(p.x), sy.at(p.y)];
      if (p.yLow !== undefined && p.yHigh !== undefined)
        g.push(
          `<line x1="${f(x)}" y1="${f(sy.at(p.yLow))}" x2="${f(x)}" y2="${f(sy.at(p.yHigh))}" stroke="${s.colour}" stroke-width="2"/>`,
        );
      if (p.xLow !== undefined && p.xHigh !== undefined)
        g.push(
          `<line x1="${f(sx.at(p.xLow))}" y1="${f(y)}" x2="${f(sx.at(p.xHigh))}" y2="${f(y)}" stroke="${s.colour}" stroke-width="2"/>`,
        );
      if (s.dots || s.line === false || sorted.length === 1)
        g.push(
          `<circle cx="${f(x)}" cy="${f(y)}" r="4" fill="${s.colour}">${p.title ? `<title>${xmlText(p.title)}</title>` : ""}</circle>`,
        );
      // A label near the right edge is written leftwards, so it stays inside the chart.
      if (p.label) {
        const leftwards = x > W - RIGHT - 8 - p.label.length * CHAR_W;
        g.push(
          `<text x="${f(leftwards ? x - 6 : x + 6)}" y="${f(y - 6)}" text-anchor="${leftwards ? "end" : "start"}" class="point-label">${xmlText(p.label)}</text>`,
        );
      }
    }
    body.push(
      `<g data-series="${xmlAttr(s.key)}" data-colour="${s.colour}"><title>${xmlText(s.label)}</title>${g.join("")}</g>`,
    );
  }
  const items = [...new Map(drawn.map((s) => [`${s.key} ${s.label}`, s])).values()].map((s) => ({
    key: s.key,
    label: s.label,
    colour: s.colour,
    ...(s.dash ? { dash: s.dash } : {}),
  }));
  const markerItems = markers.map((m, i) => ({
    key: "marker",
    label: `${numbered && m.axis === "x" ? `${i + 1}: ` : ""}${m.label}`,
    colour: MARKER_COLOUR,
    dash: "5 3",
  }));
  const key = legend([...items, ...markerItems], left, bottom + 58);
  const height = bottom + 50 + key.height;
  const titleId = `${o.id}-title`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${f(height)}" width="${W}" height="${f(height)}" role="img" aria-labelledby="${xmlAttr(titleId)}" data-chart="${xmlAttr(o.id)}" class="chart">`,
    `<title id="${xmlAttr(titleId)}">${xmlText(o.title)}</title>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" class="title">${xmlText(o.title)}</text>`,
    ...body,
    key.svg,
    "</svg>",
  ].join("\n");
}
