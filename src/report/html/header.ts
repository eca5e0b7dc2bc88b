import { summarizePhase } from "../../metrics/aggregate.js";
import type { RunResult } from "../../record/run-result.js";
import { observedText, verdictLine } from "../verdict-line.js";
import { healthSection } from "../health.js";
import { markdownToHtml } from "../md-to-html.js";
import { xmlText } from "../xml.js";
import { offeredText } from "./offered.js";
import type { Palette } from "./palette.js";
import { loadPhases } from "./series.js";
import { badge, htmlTable } from "./status.js";

const swatch = (colour: string) => `<span class="swatch" style="background:${colour}"></span>`;

/** The failed thresholds: what was observed against what was allowed, and why. */
function failedThresholds(run: RunResult): string {
  const failed = run.thresholds.filter((v) => !v.pass);
  if (failed.length === 0) return "";
  return [
    "<h3>Failed thresholds</h3>",
    htmlTable(
      ["status", "threshold", "condition", "observed", "why"],
      failed.map((v) => ({
        fail: true,
        cells: [
          badge(false),
          `<code>${xmlText(v.key)}</code>`,
          xmlText(v.expression),
          xmlText(observedText(v)),
          xmlText(v.reason),
        ],
      })),
    ),
  ].join("\n");
}

/** The targets, each with its colour in every chart, and whether it was reached. */
function targets(run: RunResult, palette: Palette): string {
  return htmlTable(
    ["target", "model", "provider", "url", "reached"],
    run.targets.map((t) => ({
      fail: !t.reachable,
      cells: [
        `${swatch(palette(t.name))}${xmlText(t.name)}`,
        xmlText(t.model),
        xmlText(t.provider),
        `<code>${xmlText(t.url)}</code>`,
        t.reachable ? badge(true, "YES") : `${badge(false, "NO")} ${xmlText(t.unreachableReason ?? "")}`,
      ],
    })),
  );
}

/** The load offered per phase (as the plan resolved it) beside what each target achieved. */
function offeredLoad(run: RunResult): string {
  const rows = loadPhases(run).flatMap(({ name, aggregates }) =>
    aggregates.map((a) => {
      const s = summarizePhase(a);
      return {
        fail: a.requests > 0 && a.successes === 0,
        cells: [
          xmlText(name),
          a.load ? xmlText(offeredText(a.load)) : "not recorded",
          xmlText(a.target),
          String(a.requests),
          s.requestThroughput.toFixed(2),
          a.failures ? `${a.failures} (${((a.failures / a.requests) * 100).toFixed(1)}%)` : "0",
        ],
      };
    }),
  );
  const sweeps = run.sweeps.map((sw) => ({
    fail: typeof sw.capacityRps !== "number",
    cells: [
      xmlText(sw.phase),
      xmlText(
        `sweep: ${sw.steps.length} steps (synchronous, saturation, rates ${sw.steps
          .flatMap((st) => (typeof st.rate === "number" ? [st.rate] : []))
          .sort((a, b) => a - b)
          .map((r) => r.toFixed(1))
          .join(", ")} req/s)`,
      ),
      xmlText(sw.target),
      String(sw.steps.reduce((sum, st) => sum + (st.requests ?? 0), 0)),
      typeof sw.capacityRps === "number"
        ? `${sw.capacityRps.toFixed(2)} at SLO`
        : `${badge(false, "NONE")} no rate met the SLO`,
      "",
    ],
  }));
  if (rows.length + sweeps.length === 0) return "";
  return [
    "<h3>Load offered</h3>",
    htmlTable(
      ["phase", "offered", "target", "requests", "achieved req/s", "failed"],
      [...rows, ...sweeps],
      [3, 4, 5],
    ),
  ].join("\n");
}

/**
 * The page's head: the verdict as PASS or FAIL on its colour with the line the exit code follows,
 * the failed thresholds, the targets with their chart colours, and the load offered per phase.
 */
export function headerSection(run: RunResult, palette: Palette): string {
  const verdict = verdictLine(run);
  const meta = [
    `suite <code>${xmlText(run.suite.file)}</code>`,
    `started ${xmlText(run.startedAt)}`,
    `seed ${run.seed}`,
    `gauntlet ${xmlText(run.tool.version)}`,
  ].join(" · ");
  return [
    `<header data-section="summary" id="summary" class="${verdict.ok ? "verdict-pass" : "verdict-fail"}">`,
    `<h1>${badge(verdict.ok)} Gauntlet ${xmlText(run.suite.name)}</h1>`,
    `<p class="verdict">${xmlText(verdict.text)}</p>`,
    `<p class="meta">${meta}</p>`,
    markdownToHtml(healthSection(run).join("\n")),
    failedThresholds(run),
    "<h3>Targets</h3>",
    targets(run, palette),
    offeredLoad(run),
    "</header>",
  ]
    .filter(Boolean)
    .join("\n");
}
