import { mkdir, readFile } from "node:fs/promises";
import { ExitCode, UsageError, type ExitCodeValue } from "../errors.js";
import { renderConsoleSummary } from "../report/console-summary.js";
import { mergeRuns } from "../run/merge-runs.js";
import { RUN_SCHEMA_VERSION, type RunResult } from "../run/result.js";
import { colorLevel, defaultOutDir } from "./io.js";
import { writeReports } from "./write-reports.js";

/**
 * `gauntlet merge SHARD.json...`: one run from sharded runs, thresholds evaluated again, and every
 * report file a run writes (run.json, junit.xml, summary.md and $GITHUB_STEP_SUMMARY, ...).
 */
export async function mergeCommand(files: string[], opts: { out?: string }): Promise<ExitCodeValue> {
  const runs: RunResult[] = [];
  for (const file of files) {
    let run: RunResult;
    try {
      run = JSON.parse(await readFile(file, "utf8")) as RunResult;
    } catch (err) {
      throw new UsageError(`${file}: cannot read a run (${(err as Error).message})`);
    }
    if (run.schemaVersion !== RUN_SCHEMA_VERSION) {
      throw new UsageError(
        `${file}: run.json schema version ${String(run.schemaVersion)}, expected ${RUN_SCHEMA_VERSION}`,
      );
    }
    runs.push(run);
  }
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
