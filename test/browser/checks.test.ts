import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xyChart, type XySeries } from "../../src/report/html/xy-chart.js";
import { launchBrowser } from "./browser.js";
import { CHECKS } from "./layout-checks.js";

/**
 * Each layout check catches the defect it is for: the same functions that pass report.html are fed
 * a page with the defect put back, and must name it.
 */

const series = (key: string, colour: string, offset = 0): XySeries => ({
  key,
  label: key,
  colour,
  points: [0, 1, 2, 3].map((x) => ({ x, y: x * 10 + offset })),
});

const chart = (id: string, s: XySeries[], xLabel = "time (s)") =>
  xyChart(s, { id, title: id, xLabel, yLabel: "latency (ms)" });

/** A page as report.html lays it out, around the given charts. */
const page = (charts: string[], extra = "") =>
  `<!doctype html><html><head><style>body{margin:0 auto;max-width:1360px;padding:0 1rem}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr))}.charts figure{margin:0;min-width:0}
svg.chart{display:block;width:100%;max-width:760px;height:auto}tr.fail td{background:#ffebe9}</style></head><body>
<h1><span class="badge fail">FAIL</span> Gauntlet t</h1><div class="charts">${charts.map((c) => `<figure>${c}</figure>`).join("")}</div>${extra}</body></html>`;

const GOOD = [
  chart("one", [series("a", "#0072b2"), series("b", "#e69f00", 5)]),
  chart("two", [series("a", "#0072b2")]),
];

let browser: Browser;
let tab: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
});

describe("the layout checks", () => {
  it("find nothing wrong with a page laid out as report.html is", async () => {
    await tab.setContent(page(GOOD));
    for (const check of Object.values(CHECKS)) expect(await check(tab)).toEqual([]);
  });

  it("catch a legend moved inside the plot area, over the series", async () => {
    await tab.setContent(
      page([GOOD[0]!.replace('<g data-legend="">', '<g data-legend="" transform="translate(40 -200)">')]),
    );
    const problems = await CHECKS.legendOverlap(tab);
    expect(problems.join("\n")).toMatch(/one: legend "a" lies inside the plot area/);
  });

  it("catch a target drawn in another colour in a second chart", async () => {
    await tab.setContent(page([GOOD[0]!, chart("two", [series("a", "#d62728")])]));
    expect((await CHECKS.colours(tab)).join("\n")).toMatch(
      /series a has 2 colours: rgb\(0, 114, 178\) in one.*rgb\(214, 39, 40\) in two/,
    );
  });

  it("catch a target drawn in the marker colour", async () => {
    const withMarker = xyChart([series("a", "#111111")], {
      id: "m",
      title: "m",
      xLabel: "x (s)",
      yLabel: "y (ms)",
      markers: [{ axis: "x", value: 1, label: "capacity" }],
    });
    await tab.setContent(page([withMarker]));
    expect((await CHECKS.colours(tab)).join("\n")).toMatch(/series a has the marker colour/);
  });

  it("catch a chart wider than its container and a page that scrolls sideways", async () => {
    await tab.setContent(
      page([GOOD[0]!.replace('class="chart"', 'class="chart" style="width:2000px;max-width:none"')]),
    );
    const problems = (await CHECKS.overflow(tab)).join("\n");
    expect(problems).toMatch(/one: 2000 px wide in a \d+ px container/);
    expect(problems).toMatch(/the page scrolls sideways/);
  });

  it("catch an axis label without its unit, and a missing one", async () => {
    await tab.setContent(
      page([
        chart("bare", [series("a", "#0072b2")], "time"),
        GOOD[1]!.replace(/<text data-axis-label="y"[^>]*>[^<]*<\/text>/, ""),
      ]),
    );
    const problems = (await CHECKS.axisLabels(tab)).join("\n");
    expect(problems).toMatch(/bare: x axis label "time" names no unit/);
    expect(problems).toMatch(/two: no y axis label/);
  });

  it("catch a verdict shown as an emoji alone and a failing row left uncoloured", async () => {
    await tab.setContent(
      page(
        GOOD,
        '<table><tr><td>❌</td><td>x</td></tr><tr class="plain"><td><span class="badge fail">FAIL</span></td><td>y</td></tr></table>',
      ).replace('<h1><span class="badge fail">FAIL</span> Gauntlet t</h1>', "<h1>❌ Gauntlet t</h1>"),
    );
    const problems = (await CHECKS.status(tab)).join("\n");
    expect(problems).toMatch(/says neither PASS nor FAIL/);
    expect(problems).toMatch(/a failing row is not coloured/);
    expect(problems).toMatch(/a status shown as an emoji alone: "❌"/);
  });
});
