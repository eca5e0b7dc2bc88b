import { describe, expect, it } from "vitest";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import { parseGfmTables } from "../../test/helpers/gfm-tables.js";
import { PhaseAggregator } from "../metrics/aggregate.js";
import type { RequestSample } from "../record/request-sample.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { markdownToHtml } from "./md-to-html.js";
import { lineChart } from "./svg-chart.js";

describe("renderHtml", () => {
  it("is one self-contained page: the summary's tables and an SVG CDF per latency, no script", () => {
    const run = fixtureRun();
    const html = renderHtml(run);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href="http/i);
    expect(html.match(/<table>/g)).toHaveLength(parseGfmTables(renderMarkdown(run)).length);
    expect(html).toContain("<h2>❌ Gauntlet fixture: 1 of 2 thresholds failed (exit 99)</h2>");
    // TTFT, ITL and e2e CDFs, each with a line for a/quality and a/steady; then a/steady's server
    // telemetry: TTFT over time above in-flight, running and waiting.
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html.match(/<polyline /g)).toHaveLength(6 + 1 + 3);
    expect(html).toContain("a/steady: requests in flight, running and waiting");
    expect(html).toContain("<title>a/steady</title>");
  });

  it("escapes whatever a model or a name carries", () => {
    const run = fixtureRun({
      suite: { name: "<img src=x onerror=alert(1)>", file: "s.yaml" },
      quality: {
        totals: [],
        cases: [outcome("a", "x", { pass: false, score: 0, output: "<script>alert(1)</script> | `tick`" })],
      },
    });
    const html = renderHtml(run);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; | <code>tick</code>");
    expect(html).toContain("<h2>❌ Gauntlet &lt;img src=x onerror=alert(1)&gt;:");
  });

  it("draws TTFT and ITL over time from a phase's timeline, mean per slice", () => {
    const load = new PhaseAggregator("a", "steady");
    const sample = (second: number, ttftUs: number): RequestSample => ({
      target: "a",
      phase: "steady",
      startUs: (1_796_000_000 + second) * 1e6,
      dispatchDelayUs: 100,
      ttftUs,
      e2eUs: ttftUs + 30_000,
      itlGapsUs: [10_000, 20_000],
      tpotUs: 15_000,
      outputTokens: 3,
      outputTokensEstimated: false,
      chunks: 3,
      ok: true,
      endUs: (1_796_000_000 + second) * 1e6 + ttftUs + 30_000,
    });
    // Two requests in second 0 (40 and 60 ms), one in second 2 (100 ms): means 50 and 100 ms.
    for (const [second, ttft] of [
      [0, 40_000],
      [0, 60_000],
      [2, 100_000],
    ] as const)
      load.add(sample(second, ttft));
    const base = fixtureRun();
    const html = renderHtml({ ...base, phases: [...base.phases.slice(0, 1), load.toAggregate()] });
    const chart = (title: string) => html.split("<svg ").find((svg) => svg.includes(title)) ?? "";
    const ttft = chart("TTFT over time");
    expect(ttft).toContain("<title>a/steady</title>");
    // x at each slice's middle (0.5 s and 2.5 s), y the slice's mean: the second point sits twice as high.
    const [p1, p2] = /points="([^"]+)"/
      .exec(ttft)![1]!
      .split(" ")
      .map((xy) => xy.split(",").map(Number));
    const baseline = 320 - 48; // the chart's x axis, in SVG units
    expect(baseline - p2![1]!).toBeCloseTo(2 * (baseline - p1![1]!), 0);
    expect(p2![0]!).toBeGreaterThan(p1![0]!);
    expect(chart("ITL over time")).toContain("<title>a/steady</title>");
  });

  it("draws a sweep's latency by offered rate with its capacity marker", () => {
    const step = (rate: number, p95: number) => ({
      label: `${rate}/s`,
      rate,
      achievedRps: rate,
      ttftMs: { p50: p95 / 2, p95, p99: p95 },
      itlMs: { p50: 5, p95: 6, p99: 7 },
      e2eMs: { p50: p95, p95: p95 * 2, p99: p95 * 2 },
      errorRate: 0,
      sloPass: p95 < 300,
      slo: [],
    });
    const run = fixtureRun({
      sweeps: [
        { target: "a", phase: "cap", steps: [step(4, 100), step(2, 50), step(8, 400)], capacityRps: 4 },
      ],
    });
    const html = renderHtml(run);
    expect(html).toContain("sweep a/cap: latency by offered rate");
    expect(html).toContain("capacity 4.00/s");
  });

  it("puts a sweep's synchronous and saturation steps on its chart and says why steps failed", () => {
    const pct = { p50: 10, p95: 20, p99: 30 };
    const common = { itlMs: pct, e2eMs: pct, errorRate: 0, slo: [] };
    const run = fixtureRun({
      sweeps: [
        {
          target: "a",
          phase: "cap",
          steps: [
            { ...common, label: "synchronous", concurrency: 1, achievedRps: 4.5, ttftMs: pct, sloPass: true },
            {
              ...common,
              label: "saturation",
              concurrency: 128,
              achievedRps: 70.7,
              ttftMs: { ...pct, p95: 7770 },
              sloPass: false,
            },
            {
              ...common,
              label: "30.00rps",
              rate: 30,
              achievedRps: 29.9,
              servedShare: 0.99,
              ttftMs: pct,
              sloPass: true,
            },
            {
              ...common,
              label: "60.00rps",
              rate: 60,
              achievedRps: 55,
              servedShare: 0.92,
              ttftMs: pct,
              sloPass: false,
              failures: ["served 92% of offered (needs 95% or more)"],
            },
          ],
          capacityRps: 29.9,
          capacityStep: "30.00rps",
          capacityNote: "step 30.00rps, the highest passing rate, served 29.90 req/s of 30.00 req/s offered",
        },
      ],
    });
    const html = renderHtml(run);
    const chart = html.split("<svg ").find((svg) => svg.includes("sweep a/cap")) ?? "";
    expect(chart).toContain("synchronous 4.5/s, ttft p95 20ms");
    expect(chart).toContain("saturation 70.7/s, ttft p95 7770ms");
    expect(chart.match(/<circle /g)).toHaveLength(2);
    // The summary's sweep table, in the page and in summary.md, says why the step failed.
    for (const text of [html, renderMarkdown(run)]) {
      expect(text).toContain("served 92% of offered (needs 95% or more)");
      expect(text).toContain("capacity at SLO 29.90 req/s (step 30.00rps, the highest passing rate");
      expect(text).toContain("it serves 95% or more of the rate offered");
    }
  });
});

describe("lineChart and markdownToHtml", () => {
  it("maps points onto the plot area in order and skips non-finite ones", () => {
    const svg = lineChart(
      [
        {
          name: "s",
          points: [
            [0, 0],
            [5, Number.NaN],
            [10, 1],
          ],
        },
      ],
      {
        title: "t",
        xLabel: "x",
        yLabel: "y",
        yRange: [0, 1],
      },
    );
    // Plot area: x 64..624, y 272 (bottom) ..32 (top).
    expect(svg).toContain('points="64.0,272.0 624.0,32.0"');
    expect(lineChart([{ name: "empty", points: [] }], { title: "t", xLabel: "x", yLabel: "y" })).toBe("");
  });

  it("turns headings, tables with aligned numbers, quotes and paragraphs into HTML", () => {
    const html = markdownToHtml(
      "## T\n\n> warn **x**\n\n| a | n |\n| --- | ---: |\n| p \\| q | 1 |\n\nsome `code`\n",
    );
    expect(html).toBe(
      [
        "<h2>T</h2>",
        "<blockquote>warn <strong>x</strong></blockquote>",
        '<table><thead><tr><th>a</th><th class="num">n</th></tr></thead><tbody><tr><td>p | q</td><td class="num">1</td></tr></tbody></table>',
        "<p>some <code>code</code></p>",
      ].join("\n"),
    );
  });
});
