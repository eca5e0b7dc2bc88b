import { describe, expect, it } from "vitest";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import { parseGfmTables } from "../../test/helpers/gfm-tables.js";
import { PhaseAggregator } from "../metrics/aggregate.js";
import type { RequestSample } from "../record/request-sample.js";
import type { SweepStep } from "../record/sweep.js";
import { renderHtml } from "./html.js";
import { MARKER_COLOUR } from "./html/palette.js";
import { detailSections, renderMarkdown } from "./markdown.js";

/** The SVG of the chart whose data-chart id is `id` ("" when absent). */
const chartOf = (html: string, id: string) =>
  html.split("<svg ").find((svg) => svg.includes(`data-chart="${id}"`)) ?? "";

/** The polyline points of series `key` in a chart, as [x, y] pairs. */
function pointsOf(svg: string, key: string): number[][] {
  const group = svg.split(`data-series="${key}"`)[1] ?? "";
  const points = /points="([^"]+)"/.exec(group)?.[1] ?? "";
  return points.split(" ").map((xy) => xy.split(",").map(Number));
}

describe("renderHtml", () => {
  it("is one self-contained page: a PASS/FAIL head, charts and summary.md's tables, no script", () => {
    const run = fixtureRun();
    const html = renderHtml(run);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href="http|url\(/i);
    expect(html).toContain('<h1><span class="badge fail">FAIL</span> Gauntlet fixture</h1>');
    expect(html).toContain("1 of 2 thresholds failed (exit 99)");
    // The failed threshold in the head, as a word on a badge in a shaded row.
    expect(html).toMatch(
      /<tr class="fail"><td><span class="badge fail">FAIL<\/span><\/td><td><code>quality\.pass_rate/,
    );
    // Every table of summary.md's detail sections is in the page too.
    const tables = parseGfmTables(detailSections(run, { errors: false }).join("\n")).length;
    expect(html.split('<section id="details"')[1]?.match(/<table>/g)).toHaveLength(tables);
    // Load phase steady: TTFT, ITL and e2e distributions, latency, rate, in flight, errors and the server.
    for (const id of [
      "cdf-steady-ttft",
      "cdf-steady-itl",
      "cdf-steady-e2e",
      "rate-steady",
      "inflight-steady",
    ])
      expect(chartOf(html, id)).toContain('data-series="a"');
    expect(chartOf(html, "errors-steady")).toContain("a http_5xx");
    expect(chartOf(html, "server-steady")).toContain("a server waiting");
    // Quality requests are drawn apart from the load phase's.
    expect(chartOf(html, "cdf-quality-requests-ttft")).toContain('data-series="a"');
    expect(chartOf(html, "cdf-steady-ttft")).not.toContain("quality");
  });

  it("gives every chart a title, axis labels with units and a legend below its plot area", () => {
    const html = renderHtml(fixtureRun());
    const charts = html.split("<svg ").slice(1);
    expect(charts.length).toBeGreaterThan(8);
    for (const svg of charts) {
      expect(svg).toMatch(/<title id="[^"]+">[^<]+<\/title>/);
      for (const axis of ["x", "y"]) {
        const label = new RegExp(`data-axis-label="${axis}"[^>]*>([^<]+)<`).exec(svg)?.[1] ?? "";
        expect(label, svg.slice(0, 200)).toMatch(/\([^)]+\)/);
      }
      const plot = /data-plot-area="" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/.exec(svg);
      const legendY = /data-legend=""><g data-legend-item="[^"]*"><line x1="[\d.]+" y1="([\d.]+)"/.exec(svg);
      if (plot && legendY) expect(Number(legendY[1])).toBeGreaterThan(Number(plot[1]) + Number(plot[2]));
    }
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
    expect(html).toContain("Gauntlet &lt;img src=x onerror=alert(1)&gt;</h1>");
  });

  it("draws TTFT over time from a phase's timeline, mean per slice", () => {
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
    const [p1, p2] = pointsOf(chartOf(html, "latency-time-steady"), "a");
    // x at each slice's middle (0.5 s and 2.5 s), y the slice's mean: the second point twice as high.
    const bottom = 40 + 240; // the plot area's lower edge, in SVG units
    expect(bottom - (p2?.[1] ?? 0)).toBeCloseTo(2 * (bottom - (p1?.[1] ?? 0)), 0);
    expect(p2?.[0]).toBeGreaterThan(p1?.[0] ?? Infinity);
  });

  it("draws latency against throughput over phases and sweep steps, capacity in the marker colour", () => {
    const pct = { p50: 10, p95: 20, p99: 30 };
    const step = (label: string, rps: number, p95: number, rate?: number): SweepStep => ({
      label,
      ...(rate ? { rate } : {}),
      achievedRps: rps,
      ttftMs: { ...pct, p95 },
      itlMs: pct,
      e2eMs: pct,
      errorRate: 0,
      sloPass: p95 < 300,
      slo: [],
    });
    const run = fixtureRun({
      sweeps: [
        {
          target: "a",
          phase: "cap",
          steps: [
            step("synchronous", 4.5, 20),
            step("saturation", 70.7, 7770),
            step("30.00rps", 29.9, 40, 30),
          ],
          capacityRps: 29.9,
          capacityNote: "step 30.00rps, the highest passing rate, served 29.90 req/s of 30.00 req/s offered",
        },
      ],
    });
    const html = renderHtml(run);
    const chart = chartOf(html, "throughput-ttft");
    expect(chart).toContain("capacity at SLO, a (cap): 29.90 req/s");
    expect(chart).toContain(`stroke="${MARKER_COLOUR}"`);
    // p50 and p95 of target a: the steady phase and the three steps, by throughput.
    expect(chart.match(/data-series="a"/g)).toHaveLength(2);
    expect(chart).toContain("log scale"); // 10 ms to 7770 ms spans decades
    const xs = pointsOf(chart, "a").map(([x]) => x ?? 0);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(xs).toHaveLength(4);
    // summary.md's Mermaid curve is not for the page, which draws its own.
    expect(renderMarkdown(run)).toContain("```mermaid");
    expect(html).not.toContain("mermaid");
    for (const text of [html, renderMarkdown(run)])
      expect(text).toContain("capacity at SLO 29.90 req/s (step 30.00rps, the highest passing rate");
  });

  it("draws latency against output tokens per second too, from each phase's and sweep step's own aggregate", () => {
    const base = fixtureRun();
    const steady = base.phases.find((p) => p.phase !== "quality" && p.target === "a");
    if (!steady) throw new Error("the fixture has a load phase on a");
    const width = steady.windowEndUs - steady.windowStartUs;
    // The same requests over half the window: twice the tokens per second.
    const faster = { ...steady, phase: "burst", windowEndUs: steady.windowStartUs + width / 2 };
    const html = renderHtml({ ...base, phases: [...base.phases, faster] });
    const chart = chartOf(html, "throughput-ttft-tokens");
    expect(chart).toContain("output throughput (tokens/s)");
    const xs = pointsOf(chart, "a").map(([x]) => x ?? 0);
    expect(xs).toHaveLength(2);
    expect(xs[0]).toBeLessThan(xs[1] ?? 0);
    expect(chartOf(html, "throughput-itl-tokens")).toContain("ITL (ms)");
  });

  it("lists errors by kind with the first message of each, every row marked FAIL", () => {
    const html = renderHtml(fixtureRun());
    const errors = html.split('<section id="errors"')[1]?.split("</section>")[0] ?? "";
    expect(errors).toContain("<code>http_5xx</code>");
    expect(errors).toContain("500 Internal Server Error");
    expect(errors).toMatch(/<tr class="fail"><td><span class="badge fail">FAIL<\/span>/);
  });

  it("shows the load a phase offered, and no quality section when nothing was judged", () => {
    const base = fixtureRun();
    // As --only load records it: no quality totals and no quality aggregate.
    const phases = base.phases
      .filter((p) => p.phase !== "quality")
      .map((p) =>
        p.phase === "steady"
          ? { ...p, load: { kind: "ramp-rate", rate: 5, stages: [{ to: 40, overS: 2 }], durationS: 3 } }
          : p,
      );
    const html = renderHtml({ ...base, phases, quality: { totals: [], cases: [] } });
    expect(html).toContain("5 req/s → 40 req/s over 2s, for 3s");
    expect(chartOf(html, "rate-steady")).toContain('data-series="offered"');
    expect(html).not.toContain('id="quality"');
  });
});
