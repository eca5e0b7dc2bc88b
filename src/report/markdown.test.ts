import { describe, expect, it } from "vitest";
import { parseGfmTables } from "../../test/helpers/gfm-tables.js";
import { fixtureRun, outcome } from "../../test/helpers/run-fixture.js";
import { taskMetrics } from "../quality/task-metrics.js";
import { renderMarkdown } from "./markdown.js";
import { fitMarkdown, mdCell, mdTable } from "./markdown-table.js";

describe("renderMarkdown", () => {
  it("puts the verdict first, then the failed thresholds, then the tables", () => {
    const md = renderMarkdown(fixtureRun());
    const lines = md.split("\n");
    expect(lines[0]).toBe("## ❌ Gauntlet fixture: 1 of 2 thresholds failed (exit 99)");
    const order = [
      "### Failed thresholds",
      "### Quality",
      "### Latency and throughput",
      "### Errors by kind",
      "### Thresholds",
      "### Failed cases (2)",
    ];
    const at = order.map((h) => lines.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("renders every table as a well-formed GitHub table, whatever the cells hold", () => {
    const tables = parseGfmTables(renderMarkdown(fixtureRun()));
    const byFirst = (h: string) => tables.find((t) => t.header.includes(h))!;
    expect(tables.length).toBe(8);
    const failed = tables[0]!;
    expect(failed.header).toEqual(["", "threshold", "condition", "observed", "why"]);
    expect(failed.rows).toEqual([
      ["❌ fail", "quality.pass_rate", "&gt;= 0.9", "50.00%", "observed 50.00%, limit &gt;= 90.00%"],
    ]);
    expect(byFirst("pass rate").rows).toEqual([
      ["a", "3", "1", "1", "33.3%"],
      ["b", "1", "1", "0", "100.0%"],
    ]);
    const load = byFirst("ttft p95");
    expect(load.rows.map((r) => r.slice(0, 4))).toEqual([
      ["a", "quality", "3", "0.0%"],
      ["a", "steady", "50", "2.0%"],
    ]);
    // The load phase the client watched (fixtureRun's quiet client: every figure vouched for).
    expect(byFirst("client").rows).toEqual([
      [
        "a",
        "steady",
        "event loop 0.4 ms p99, CPU 10% of a core, 0.0% of ITL gaps coalesced",
        "✓ TTFT, ITL, TPOT, e2e, output tokens reliable",
      ],
    ]);
    // The server's peaks over the phase (a queue of 4 at most, 90% KV cache then).
    expect(byFirst("tokens/step").rows).toEqual([
      ["a", "steady", "vllm", "3", "8", "4", "90.0%", "1.00", "8.0", "12.0", "400", "900"],
    ]);
    // Failed requests by kind with the first message of each.
    expect(byFirst("first message").rows).toEqual([
      ["a", "steady", "http_5xx", "1", "2.0%", "", "500 Internal Server Error"],
    ]);
    // The model's pipe, markup and line break stay inside one cell.
    const cases = byFirst("reason");
    expect(cases.rows[0]).toEqual([
      "a",
      "c2",
      "failed",
      'equals: expected "Paris", got "Lyon"',
      "Lyon \\| &lt;b&gt;bold&lt;/b&gt; second line",
    ]);
  });

  it.each([
    [
      "interrupted",
      { status: "interrupted" as const },
      "## ❌ Gauntlet fixture: interrupted: partial results (exit 130)",
    ],
    [
      "aborted",
      { status: "aborted" as const, abortedBy: "ttft.p95" },
      "## ❌ Gauntlet fixture: aborted: threshold ttft.p95 failed (abort_on_fail, exit 3)",
    ],
    [
      "unreachable",
      { status: "unreachable" as const },
      "## ❌ Gauntlet fixture: no target was reachable: nothing was measured (exit 3)",
    ],
    [
      "passing",
      { thresholds: fixtureRun().thresholds.slice(0, 1) },
      "## ✅ Gauntlet fixture: all 1 thresholds passed",
    ],
  ])("says %s in its first line", (_name, over, first) => {
    expect(renderMarkdown(fixtureRun(over)).split("\n")[0]).toBe(first);
  });

  it("adds the task metrics when the cases declare labels", () => {
    const cases = [
      outcome("a", "l1", { label: "refund", output: "refund" }),
      outcome("a", "l2", { label: "refund", output: "shipping", pass: false, score: 0 }),
      outcome("a", "l3", { label: "shipping", output: "shipping" }),
    ];
    const md = renderMarkdown(
      fixtureRun({ quality: { totals: [], cases, tasks: taskMetrics(["a"], cases) } }),
    );
    const tables = parseGfmTables(md);
    const tasks = tables.find((t) => t.header.includes("macro F1"))!;
    expect(tasks.rows[0]!.slice(0, 2)).toEqual(["a", "66.7%"]);
    const perLabel = tables.find((t) => t.header[0] === "label")!;
    // refund: 1 of 1 predicted right, 1 of 2 found; shipping: 1 of 2 predicted right, 1 of 1 found.
    expect(perLabel.rows).toEqual([
      ["refund", "2", "1", "1.000", "0.500", "0.667"],
      ["shipping", "1", "2", "0.500", "1.000", "0.667"],
    ]);
  });

  it("lists at most 30 failed cases and says how many more there are", () => {
    const cases = Array.from({ length: 500 }, (_, i) => outcome("a", `c${i}`, { pass: false, score: 0 }));
    const md = renderMarkdown(fixtureRun({ quality: { totals: [], cases } }));
    const table = parseGfmTables(md).find((t) => t.header.includes("reason"))!;
    expect(table.rows).toHaveLength(30);
    expect(md).toContain("…and 470 more (see cases.csv and review.jsonl).");
  });
});

describe("markdown tables", () => {
  it.each([
    ["a|b", "a\\|b"],
    ["x\r\ny\nz", "x y z"],
    ["<script>&", "&lt;script&gt;&amp;"],
    ["  padded  ", "padded"],
  ])("mdCell(%j) = %j", (input, cell) => expect(mdCell(input)).toBe(cell));

  it("right-aligns numeric columns and pads short rows", () => {
    expect(mdTable(["name", "n"], [["a", "1"], ["b"]], ["l", "r"])).toBe(
      "| name | n |\n| --- | ---: |\n| a | 1 |\n| b |  |",
    );
  });

  it("fitMarkdown cuts at a line under the byte limit and keeps tables whole-rowed", () => {
    const md = [
      "## title",
      "",
      mdTable(
        ["k", "v"],
        Array.from({ length: 5000 }, (_, i) => [`k${i}`, "é".repeat(50)]),
      ),
    ].join("\n");
    const cut = fitMarkdown(md, 64 * 1024);
    expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(64 * 1024);
    expect(cut).toContain("The summary was cut");
    const [table] = parseGfmTables(cut);
    expect(table!.rows.length).toBeGreaterThan(100);
    expect(table!.rows.every((r) => r[1] === "é".repeat(50))).toBe(true);
    expect(fitMarkdown("short", 100)).toBe("short");
  });
});

describe("summary.md in the metric's own units", () => {
  it("shows an F1 threshold as a score, a pass-rate delta in pp and a rate in %", () => {
    const verdict = (key: string, unit: "ratio" | "pp" | "fraction", observed: number, limit: number) => ({
      key,
      expression: "x",
      pass: true,
      observed,
      limit,
      unit,
      reason: "",
    });
    const md = renderMarkdown(
      fixtureRun({
        thresholds: [
          verdict("quality.macro_f1", "ratio", 0.953, 0.95),
          verdict("compare.pass_rate_delta", "pp", -0.07, -0.02),
          verdict("error_rate", "fraction", 0.0904, 0.01),
        ],
      }),
    );
    expect(md).toContain("| ✅ pass | quality.macro_f1 | x | 0.953 |");
    expect(md).toContain("| ✅ pass | compare.pass_rate_delta | x | -7.00pp |");
    expect(md).toContain("| ✅ pass | error_rate | x | 9.04% |");
  });

  it("draws a sweep's curve as a Mermaid xychart, steps by the throughput they achieved", () => {
    const pct = { p50: 10, p95: 20, p99: 30 };
    const step = (label: string, achievedRps: number, p95: number) => ({
      label,
      achievedRps,
      ttftMs: { ...pct, p95 },
      itlMs: pct,
      e2eMs: pct,
      errorRate: 0,
      sloPass: true,
      slo: [],
    });
    const md = renderMarkdown(
      fixtureRun({
        sweeps: [
          {
            target: "a",
            phase: "cap",
            steps: [step("saturation", 70.7, 7770), step("synchronous", 4.5, 20), step("30.00rps", 29.9, 40)],
            capacityRps: 29.9,
          },
        ],
      }),
    );
    const block = md.slice(md.indexOf("```mermaid"), md.indexOf("```", md.indexOf("```mermaid") + 3) + 3);
    expect(block.split("\n")).toEqual([
      "```mermaid",
      "xychart-beta",
      '  title "Sweep a/cap: TTFT p95 by achieved throughput (capacity at SLO 29.9 req/s)"',
      '  x-axis "achieved throughput (req/s)" ["4.5", "29.9", "70.7"]',
      '  y-axis "TTFT p95 (ms)"',
      "  line [20.0, 40.0, 7770.0]",
      "```",
    ]);
  });
});
