import { UsageError, type ExitCodeValue } from "../errors.js";
import { exitCodeOf } from "../record/exit-code.js";
import { readRun } from "../record/read-run.js";
import type { RunResult } from "../record/run-result.js";
import { sourceOf } from "../record/verdict.js";
import { renderConsoleSummary } from "../report/console-summary.js";
import { mergeRuns } from "../run/merge-runs.js";
import { overlapWarning } from "../run/shard-windows.js";
import { ThresholdSyntaxError } from "../thresholds/parse.js";
import { colorLevel, defaultOutDir } from "./io.js";
import { readBaseline } from "./run-baseline.js";
import { writeReports } from "./write-reports.js";
import { prepareOutDir } from "./out-dir.js";
import { NO_SECRETS } from "../util/redact.js";

/** `gauntlet merge` options as commander parses them. */
export interface MergeCommandOptions {
  out?: string;
  baseline?: string;
  pairBy?: string;
}

/**
 * `gauntlet merge SHARD.json...`: one run from sharded runs, the suite's thresholds judged again,
 * a warning with each shard's window when the shards' load windows overlap less than 80%,
 * compared with `--baseline RUN.json` when given, and every report file a run writes (run.json,
 * junit.xml, summary.md and $GITHUB_STEP_SUMMARY, ...). Exit 0, 99 when a threshold fails, or 3
 * when a phase of the merged run had no successful request (run health).
 */
export async function mergeCommand(files: string[], opts: MergeCommandOptions): Promise<ExitCodeValue> {
  const runs: RunResult[] = [];
  for (const file of files) runs.push(await readRun(file));
  const apart = overlapWarning(runs.map((run, i) => ({ file: files[i] ?? "", run })));
  if (apart) process.stderr.write(`gauntlet: warning: ${apart}\n`);
  const counts = new Set(runs.map((r) => r.shard?.count));
  if (counts.size > 1) throw new UsageError("these runs come from different --shard splits");
  const baseline = await readBaseline(opts.baseline, opts.pairBy);
  let merged: RunResult;
  try {
    merged = mergeRuns(runs, baseline);
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) throw new UsageError(`${files[0]}: ${err.message}`);
    throw err;
  }
  const outDir = opts.out ?? defaultOutDir();
  await prepareOutDir(outDir);
  // The shards' files were redacted when written; the merged run gets every report a run gets.
  const annotations = await writeReports(outDir, merged, { redact: NO_SECRETS, env: process.env });
  process.stdout.write(
    renderConsoleSummary(merged, { colorLevel: colorLevel(process.env, process.stdout) }) +
      `\n\nmerged ${runs.length} runs into ${outDir}\n`,
  );
  if (annotations) process.stdout.write(annotations);
  const compared = runs.find((r) => r.baseline || r.thresholds.some((v) => sourceOf(v) === "baseline"));
  if (compared && !baseline) {
    process.stderr.write(
      `gauntlet: the runs were compared with --baseline${compared.baseline ? ` ${compared.baseline.file}` : ""}, each on its own cases; pass --baseline RUN.json to merge to compare the merged run\n`,
    );
  }
  // Merge judges saved figures: a shard's interruption is in run.json, not in merge's exit.
  return exitCodeOf({
    status: "completed",
    verdicts: merged.thresholds,
    ...(merged.health ? { health: merged.health } : {}),
  });
}
