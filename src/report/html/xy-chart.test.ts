import { describe, expect, it } from "vitest";
import { createPalette, MARKER_COLOUR } from "./palette.js";
import { createScale, linearTicks, logTicks } from "./scale.js";
import { xyChart } from "./xy-chart.js";

const opts = { id: "c", title: "t", xLabel: "x (s)", yLabel: "y (ms)" };

describe("xyChart", () => {
  it("maps points onto the plot area in order, skipping non-finite ones", () => {
    const svg = xyChart(
      [
        {
          key: "s",
          label: "s",
          colour: "#000",
          points: [
            { x: 0, y: 0 },
            { x: 5, y: Number.NaN },
            { x: 10, y: 1 },
          ],
        },
      ],
      { ...opts, xRange: [0, 10], yRange: [0, 1] },
    );
    // Plot area: x 72..616, y 280 (bottom) .. 40 (top).
    expect(svg).toContain('points="72.0,280.0 616.0,40.0"');
    expect(xyChart([{ key: "e", label: "e", colour: "#000", points: [] }], opts)).toBe("");
  });

  it("puts the legend under the axis label, outside the plot area, wrapping long legends", () => {
    const series = Array.from({ length: 8 }, (_, i) => ({
      key: `target-${i}`,
      label: `a fairly long series name ${i}`,
      colour: "#123456",
      points: [
        { x: 1, y: i },
        { x: 2, y: i + 1 },
      ],
    }));
    const svg = xyChart(series, opts);
    const rows = [...svg.matchAll(/data-legend-item="[^"]+"><line x1="[\d.]+" y1="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(rows).toHaveLength(8);
    expect(Math.min(...rows)).toBeGreaterThan(280 + 36);
    expect(new Set(rows).size).toBeGreaterThan(1);
    const height = Number(/viewBox="0 0 640 ([\d.]+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThan(Math.max(...rows));
  });

  it("goes logarithmic where the data spans more than 1.5 decades, linear otherwise", () => {
    const s = (ys: number[]) => [
      { key: "k", label: "k", colour: "#000", points: ys.map((y, x) => ({ x, y })) },
    ];
    expect(xyChart(s([10, 20, 400]), { ...opts, yScale: "auto" })).toContain("y (ms), log scale");
    expect(xyChart(s([10, 20, 30]), { ...opts, yScale: "auto" })).not.toContain("log scale");
  });
});

describe("scales", () => {
  it.each([
    [0, 7, [0, 2, 4, 6]],
    [0, 100, [0, 20, 40, 60, 80, 100]],
    [-11.4, 0.2, [-10, -7.5, -5, -2.5, 0]],
  ])("linear ticks from %d to %d", (min, max, ticks) => {
    expect(linearTicks(min, max)).toEqual(ticks);
  });

  it("log ticks are 1-2-5 per decade, and the axis widens to them", () => {
    expect(logTicks(10, 1000)).toEqual([10, 20, 50, 100, 200, 500, 1000]);
    const s = createScale([12, 7770], "auto", 0, 100);
    expect([s.log, s.min, s.max]).toEqual([true, 10, 10_000]);
    expect(s.at(100)).toBeCloseTo(100 / 3, 5);
  });
});

describe("createPalette", () => {
  it("gives a key the same colour every time, distinct keys distinct colours, never the marker's", () => {
    const palette = createPalette(["a", "b", "c"]);
    const colours = ["a", "b", "c", "d"].map(palette);
    expect(new Set(colours).size).toBe(4);
    expect(colours).not.toContain(MARKER_COLOUR);
    expect(palette("d")).toBe(colours[3]);
    expect(palette("a")).toBe(colours[0]);
  });
});
