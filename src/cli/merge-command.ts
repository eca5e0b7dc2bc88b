import { mkdir } from "node:fs/promises";
import { ExitCode, UsageError, type ExitCodeValue } from "../errors.js";
import { renderConsoleSummary } from "../report/console-summary.js";
import { mergeRuns } from "../run/merge-runs.js";
import { readRun } from "../record/read-run.js";
import type { RunResult } from "../record/run-result.js";
import { colorLevel, defaultOutDir } from "./io.js";
import { writeReports } from "./write-reports.js";

/**
 * `gauntlet merge SHARD.json...`: one run from sharded runs, thresholds evaluated again, and every
 * report file a run writes (run.json, junit.xml, summary.md and $GITHUB_STEP_SUMMARY, ...).
 */
export async function mergeCommand(files: string[], opts: { out?: string }): Promise<ExitCodeValue> {
  const runs: RunResult[] = [];
  for (const file of files) runs.push(await readRun(file));
  const counts = new Set(runs.map((r) => r.shard?.count));
  if (counts.size > 1) throw new UsageError("these runs come from different --shard splits");
  const merged = mergeRuns(runs);
  const outDir = opts.out ?? defaultOutDir();
  await mkdir(outDir, { recursive: true });
  // The shards' files were redacted when written; the merged run gets every report a run gets.
  const annotations = await writeReports(outDir, merged, { redact: (text) => text, env: process.env });
  process.stdout.write(
    renderConsoleSummary(merged, { colorLevel: colorLevel(process.env, process.stdout) }) +
      `\n\nmerged ${runs.length} runs into ${outDir}\n`,
  );
  if (annotations) process.stdout.write(annotations);
  return merged.thresholds.some((v) => !v.pass) ? ExitCode.thresholdFailed : ExitCode.ok;
}
