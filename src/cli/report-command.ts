import { ExitCode, OutputError, UsageError, type ExitCodeValue } from "../errors.js";
import { ioReason, writeFileAtomic } from "../util/write-file-atomic.js";
import { renderCasesCsv } from "../report/cases-csv.js";
import { renderHtml } from "../report/html.js";
import { renderJunit } from "../report/junit.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderReview } from "../report/review.js";
import { renderRunJson } from "../report/run-json.js";
import type { RunResult } from "../record/run-result.js";
import { readRun } from "../record/read-run.js";

/** `gauntlet report` options as commander parses them. */
export interface ReportCommandOptions {
  format?: string;
  out?: string;
}

/** Every format `gauntlet report` renders: an explicit table, so a new one needs a renderer. */
export const REPORT_FORMATS: Record<string, (run: RunResult) => string> = {
  md: renderMarkdown,
  html: renderHtml,
  junit: renderJunit,
  csv: renderCasesCsv,
  json: renderRunJson,
  // Inputs are not in run.json, so a re-rendered queue has outputs and reasons only.
  review: (run) => renderReview(run),
};

/**
 * `gauntlet report RUN.json --format md|html|junit|csv|json|review`: re-renders a saved run to stdout,
 * or to --out FILE. Reads only the run; exit 0, or 2 for a bad file or format.
 */
export async function reportCommand(file: string, opts: ReportCommandOptions): Promise<ExitCodeValue> {
  const format = opts.format ?? "md";
  const render = REPORT_FORMATS[format];
  if (!render)
    throw new UsageError(
      `--format ${format}: unknown format (formats: ${Object.keys(REPORT_FORMATS).join(", ")})`,
    );
  const text = render(await readRun(file));
  // Whole or absent: a full disk never leaves half a report under the name asked for.
  if (opts.out) {
    const out = opts.out;
    await writeFileAtomic(out, text).catch((err: unknown) => {
      throw new OutputError(`cannot write ${out} (${ioReason(err)})`);
    });
  } else process.stdout.write(text);
  return ExitCode.ok;
}
