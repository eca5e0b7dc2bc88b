import { appendFile, stat } from "node:fs/promises";
import path from "node:path";
import { renderAnnotations } from "../report/annotations.js";
import { renderCasesCsv } from "../report/cases-csv.js";
import { renderHtml } from "../report/html.js";
import { renderJunit } from "../report/junit.js";
import { renderMarkdown } from "../report/markdown.js";
import { fitMarkdown } from "../report/markdown-table.js";
import { renderReview, type CaseInputs } from "../report/review.js";
import { renderRunJson } from "../report/run-json.js";
import type { RunResult } from "../record/run-result.js";
import { OutputError } from "../errors.js";
import { redactDeep, type Redactor } from "../util/redact.js";
import { ioReason, writeFileAtomic } from "../util/write-file-atomic.js";

/** GitHub rejects a step summary over 1 MiB; summary.md keeps to the same size. */
export const SUMMARY_MAX_BYTES = 1024 * 1024;

/** The report files in --out besides requests.ndjson, which is written while the run goes. */
export const REPORT_FILES = [
  "run.json",
  "cases.csv",
  "junit.xml",
  "summary.md",
  "review.jsonl",
  "report.html",
] as const;

/** What writing the reports needs besides the run: the redactor, the environment, case inputs. */
export interface WriteReportsOptions {
  redact: Redactor;
  env: NodeJS.ProcessEnv;
  inputs?: CaseInputs;
  /** The suite line of a threshold, so an annotation points at it. */
  thresholdLine?: (key: string) => number | undefined;
}

/**
 * Writes every report of a run into `outDir` and appends summary.md to $GITHUB_STEP_SUMMARY when
 * that is set (cut so the step's file stays under 1 MiB). The run is redacted whole before it is
 * rendered (so no cut or escape happens before redaction), and each rendered file once more. Each
 * file is written to a temporary name and renamed: it is whole or absent. When some cannot be
 * written the others still are, then an OutputError (exit 3) names them and why. Returns the
 * `::error::` annotations to print when running on GitHub Actions (empty otherwise).
 */
export async function writeReports(
  outDir: string,
  dirty: RunResult,
  opts: WriteReportsOptions,
): Promise<string> {
  const { redact, env } = opts;
  const run = redactDeep(dirty, redact);
  const summary = fitMarkdown(redact(renderMarkdown(run)), SUMMARY_MAX_BYTES);
  const files: Record<(typeof REPORT_FILES)[number], string> = {
    "run.json": redact(renderRunJson(run)),
    "cases.csv": redact(renderCasesCsv(run)),
    "junit.xml": redact(renderJunit(run)),
    "summary.md": summary,
    "review.jsonl": redact(renderReview(run, opts.inputs)),
    "report.html": redact(renderHtml(run)),
  };
  const written = await Promise.allSettled(
    Object.entries(files).map(([name, text]) => writeFileAtomic(path.join(outDir, name), text)),
  );
  const failed = Object.keys(files).flatMap((name, i) => {
    const w = written[i];
    return w?.status === "rejected" ? [`${name} (${ioReason(w.reason)})`] : [];
  });
  if (failed.length > 0)
    throw new OutputError(
      `cannot write ${failed.join(", ")} in ${outDir}`,
      "free space in the report folder or choose another with --out",
    );
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    const existing = (await stat(stepSummary).catch(() => undefined))?.size ?? 0;
    const budget = SUMMARY_MAX_BYTES - existing - 2;
    if (budget > 0)
      await appendFile(stepSummary, "\n" + fitMarkdown(summary, budget) + "\n").catch((err: unknown) => {
        throw new OutputError(`cannot append to $GITHUB_STEP_SUMMARY ${stepSummary} (${ioReason(err)})`);
      });
  }
  if (env.GITHUB_ACTIONS !== "true") return "";
  return redact(renderAnnotations(run, opts.thresholdLine ? { lineOf: opts.thresholdLine } : {}));
}
