import type { RunResult } from "../record/run-result.js";
import { detailSections } from "./markdown.js";
import { markdownToHtml } from "./md-to-html.js";
import { decisionSection } from "./html/decision.js";
import { errorsSection } from "./html/errors.js";
import { headerSection } from "./html/header.js";
import { loadPhaseSections } from "./html/load-phase.js";
import { FAIL_COLOUR, PASS_COLOUR } from "./html/palette.js";
import { qualitySection } from "./html/quality.js";
import { runPalette } from "./html/series.js";
import { section } from "./html/status.js";
import { throughputSection } from "./html/throughput.js";
import { xmlText } from "./xml.js";

// Two charts per row from 1100 px of page (each about 640 px, their drawn size); one per row on a
// narrow screen and on paper, where half a page is too small to read a chart.
const STYLE = `:root{--pass:${PASS_COLOUR};--fail:${FAIL_COLOUR}}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:1360px;padding:0 1rem;color:#222}
h1{font-size:22px;margin:.25rem 0}h2{font-size:18px;margin:2rem 0 .5rem;border-bottom:1px solid #ddd;padding-bottom:.25rem}h3{font-size:15px;margin:1.25rem 0 .4rem}
.verdict{font-size:16px;font-weight:600;margin:.25rem 0}.verdict-pass .verdict{color:var(--pass)}.verdict-fail .verdict{color:var(--fail)}.meta{color:#555}
.badge{display:inline-block;font:700 12px/1.5 system-ui,sans-serif;padding:0 6px;border-radius:3px;color:#fff;letter-spacing:.03em}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.skip{background:#6e7781}
h1 .badge{font-size:16px;vertical-align:2px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.table-wrap{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
td{overflow-wrap:break-word}th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}code{background:#f3f3f3;padding:0 3px}
tr.fail td{background:#ffebe9}tr.fail td:first-child{box-shadow:inset 3px 0 var(--fail)}
blockquote{border-left:4px solid var(--fail);margin:.5rem 0;padding:.25rem .75rem}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem 1.5rem;margin:.5rem 0 1rem}
.charts figure{margin:0;min-width:0}
svg.chart{display:block;width:100%;max-width:760px;height:auto}
svg text{font:11px system-ui,sans-serif;fill:#333}svg .title{font-size:13px;font-weight:600}
svg .plot{fill:#fcfcfc;stroke:none}svg .axis{stroke:#333}svg .grid{stroke:#e8e8e8}svg .point-label{font-size:10px}
@media (max-width:1100px){.charts{grid-template-columns:minmax(0,1fr)}}
@media print{body{max-width:none;margin:0;padding:0;font-size:11px}.charts{grid-template-columns:minmax(0,1fr)}
figure,tr,header{break-inside:avoid}h2{break-after:avoid}section{break-before:auto}
.badge,.swatch,tr.fail td{-webkit-print-color-adjust:exact;print-color-adjust:exact}.table-wrap{overflow:visible}}`;

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched). Its head
 * gives the verdict as PASS or FAIL, the failed thresholds, the targets with their colours and the
 * load offered per phase; then the decision chart (quality against latency), latency against
 * throughput across phases and sweep steps, each load phase's distributions and timelines, quality
 * with its intervals and comparisons, errors by kind, and summary.md's tables. One colour per target
 * in every chart (runPalette). Pure.
 */
export function renderHtml(run: RunResult): string {
  const palette = runPalette(run);
  const details = markdownToHtml(detailSections(run, { errors: false }).join("\n"));
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Gauntlet ${xmlText(run.suite.name)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    headerSection(run, palette),
    decisionSection(run, palette),
    throughputSection(run, palette),
    ...loadPhaseSections(run, palette),
    qualitySection(run, palette),
    errorsSection(run),
    section("details", "Tables", [details]),
    "</body></html>",
    "",
  ]
    .filter(Boolean)
    .join("\n");
}
